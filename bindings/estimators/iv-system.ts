// Least squares on a block of columns whose crossproduct is already known: the small dense part of the
// IV fit (iv-core.ts), which runs three regressions (first stages, second stage, Wu-Hausman) on blocks of
// one crossproduct matrix. The same Cholesky kernel as feols decides which columns are collinear.
import type { Arena, Backend, F64Buffer } from "../engine/backend.js";
import { COLLINEAR_TOL } from "./ols-core.js";

export interface KeptSystem {
  /** Per column of the block: 1 kept, 0 dropped (collinear, or excluded beforehand). */
  readonly keep: Int32Array;
  /** Coefficients of column `rhs` of the crossproduct regressed on the block (0 for dropped columns). */
  solve(rhs: number): Float64Array;
  /** (B'WB)^-1 over the block, K x K row-major, zero rows and columns for dropped columns. */
  inverse(): Float64Array;
  /** The weighted SSR of column `rhs` regressed on the block, from the crossproduct alone: y'y - b'B'y
   *  (no pass over the rows; for test statistics, where its relative error of about 1e-16 y'y/SSR is
   *  immaterial; the fits' own residuals are computed row by row). */
  ssr(rhs: number): number;
}

/** The regression of any column on the columns `block` (indices into the C x C crossproduct `gram`),
 *  columns with excluded[j] set left out from the start. */
export function keptSystem(
  backend: Backend, arena: Arena, gram: Float64Array, C: number, block: readonly number[], excluded: readonly boolean[] = [],
): KeptSystem {
  const K = block.length;
  const A = arena.f64(Math.max(1, K * K));
  block.forEach((a, i) => block.forEach((b, j) => (A.view[i * K + j] = gram[a * C + b])));
  const keepBuf = arena.i32(Math.max(1, K));
  block.forEach((_, j) => (keepBuf.view[j] = excluded[j] ? 0 : 1));
  const L = arena.f64(Math.max(1, K * K));
  if (K > 0) backend.cholesky(K, A, L, keepBuf, COLLINEAR_TOL);
  const keep = keepBuf.view.slice(0, K);
  const rhsBuf = arena.f64(Math.max(1, K));
  const sol = arena.f64(Math.max(1, K));
  return {
    keep,
    solve(rhs) {
      if (K === 0) return new Float64Array(0);
      block.forEach((a, i) => (rhsBuf.view[i] = gram[a * C + rhs]));
      backend.cholSolve(K, L, keepBuf, rhsBuf, sol);
      return sol.view.slice(0, K);
    },
    ssr(rhs) {
      const b = this.solve(rhs);
      let s = gram[rhs * C + rhs];
      block.forEach((a, i) => (s -= b[i] * gram[a * C + rhs]));
      return Math.max(0, s);
    },
    inverse() {
      if (K === 0) return new Float64Array(0);
      const inv = arena.f64(K * K);
      const work = arena.f64(K);
      backend.cholInverse(K, L, keepBuf, inv, work);
      return inv.view.slice();
    },
  };
}

/** The residuals y - B b of one column, where B is `K` adjacent columns of `data` from column `first`. */
export function residualsOf(
  backend: Backend, arena: Arena, data: F64Buffer, n: number, first: number, K: number, b: Float64Array, y: F64Buffer, out: F64Buffer,
): void {
  if (K === 0) {
    out.view.set(y.view);
    return;
  }
  backend.residuals(n, K, arena.f64Part(data, first * n, K * n), arena.f64From(b), y, out);
}

/** A K x K row-major matrix with rows and columns taken in the order `order` (new i = old order[i]). */
export function permuted(m: Float64Array, order: readonly number[]): Float64Array {
  const K = order.length;
  const out = new Float64Array(K * K);
  order.forEach((a, i) => order.forEach((b, j) => (out[i * K + j] = m[a * K + b])));
  return out;
}
