// Unit and period fixed effects solved directly instead of by alternating sweeps. The normal equations
// D'WD c = r have a unit block and a period block; eliminating the units (c_u = (r_u - sum_t p_ut c_t) / w_u)
// leaves the period block's Schur complement
//     S = diag(w_t) - sum_u p_u p_u' / w_u        (p_u: unit u's weight in each period, w_u = sum_t p_ut)
// with right-hand side r_t - sum_u p_u r_u / w_u. S is singular: adding a constant to every unit effect
// and subtracting it from every period effect changes no fitted value. Pinning the last period's effect
// at 0 leaves a positive-definite system whenever units and periods are connected, factored once by
// Cholesky. A solve then costs two passes over the unit-period cells and a triangular solve of the
// period block: no iterations, and the exact solution rather than one within a tolerance. Fitted values
// c_u + c_t do not depend on the pinning. Panels with many periods (S too large to form) or
// disconnected units and periods (a zero pivot) are left to the iterative solver.
import { choleskyFactor, choleskySolveInPlace } from "../../linalg/cholesky.js";
import { TwoWayFixef, type TwoWayEncoding } from "./two-way-fixef.js";

/** Largest period block formed (P^2 doubles: 32 MB at 2,000 periods). */
const MAX_PERIODS = 2000;
/** Largest cost of forming S, sum over units of (periods observed)^2 multiply-adds. */
const MAX_FORM_OPS = 5e7;

export class DirectTwoWay extends TwoWayFixef {
  private constructor(
    enc: TwoWayEncoding,
    est: Int32Array,
    weights: Float64Array | null,
    /** Cells of each unit u: cellPeriod/cellWeight[cellStart[u] .. cellStart[u+1]). */
    private readonly cellStart: Int32Array,
    private readonly cellPeriod: Int32Array,
    private readonly cellWeight: Float64Array,
    private readonly unitWeight: Float64Array,
    /** Cholesky factor of S without its last row and column. */
    private readonly factor: Float64Array,
  ) {
    super(enc, est, weights);
  }

