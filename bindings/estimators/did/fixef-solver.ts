// Unit and time fixed effects estimated on one set of rows (e.g. the untreated observations of did2s)
// and evaluated on others (imputation). Each solve is one call of the fixefSolve kernel on a right-hand
// side of group sums; fitted values on any row whose unit and period were seen are then c_unit + c_time.
import { demeanScratchLength, type Arena, type Backend, type F64Buffer, type I32Buffer } from "../../engine/backend.js";

export interface TwoWayEncoding {
  /** Unit id per row of the full set, -1 when the unit never occurs among the estimation rows. */
  readonly unitId: Int32Array;
  /** Period id per row of the full set, -1 when the period never occurs among the estimation rows. */
  readonly timeId: Int32Array;
  readonly units: number;
  readonly periods: number;
}

export class TwoWaySolver {
  private readonly fe: I32Buffer;
  private readonly G: I32Buffer;
  private readonly w: F64Buffer | null;
  private readonly scratch: F64Buffer;
  private readonly rhs: F64Buffer;
  private readonly coef: F64Buffer;
  private readonly wsum: Float64Array;
  /** Solves that reached maxIter. */
  notConverged = 0;

  constructor(
    private readonly backend: Backend,
    arena: Arena,
    private readonly enc: TwoWayEncoding,
    /** Positions (in the full set) of the estimation rows. */
    private readonly est: Int32Array,
    /** Weights per row of the full set, or null. */
    private readonly weights: Float64Array | null,
    private readonly tol: number,
    private readonly maxIter: number,
  ) {
    const n = est.length;
    const sumG = enc.units + enc.periods;
    this.fe = arena.i32(2 * n);
    const fe = this.fe.view;
    est.forEach((i, k) => {
      fe[k] = enc.unitId[i];
      fe[n + k] = enc.timeId[i];
    });
    this.G = arena.i32From([enc.units, enc.periods]);
    this.w = weights ? arena.f64From(Array.from(est, (i) => weights[i])) : null;
    this.scratch = arena.f64(demeanScratchLength(sumG));
    this.rhs = arena.f64(sumG);
    this.coef = arena.f64(sumG);
    this.wsum = new Float64Array(sumG);
    for (const i of est) {
      const wi = weights ? weights[i] : 1;
      this.wsum[enc.unitId[i]] += wi;
      this.wsum[enc.units + enc.timeId[i]] += wi;
    }
  }

  /** Solves D'WD c = rhs; the threshold is tol times the largest group mean implied by rhs. */
  solve(rhs: Float64Array): Float64Array {
    let scale = 0;
    for (let g = 0; g < rhs.length; g++) scale = Math.max(scale, Math.abs(rhs[g] / this.wsum[g]));
    this.rhs.view.set(rhs);
    const sweeps = this.backend.fixefSolve(this.est.length, 2, this.fe, this.G, this.w, this.rhs, this.tol * scale, this.maxIter, this.scratch, this.coef);
    if (sweeps < 0) this.notConverged++;
    return Float64Array.from(this.coef.view);
  }

  /** Coefficients of the fixed-effect fit of v (a value per row of the full set) on the estimation rows. */
  fitOf(v: ArrayLike<number>): Float64Array {
    const rhs = new Float64Array(this.enc.units + this.enc.periods);
    for (const i of this.est) {
      const wv = (this.weights ? this.weights[i] : 1) * v[i];
      rhs[this.enc.unitId[i]] += wv;
      rhs[this.enc.units + this.enc.timeId[i]] += wv;
    }
    return this.solve(rhs);
  }

  /** c_unit + c_time on row i of the full set. */
  fitted(c: Float64Array, i: number): number {
    return c[this.enc.unitId[i]] + c[this.enc.units + this.enc.timeId[i]];
  }

  /** v - (c_unit + c_time) on every row of the full set. */
  minusFitted(v: ArrayLike<number>, c: Float64Array): Float64Array {
    const { unitId, timeId, units } = this.enc;
    const out = new Float64Array(unitId.length);
    for (let i = 0; i < out.length; i++) out[i] = v[i] - (c[unitId[i]] + c[units + timeId[i]]);
    return out;
  }

  /** c_unit + c_time on every row of the full set. */
  fittedAll(c: Float64Array): Float64Array {
    const { unitId, timeId, units } = this.enc;
    const out = new Float64Array(unitId.length);
    for (let i = 0; i < out.length; i++) out[i] = c[unitId[i]] + c[units + timeId[i]];
    return out;
  }
}
