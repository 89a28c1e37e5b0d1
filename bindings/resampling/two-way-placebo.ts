// Placebo draws when the fixed effects are exactly the unit and the period: each draw in O(treated units x
// periods + periods^2), without a pass over the rows.
//
// WHY. The fake treatment of a draw is d = 1{period >= fake cohort of the unit}: constant within each
// (unit, period) cell, and on only in the fake treated units' cells from their fake date on. What the
// Frisch-Waugh-Lovell coefficient (fwl-placebo.ts) needs of the demeaned d~ = M d are
//   - its crossproducts with [Z, yZ] (the other regressors and the outcome, already demeaned):
//       [Z yZ]'W d~ = [Z yZ]'W d - [Z yZ]'W F theta,   theta = (F'WF)^+ F'W d = [alpha; gamma]
//     where F holds the unit and period dummies; [Z yZ]'W d sums, over the treated units, suffix sums (from
//     the fake date on) of w [Z yZ] within the unit, precomputed once per unit and period;
//   - its weighted sum of squares d~'W d~ = d'W d - theta'F'W d.
// theta depends on d only through its unit sums b_u and period sums c_p. Eliminating the units (as the
// direct two-way solve does, bindings/model/two-way-cells.ts) leaves S gamma = c~ with
//   c~_p = c_p - sum_u N_up b_u / W_u,   alpha_u = (b_u - sum_p N_up gamma_p) / W_u
// (N_up: the cell's weight, W_u, W_p: unit and period weights, S: the period block's Schur complement,
// last period pinned at 0, factored once), and then
//   theta'F'W d = sum_u b_u^2 / W_u + gamma'c~
//   [Z yZ]'W F theta = sum_u (b_u / W_u) A_u + sum_p gamma_p (B_p - sum_u N_up A_u / W_u)
// (A_u, B_p: unit and period sums of w [Z yZ], zero up to the demeaning's tolerance). Only treated units
// have b_u != 0, so a draw touches their cells, the period block and k+1 numbers per period. The solve is
// exact where the sweeps stop at a tolerance: the draws agree with the sweeps' to that tolerance.
// t statistics need d~ row by row: alpha for every unit and one pass over the rows, only when asked.
import type { Arena, F64Buffer } from "../engine/buffers.js";
import type { Engine } from "../engine/engine.js";
import { choleskySolveInPlace } from "../linalg/cholesky.js";
import type { Groups } from "../model/groups.js";
import { twoWayCells } from "../model/two-way-cells.js";

/** What the tables are built from: fwl-placebo.ts's PlaceboModel (declared here, which that module imports). */
export interface TwoWayModel {
  readonly n: number;
  readonly k: number;
  /** The other regressors, demeaned, n x k column-major, and the outcome demeaned and projected off them. */
  readonly Z: Float64Array;
  readonly yZ: Float64Array;
  readonly unitOfRow: Int32Array;
  readonly timeOfRow: Float64Array;
  readonly fixef: readonly Groups[];
  readonly weights: Float64Array | null;
}

/** The unit x period tables are at most this many times the rows (a very sparse panel keeps the row pass). */
const MAX_CELLS_PER_ROW = 4;

/** Everything the draws share, per unit and period (u-major: [u * (P + 1) + p]). */
export interface TwoWayPlacebo {
  readonly U: number;
  readonly P: number;
  /** Columns of [Z, yZ]: k + 1. */
  readonly K1: number;
  /** Sorted distinct periods. */
  readonly periods: Float64Array;
  /** Cell weights N_up, U x P. */
  readonly cellWeight: Float64Array;
  readonly unitWeight: Float64Array;
  /** sum over p' >= p of N_up', U x (P + 1) (a 0 at p = P). */
  readonly suffixWeight: Float64Array;
  /** sum over p' >= p of w [Z yZ] in unit u's cells, U x (P + 1) x K1; at p = 0 the unit sums A_u. */
  readonly suffixCross: Float64Array;
  /** B_p - sum_u N_up A_u / W_u, P x K1. */
  readonly periodCorrection: Float64Array;
  /** Cholesky factor of the period block, last period pinned, (P - 1) x (P - 1). */
  readonly factor: Float64Array;
  /** Period index per sample row (for d~ row by row). */
  readonly periodOfRow: Int32Array;
}

/** Whether the groups g are exactly the groups of ids (the same partition of the rows). */
function samePartition(g: Groups, ids: Int32Array, idCount: number): boolean {
  if (g.G !== idCount) return false;
  const map = new Int32Array(g.G).fill(-1);
  const gIds = g.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < ids.length; i++) {
    const m = map[gIds[i]];
    if (m < 0) map[gIds[i]] = ids[i];
    else if (m !== ids[i]) return false;
  }
  return true;
}

/** The tables for model m, or null when the fixed effects are not exactly the unit and the period, the
 *  tables would be much larger than the data, or the direct solve does not apply (see twoWayCells). */
