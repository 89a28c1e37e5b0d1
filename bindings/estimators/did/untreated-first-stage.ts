// The first stage shared by did2s (two-stage.ts) and the imputation estimator (imputation.ts): on the
// untreated observations, y on unit and period fixed effects (and controls); then y minus those fitted
// values on every observation (on treated rows: the estimated effect Y - Y(0)). Rows whose unit or period
// never occurs untreated cannot be imputed: they are dropped with a warning (did2s gives them NA).
// The solver lives in a backend arena, so the caller's work happens inside `body`, before it is released.
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import type { Backend } from "../../engine/backend.js";
import type { ThreadRunner } from "../../engine/thread-runner.js";
import { buildSample, sampleValues, type Sample } from "../../model/sample.js";
import { warning, type Note } from "../../notes.js";
import type { ResolvedCommon } from "../common-options.js";
import { distinctPeriods, unitIdsOfFrame } from "./cohorts.js";
import { duplicateRowsNote } from "./duplicates.js";
import { twoWayFixef, type TwoWayEncoding, type TwoWayFixef } from "./fixef-solver.js";
import { firstStage, type FirstStage } from "./two-stage-first.js";
import { freshCopy, freshI32 } from "../../engine/fresh-arrays.js";
import { forRowBlocks } from "../../engine/row-block.js";

export interface UntreatedFitSpec {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  /** 0/1 treatment (absorbing, checked by the caller): its 0 rows form the first stage. */
  readonly treat: string;
  readonly controls: readonly string[];
  /** Columns the sample must have (cluster variable), besides the unit. */
  readonly categorical: readonly { readonly name: string; readonly role: string }[];
  /** Rows the caller's design excludes (1 = may enter), or null. */
  readonly rowFilter: Uint8Array | null;
  /** Solve the fixed effects directly when the panel allows (default). */
  readonly directFixef?: boolean;
  /** Keep the first stage's absorbed columns for `body` (FirstStage.absorbed; the imputation's pre-trend test). */
  readonly keepAbsorbed?: boolean;
}

export interface UntreatedFit {
  /** Frame rows of the sample, after non-imputable rows are dropped. */
  readonly sample: Sample;
  readonly rows: Int32Array;
  readonly n: number;
  /** Treatment per sample row (0/1). */
  readonly treated: Float64Array;
  readonly enc: TwoWayEncoding;
  /** Positions (in the sample) of the untreated rows. */
  readonly untreated: Int32Array;
  /** Weights per sample row, or null (unweighted: loops read w ? w[i] : 1, where a column of ones would cost
   *  its first touch, ~20 ms per million rows). */
  readonly w: Float64Array | null;
  readonly y: Float64Array;
  /** Every control per sample row (kept or not: `first.keptControls` says which entered). */
  readonly X: readonly Float64Array[];
  readonly first: FirstStage;
  readonly solver: TwoWayFixef;
  readonly backend: Backend;
  /** y minus the first stage's fitted values, every sample row. */
  readonly ytilde: Float64Array;
}

/**
 * Reads the treatment timing (`timing`) while kernel threads, where the backend has them, take the first
 * touch of the fresh memory the estimation then writes: first the per-row arrays of the timing, the sample
 * and this first stage's encoding and y~ (engine/fresh-arrays.ts; about 36 bytes a row, plus
 * `extraBytesPerRow` for the caller's own arrays), then, once the timing is read, the engine memory the
 * first stage copies y, the controls and two id columns into (engine/touch-ahead.ts). Touching the engine
 * memory first was slower: the timing's and the sample's arrays were then faulted on this thread.
 */
export function timingTouchingAhead<T>(threads: ThreadRunner | undefined, rows: number, controls: number, extraBytesPerRow: number, timing: () => T): T {
  threads?.touchFreshAhead(rows * (36 + extraBytesPerRow));
  const out = timing();
  threads?.touchHeapAhead(rows * (8 * (1 + controls) + 4 * 2));
  return out;
}

function encodeOnUntreated(frame: Frame, o: UntreatedFitSpec, rows: Int32Array, treated: Float64Array): TwoWayEncoding {
  const unitOfRow = unitIdsOfFrame(frame, o.unit);
  const t = sampleValues(frame, o.time, rows, "time variable");
  const periods = distinctPeriods(frame, o.time);
  const lo = periods[0];
  const periodIndex = new Int32Array(periods[periods.length - 1] - lo + 1).fill(-1);
  const unitIndex = new Int32Array(unitOfRow.G).fill(-1);
  let units = 0;
  let nPeriods = 0;
  const unitIds = unitOfRow.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < rows.length; i++) {
    if (treated[i] !== 0) continue;
    const u = unitIds[rows[i]];
    if (unitIndex[u] < 0) unitIndex[u] = units++;
    const p = t[i] - lo;
    if (periodIndex[p] < 0) periodIndex[p] = nPeriods++;
  }
  const timeId = freshI32(rows.length);
  for (let i = 0; i < rows.length; i++) timeId[i] = periodIndex[t[i] - lo];
  // The sample is every frame row (rows increase, so n of them are 0..n-1) and each unit's first untreated
  // row comes in the order of its first row: the frame's unit ids are the encoding, shared (never written).
  if (rows.length === frame.nrow && isIdentity(unitIndex)) return { unitId: unitIds, timeId, units, periods: nPeriods };
  const unitId = freshI32(rows.length);
  for (let i = 0; i < rows.length; i++) unitId[i] = unitIndex[unitIds[rows[i]]];
  return { unitId, timeId, units, periods: nPeriods };
}

