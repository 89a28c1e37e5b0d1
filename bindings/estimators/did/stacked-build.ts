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
  /** Per stacked row: its sub-experiment (index into `experiments`). */
  readonly experiment: Int32Array;
  /** Per stacked row: 1 for the cohort's own units, 0 for clean controls. */
  readonly treated: Uint8Array;
  /** Per stacked row: period minus the sub-experiment's cohort, in the window. */
  readonly event: Int32Array;
  readonly experiments: readonly SubExperiment[];
  readonly notes: readonly Note[];
}

interface Part {
  readonly rows: Int32Array;
  readonly treated: Uint8Array;
}

/** The rows of one cohort's sub-experiment, written into `scratch` (one slot per frame row, reused across
 *  cohorts) and copied out at their count: one pass over the data per cohort. */
function collect(req: StackRequest, a: number, scratch: Int32Array): Part {
  const [lo, hi] = req.window;
  const { cohortOfRow } = req.timing;
  const t = req.time;
  const notYet = req.cleanControls === "notyet";
  let k = 0;
  for (let r = 0; r < t.length; r++) {
    if (!req.usable[r]) continue;
    const e = t[r] - a;
    if (!(e >= lo && e <= hi)) continue;
    const g = cohortOfRow[r];
    // Treated rows are stored as -(r + 1), clean controls as r.
    if (g === a) scratch[k++] = -(r + 1);
    else if (g === Infinity || (notYet && g > a + hi)) scratch[k++] = r;
  }
  const rows = new Int32Array(k);
  const treated = new Uint8Array(k);
  for (let i = 0; i < k; i++) {
    const x = scratch[i];
    rows[i] = x < 0 ? -x - 1 : x;
    treated[i] = x < 0 ? 1 : 0;
  }
  return { rows, treated };
}

function distinctUnits(part: Part, unitIds: Int32Array, units: number, want: number): number {
  const seen = new Uint8Array(units);
  let count = 0;
  for (let i = 0; i < part.rows.length; i++) {
    if (part.treated[i] !== want) continue;
    const u = unitIds[part.rows[i]];
    if (!seen[u]) {
      seen[u] = 1;
      count++;
    }
  }
  return count;
}

export function buildStack(req: StackRequest): Stack {
  const { timing, window } = req;
  const [lo, hi] = window;
  const notes: Note[] = [];
  const outside: number[] = [];
  const experiments: SubExperiment[] = [];
  const parts: Part[] = [];
  const scratch = new Int32Array(req.time.length);
  for (const a of timing.cohorts) {
    // Feasible: the whole window lies inside the panel (so every sub-experiment has the same event times).
    if (a + lo < timing.firstPeriod || a + hi > timing.lastPeriod) {
      outside.push(a);
      continue;
    }
    const part = collect(req, a, scratch);
    let treatedRows = 0;
    for (let i = 0; i < part.treated.length; i++) treatedRows += part.treated[i];
    if (treatedRows === 0 || treatedRows === part.rows.length) {
      notes.push(warning("data", `cohort ${a} left out: it has no ${treatedRows === 0 ? "treated" : "clean control"} observation in its window ${a + lo}..${a + hi}`));
      continue;
    }
    const treatedUnits = distinctUnits(part, req.unitIds, req.units, 1);
    if (treatedUnits === 1) notes.push(warning("data", `cohort ${a} has a single treated unit: its sub-experiment rests on one unit`));
    experiments.push({
      cohort: a, treatedUnits, controlUnits: distinctUnits(part, req.unitIds, req.units, 0),
      firstPeriod: a + lo, lastPeriod: a + hi, rows: part.rows.length, treatedRows,
    });
    parts.push(part);
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
  const total = parts.reduce((s, p) => s + p.rows.length, 0);
  const source = new Int32Array(total);
  const experiment = new Int32Array(total);
  const treated = new Uint8Array(total);
  const event = new Int32Array(total);
  const t = req.time;
  let k = 0;
  parts.forEach((p, j) => {
    const a = experiments[j].cohort;
    for (let i = 0; i < p.rows.length; i++, k++) {
      source[k] = p.rows[i];
      experiment[k] = j;
      treated[k] = p.treated[i];
      event[k] = t[p.rows[i]] - a;
    }
  });
  return { source, experiment, treated, event, experiments, notes };
}