export function twoWayPlacebo(engine: Engine, m: TwoWayModel): TwoWayPlacebo | null {
  if (m.fixef.length !== 2 || m.n === 0) return null;
  const n = m.n;
  const periods = Float64Array.from(new Set(m.timeOfRow)).sort();
  const P = periods.length;
  const index = new Map<number, number>();
  periods.forEach((v, p) => index.set(v, p));
  const periodOfRow = Int32Array.from(m.timeOfRow, (t) => index.get(t)!);
  let U = 0;
  for (let i = 0; i < n; i++) U = Math.max(U, m.unitOfRow[i] + 1);
  if (P < 2 || U * (P + 1) > MAX_CELLS_PER_ROW * n) return null;
  const [f0, f1] = m.fixef;
  const unitFirst = samePartition(f0, m.unitOfRow, U) && samePartition(f1, periodOfRow, P);
  if (!unitFirst && !(samePartition(f0, periodOfRow, P) && samePartition(f1, m.unitOfRow, U))) return null;
  const factor = periodBlockFactor(engine, m, periodOfRow, U, P);
  if (!factor) return null;

  const K1 = m.k + 1;
  const tables = twoWayTables(engine, m, periodOfRow, U, P);
  return { U, P, K1, periods, ...tables, factor, periodOfRow };
}

/** The sums over cells, units and suffixes of periods, by the placeboTwoWayTables kernel (one pass over
 *  the rows in the engine; as loops here they ran once each, in V8's interpreter). */
function twoWayTables(engine: Engine, m: TwoWayModel, periodOfRow: Int32Array, U: number, P: number) {
  const b = engine.backend;
  const a = b.arena();
  try {
    const K1 = m.k + 1;
    const ZY = a.f64(m.n * K1, false);
    ZY.view.set(m.Z.subarray(0, m.n * m.k));
    ZY.view.set(m.yZ, m.n * m.k);
    const cellWeight = a.f64(U * P, false);
    const unitWeight = a.f64(U, false);
    const suffixWeight = a.f64(U * (P + 1), false);
    const suffixCross = a.f64(U * (P + 1) * K1, false);
    const periodCorrection = a.f64(P * K1, false);
    b.placeboTwoWayTables(m.n, K1, ZY, m.weights ? a.f64From(m.weights) : null, a.i32From(m.unitOfRow), a.i32From(periodOfRow), U, P, cellWeight, unitWeight,
      suffixWeight, suffixCross, periodCorrection, a.f64(U * P * K1, false));
    return {
      cellWeight: cellWeight.view.slice(), unitWeight: unitWeight.view.slice(), suffixWeight: suffixWeight.view.slice(), suffixCross: suffixCross.view.slice(),
      periodCorrection: periodCorrection.view.slice(),
    };
  } finally {
    a.release();
  }
}

/** The period block's factor, from the same kernel and pinning as the two-way demeaning of the model's
 *  columns (bindings/model/two-way-cells.ts); copied out of the arena. */
function periodBlockFactor(engine: Engine, m: TwoWayModel, periodOfRow: Int32Array, U: number, P: number): Float64Array | null {
  const b = engine.backend;
  const a = b.arena();
  try {
    const cells = twoWayCells(b, a, a.i32From(m.unitOfRow), a.i32From(periodOfRow), U, P, m.weights ? a.f64From(m.weights) : null);
    return cells ? cells.factor.view.slice(0, (P - 1) * (P - 1)) : null;
  } finally {
    a.release();
  }
}

/** Writes the coefficients of `count` draws whose fake cohorts are [count][U] in `cohorts` into coef. */
export type TwoWaySolver = (cohorts: F64Buffer, count: number, coef: F64Buffer) => void;

/** The placeboTwoWayDraws kernel on tables t, copied into arena a once: twoWayDraw's arithmetic, operation
 *  for operation, and the coefficient as fwl-placebo.ts takes it (ZtZinv: (Z'WZ)^-1, k x k). */
export function twoWaySolver(engine: Engine, a: Arena, t: TwoWayPlacebo, ZtZinv: Float64Array, k: number): TwoWaySolver {
  const periods = a.f64From(t.periods);
  const cellWeight = a.f64From(t.cellWeight);
  const unitWeight = a.f64From(t.unitWeight);
  const suffixWeight = a.f64From(t.suffixWeight);
  const suffixCross = a.f64From(t.suffixCross);
  const periodCorrection = a.f64From(t.periodCorrection);
  const factor = a.f64From(t.factor);
  const inverse = a.f64From(k ? ZtZinv : [0]);
  const scratch = a.f64(2 * t.P + t.K1, false);
  return (cohorts, count, coef) =>
    engine.backend.placeboTwoWayDraws(count, t.U, t.P, k, periods, cohorts, cellWeight, unitWeight, suffixWeight, suffixCross, periodCorrection, factor, inverse, scratch, coef);
}