function isIdentity(index: Int32Array): boolean {
  for (let u = 0; u < index.length; u++) if (index[u] !== u) return false;
  return true;
}

// withUntreatedFit's passes over the rows, as leaf functions called on blocks of rows (engine/row-block.ts: a
// loop run once over a million rows in a longer function runs mostly unoptimised).

/** Rows whose unit or period has no untreated observation (no id on the untreated rows). */
function countLost(enc: TwoWayEncoding): number {
  let lost = 0;
  forRowBlocks(enc.unitId.length, (from, to) => {
    lost += countLostIn(enc.unitId, enc.timeId, from, to);
  });
  return lost;
}

function countLostIn(unitId: Int32Array, timeId: Int32Array, from: number, to: number): number {
  let lost = 0;
  for (let i = from; i < to; i++) lost += unitId[i] >= 0 && timeId[i] >= 0 ? 0 : 1;
  return lost;
}

/** The positions of the untreated rows (treatment 0), increasing. */
function untreatedRows(treated: Float64Array): Int32Array {
  let nU = 0;
  forRowBlocks(treated.length, (from, to) => {
    nU += countUntreatedIn(treated, from, to);
  });
  const out = freshI32(nU);
  let k = 0;
  forRowBlocks(treated.length, (from, to) => {
    k = writeUntreatedIn(treated, from, to, out, k);
  });
  return out;
}

function countUntreatedIn(treated: Float64Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (treated[i] === 0) n++;
  return n;
}

function writeUntreatedIn(treated: Float64Array, from: number, to: number, out: Int32Array, k: number): number {
  for (let i = from; i < to; i++) if (treated[i] === 0) out[k++] = i;
  return k;
}

/** y[i] -= x[i] b for rows from .. to - 1. */
function subtractScaled(y: Float64Array, x: Float64Array, b: number, from: number, to: number): void {
  for (let i = from; i < to; i++) y[i] -= x[i] * b;
}

/** Builds the sample, fits the first stage and calls `body` with it; notes are appended to `notes`. */
export function withUntreatedFit<T>(frame: Frame, o: UntreatedFitSpec, common: ResolvedCommon, notes: Note[], body: (f: UntreatedFit) => T): T {
  let sample: Sample = buildSample(frame, {
    numeric: [
      { name: o.y, role: "outcome" }, { name: o.treat, role: "treatment variable" }, { name: o.time, role: "time variable" },
      ...o.controls.map((c) => ({ name: c, role: "control" })),
    ],
    categorical: [{ name: o.unit, role: "unit variable" }, ...o.categorical],
    weights: common.weights, subset: common.subset, rowFilter: o.rowFilter, fixef: [], fixefRm: "none",
  });
  let treated = sampleValues(frame, o.treat, sample.rows, "treatment variable");
  let enc = encodeOnUntreated(frame, o, sample.rows, treated);
  const lost = countLost(enc);
  if (lost > 0) {
    const imputable = Uint8Array.from(enc.unitId, (u, i) => (u >= 0 && enc.timeId[i] >= 0 ? 1 : 0));
    notes.push(warning("data", `${lost} treated observation(s) dropped: their unit or period has no untreated observation to impute Y(0) from`));
    const rows = sample.rows.filter((_, i) => imputable[i] === 1);
    sample = { ...sample, rows, weights: sample.weights ? sample.weights.filter((_, i) => imputable[i] === 1) : null };
    treated = sampleValues(frame, o.treat, rows, "treatment variable");
    enc = encodeOnUntreated(frame, o, rows, treated);
  }
  const rows = sample.rows;
  const duplicates = duplicateRowsNote(frame, o.unit, o.time, rows);
  if (duplicates) notes.push(duplicates);
  const n = rows.length;
  const w = sample.weights;
  const untreated = untreatedRows(treated);
  if (untreated.length === 0) throw new DidwasmError("BAD_DATA", "no untreated observations for the first stage");
  if (untreated.length === n) throw new DidwasmError("BAD_DATA", "no treated observations left in the sample");

  const y = sampleValues(frame, o.y, rows, "outcome");
  const X = o.controls.map((c) => sampleValues(frame, c, rows, "control"));
  const backend = common.engine.backend;
  const arena = backend.arena();
  try {
    const solver = twoWayFixef(backend, arena, enc, untreated, w, common.tol, common.maxIter, o.directFixef ?? true);
    const first = firstStage(backend, solver, enc, untreated, w, y, X, common.tol, common.maxIter, o.keepAbsorbed ? arena : null);
    if (first.notConverged) notes.push(warning("not_converged", `first stage: the fixed effects of ${first.notConverged} column(s) did not converge within ${common.maxIter} sweeps`));
    // y~ = y - X beta, then less its fixed-effect fit in place: a second new n-length array would cost
    // more to touch than to fill. (y may be the frame's own column: not written.)
    const ytilde = freshCopy(y);
    first.keptControls.forEach((k, a) => {
      const x = X[k];
      const b = first.beta[a];
      forRowBlocks(n, (from, to) => subtractScaled(ytilde, x, b, from, to));
    });
    solver.minusFitted(ytilde, solver.fitOf(ytilde), ytilde);
    return body({ sample, rows, n, treated, enc, untreated, w, y, X, first, solver, backend, ytilde });
  } finally {
    arena.release();
  }
}
