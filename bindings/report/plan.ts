// Turns each analysis of a spec into command invocations ({command, options}): the report is a sequence
// of the same calls a user could make with `didwasm <command>` or run(), which is what results.json
// records, what the report shows as each analysis's command line, and what the end-to-end test replays.
// Options come from the roles, then from the analysis (which may override any of them); each option
// remembers which spec path it came from, so a problem is reported where the user can fix it. Derived
// columns (initial level x time trend; a median split) are added to the frame first, by a function the test
// can call too.
import type { Frame } from "../data/frame.js";
import { DidwasmError } from "../errors.js";
import { quoteName } from "../model/formula.js";
import { fmix32 } from "../random/xoshiro.js";
import { ANALYSIS_COMMAND, analysisKeys, REPORT_KEYS } from "./analysis-types.js";
import { analysisData, type Analysis, type ReportSpec } from "./spec.js";

export interface Invocation {
  readonly command: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** What this call contributes to the section (e.g. a table column label). */
  readonly role: string;
  /** Where each option came from in the spec (e.g. "roles.outcome", "sections[2].analyses[0].bin"). */
  readonly sources: Readonly<Record<string, string>>;
}

/** A distinct, reproducible seed for the analysis at (section, index). */
export function analysisSeed(spec: ReportSpec, section: number, index: number): number {
  return fmix32((spec.seed ^ Math.imul(section + 1, 0x9e3779b9) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? (v as string[]) : typeof v === "string" ? [v] : undefined);

/** Name of the derived column "initial level of v x time trend". */
export const trendColumn = (v: string) => `${v}_initial_x_trend`;

/** Name of the derived column "the unit's mean of v is above the median unit's" (subgroups split at the
 *  median). */
export const medianSplitColumn = (v: string) => `${v}_above_median`;

/** Name of the derived column "periods since the cohort's first treated period" (never treated: NEVER_EVENT_TIME),
 *  the i() term of honestdid and pretrends analyses without a formula. */
export const eventTimeColumn = (time: string) => `${time}_since_treatment`;
/** The event time of never-treated units: a second reference level of i(), so they have no dummies. */
export const NEVER_EVENT_TIME = -1000;
const EVENT_TIME_TYPES = new Set(["honestdid", "pretrends"]);

/** The variables of `trends` analyses and of subgroups split at the median; whether an event-time column
 *  is needed. Only the analyses that read `data` (by default the spec's own file) count. */
function derivedSources(spec: ReportSpec, data: string): { trends: string[]; medians: string[]; eventTime: boolean } {
  const trends = new Set<string>();
  const medians = new Set<string>();
  let eventTime = false;
  for (const s of spec.sections) {
    for (const a of s.analyses) {
      if (analysisData(spec, a) !== data) continue;
      for (const v of list(a.trends) ?? []) trends.add(v);
      if (a.type === "subgroups" && a.split === "median" && typeof a.by === "string") medians.add(a.by);
      if (EVENT_TIME_TYPES.has(a.type) && a.formula === undefined && spec.roles.cohort) eventTime = true;
    }
  }
  return { trends: [...trends], medians: [...medians], eventTime };
}

/** The names of the columns the spec's analyses of `data` derive (empty when none does). */
export function derivedColumns(spec: ReportSpec, data = spec.data): string[] {
  const { trends, medians, eventTime } = derivedSources(spec, data);
  return [...trends.map(trendColumn), ...medians.map(medianSplitColumn), ...(eventTime ? [eventTimeColumn(spec.roles.time)] : [])];
}

/** Adds derived columns every analysis may need: for each `trends` variable v, v's value in the unit's
 *  first observed period times (time - first period); for each subgroup column split at the median, 1
 *  when the unit's mean of it is above the median of the units' means, else 0 (a unit stays in one group,
 *  so that bdiff can resample whole units). `frame` is the file `data` (the spec's by default); only the
 *  analyses that read it count. */
export function addDerivedColumns(frame: Frame, spec: ReportSpec, data = spec.data): Frame {
  const { trends: wanted, medians, eventTime } = derivedSources(spec, data);
  let out = wanted.length ? addTrendColumns(frame, spec, wanted) : frame;
  for (const v of medians) out = out.withColumn({ kind: "numeric", name: medianSplitColumn(v), values: aboveMedian(frame, spec.roles.unit, v) });
  if (eventTime) out = out.withColumn({ kind: "numeric", name: eventTimeColumn(spec.roles.time), values: eventTimes(frame, spec) });
  return out;
}

/** time - cohort for treated units; NEVER_EVENT_TIME for never-treated ones (cohort 0, empty, or after the panel). */
function eventTimes(frame: Frame, spec: ReportSpec): Float64Array {
  const time = frame.numeric(spec.roles.time, "time variable");
  const cohort = frame.numeric(spec.roles.cohort!, "cohort");
  let last = -Infinity;
  for (const t of time) if (t > last) last = t;
  return Float64Array.from(time, (t, r) => (cohort[r] > 0 && cohort[r] <= last ? t - cohort[r] : NEVER_EVENT_TIME));
}

function aboveMedian(frame: Frame, unit: string, v: string): Float64Array {
  const x = frame.numeric(v, "subgroup variable");
  const sums = new Map<string, { sum: number; n: number }>();
  for (let r = 0; r < frame.nrow; r++) {
    if (Number.isNaN(x[r])) continue;
    const u = frame.cellText(unit, r);
    const s = sums.get(u) ?? { sum: 0, n: 0 };
    s.sum += x[r];
    s.n++;
    sums.set(u, s);
  }
  const means = new Map([...sums].map(([u, s]) => [u, s.sum / s.n]));
  const sorted = [...means.values()].sort((a, b) => a - b);
  const m = sorted.length;
  const median = m === 0 ? NaN : m % 2 ? sorted[(m - 1) / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
  const values = new Float64Array(frame.nrow);
  for (let r = 0; r < frame.nrow; r++) {
    const mean = means.get(frame.cellText(unit, r));
    values[r] = mean === undefined ? NaN : mean > median ? 1 : 0;
  }
  return values;
}

function addTrendColumns(frame: Frame, spec: ReportSpec, wanted: readonly string[]): Frame {
  const time = frame.numeric(spec.roles.time, "time variable");
  let t0 = Infinity;
  for (const t of time) if (!Number.isNaN(t)) t0 = Math.min(t0, t);
  let out = frame;
  for (const v of wanted) {
    const x = frame.numeric(v, "trend variable");
    const first = new Map<string, { t: number; x: number }>();
    for (let r = 0; r < frame.nrow; r++) {
      if (Number.isNaN(time[r]) || Number.isNaN(x[r])) continue;
      const u = frame.cellText(spec.roles.unit, r);
      const f = first.get(u);
      if (!f || time[r] < f.t) first.set(u, { t: time[r], x: x[r] });
    }
    const values = new Float64Array(frame.nrow);
    for (let r = 0; r < frame.nrow; r++) {
      const f = first.get(frame.cellText(spec.roles.unit, r));
      values[r] = f && !Number.isNaN(time[r]) ? f.x * (time[r] - t0) : NaN;
    }
    out = out.withColumn({ kind: "numeric", name: trendColumn(v), values });
  }
  return out;
}

/** Options with their sources, built in order: later entries override earlier ones. */
class OptionsBuilder {
  readonly options: Record<string, unknown> = {};
  readonly sources: Record<string, string> = {};
  set(key: string, value: unknown, source: string): this {
    if (value === undefined) return this;
    this.options[key] = value;
    this.sources[key] = source;
    return this;
  }
}

function controlsOf(spec: ReportSpec, a: Analysis, byDefault: boolean): { value: string[]; source: string } {
  const c = a.controls;
  if (c === false || (c === undefined && !byDefault)) return { value: [], source: "controls" };
  if (Array.isArray(c)) return { value: c as string[], source: "controls" };
  return { value: [...(spec.roles.controls ?? [])], source: "roles.controls" };
}

function defaultVcov(spec: ReportSpec): { value: string; source: string } {
  return spec.roles.cluster ? { value: `cluster:${spec.roles.cluster}`, source: "roles.cluster" } : { value: `cluster:${spec.roles.unit}`, source: "roles.unit" };
}

/** The regression formula of a `regression` analysis, a subgroup's or a placebo's baseline; names that
 *  are not plain identifiers are quoted (`ln gdp`). */
export function regressionFormula(spec: ReportSpec, a: Analysis): string {
  if (typeof a.formula === "string") return a.formula;
  const r = spec.roles;
  const q = quoteName;
  const outcomes = list(a.outcomes) ?? [typeof a.outcome === "string" ? a.outcome : r.outcome];
  const lhs = outcomes.length > 1 ? `c(${outcomes.map(q).join(", ")})` : q(outcomes[0]);
  const rhs = [q(r.treatment)];
  if (typeof a.interact === "string") rhs.push(`${q(r.treatment)}:${q(a.interact)}`, q(a.interact));
  rhs.push(...(list(a.extra) ?? []).map(q), ...(list(a.trends) ?? []).map((v) => q(trendColumn(v))), ...controlsOf(spec, a, true).value.map(q));
  const fe = a.fixef === false ? [] : Array.isArray(a.fixef) ? (a.fixef as string[]) : [r.unit, r.time];
  return `${lhs} ~ ${rhs.join(" + ")}${fe.length ? ` | ${fe.map(q).join(" + ")}` : ""}`;
}

/** The keys of a regression analysis that build its formula (a `formula` replaces them all). */
const FORMULA_PARTS = ["outcome", "outcomes", "controls", "fixef", "extra", "interact", "trends"];

/** Copies the analysis's own command options (all but the report-only keys) over the builder's. */
function passThrough(b: OptionsBuilder, a: Analysis, path: string, except: readonly string[] = []): void {
  const reportOnly = new Set([...Object.keys(REPORT_KEYS[a.type]), ...except]);
  const keys = analysisKeys(a.type);
  for (const [k, v] of Object.entries(a)) if (k in keys && !reportOnly.has(k)) b.set(k, v, `${path}.${k}`);
}

export function planAnalysis(spec: ReportSpec, a: Analysis, seed: number, frame: Frame, path: string): Invocation[] {
  const r = spec.roles;
  const b = new OptionsBuilder();
  const at = (k: string) => `${path}.${k}`;
  const needCohort = () => {
    if (!r.cohort && a.cohort === undefined) throw new DidwasmError("BAD_OPTION", `${path}: a ${a.type} analysis needs roles.cohort (or cohort in the analysis)`);
    return r.cohort;
  };
  const vc = defaultVcov(spec);
  const panel = () => b.set("unit", r.unit, "roles.unit").set("time", r.time, "roles.time");
  const withControls = (byDefault: boolean) => {
    const c = controlsOf(spec, a, byDefault);
    if (c.value.length) b.set("controls", c.value, c.source === "controls" ? at("controls") : c.source);
  };
  const one = (role: string): Invocation[] => {
    passThrough(b, a, path);
    return [{ command: ANALYSIS_COMMAND[a.type], role, options: b.options, sources: b.sources }];
  };
  switch (a.type) {
    case "describe":
      b.set("vars", [r.outcome, r.treatment, ...(r.controls ?? [])], "roles");
      return one("table");
    case "regression": {
      if (typeof a.formula === "string") {
        const clash = FORMULA_PARTS.filter((k) => a[k] !== undefined);
        if (clash.length) throw new DidwasmError("BAD_OPTION", `${at(clash[0])}: a regression with a formula takes no ${clash.join(", ")} (the formula says it all)`);
      }
      b.set("formula", regressionFormula(spec, a), typeof a.formula === "string" ? at("formula") : "roles").set("vcov", vc.value, vc.source);
      return one(typeof a.label === "string" ? a.label : "model");
    }
    case "eventstudy":
      panel().set("y", r.outcome, "roles.outcome").set("cohort", needCohort(), "roles.cohort").set("vcov", vc.value, vc.source);
      withControls(true);
      return one("event study");
    case "placebo":
      if (a.formula !== undefined && a.controls !== undefined) throw new DidwasmError("BAD_OPTION", `${at("controls")}: a placebo analysis with a formula takes no controls (put them in the formula)`);
      panel()
        .set("formula", regressionFormula(spec, { type: "regression", controls: a.controls }), "roles")
        .set("treat", r.treatment, "roles.treatment").set("cohort", r.cohort, "roles.cohort").set("kind", "mixed", at("kind"))
        .set("vcov", vc.value, vc.source);
      if (a.kind !== "time") b.set("seed", seed, "seed");
      return one("placebo");
    case "bacon":
      panel().set("y", r.outcome, "roles.outcome").set("treat", r.treatment, "roles.treatment");
      withControls(false);
      return one("decomposition");
    case "did2s":
      panel().set("y", r.outcome, "roles.outcome").set("treat", r.treatment, "roles.treatment").set("cluster", r.cluster ?? r.unit, r.cluster ? "roles.cluster" : "roles.unit");
      if (a.event === true) b.set("cohort", needCohort(), "roles.cohort");
      withControls(true);
      return one("did2s");
    case "imputation":
      panel().set("y", r.outcome, "roles.outcome").set("treat", r.treatment, "roles.treatment").set("cluster", r.cluster ?? r.unit, r.cluster ? "roles.cluster" : "roles.unit");
      withControls(true);
      return one("imputation");
    case "etwfe":
      panel().set("y", r.outcome, "roles.outcome").set("cohort", needCohort(), "roles.cohort").set("vcov", vc.value, vc.source);
      withControls(true);
      return one("extended TWFE");
    case "dcdh":
      panel().set("y", r.outcome, "roles.outcome").set("treat", r.treatment, "roles.treatment");
      if (r.cluster) b.set("cluster", r.cluster, "roles.cluster");
      return one("dcdh");
    case "stacked":
      panel().set("y", r.outcome, "roles.outcome").set("cohort", needCohort(), "roles.cohort");
      if (r.cluster) b.set("cluster", r.cluster, "roles.cluster");
      withControls(true);
      return one("stacked");
    case "synthdid":
      panel().set("y", r.outcome, "roles.outcome").set("treat", r.treatment, "roles.treatment");
      if (a.vcov !== "jackknife") b.set("seed", seed, "seed");
      withControls(false);
      return one("synthdid");
    case "sunab":
      panel().set("y", r.outcome, "roles.outcome").set("cohort", needCohort(), "roles.cohort").set("vcov", vc.value, vc.source);
      withControls(true);
      return one("sunab");
    case "csdid":
      panel().set("y", r.outcome, "roles.outcome").set("cohort", needCohort(), "roles.cohort");
      if (a.bootstrap !== undefined) b.set("seed", seed, "seed");
      withControls(false); // did's default: no covariates unless the analysis asks for them
      return one("csdid");
    case "psm":
      panel().set("y", r.outcome, "roles.outcome").set("cohort", needCohort(), "roles.cohort").set("covariates", r.controls, "roles.controls").set("vcov", vc.value, vc.source);
      withControls(true);
      return one("psm");
    case "compare":
      panel().set("y", r.outcome, "roles.outcome").set("cohort", needCohort(), "roles.cohort");
      return one("compare");
    case "honestdid":
    case "pretrends":
      // A TWFE event study on the derived event time (never-treated units at the second reference level).
      if (a.formula === undefined) {
        needCohort();
        b.set("formula", `${quoteName(r.outcome)} ~ i(${quoteName(eventTimeColumn(r.time))}, ref = c(-1, ${NEVER_EVENT_TIME})) | ${quoteName(r.unit)} + ${quoteName(r.time)}`, "roles");
      }
      b.set("vcov", vc.value, vc.source);
      return one(a.type === "honestdid" ? "sensitivity" : "pre-trend power");
    case "subgroups": {
      const by = a.split === "median" ? medianSplitColumn(a.by as string) : (a.by as string);
      const values = [...new Set(Array.from({ length: frame.nrow }, (_, i) => frame.cellText(by, i)).filter((v) => v !== ""))].sort((x, y) =>
        !Number.isNaN(Number(x)) && !Number.isNaN(Number(y)) ? Number(x) - Number(y) : x < y ? -1 : 1,
      );
      if (values.length !== 2) throw new DidwasmError("BAD_DATA", `${at("by")}: the column "${by}" has ${values.length} distinct values; two are needed`);
      const formula = regressionFormula(spec, { type: "regression", controls: a.controls });
      const fitVcov = typeof a.vcov === "string" ? { value: a.vcov, source: at("vcov") } : vc;
      const lit = (v: string) => (Number.isNaN(Number(v)) ? JSON.stringify(v) : v);
      const fits = values.map((v): Invocation => ({
        command: "fit", role: `${by} = ${v}`,
        options: { formula, vcov: fitVcov.value, subset: `${quoteName(by)} == ${lit(v)}` },
        sources: { formula: "roles", vcov: fitVcov.source, subset: at("by") },
      }));
      b.set("formula", formula, "roles").set("group", by, at("by")).set("coef", r.treatment, "roles.treatment")
        .set("seed", seed, "seed").set("clusterLevel", r.unit, "roles.unit");
      passThrough(b, a, path, ["vcov"]);
      return [...fits, { command: "bdiff", role: "group difference", options: b.options, sources: b.sources }];
    }
  }
}
