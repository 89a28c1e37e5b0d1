// The unit-period structure that lets two-way fixed effects be solved directly rather than by sweeps.
// The normal equations D'WD c = r have a unit block and a period block; eliminating the units
// (c_u = (r_u - sum_t p_ut c_t) / w_u) leaves the period block's Schur complement
//     S = diag(w_t) - sum_u p_u p_u' / w_u        (p_u: unit u's weight in each period, w_u = sum_t p_ut)
// S is singular: adding a constant to every unit effect and subtracting it from every period effect
// changes no fitted value. Pinning the last period's effect at 0 leaves a positive-definite system when
// units and periods are connected; its Cholesky factor is computed once per sample. Every solve is then
// exact (no tolerance, no iterations), whatever the connectivity of the panel. Used by the two-way
// demeaning kernel (assembly/demean-twoway.ts) and by did2s's first stage (two-way-direct.ts). The cells
// come from a kernel (assembly/twoway-cells.ts); the period block is formed and factored here.
import type { Arena, Backend, F64Buffer, I32Buffer } from "../engine/backend.js";
import { choleskyFactor } from "../linalg/cholesky.js";

/** Largest period block formed and factored. Factoring costs P^3 / 3 multiply-adds (about 40 ms at 500
 *  periods, 0.4 s at 1,000), which can exceed what sweeps cost on a well-connected panel with many
 *  periods; below this size the factor is cheaper than a few sweeps of any sizeable panel. */
export const MAX_PERIODS = 500;
/** Largest cost of forming S, sum over distinct unit patterns of (periods observed)^2 multiply-adds. */
const MAX_FORM_OPS = 5e7;
/** A Cholesky pivot below this share of its diagonal entry means units and periods are disconnected or
 *  so weakly connected that the direct solve would lose more precision than the sweeps' tolerance allows
 *  (the pivot ratio bounds the amplification of rounding errors). */
const MIN_PIVOT_RATIO = 1e-7;

/** The cells and factor, in the arena that made them (valid until it is released). */
export interface TwoWayCells {
  readonly units: number;
  readonly periods: number;
  /** Unit u's cells are cellStart[u] .. cellStart[u+1]-1. */
  readonly cellStart: I32Buffer;
  readonly cellPeriod: I32Buffer;
  readonly cellWeight: F64Buffer;
  readonly unitWeight: F64Buffer;
  /** Cholesky factor of S without the last period, (P-1) x (P-1) row-major (one unused 0 when P = 1). */
  readonly factor: F64Buffer;
}

/**
 * The cells of the rows `rows` (positions into unit/period/w; all n rows when null), or null when the
 * direct solve does not apply: more than MAX_PERIODS periods, too costly a period block, a unit or period
 * of zero weight, or units and periods not (well) connected.
 */
export function twoWayCells(
  backend: Backend, arena: Arena, unit: I32Buffer, period: I32Buffer, U: number, P: number, w: F64Buffer | null, rows: Int32Array | null = null,
): TwoWayCells | null {
  if (P < 1 || P > MAX_PERIODS) return null;
  const n = rows ? rows.length : unit.length;
  const order = unitOrder(unit.view, U, rows);
  const orderBuf = order ? arena.i32From(order) : null;
  const cellStart = arena.i32(U + 1, false);
  const cellPeriod = arena.i32(Math.max(1, n), false);
  const cellWeight = arena.f64(Math.max(1, n), false);
  const unitWeight = arena.f64(U, false);
  const periodWeight = arena.f64(P, false);
  const cellOf = arena.i32(P, false);
  const cells = backend.twoWayCells(n, unit, period, orderBuf, U, P, w, cellStart, cellPeriod, cellWeight, unitWeight, periodWeight, cellOf);
  const uw = unitWeight.view;
  const pw = periodWeight.view;
  for (let u = 0; u < U; u++) if (!(uw[u] > 0)) return null;
  for (let t = 0; t < P; t++) if (!(pw[t] > 0)) return null;
  const factor = periodBlockFactor(P, cellStart.view, cellPeriod.view.subarray(0, cells), cellWeight.view.subarray(0, cells), uw, pw);
  if (!factor) return null;
  return {
    units: U, periods: P, cellStart, cellPeriod, cellWeight, unitWeight,
    factor: arena.f64From(factor.length ? factor : [0]),
  };
}

