// The sub-experiments of a stacked DID (Wing, Freedman and Hollingsworth 2024): one per adoption cohort a,
// holding the cohort's units and its clean controls over the event window a+lo .. a+hi. Clean controls are
// the never-treated units, and with the "notyet" rule also the units first treated after the window ends
// (a + hi), so no control is treated inside the window. A cohort whose window does not fit inside the
// panel's periods is left out (the paper's "feasible" sub-experiments), as is one with no treated or no
// control observation; each omission is a note. A unit appears in every sub-experiment it belongs to, so
// the stack has more rows than the data.
import { DidwasmError } from "../../errors.js";
import { info, warning, type Note } from "../../notes.js";
import type { Timing } from "./cohorts.js";

export type CleanControls = "notyet" | "never";

export interface StackRequest {
  readonly timing: Timing;
  /** Period of each frame row. */
  readonly time: Float64Array;
  /** Dense unit id of each frame row (-1: no unit), and how many units. */
  readonly unitIds: Int32Array;
  readonly units: number;
  /** Frame rows that may enter (subset, complete cases). */
  readonly usable: Uint8Array;
  readonly window: readonly [number, number];
  readonly cleanControls: CleanControls;
}

export interface SubExperiment {
  readonly cohort: number;
  readonly treatedUnits: number;
  readonly controlUnits: number;
  readonly firstPeriod: number;
  readonly lastPeriod: number;
  readonly rows: number;
  readonly treatedRows: number;
}

export interface Stack {
  /** Per stacked row: the frame row it copies. */
  readonly source: Int32Array;
  /** Stacked-row bounds of the sub-experiments (index into `experiments`), which are written one after
   *  another: sub-experiment j holds rows starts[j] .. starts[j + 1] - 1. Bounds rather than an index per
   *  row: that would be one more array of the stack's length, fresh memory to map. */
  readonly starts: Int32Array;
  /** Per stacked row: 1 for the cohort's own units, 0 for clean controls. */
  readonly treated: Uint8Array;
  /** Per stacked row: period minus the sub-experiment's cohort, in the window. */
  readonly event: Int32Array;
  readonly experiments: readonly SubExperiment[];
  readonly notes: readonly Note[];
}

/** The stack's per-row arrays, allocated once at their final length and written cohort by cohort. */
class StackColumns {
  readonly source: Int32Array;
  readonly treated: Uint8Array;
  readonly event: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.source = new Int32Array(capacity);
    this.treated = new Uint8Array(capacity);
    this.event = new Int32Array(capacity);
  }
}

/** Whether a row of cohort g (in the window) enters cohort a's sub-experiment: as the cohort's own (treated) or as a clean control. */
function enters(g: number, a: number, hi: number, notYet: boolean): boolean {
  return g === a || g === Infinity || (notYet && g > a + hi);
}

/** How many rows cohort a's sub-experiment has: one pass over the data, so that the stack is allocated
 *  once at its size rather than grown. */
function countCohort(req: StackRequest, a: number): number {
  const [lo, hi] = req.window;
  const { cohortOfRow } = req.timing;
  const t = req.time;
  const usable = req.usable;
  const notYet = req.cleanControls === "notyet";
  let k = 0;
  for (let r = 0; r < t.length; r++) {
    const e = t[r] - a;
    if (usable[r] && e >= lo && e <= hi && enters(cohortOfRow[r], a, hi, notYet)) k++;
  }
  return k;
}

/** What appending one cohort's sub-experiment found. */
interface Appended {
  readonly rows: number;
  readonly treatedRows: number;
  readonly treatedUnits: number;
  readonly controlUnits: number;
}

/**
 * Appends the rows of cohort a's sub-experiment (index j) to `out`, in data order: one pass over the data.
 * Units are counted with `stamp` (one slot per unit, holding the index + 1 of the last sub-experiment that
 * counted it): a unit is either the cohort's or a clean control, never both, so one stamp serves both counts.
 */
