// The least-favourable critical value of the C-LF hybrid test (Andrews, Roth and Pakes 2023, section
// 6.2; HonestDiD's .compute_least_favorable_cv): the 1 - kappa quantile of the test statistic eta when
// every moment has mean zero, the least favourable point of the null. As HonestDiD does, it is estimated
// from 1,000 draws of the moments Y ~ N(0, Sigma) made after set.seed(0) by mvtnorm's rmvnorm (the same
// draws: r-normal-draws.ts), with R's type-7 quantile. Draws whose program is unbounded are left out
// (HonestDiD: na.rm = TRUE).
import type { Mat } from "./dense.js";
import { dualMatrix, solveEta } from "./eta-lp.js";
import { rmvnormDraws } from "./r-normal-draws.js";

/** HonestDiD's number of draws and seed. */
export const LF_DRAWS = 1000;
export const LF_SEED = 0;

/** R's quantile(x, p, type = 7) of unsorted values (NaN dropped). */
export function quantileType7(values: ArrayLike<number>, p: number): number {
  const x = Float64Array.from(values).filter((v) => !Number.isNaN(v)).sort();
  if (x.length === 0) return NaN;
  const index = (x.length - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const h = index - lo;
  return h > 0 && x[hi] !== x[lo] ? (1 - h) * x[lo] + h * x[hi] : x[lo];
}

/** With nuisance parameters X (moments x nuisance), Sigma the moments' covariance. */
export function leastFavourableCv(X: Mat, sigma: Mat, kappa: number): number {
  const m = sigma.rows;
  const sd = Float64Array.from({ length: m }, (_, i) => Math.sqrt(sigma.data[i * m + i]));
  const W = dualMatrix(X, sd);
  const draws = rmvnormDraws(LF_DRAWS, sigma.data, m, LF_SEED);
  const eta = new Float64Array(LF_DRAWS);
  for (let s = 0; s < LF_DRAWS; s++) {
    const r = solveEta(draws.subarray(s * m, (s + 1) * m), W);
    eta[s] = r.status === "optimal" ? r.eta : NaN;
  }
  return quantileType7(eta, 1 - kappa);
}

/** Without nuisance parameters: the statistic is the largest standardised moment. */
export function leastFavourableCvNoNuisance(sigma: Mat, kappa: number): number {
  const m = sigma.rows;
  const draws = rmvnormDraws(LF_DRAWS, sigma.data, m, LF_SEED);
  const eta = new Float64Array(LF_DRAWS);
  for (let s = 0; s < LF_DRAWS; s++) {
    let best = -Infinity;
    for (let i = 0; i < m; i++) best = Math.max(best, draws[s * m + i] / Math.sqrt(sigma.data[i * m + i]));
    eta[s] = best;
  }
  return quantileType7(eta, 1 - kappa);
}