/** Per-draw scratch, overwritten by every draw. */
export interface TwoWayScratch {
  /** Treated units of the draw, their first treated period and their weight b_u. */
  readonly unit: Int32Array;
  readonly start: Int32Array;
  readonly b: Float64Array;
  /** c~ then gamma (P), the block's right-hand side (P - 1). */
  readonly gamma: Float64Array;
  readonly rhs: Float64Array;
  /** [Z yZ]'W d~ (K1). */
  readonly cross: Float64Array;
}

export function twoWayScratch(t: TwoWayPlacebo): TwoWayScratch {
  return {
    unit: new Int32Array(t.U), start: new Int32Array(t.U), b: new Float64Array(t.U),
    gamma: new Float64Array(t.P), rhs: new Float64Array(t.P - 1), cross: new Float64Array(t.K1),
  };
}

/** First period index at or after value v (P when none). */
function firstPeriodFrom(periods: Float64Array, v: number): number {
  let lo = 0;
  let hi = periods.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (periods[mid] >= v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * One draw, fake cohort per unit (Infinity: never treated): fills s.cross with [Z yZ]'W d~ and s.gamma
 * with the period effects of d, and returns d~'W d~ and the number of treated units (s.unit[0 .. count)).
 */
export function twoWayDraw(t: TwoWayPlacebo, cohortOfUnit: Float64Array, s: TwoWayScratch): { dd: number; count: number } {
  const { U, P, K1 } = t;
  const gamma = s.gamma.fill(0);
  const cross = s.cross.fill(0);
  let count = 0;
  let raw = 0;
  let explained = 0;
  const last = t.periods[P - 1];
  for (let u = 0; u < U; u++) {
    // Most units are not treated in a draw (cohort Infinity): skipped before the search.
    if (!(cohortOfUnit[u] <= last)) continue;
    const from = firstPeriodFrom(t.periods, cohortOfUnit[u]);
    const b = from < P ? t.suffixWeight[u * (P + 1) + from] : 0;
    if (b === 0) continue;
    s.unit[count] = u;
    s.start[count] = from;
    s.b[count++] = b;
    addTreatedUnit(t, u, from, b, gamma, cross);
    raw += b;
    explained += (b * b) / t.unitWeight[u];
  }
  // gamma holds c~; solve the period block for the first P - 1 periods, the last pinned at 0.
  const rhs = s.rhs;
  for (let p = 0; p < P - 1; p++) rhs[p] = gamma[p];
  choleskySolveInPlace(t.factor, P - 1, rhs);
  for (let p = 0; p < P - 1; p++) {
    explained += rhs[p] * gamma[p];
    gamma[p] = rhs[p];
  }
  gamma[P - 1] = 0;
  subtractPeriodEffects(t, gamma, cross);
  return { dd: raw - explained, count };
}

/** A treated unit's share of c~ (its cells from `from` on, less N_up b_u / W_u) and of [Z yZ]'W d. */
function addTreatedUnit(t: TwoWayPlacebo, u: number, from: number, b: number, ct: Float64Array, cross: Float64Array): void {
  const { P, K1 } = t;
  const r = b / t.unitWeight[u];
  const row = u * P;
  for (let p = 0; p < P; p++) ct[p] -= r * t.cellWeight[row + p];
  for (let p = from; p < P; p++) ct[p] += t.cellWeight[row + p];
  const at = (u * (P + 1) + from) * K1;
  const unitSums = u * (P + 1) * K1;
  for (let j = 0; j < K1; j++) cross[j] += t.suffixCross[at + j] - r * t.suffixCross[unitSums + j];
}

function subtractPeriodEffects(t: TwoWayPlacebo, gamma: Float64Array, cross: Float64Array): void {
  const K1 = t.K1;
  for (let p = 0; p < t.P; p++) {
    const g = gamma[p];
    for (let j = 0; j < K1; j++) cross[j] -= g * t.periodCorrection[p * K1 + j];
  }
}

/** d~ row by row after twoWayDraw (for t statistics): d_i - alpha_u - gamma_p. */
export function twoWayDemeaned(t: TwoWayPlacebo, m: TwoWayModel, cohortOfUnit: Float64Array, s: TwoWayScratch, count: number, out: Float64Array, alpha: Float64Array): void {
  const { U, P } = t;
  const gamma = s.gamma;
  for (let u = 0; u < U; u++) {
    let ng = 0;
    for (let p = 0; p < P; p++) ng += t.cellWeight[u * P + p] * gamma[p];
    alpha[u] = -ng / t.unitWeight[u];
  }
  for (let c = 0; c < count; c++) alpha[s.unit[c]] += s.b[c] / t.unitWeight[s.unit[c]];
  for (let i = 0; i < m.n; i++) {
    const u = m.unitOfRow[i];
    out[i] = (m.timeOfRow[i] >= cohortOfUnit[u] ? 1 : 0) - alpha[u] - gamma[t.periodOfRow[i]];
  }
}
