// The backend's Cholesky with feols's collinearity test, for the regressions that build their own
// crossproduct instead of going through runOls (the imputation's pre-trend fit, stacked DID's two models).
import type { Backend } from "../../engine/backend.js";
import { COLLINEAR_TOL } from "../ols-core.js";

/** keep: 0 for columns already dropped (updated with the pivot test's drops). Returns the inverse of the kept
 *  block (zero elsewhere) and the solution of ZZ theta = Zy on it. */
export function choleskyInverseAndSolve(backend: Backend, ZZ: Float64Array, Zy: Float64Array, keep: Int32Array, K: number): { inv: Float64Array; theta: Float64Array } {
  const arena = backend.arena();
  try {
    const keepBuf = arena.i32From(keep);
    const factor = arena.f64(K * K);
    backend.cholesky(K, arena.f64From(ZZ), factor, keepBuf, COLLINEAR_TOL);
    const inv = arena.f64(K * K);
    backend.cholInverse(K, factor, keepBuf, inv, arena.f64(K));
    const theta = arena.f64(K);
    backend.cholSolve(K, factor, keepBuf, arena.f64From(Zy), theta);
    keep.set(keepBuf.view);
    return { inv: inv.view.slice(), theta: theta.view.slice() };
  } finally {
    arena.release();
  }
}