/** The rows in an order that groups each unit's rows: null when `rows` (or 0..n-1) already does, as
 *  panels sorted by unit do; otherwise a counting sort by unit. */
function unitOrder(unitId: Int32Array, U: number, rows: Int32Array | null): Int32Array | null {
  const n = rows ? rows.length : unitId.length;
  let prev = -1;
  let sorted = true;
  for (let k = 0; k < n; k++) {
    const u = unitId[rows ? rows[k] : k];
    if (u < prev) {
      sorted = false;
      break;
    }
    prev = u;
  }
  if (sorted) return rows;
  const start = new Int32Array(U + 1);
  for (let k = 0; k < n; k++) start[unitId[rows ? rows[k] : k] + 1]++;
  for (let u = 0; u < U; u++) start[u + 1] += start[u];
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k] : k;
    order[start[unitId[i]]++] = i;
  }
  return order;
}

/** The Cholesky factor of S with the last period pinned, or null (too costly, or not positive definite). */
function periodBlockFactor(
  P: number, cellStart: Int32Array, cellPeriod: Int32Array, cellWeight: Float64Array, unitWeight: Float64Array, periodWeight: Float64Array,
): Float64Array | null {
  // Lower triangle, then mirrored. Units with the same cells (periods and weights: in a panel, every unit
  // of one adoption cohort, or every complete unit) add the same p_u p_u' / w_u, so each distinct pattern
  // is formed once and scaled by how many units share it.
  const m = P - 1;
  const U = unitWeight.length;
  const patterns = distinctPatterns(U, cellStart, cellPeriod, cellWeight);
  let formOps = 0;
  for (const [u] of patterns) formOps += (cellStart[u + 1] - cellStart[u]) ** 2;
  if (formOps > MAX_FORM_OPS) return null;
  const S = new Float64Array(m * m);
  for (let t = 0; t < m; t++) S[t * m + t] = periodWeight[t];
  for (const [u, count] of patterns) {
    const inv = count / unitWeight[u];
    for (let a = cellStart[u]; a < cellStart[u + 1]; a++) {
      const ta = cellPeriod[a];
      if (ta === m) continue;
      const wa = cellWeight[a] * inv;
      const rowA = ta * m;
      for (let b = cellStart[u]; b < cellStart[u + 1]; b++) {
        const tb = cellPeriod[b];
        if (tb <= ta) S[rowA + tb] -= wa * cellWeight[b];
      }
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) S[b * m + a] = S[a * m + b];
  return m > 0 ? choleskyFactor(S, m, MIN_PIVOT_RATIO) : new Float64Array(0);
}

/** [representative unit, number of units] for each distinct sequence of cells (periods and weights). */
function distinctPatterns(U: number, cellStart: Int32Array, cellPeriod: Int32Array, cellWeight: Float64Array): Array<[number, number]> {
  const byHash = new Map<number, number[]>(); // hash -> indices into out
  const out: Array<[number, number]> = [];
  const same = (u: number, v: number) => {
    const n = cellStart[u + 1] - cellStart[u];
    if (cellStart[v + 1] - cellStart[v] !== n) return false;
    for (let k = 0; k < n; k++) {
      if (cellPeriod[cellStart[u] + k] !== cellPeriod[cellStart[v] + k] || cellWeight[cellStart[u] + k] !== cellWeight[cellStart[v] + k]) return false;
    }
    return true;
  };
  for (let u = 0; u < U; u++) {
    let h = 0x811c9dc5;
    for (let k = cellStart[u]; k < cellStart[u + 1]; k++) {
      h = Math.imul(h ^ cellPeriod[k], 0x01000193);
      h = Math.imul(h ^ (cellWeight[k] * 1024) | 0, 0x01000193);
    }
    const bucket = byHash.get(h);
    let found = -1;
    if (bucket) for (const j of bucket) if (same(out[j][0], u)) (found = j);
    if (found >= 0) out[found][1]++;
    else {
      out.push([u, 1]);
      if (bucket) bucket.push(out.length - 1);
      else byHash.set(h, [out.length - 1]);
    }
  }
  return out;
}