  /** The solver, or null when the panel has too many periods, a unit or period of zero weight, or
   *  units and periods that are not connected. */
  static create(enc: TwoWayEncoding, est: Int32Array, weights: Float64Array | null): DirectTwoWay | null {
    const U = enc.units;
    const P = enc.periods;
    if (P < 1 || P > MAX_PERIODS) return null;
    // Unit-period cells (several rows of one unit and period add up), grouped by unit: the rows in unit
    // order (a counting sort, skipped when the data are already sorted by unit, as panels usually are).
    const rowsOfUnit = new Int32Array(U + 1);
    let sorted = true;
    for (let k = 0; k < est.length; k++) {
      const u = enc.unitId[est[k]];
      rowsOfUnit[u + 1]++;
      if (k > 0 && u < enc.unitId[est[k - 1]]) sorted = false;
    }
    for (let u = 0; u < U; u++) rowsOfUnit[u + 1] += rowsOfUnit[u];
    let byUnit = est;
    if (!sorted) {
      const next = rowsOfUnit.slice(0, U);
      byUnit = new Int32Array(est.length);
      for (let k = 0; k < est.length; k++) byUnit[next[enc.unitId[est[k]]]++] = est[k];
    }

    const cellStart = new Int32Array(U + 1);
    const cellPeriod = new Int32Array(est.length);
    const cellWeight = new Float64Array(est.length);
    const unitWeight = new Float64Array(U);
    const periodWeight = new Float64Array(P);
    const acc = new Float64Array(P);
    const seen = new Int32Array(P).fill(-1);
    let cells = 0;
    let formOps = 0;
    for (let u = 0; u < U; u++) {
      const first = cells;
      for (let r = rowsOfUnit[u]; r < rowsOfUnit[u + 1]; r++) {
        const i = byUnit[r];
        const t = enc.timeId[i];
        const wi = weights ? weights[i] : 1;
        if (seen[t] !== u) {
          seen[t] = u;
          acc[t] = 0;
          cellPeriod[cells++] = t;
        }
        acc[t] += wi;
      }
      let wu = 0;
      for (let c = first; c < cells; c++) {
        const t = cellPeriod[c];
        cellWeight[c] = acc[t];
        wu += acc[t];
        periodWeight[t] += acc[t];
      }
      if (!(wu > 0)) return null;
      unitWeight[u] = wu;
      cellStart[u + 1] = cells;
      formOps += (cells - first) ** 2;
      if (formOps > MAX_FORM_OPS) return null;
    }
    for (let t = 0; t < P; t++) if (!(periodWeight[t] > 0)) return null;

    // S without the last period (pinned at 0), row-major (P-1) x (P-1).
    const m = P - 1;
    const S = new Float64Array(m * m);
    for (let t = 0; t < m; t++) S[t * m + t] = periodWeight[t];
    for (let u = 0; u < U; u++) {
      const inv = 1 / unitWeight[u];
      for (let a = cellStart[u]; a < cellStart[u + 1]; a++) {
        const ta = cellPeriod[a];
        if (ta === m) continue;
        const wa = cellWeight[a] * inv;
        const row = ta * m;
        // lower triangle only (tb <= ta); mirrored below
        for (let b = cellStart[u]; b < cellStart[u + 1]; b++) {
          const tb = cellPeriod[b];
          if (tb <= ta) S[row + tb] -= wa * cellWeight[b];
        }
      }
    }
    for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) S[b * m + a] = S[a * m + b];
    const factor = m > 0 ? choleskyFactor(S, m) : new Float64Array(0);
    if (!factor) return null;
    return new DirectTwoWay(enc, est, weights, cellStart, cellPeriod.slice(0, cells), cellWeight.slice(0, cells), unitWeight, factor);
  }

  solve(rhs: Float64Array): Float64Array {
    return this.solveMany(rhs, 1);
  }

  /** m right-hand sides in one pass over the cells (group-major, R[g * m + j]). */
  override solveMany(rhs: Float64Array, m: number): Float64Array {
    const U = this.enc.units;
    const P = this.enc.periods;
    const { cellStart, cellPeriod, cellWeight, unitWeight } = this;
    // Period right-hand sides after eliminating the units.
    const ct = rhs.slice(U * m, (U + P) * m);
    const ru = new Float64Array(m);
    for (let u = 0; u < U; u++) {
      const iw = 1 / unitWeight[u];
      for (let j = 0; j < m; j++) ru[j] = rhs[u * m + j] * iw;
      for (let c = cellStart[u]; c < cellStart[u + 1]; c++) {
        const t = cellPeriod[c] * m;
        const p = cellWeight[c];
        for (let j = 0; j < m; j++) ct[t + j] -= p * ru[j];
      }
    }
    // The period block (last period pinned at 0), one right-hand side at a time.
    const q = P - 1;
    const col = new Float64Array(q);
    for (let j = 0; j < m; j++) {
      for (let t = 0; t < q; t++) col[t] = ct[t * m + j];
      choleskySolveInPlace(this.factor, q, col);
      for (let t = 0; t < q; t++) ct[t * m + j] = col[t];
      ct[q * m + j] = 0;
    }
    const out = new Float64Array((U + P) * m);
    out.set(ct, U * m);
    const acc = new Float64Array(m);
    for (let u = 0; u < U; u++) {
      for (let j = 0; j < m; j++) acc[j] = rhs[u * m + j];
      for (let c = cellStart[u]; c < cellStart[u + 1]; c++) {
        const t = cellPeriod[c] * m;
        const p = cellWeight[c];
        for (let j = 0; j < m; j++) acc[j] -= p * ct[t + j];
      }
      const iw = 1 / unitWeight[u];
      for (let j = 0; j < m; j++) out[u * m + j] = acc[j] * iw;
    }
    return out;
  }
}
