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
  /** Frame rows that may enter (subset, complete cases: a unit, a period, and the treatment or cohort that
   *  timing read). A row's cohort is its unit's (timing.cohortOfUnit, by unitIds). */
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

/** Whether a row of cohort g (in the window) enters cohort a's sub-experiment: as the cohort's own (treated) or as a clean control. */
function enters(g: number, a: number, hi: number, notYet: boolean): boolean {
  return g === a || g === Infinity || (notYet && g > a + hi);
}

/** The cohorts whose window lies inside the panel's periods (feasible: every sub-experiment then has the
 *  same event times), how many rows each one's sub-experiment has, their sum (the stack's length, less the
 *  rows of any cohort buildStack leaves out for want of treated or control rows) and the largest. Known
 *  before the stack is written, so that the memory of the fits can be prepared meanwhile (stacked.ts). */
export interface StackPlan {
  readonly feasible: readonly number[];
  readonly counts: readonly number[];
  readonly rows: number;
  /** Rows of the largest sub-experiment. */
  readonly largest: number;
}

/** One pass over the data counts every feasible cohort's rows (a pass per cohort would read the data as
 *  many times). */
export function planStack(req: StackRequest): StackPlan {
  const { timing } = req;
  const [lo, hi] = req.window;
  const feasible = timing.cohorts.filter((a) => a + lo >= timing.firstPeriod && a + hi <= timing.lastPeriod);
  const cohorts = Float64Array.from(feasible);
  const counts = countRows(req, cohorts);
  const list = Array.from(counts);
  return { feasible, counts: list, rows: list.reduce((sum, k) => sum + k, 0), largest: Math.max(0, ...list) };
}

/** Rows of each cohort's sub-experiment. A function of its own so that its loop is compiled on its own (see
 *  stacked-sample.ts). */
function countRows(req: StackRequest, cohorts: Float64Array): Int32Array {
  const [lo, hi] = req.window;
  const { cohortOfUnit } = req.timing;
  const t = req.time;
  const units = req.unitIds;
  const usable = req.usable;
  const notYet = req.cleanControls === "notyet";
  const A = cohorts.length;
  const counts = new Int32Array(A);
  for (let r = 0; r < t.length; r++) {
    if (!usable[r]) continue;
    const tr = t[r];
    const g = cohortOfUnit[units[r]];
    for (let j = 0; j < A; j++) {
      const a = cohorts[j];
      const e = tr - a;
      if (e >= lo && e <= hi && enters(g, a, hi, notYet)) counts[j]++;
    }
  }
  return counts;
}

/** What writing the sub-experiments found, per feasible cohort. */
interface Written {
  readonly treatedRows: Int32Array;
  readonly treatedUnits: Int32Array;
  readonly controlUnits: Int32Array;
}

/**
 * Writes every feasible cohort's sub-experiment in one pass over the data, each into its own segment of
 * the stack (segments in cohort order, at offsets from the plan's counts; rows in data order within each).
 * Units are counted per sub-experiment with one mark per unit and cohort: a unit is either the cohort's or
 * a clean control, never both.
 */
function writeStack(req: StackRequest, cohorts: Float64Array, offsets: Int32Array, source: Int32Array, treated: Uint8Array, event: Int32Array): Written {
  const [lo, hi] = req.window;
  const { cohortOfUnit } = req.timing;
  const t = req.time;
  const units = req.unitIds;
  const usable = req.usable;
  const notYet = req.cleanControls === "notyet";
  const A = cohorts.length;
  const cursor = Int32Array.from(offsets.subarray(0, A));
  const seen = new Uint8Array(req.units * A);
  const treatedRows = new Int32Array(A);
  const treatedUnits = new Int32Array(A);
  const controlUnits = new Int32Array(A);
  for (let r = 0; r < t.length; r++) {
    if (!usable[r]) continue;
    const tr = t[r];
    const g = cohortOfUnit[units[r]];
    for (let j = 0; j < A; j++) {
      const a = cohorts[j];
      const e = tr - a;
      if (!(e >= lo && e <= hi) || !enters(g, a, hi, notYet)) continue;
      const isTreated = g === a;
      const k = cursor[j]++;
      source[k] = r;
      treated[k] = isTreated ? 1 : 0;
      event[k] = e;
      const mark = units[r] * A + j;
      if (!seen[mark]) {
        seen[mark] = 1;
        if (isTreated) treatedUnits[j]++;
        else controlUnits[j]++;
      }
      if (isTreated) treatedRows[j]++;
    }
  }
  return { treatedRows, treatedUnits, controlUnits };
}

export function buildStack(req: StackRequest, plan: StackPlan = planStack(req)): Stack {
  const { timing, window } = req;
  const [lo, hi] = window;
  const notes: Note[] = [];
  const experiments: SubExperiment[] = [];
  const { feasible, counts } = plan;
  const outside = timing.cohorts.filter((a) => !feasible.includes(a));
  const A = feasible.length;
  const offsets = new Int32Array(A + 1);
  for (let j = 0; j < A; j++) offsets[j + 1] = offsets[j] + counts[j];
  const source = new Int32Array(plan.rows);
  const treated = new Uint8Array(plan.rows);
  const event = new Int32Array(plan.rows);
  const found = writeStack(req, Float64Array.from(feasible), offsets, source, treated, event);
  // Cohorts without treated or without control rows are left out: the segments after them move down.
  const starts = [0];
  let end = 0;
  feasible.forEach((a, j) => {
    const rows = counts[j];
    const treatedRows = found.treatedRows[j];
    if (treatedRows === 0 || treatedRows === rows) {
      notes.push(warning("data", `cohort ${a} left out: it has no ${treatedRows === 0 ? "treated" : "clean control"} observation in its window ${a + lo}..${a + hi}`));
      return;
    }
    if (end !== offsets[j]) {
      source.copyWithin(end, offsets[j], offsets[j + 1]);
      treated.copyWithin(end, offsets[j], offsets[j + 1]);
      event.copyWithin(end, offsets[j], offsets[j + 1]);
    }
    end += rows;
    if (found.treatedUnits[j] === 1) notes.push(warning("data", `cohort ${a} has a single treated unit: its sub-experiment rests on one unit`));
    experiments.push({
      cohort: a, treatedUnits: found.treatedUnits[j], controlUnits: found.controlUnits[j],
      firstPeriod: a + lo, lastPeriod: a + hi, rows, treatedRows,
    });
    starts.push(end);
  });
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
  return {
    source: source.subarray(0, end), starts: Int32Array.from(starts), treated: treated.subarray(0, end), event: event.subarray(0, end), experiments, notes,
  };
}

/** The sub-experiment of stacked row i. */
export function experimentOfRow(stack: Stack, i: number): number {
  let j = 0;
  while (i >= stack.starts[j + 1]) j++;
  return j;
}
