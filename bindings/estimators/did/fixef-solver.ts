// The two-way fixed effects of did2s's first stage: solved directly when the period block is small
// (two-way-direct.ts), otherwise by the fixefSolve kernel's alternating sweeps (IterativeTwoWay below).
import { demeanScratchLength, type Arena, type Backend, type F64Buffer, type I32Buffer } from "../../engine/backend.js";
import { DirectTwoWay } from "./two-way-direct.js";
import { TwoWayFixef, type TwoWayEncoding } from "./two-way-fixef.js";

export { TwoWayFixef, type TwoWayEncoding } from "./two-way-fixef.js";

/** Each solve is one call of the fixefSolve kernel on a right-hand side of group sums. */
export class IterativeTwoWay extends TwoWayFixef {
  private readonly fe: I32Buffer;
  private readonly G: I32Buffer;
  private readonly w: F64Buffer | null;
  private readonly scratch: F64Buffer;
  private readonly rhs: F64Buffer;
  private readonly coef: F64Buffer;
  private readonly wsum: Float64Array;

  constructor(
    private readonly backend: Backend,
    arena: Arena,
    enc: TwoWayEncoding,
    est: Int32Array,
    weights: Float64Array | null,
    private readonly tol: number,
    private readonly maxIter: number,
  ) {
    super(enc, est, weights);
    const n = est.length;
    const sumG = enc.units + enc.periods;
    this.fe = arena.i32(2 * n);
    const fe = this.fe.view;
    for (let k = 0; k < n; k++) {
      fe[k] = enc.unitId[est[k]];
      fe[n + k] = enc.timeId[est[k]];
    }
    this.G = arena.i32From([enc.units, enc.periods]);
    this.w = weights ? arena.f64From(Array.from(est, (i) => weights[i])) : null;
    this.scratch = arena.f64(demeanScratchLength(sumG));
    this.rhs = arena.f64(sumG);
    this.coef = arena.f64(sumG);
    this.wsum = this.groupSums(new Float64Array(enc.unitId.length).fill(1)); // weight per group
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
}

/** The direct solver when it applies (and `direct` is not false), else the iterative one. */
export function twoWayFixef(
  backend: Backend, arena: Arena, enc: TwoWayEncoding, est: Int32Array, weights: Float64Array | null,
  tol: number, maxIter: number, direct = true,
): TwoWayFixef {
  return (direct ? DirectTwoWay.create(backend, arena, enc, est, weights) : null) ?? new IterativeTwoWay(backend, arena, enc, est, weights, tol, maxIter);
}
