// Distribution functions for inference: Student t (p-values, confidence intervals), standard normal,
// F and chi-squared (Wald tests). Tails are computed directly, never as 1 - cdf, so tiny p-values keep
// their relative accuracy. Elementary functions from ./libm.js: the same numbers on every engine.
import { exp, log, log1p } from "./libm.js";
import { betaIncomplete, betaIncompleteUpper, erfc, gammaUpper, logGamma } from "./special.js";

/** P(|T| >= |t|) for T ~ t(df); df = Infinity gives the normal answer. */
export function tTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df)) return NaN;
  if (!Number.isFinite(df)) return erfc(Math.abs(t) / Math.SQRT2);
  if (!Number.isFinite(t)) return 0;
  return betaIncomplete(df / 2, 0.5, df / (df + t * t));
}

/** P(T <= t) for T ~ t(df). */
export function tCdf(t: number, df: number): number {
  const half = tTwoSidedP(t, df) / 2;
  return t >= 0 ? 1 - half : half;
}

export function normalCdf(z: number): number {
  return z >= 0 ? 1 - erfc(z / Math.SQRT2) / 2 : erfc(-z / Math.SQRT2) / 2;
}

/** Standard normal quantile: Acklam's rational approximation refined by two Newton steps. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  for (let i = 0; i < 2; i++) {
    const e = normalCdf(x) - p;
    x -= e * Math.sqrt(2 * Math.PI) * exp((x * x) / 2);
  }
  return x;
}

function tDensity(t: number, df: number): number {
  const logc = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * log(df * Math.PI);
  return exp(logc - ((df + 1) / 2) * log1p((t * t) / df));
}

/** Quantile of t(df): Newton's method from the normal quantile, bracketed by bisection. */
export function tQuantile(p: number, df: number): number {
  if (!Number.isFinite(df)) return normalQuantile(p);
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  const tail = upper ? 1 - p : p; // P(T >= x) = tail for x > 0
  let lo = 0;
  let hi = 1;
  while (tTwoSidedP(hi, df) / 2 > tail) hi *= 2;
  let x = Math.min(Math.max(-normalQuantile(tail), lo), hi);
  for (let i = 0; i < 200; i++) {
    const f = tTwoSidedP(x, df) / 2 - tail; // decreasing in x
    if (f > 0) lo = x;
    else hi = x;
    const step = f / tDensity(x, df);
    let next = x + step;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x))) {
      x = next;
      break;
    }
    x = next;
  }
  return upper ? x : -x;
}

/** P(F >= f) for F ~ F(d1, d2). */
export function fUpperP(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  if (!Number.isFinite(d2)) return chi2UpperP(f * d1, d1);
  return betaIncompleteUpper(d1 / 2, d2 / 2, (d1 * f) / (d1 * f + d2));
}

/** P(X >= x) for X ~ chi-squared(k). */
export function chi2UpperP(x: number, k: number): number {
  if (!(x > 0)) return 1;
  return gammaUpper(k / 2, x / 2);
}
