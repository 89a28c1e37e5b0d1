// The estimators `didwasm compare` runs side by side, one entry each. An adapter runs its command on the
// panel (through the command's own schema, so defaults and checks are the command's) and reads the
// event-time path and the overall ATT out of that command's JSON. To add an estimator, add one entry to
// COMPARE_ADAPTERS.
import type { Frame } from "../../data/frame.js";
import type { CommandEnv, CommandSpec, Options } from "../types.js";
import { executeCommand } from "../execute.js";
import { csdidCommand } from "../csdid.js";
import { dcdhCommand } from "../dcdh.js";
import { etwfeCommand } from "../etwfe.js";
import { stackedCommand } from "../stacked.js";
import { did2sCommand } from "../did2s.js";
import { eventstudyCommand } from "../eventstudy.js";
import { fitCommand } from "../fit.js";
import { imputationCommand } from "../imputation.js";
import { sunabCommand } from "../sunab.js";
import type { Note } from "../../notes.js";

export interface ComparePoint {
  readonly rel_time: number;
  readonly estimate: number;
  readonly std_error: number | null;
  readonly conf_low: number | null;
  readonly conf_high: number | null;
}

export interface CompareOverall {
  readonly estimate: number;
  readonly std_error: number | null;
  readonly conf_low: number | null;
  readonly conf_high: number | null;
  /** What the number is, in the estimator's own terms. */
  readonly what: string;
}

export interface CompareRun {
  readonly event: ComparePoint[];
  readonly overall: CompareOverall | null;
  readonly notes?: readonly Note[];
}

/** The panel every adapter gets: column names, and `treat` (a 0/1 column compare derived from the cohort). */
export interface ComparePanel {
  readonly panel: { readonly y: string; readonly unit: string; readonly time: string };
  readonly cohort: string;
  readonly treat: string;
}

export interface CompareAdapter {
  readonly key: string;
  readonly label: string;
  run(frame: Frame, p: ComparePanel, env: CommandEnv): Promise<CompareRun>;
}

/** Periods each way of the stacked sub-experiments' window at most, and dCDH's numbers of effects and
 *  placebos: about as far as the other paths go. */
const STACKED_REACH = 5;
const DCDH_EFFECTS = 6;
const DCDH_PLACEBOS = 5;

type Json = Record<string, unknown>;
type Row = Record<string, unknown>;

async function exec(spec: CommandSpec, frame: Frame, options: Options, env: CommandEnv): Promise<{ json: Json; notes: readonly Note[] }> {
  const r = await executeCommand(spec, frame, options, env);
  return { json: r.json, notes: r.notes };
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Event rows from a command's rows: `time` and `est` name its relative-time and estimate fields. */
function rows(list: unknown, time = "rel_time", est = "estimate"): ComparePoint[] {
  if (!Array.isArray(list)) return [];
  return (list as Row[])
    .filter((r) => num(r[time]) !== null && num(r[est]) !== null)
    .map((r) => ({ rel_time: r[time] as number, estimate: r[est] as number, std_error: num(r.std_error), conf_low: num(r.conf_low), conf_high: num(r.conf_high) }));
}

function overallOf(r: unknown, what: string, est = "estimate"): CompareOverall | null {
  if (!r || typeof r !== "object") return null;
  const o = r as Row;
  const e = num(o[est]);
  return e === null ? null : { estimate: e, std_error: num(o.std_error), conf_low: num(o.conf_low), conf_high: num(o.conf_high), what };
}

/** The stacked window -K:L (K, L at most STACKED_REACH) that covers the most cohort-periods (cohorts kept
 *  inside the data's periods times the window's length; the wider among equals): a window of -1:0 keeps
 *  every cohort but shows no path, the widest keeps few cohorts. */
function stackedWindow(frame: Frame, p: ComparePanel): string {
  const time = frame.numeric(p.panel.time, "time");
  const cohort = frame.numeric(p.cohort, "cohort");
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of time) if (Number.isFinite(t)) [lo, hi] = [Math.min(lo, t), Math.max(hi, t)];
  const cohorts = [...new Set(Array.from(cohort).filter((g) => Number.isFinite(g) && g > lo && g <= hi))];
  let best = { k: 1, l: 0, score: -1 };
  for (let k = 1; k <= STACKED_REACH; k++) {
    for (let l = 0; l <= STACKED_REACH; l++) {
      const score = cohorts.filter((g) => g - k >= lo && g + l <= hi).length * (k + l + 1);
      if (score > best.score || (score === best.score && k + l > best.k + best.l)) best = { k, l, score };
    }
  }
  return `-${best.k}:${best.l}`;
}

