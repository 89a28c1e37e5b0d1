// did2s's first stage: y on unit and period fixed effects and controls, on the untreated rows only.
// The controls' coefficients come from Frisch-Waugh-Lovell: the untreated rows of [X, y] are packed into
// an arena and their fixed effects absorbed in place (absorb.ts: directly when the panel allows, else by
// sweeps), then one crossproduct kernel call gives X-check'WX-check and X-check'Wy, and
// beta = (X-check'WX-check)^-1 X-check'Wy. Controls without variation within the fixed effects, or
// collinear with earlier controls, are removed (as fixest does, in order).
import type { Arena, Backend, F64Buffer } from "../../engine/backend.js";
import { forRowBlocks } from "../../engine/row-block.js";
import { invertSpd } from "../../linalg/small.js";
import { absorb } from "../absorb.js";
import type { TwoWayFixef, TwoWayEncoding } from "./two-way-fixef.js";

export interface FirstStage {
  /** Indices (into the controls) of the controls kept. */
  readonly keptControls: number[];
  /** Their coefficients. */
  readonly beta: Float64Array;
  /** (X-check'WX-check)^-1 of the kept controls, or null without controls. */
  readonly XcInv: Float64Array | null;
  /** The kept controls' weighted group sums over the untreated rows (D0'W X0), group-major:
   *  B[g * K1 + p] for group g (units, then periods) and kept control p. */
  readonly B: Float64Array;
  /** Columns whose fixed effects did not converge (sweeps only). */
  readonly notConverged: number;
  /** [X_1 .. X_K, y] with the fixed effects absorbed: their weighted crossproduct ((K+1) x (K+1), every
   *  control, kept or not) and each column's weighted total sum of squares before absorbing (empty
   *  without controls). The imputation's pre-trend regression reuses them (imputation-pretrend-fit.ts). */
  readonly crossproduct: Float64Array;
  readonly totalSS: Float64Array;
  /** Those absorbed columns over the untreated rows (n_U x (K+1), column-major), when the caller asked to
   *  keep them (`keepIn`): they live in its arena. Null otherwise and without controls. */
  readonly absorbed: F64Buffer | null;
}

export function firstStage(
  backend: Backend, solver: TwoWayFixef, enc: TwoWayEncoding, untreated: Int32Array, weights: Float64Array | null, y: Float64Array,
  X: readonly Float64Array[], tol: number, maxIter: number, keepIn: Arena | null = null,
): FirstStage {
  const nU = untreated.length;
  const K = X.length;
  if (K === 0) {
    const none = new Float64Array(0);
    return { keptControls: [], beta: none, XcInv: null, B: none, notConverged: 0, crossproduct: none, totalSS: none, absorbed: null };
  }
  const C = K + 1;
  const arena = backend.arena();
  let full: Float64Array;
  let total: Float64Array;
  let notConverged = 0;
  let kept: F64Buffer | null = null;
  try {
    // [X_1 .. X_K, y] over the untreated rows, column-major.
    const data = (keepIn ?? arena).f64(C * nU, false);
    const d = data.view;
    for (let c = 0; c < C; c++) {
      const col = c < K ? X[c] : y;
      const off = c * nU;
      forRowBlocks(nU, (from, to) => gatherInto(d, off, col, untreated, from, to));
    }
    const unit = new Int32Array(nU);
    const period = new Int32Array(nU);
    forRowBlocks(nU, (from, to) => gatherIds(enc, untreated, from, to, unit, period));
    const w = weights ? arena.f64From(Array.from(untreated, (i) => weights[i])) : null;
    // Total variation of each control (around its weighted mean), before absorbing.
    const means = arena.f64(C);
    const ss = arena.f64(C);
    backend.columnMoments(nU, C, data, w, means, ss);
    total = ss.view.slice();
    // The direct solver has built the unit-period cells of these rows already: absorb reuses them.
    const absorbed = absorb(backend, arena, nU, C, data, [{ ids: unit, G: enc.units }, { ids: period, G: enc.periods }], w, tol, maxIter, "auto", solver.cells);
    for (const it of absorbed.iterations) if (it < 0) notConverged++;
    const cp = arena.f64(C * C);
    backend.crossprod(nU, C, data, w, cp);
    full = cp.view.slice();
    if (keepIn) kept = data;
  } finally {
    arena.release();
  }

  const gram = (idx: readonly number[]) => {
    const m = idx.length;
    const out = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) out[a * m + b] = full[idx[a] * C + idx[b]];
    return out;
  };
  const keptControls: number[] = [];
  for (let c = 0; c < K; c++) {
    if (!(full[c * C + c] > 1e-10 * total[c])) continue; // no variation within the fixed effects
    const trial = [...keptControls, c];
    if (lastColumnIndependent(gram(trial), trial.length)) keptControls.push(c);
  }
  const K1 = keptControls.length;
  const beta = new Float64Array(K1);
  let XcInv: Float64Array | null = null;
  if (K1 > 0) {
    XcInv = invertSpd(gram(keptControls), K1)!;
    for (let a = 0; a < K1; a++) for (let b = 0; b < K1; b++) beta[a] += XcInv[a * K1 + b] * full[keptControls[b] * C + K];
  }
  const B = K1 > 0 ? solver.groupSumsMany(keptControls.map((c) => X[c])) : new Float64Array(0);
  return { keptControls, beta, XcInv, B, notConverged, crossproduct: full, totalSS: total, absorbed: kept };
}

// The gathers are leaf functions called on blocks of rows (engine/row-block.ts: a loop run once over a
// million rows in a longer function runs mostly unoptimised).

/** d[off + k] = col[rows[k]] for k in from .. to - 1. */
function gatherInto(d: Float64Array, off: number, col: Float64Array, rows: Int32Array, from: number, to: number): void {
  for (let k = from; k < to; k++) d[off + k] = col[rows[k]];
}

/** The two fixed effects' ids of rows[k], k in from .. to - 1. */
function gatherIds(enc: TwoWayEncoding, rows: Int32Array, from: number, to: number, unit: Int32Array, period: Int32Array): void {
  const { unitId, timeId } = enc;
  for (let k = from; k < to; k++) {
    unit[k] = unitId[rows[k]];
    period[k] = timeId[rows[k]];
  }
}

/** The last column is not (nearly) collinear with the others: its Schur complement keeps > 1e-10 of it. */
function lastColumnIndependent(A: Float64Array, K: number): boolean {
  if (K === 1) return A[0] > 0;
  const inv = invertSpd(A, K);
  if (!inv) return false;
  // 1 / inv[last,last] is the residual sum of squares of the last column on the others.
  return 1 / inv[(K - 1) * K + (K - 1)] > 1e-10 * A[(K - 1) * K + (K - 1)];
}
