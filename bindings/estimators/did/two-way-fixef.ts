// Unit and time fixed effects estimated on one set of rows (e.g. the untreated observations of did2s)
// and evaluated on others (imputation). Subclasses differ in how they solve the normal equations
// D'WD c = rhs (fixef-solver.ts: alternating sweeps in the kernel; two-way-direct.ts: directly through
// the period block); fitted values on any row whose unit and period were seen are then c_unit + c_time.

import { forRowBlocks } from "../../engine/row-block.js";
import type { TwoWayCells } from "../../model/two-way-cells.js";

export interface TwoWayEncoding {
  /** Unit id per row of the full set, -1 when the unit never occurs among the estimation rows. */
  readonly unitId: Int32Array;
  /** Period id per row of the full set, -1 when the period never occurs among the estimation rows. */
  readonly timeId: Int32Array;
  readonly units: number;
  readonly periods: number;
}

export abstract class TwoWayFixef {
  /** Solves that did not converge (the iterative solver's sweep limit). */
  notConverged = 0;

  constructor(
    protected readonly enc: TwoWayEncoding,
    /** Positions (in the full set) of the estimation rows. */
    protected readonly est: Int32Array,
    /** Weights per row of the full set, or null. */
    protected readonly weights: Float64Array | null,
  ) {}

  /** Coefficients c (units first, then periods) solving D'WD c = rhs on the estimation rows. */
  abstract solve(rhs: Float64Array): Float64Array;

  /** The unit-period cells of the estimation rows when the solver has built them (the direct one), so that
   *  absorbing on the same rows can reuse them; null otherwise. */
  get cells(): TwoWayCells | null {
    return null;
  }

  /** Solves D'WD C = R for m right-hand sides at once, stored group-major (R[g * m + j]), into `out` (may
   *  be rhs itself, solving in place) or a new array. */
  solveMany(rhs: Float64Array, m: number, out: Float64Array = new Float64Array((this.enc.units + this.enc.periods) * m)): Float64Array {
    const sumG = this.enc.units + this.enc.periods;
    // column j is read whole before its solution is written, so out may be rhs
    const one = new Float64Array(sumG);
    for (let j = 0; j < m; j++) {
      for (let g = 0; g < sumG; g++) one[g] = rhs[g * m + j];
      const c = this.solve(one);
      for (let g = 0; g < sumG; g++) out[g * m + j] = c[g];
    }
    return out;
  }

  /** D'W [v_1 .. v_m] over the estimation rows, group-major (sums[g * m + j]). */
  groupSumsMany(cols: readonly ArrayLike<number>[]): Float64Array {
    const { unitId, timeId, units } = this.enc;
    const m = cols.length;
    const est = this.est;
    const w = this.weights;
    const out = new Float64Array((units + this.enc.periods) * m);
    forRowBlocks(est.length, (from, to) => addGroupSums(est, unitId, timeId, units, w, cols, from, to, out));
    return out;
  }

  /** D'W v over the estimation rows: weighted sums of v per unit, then per period. */
  groupSums(v: ArrayLike<number>): Float64Array {
    return this.groupSumsMany([v]);
  }

  /** Coefficients of the fixed-effect fit of v (a value per row of the full set) on the estimation rows. */
  fitOf(v: ArrayLike<number>): Float64Array {
    return this.solve(this.groupSums(v));
  }

  /** v - (c_unit + c_time) on every row of the full set, into `out` (may be v itself: each row reads only
   *  its own value) or a new array. */
  minusFitted(v: ArrayLike<number>, c: Float64Array, out: Float64Array = new Float64Array(this.enc.unitId.length)): Float64Array {
    const { unitId, timeId, units } = this.enc;
    forRowBlocks(out.length, (from, to) => subtractFits(v, c, unitId, timeId, units, from, to, out));
    return out;
  }
}

// The passes over rows are leaf functions called on blocks of rows (engine/row-block.ts: a loop run once over
// a million rows in a longer function runs mostly unoptimised); each adds in row order, as one loop would.

/** out += D'W [cols] over the estimation rows est[from .. to - 1] (group-major, m = cols.length). */
function addGroupSums(
  est: Int32Array, unitId: Int32Array, timeId: Int32Array, units: number, w: Float64Array | null, cols: readonly ArrayLike<number>[], from: number,
  to: number, out: Float64Array,
): void {
  const m = cols.length;
  for (let k = from; k < to; k++) {
    const i = est[k];
    const wi = w ? w[i] : 1;
    const u = unitId[i] * m;
    const t = (units + timeId[i]) * m;
    for (let j = 0; j < m; j++) {
      const v = wi * cols[j][i];
      out[u + j] += v;
      out[t + j] += v;
    }
  }
}

/** out[i] = v[i] - (c_unit + c_time) for rows from .. to - 1. */
function subtractFits(
  v: ArrayLike<number>, c: Float64Array, unitId: Int32Array, timeId: Int32Array, units: number, from: number, to: number, out: Float64Array,
): void {
  for (let i = from; i < to; i++) out[i] = v[i] - (c[unitId[i]] + c[units + timeId[i]]);
}