const term = (json: Json, name: string) => (Array.isArray(json.coefficients) ? (json.coefficients as Row[]).find((c) => c.term === name) : undefined);

export const COMPARE_ADAPTERS: readonly CompareAdapter[] = [
  {
    key: "twfe", label: "TWFE",
    run: async (f, p, env) => {
      const es = await exec(eventstudyCommand, f, { ...p.panel, cohort: p.cohort }, env);
      const st = await exec(fitCommand, f, { formula: `${p.panel.y} ~ ${p.treat} | ${p.panel.unit} + ${p.panel.time}`, vcov: `cluster:${p.panel.unit}` }, env);
      return { event: rows(es.json.coefficients), overall: overallOf(term(st.json, p.treat), "static two-way fixed effects coefficient"), notes: [...es.notes, ...st.notes] };
    },
  },
  {
    key: "did2s", label: "did2s",
    run: async (f, p, env) => {
      const ev = await exec(did2sCommand, f, { ...p.panel, treat: p.treat, event: true, cohort: p.cohort }, env);
      const st = await exec(did2sCommand, f, { ...p.panel, treat: p.treat }, env);
      return { event: rows(ev.json.coefficients), overall: overallOf(term(st.json, p.treat), "two-stage ATT over all treated observations"), notes: [...ev.notes, ...st.notes] };
    },
  },
  {
    key: "imputation", label: "Imputation",
    run: async (f, p, env) => {
      const r = await exec(imputationCommand, f, { ...p.panel, treat: p.treat, horizons: "all" }, env);
      return { event: rows(r.json.event), overall: overallOf(r.json.overall, "ATT over all treated observations"), notes: r.notes };
    },
  },
  {
    key: "sunab", label: "Sun-Abraham",
    run: async (f, p, env) => {
      const r = await exec(sunabCommand, f, { ...p.panel, cohort: p.cohort }, env);
      return { event: rows(r.json.coefficients), overall: overallOf(term(r.json, "ATT"), "cohort-share weighted ATT of the post periods"), notes: r.notes };
    },
  },
  {
    key: "csdid", label: "Callaway-Sant'Anna",
    run: async (f, p, env) => {
      const r = await exec(csdidCommand, f, { ...p.panel, cohort: p.cohort }, env);
      const overall = (r.json.overall ?? {}) as Row;
      return { event: rows(r.json.dynamic, "e", "att"), overall: overallOf(overall.simple, "simple aggregation of ATT(g,t)", "att"), notes: r.notes };
    },
  },
  {
    key: "etwfe", label: "ETWFE",
    run: async (f, p, env) => {
      // Clustered by the unit as every other estimator here (etwfe's own default clusters by the cohort).
      const r = await exec(etwfeCommand, f, { ...p.panel, cohort: p.cohort, aggregate: "event", vcov: `cluster:${p.panel.unit}` }, env);
      return { event: rows(r.json.event), overall: overallOf(r.json.att, "simple ATT over treated observations (emfx)"), notes: r.notes };
    },
  },
  {
    key: "stacked", label: "Stacked",
    run: async (f, p, env) => {
      const window = stackedWindow(f, p);
      const r = await exec(stackedCommand, f, { ...p.panel, cohort: p.cohort, window }, env);
      return { event: rows(r.json.event), overall: overallOf(r.json.att, `corrective-weighted stacked ATT, window ${window}`), notes: r.notes };
    },
  },
  {
    key: "dcdh", label: "dCDH",
    run: async (f, p, env) => {
      const r = await exec(dcdhCommand, f, { ...p.panel, treat: p.treat, effects: DCDH_EFFECTS, placebo: DCDH_PLACEBOS }, env);
      return { event: rows(r.json.event), overall: overallOf(r.json.average_total_effect, "average total effect per treatment unit"), notes: r.notes };
    },
  },
];

