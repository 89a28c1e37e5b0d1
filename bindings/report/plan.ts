// Turns each analysis of a spec into command invocations ({command, options}): the report is a sequence
// of the same calls a user could make with `didwasm <command>` or run(), which is what results.json
// records and what the end-to-end test replays. Derived columns (initial level x time trend) are added
// to the frame first, by a function the test can call too.
import type { Frame } from "../data/frame.js";
import { DidwasmError } from "../errors.js";
import { fmix32 } from "../random/xoshiro.js";
import type { Analysis, ReportSpec } from "./spec.js";

export interface Invocation {
  readonly command: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** What this call contributes to the section (e.g. a table column label). */
  readonly role: string;
}

/** A distinct, reproducible seed for the analysis at (section, index). */
export function analysisSeed(spec: ReportSpec, section: number, index: number): number {
  return fmix32((spec.seed ^ Math.imul(section + 1, 0x9e3779b9) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? (v as string[]) : undefined);

/** Name of the derived column "initial level of v x time trend". */
export const trendColumn = (v: string) => `${v}_initial_x_trend`;

/** Adds derived columns every analysis may need: for each `trends` variable v, v's value in the unit's
 *  first observed period times (time - first period). */
export function addDerivedColumns(frame: Frame, spec: ReportSpec): Frame {
  const wanted = new Set<string>();
  for (const s of spec.sections) for (const a of s.analyses) for (const v of list(a.trends) ?? []) wanted.add(v);
  if (wanted.size === 0) return frame;
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

function controlsOf(spec: ReportSpec, a: Analysis): string[] {
  const c = a.controls;
  if (c === false) return [];
  if (Array.isArray(c)) return c as string[];
  return [...(spec.roles.controls ?? [])];
}

function defaultVcov(spec: ReportSpec, a: Analysis): string {
  return typeof a.vcov === "string" ? a.vcov : `cluster:${spec.roles.cluster ?? spec.roles.unit}`;
}

/** The regression formula of a `regression` (or subgroup/placebo baseline) analysis. */
export function regressionFormula(spec: ReportSpec, a: Analysis): string {
  if (typeof a.formula === "string") return a.formula;
  const r = spec.roles;
  const outcomes = list(a.outcomes) ?? [typeof a.outcome === "string" ? a.outcome : r.outcome];
  const lhs = outcomes.length > 1 ? `c(${outcomes.join(", ")})` : outcomes[0];
  const rhs = [r.treatment];
  if (typeof a.interact === "string") rhs.push(`${r.treatment}:${a.interact}`, a.interact);
  rhs.push(...(list(a.extra) ?? []), ...(list(a.trends) ?? []).map(trendColumn), ...controlsOf(spec, a));
  const fe = a.fixef === false ? [] : Array.isArray(a.fixef) ? (a.fixef as string[]) : [r.unit, r.time];
  return `${lhs} ~ ${rhs.join(" + ")}${fe.length ? ` | ${fe.join(" + ")}` : ""}`;
}

export function planAnalysis(spec: ReportSpec, a: Analysis, seed: number, frame: Frame): Invocation[] {
  const r = spec.roles;
  const base = { unit: r.unit, time: r.time };
  const needCohort = () => {
    if (!r.cohort) throw new DidwasmError("BAD_OPTION", `a ${a.type} analysis needs roles.cohort`);
    return r.cohort;
  };
  switch (a.type) {
    case "describe":
      return [{ command: "describe", role: "table", options: { vars: list(a.vars) ?? [r.outcome, r.treatment, ...(r.controls ?? [])], by: a.by } }];
    case "regression":
      return [{
        command: "fit", role: typeof a.label === "string" ? a.label : "model",
        options: { formula: regressionFormula(spec, a), vcov: defaultVcov(spec, a), subset: a.subset, weights: a.weights },
      }];
    case "eventstudy":
      return [{ command: "eventstudy", role: "event study", options: { ...base, y: r.outcome, cohort: needCohort(), controls: controlsOf(spec, a), window: a.window, bin: a.bin, ref: a.ref, vcov: defaultVcov(spec, a) } }];
    case "placebo":
      return [{
        command: "placebo", role: "placebo",
        options: {
          ...base, formula: regressionFormula(spec, { type: "regression", controls: a.controls }), treat: r.treatment, cohort: r.cohort, kind: a.kind ?? "mixed",
          variant: a.variant ?? 1, reps: a.reps ?? 500, shift: a.shifts, seed, vcov: defaultVcov(spec, a), tStats: a.tStats,
        },
      }];
    case "bacon":
      return [{ command: "bacon", role: "decomposition", options: { ...base, y: r.outcome, treat: r.treatment, controls: a.controls === true ? r.controls : list(a.controls) } }];
    case "did2s":
      return [{ command: "did2s", role: "did2s", options: { ...base, y: r.outcome, treat: r.treatment, controls: controlsOf(spec, a), event: a.event, cohort: a.event ? needCohort() : undefined, ref: a.ref, window: a.window, bin: a.bin, cluster: r.cluster ?? r.unit } }];
    case "sunab":
      return [{ command: "sunab", role: "sunab", options: { ...base, y: r.outcome, cohort: needCohort(), controls: controlsOf(spec, a), ref: a.ref, vcov: defaultVcov(spec, a) } }];
    case "csdid":
      return [{ command: "csdid", role: "csdid", options: { ...base, y: r.outcome, cohort: needCohort(), controlGroup: a.controlGroup, bootstrap: a.bootstrap, seed: a.bootstrap ? seed : undefined } }];
    case "psm":
      return [{
        command: "psm", role: "psm",
        options: {
          ...base, y: r.outcome, cohort: needCohort(), covariates: list(a.covariates) ?? r.controls, pre: a.pre, method: a.method, neighbors: a.neighbors,
          caliper: a.caliper, replace: a.replace, vcov: defaultVcov(spec, a), controls: controlsOf(spec, a),
        },
      }];
    case "subgroups": {
      if (typeof a.by !== "string") throw new DidwasmError("BAD_OPTION", "a subgroups analysis needs `by`, a column with two values");
      const by = a.by;
      const values = [...new Set(Array.from({ length: frame.nrow }, (_, i) => frame.cellText(by, i)).filter((v) => v !== ""))].sort((x, y) =>
        !Number.isNaN(Number(x)) && !Number.isNaN(Number(y)) ? Number(x) - Number(y) : x < y ? -1 : 1,
      );
      if (values.length !== 2) throw new DidwasmError("BAD_DATA", `subgroups by "${by}": the column has ${values.length} distinct values; two are needed`);
      const formula = regressionFormula(spec, { type: "regression", controls: a.controls });
      const lit = (v: string) => (Number.isNaN(Number(v)) ? JSON.stringify(v) : v);
      return [
        ...values.map((v) => ({ command: "fit", role: `${by} = ${v}`, options: { formula, vcov: defaultVcov(spec, a), subset: `${by} == ${lit(v)}` } })),
        {
          command: "bdiff", role: "group difference",
          options: { formula, group: by, coef: r.treatment, reps: a.reps ?? 500, seed, method: a.method ?? "permutation", clusterLevel: a.clusterLevel ?? r.unit },
        },
      ];
    }
  }
}
