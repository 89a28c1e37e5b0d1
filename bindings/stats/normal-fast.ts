// A fast standard normal cdf and quantile for integrands evaluated millions of times (the multivariate
// normal probabilities of mvn-rectangle.ts). distributions.ts's normalCdf goes through the incomplete
// gamma function (accurate everywhere, but tens of iterations per call); here the cdf is Hart's (1968)
// double-precision rational approximation (West 2005, "Better approximations to cumulative normal
// functions", Wilmott) up to |x| = 5 (absolute error below 1e-16, relative below 5e-11) and a continued
// fraction beyond, and the quantile is Acklam's
// approximation (relative error 1.2e-9) refined by one Halley step, which takes it to about 1e-12.
// test/stats/normal-fast.test.ts checks both against distributions.ts on a grid.
import { exp, log } from "./libm.js";

const SQRT_2PI = 2.5066282746310002;

/** P(Z <= x). */
export function normalCdfFast(x: number): number {
  const ax = Math.abs(x);
  // Beyond 5 the rational approximation's relative error grows (1e-9 at 7) while the tail falls below 3e-7;
  // there the tail is phi(x) times Laplace's continued fraction for Mills' ratio, 1 / (x + 1 / (x + 2 / (x +
  // 3 / ...))), summed backwards from 60 terms (relative error below 1e-14 for x >= 5), which keeps the
  // relative digits the quantile's Halley step needs.
  if (ax >= 5) {
    let cf = ax;
    for (let k = 60; k >= 1; k--) cf = ax + k / cf;
    const tail = exp((-ax * ax) / 2) / SQRT_2PI / cf;
    return x > 0 ? 1 - tail : tail;
  }
  const e = exp((-ax * ax) / 2);
  let num = 3.52624965998911e-2 * ax + 0.700383064443688;
  num = num * ax + 6.37396220353165;
  num = num * ax + 33.912866078383;
  num = num * ax + 112.079291497871;
  num = num * ax + 221.213596169931;
  num = num * ax + 220.206867912376;
  let den = 8.83883476483184e-2 * ax + 1.75566716318264;
  den = den * ax + 16.064177579207;
  den = den * ax + 86.7807322029461;
  den = den * ax + 296.564248779674;
  den = den * ax + 637.333633378831;
  den = den * ax + 793.826512519948;
  den = den * ax + 440.413735824752;
  const tail = (e * num) / den;
  return x > 0 ? 1 - tail : tail;
}

const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** x with P(Z <= x) = p, for 0 < p < 1 (p = 0, 1 give -/+ Infinity). */
export function normalQuantileFast(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  let x: number;
  if (p < 0.02425 || p > 0.97575) {
    const q = Math.sqrt(-2 * log(p < 0.5 ? p : 1 - p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    if (p > 0.5) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  // One Halley step on Phi(x) - p (the error is taken on the smaller tail so it keeps its digits).
  const e = x <= 0 ? normalCdfFast(x) - p : (1 - p) - normalCdfFast(-x);
  const u = e * SQRT_2PI * exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