function appendCohort(req: StackRequest, a: number, j: number, out: StackColumns, stamp: Int32Array): Appended {
  const [lo, hi] = req.window;
  const { cohortOfRow } = req.timing;
  const t = req.time;
  const units = req.unitIds;
  const usable = req.usable;
  const notYet = req.cleanControls === "notyet";
  const { source, treated, event } = out;
  const first = out.length;
  let k = first;
  let treatedRows = 0;
  let treatedUnits = 0;
  let controlUnits = 0;
  for (let r = 0; r < t.length; r++) {
    if (!usable[r]) continue;
    const e = t[r] - a;
    if (!(e >= lo && e <= hi)) continue;
    const g = cohortOfRow[r];
    if (!enters(g, a, hi, notYet)) continue;
    const isTreated = g === a;
    source[k] = r;
    treated[k] = isTreated ? 1 : 0;
    event[k] = e;
    k++;
    const u = units[r];
    if (stamp[u] !== j + 1) {
      stamp[u] = j + 1;
      if (isTreated) treatedUnits++;
      else controlUnits++;
    }
    if (isTreated) treatedRows++;
  }
  out.length = k;
  return { rows: out.length - first, treatedRows, treatedUnits, controlUnits };
}

/** The cohorts whose window lies inside the panel's periods (feasible: every sub-experiment then has the
 *  same event times), and how many rows their sub-experiments have: the stack's length, less the rows of
 *  any cohort buildStack leaves out for want of treated or control rows. Known before the stack is
 *  written, so that the memory of the fits can be prepared meanwhile (stacked.ts). */
export interface StackPlan {
  readonly feasible: readonly number[];
  readonly rows: number;
  /** Rows of the largest sub-experiment. */
  readonly largest: number;
}

export function planStack(req: StackRequest): StackPlan {
  const { timing } = req;
  const [lo, hi] = req.window;
  const feasible = timing.cohorts.filter((a) => a + lo >= timing.firstPeriod && a + hi <= timing.lastPeriod);
  const counts = feasible.map((a) => countCohort(req, a));
  return { feasible, rows: counts.reduce((sum, k) => sum + k, 0), largest: Math.max(0, ...counts) };
}

export function buildStack(req: StackRequest, plan: StackPlan = planStack(req)): Stack {
  const { timing, window } = req;
  const [lo, hi] = window;
  const notes: Note[] = [];
  const outside: number[] = [];
  const experiments: SubExperiment[] = [];
  const { feasible } = plan;
  outside.push(...timing.cohorts.filter((a) => !feasible.includes(a)));
  const out = new StackColumns(plan.rows);
  const stamp = new Int32Array(req.units);
  const starts = [0];
  for (const a of feasible) {
    const first = out.length;
    const j = experiments.length;
    const found = appendCohort(req, a, j, out, stamp);
    if (found.treatedRows === 0 || found.treatedRows === found.rows) {
      notes.push(warning("data", `cohort ${a} left out: it has no ${found.treatedRows === 0 ? "treated" : "clean control"} observation in its window ${a + lo}..${a + hi}`));
      // Its rows are dropped and its stamps forgotten: the next sub-experiment reuses index j.
      for (let k = first; k < out.length; k++) stamp[req.unitIds[out.source[k]]] = 0;
      out.length = first;
      continue;
    }
    if (found.treatedUnits === 1) notes.push(warning("data", `cohort ${a} has a single treated unit: its sub-experiment rests on one unit`));
    experiments.push({
      cohort: a, treatedUnits: found.treatedUnits, controlUnits: found.controlUnits,
      firstPeriod: a + lo, lastPeriod: a + hi, rows: found.rows, treatedRows: found.treatedRows,
    });
    starts.push(out.length);
  }
  if (outside.length) {
    notes.unshift(info("data", `cohort(s) ${outside.join(", ")} left out: the window ${lo}:${hi} around their adoption runs outside the periods ${timing.firstPeriod}..${timing.lastPeriod}`));
  }
  if (experiments.length === 0) {
    throw new DidwasmError(
      "BAD_DATA",
      `no cohort can be stacked: ${outside.length ? `the window ${lo}:${hi} runs outside the periods ${timing.firstPeriod}..${timing.lastPeriod} for cohort(s) ${outside.join(", ")}` : "no cohort has both treated and clean control observations in its window"}` +
        (outside.length ? "; choose a narrower --window" : ""),
      { option: "window" },
    );
  }
  // Views on the written part (no copy; rows of cohorts left out leave spare capacity).
  const n = out.length;
  return {
    source: out.source.subarray(0, n), starts: Int32Array.from(starts), treated: out.treated.subarray(0, n), event: out.event.subarray(0, n), experiments, notes,
  };
}

/** The sub-experiment of stacked row i. */
export function experimentOfRow(stack: Stack, i: number): number {
  let j = 0;
  while (i >= stack.starts[j + 1]) j++;
  return j;
}
