// The least-favourable critical value of the C-LF hybrid test (Andrews, Roth and Pakes 2023, section
// 6.2; HonestDiD's .compute_least_favorable_cv): the 1 - kappa quantile of the test statistic eta when
// every moment has mean zero, the least favourable point of the null. As HonestDiD does, it is estimated
// from 1,000 draws of the moments Y ~ N(0, Sigma) made after set.seed(0) by mvtnorm's rmvnorm (the same
// draws: r-normal-draws.ts), with R's type-7 quantile. Draws whose program is unbounded are left out
// (HonestDiD: na.rm = TRUE). Only the draws that can reach the quantile are solved (eta-quantile.ts).
import type { Mat } from "./dense.js";
import { dualMatrix, etaValue } from "./eta-lp.js";
import { screenedEtaQuantile, type7Position, type7Value } from "./eta-quantile.js";
import { rmvnormDraws, rnormDraws } from "./r-normal-draws.js";

/** HonestDiD's number of draws and seed. */
export const LF_DRAWS = 1000;
export const LF_SEED = 0;

/** The standard normals behind the draws depend only on how many there are (the seed is fixed), while a
 *  sensitivity analysis asks for draws under a new Sigma for every restriction set and bound: the normals
 *  (two uniforms and a quantile each) are made once per moment count. */
const normalsByCount = new Map<number, Float64Array>();

function lfDraws(sigma: Mat): Float64Array {
  const m = sigma.rows;
  let normals = normalsByCount.get(m);
  if (!normals) {
    normals = rnormDraws(LF_DRAWS * m, LF_SEED);
    normalsByCount.set(m, normals);
  }
  return rmvnormDraws(LF_DRAWS, sigma.data, m, LF_SEED, normals);
}

/** R's quantile(x, p, type = 7) of unsorted values (NaN dropped). */
export function quantileType7(values: ArrayLike<number>, p: number): number {
  const kept = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) kept[n++] = values[i];
  if (n === 0) return NaN;
  const x = kept.subarray(0, n).sort();
  const { lo, hi, h } = type7Position(n, p);
  return type7Value(x[lo], x[hi], h);
}

/** With nuisance parameters X (moments x nuisance), Sigma the moments' covariance. */
export function leastFavourableCv(X: Mat, sigma: Mat, kappa: number): number {
  const m = sigma.rows;
  const sd = Float64Array.from({ length: m }, (_, i) => Math.sqrt(sigma.data[i * m + i]));
  const W = dualMatrix(X, sd);
  const draws = lfDraws(sigma);
  const screened = screenedEtaQuantile(draws, m, sd, W, 1 - kappa);
  if (screened !== null) return screened;
  const eta = new Float64Array(LF_DRAWS);
  const y = new Float64Array(m); // one buffer for every draw: no view object per program
  for (let s = 0; s < LF_DRAWS; s++) {
    for (let i = 0; i < m; i++) y[i] = draws[s * m + i];
    eta[s] = etaValue(y, W);
  }
  return quantileType7(eta, 1 - kappa);
}

/** Without nuisance parameters: the statistic is the largest standardised moment. */
export function leastFavourableCvNoNuisance(sigma: Mat, kappa: number): number {
  const m = sigma.rows;
  const draws = lfDraws(sigma);
  const eta = new Float64Array(LF_DRAWS);
  for (let s = 0; s < LF_DRAWS; s++) {
    let best = -Infinity;
    for (let i = 0; i < m; i++) best = Math.max(best, draws[s * m + i] / Math.sqrt(sigma.data[i * m + i]));
    eta[s] = best;
  }
  return quantileType7(eta, 1 - kappa);
}
