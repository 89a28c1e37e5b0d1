// log, log1p and log10 from IEEE-exact operations only (see ../libm.ts for why).
//
// METHOD. x = 2^k m with sqrt(1/2) <= m < sqrt(2); f = m - 1 is exact (Sterbenz). With s = f / (2 + f),
// log m = 2 atanh s = 2s + (2/3) s^3 + (2/5) s^5 + ..., |s| <= 0.1716. s is formed as a double-double
// (its division's remainder recovered exactly), 2s and (2/3) s^3 are carried in double-double, the rest
// of the series (to s^25; the next term is below 1e-20 relative) in plain doubles. Adding k ln 2 (split
// as in exp.ts) gives log x as a double-double accurate to about 2^-66 relative: log() rounds it once
// (within 0.501 ulp), log10() multiplies it by 1/ln 10 in double-double (so log10(10^n) = n exactly for
// the double nearest 10^n), and pow() multiplies it by the exponent before exp.
import * as consts from "./constants.js";
import { expDD } from "./exp.js";
import { exponentOf, fastTwoSumErr, scaleByPow2, twoProdErr, twoSumErr } from "./exact.js";

// The constants as this module's own (see exp-fast.ts: V8 folds a module's consts, not imported bindings).
const { INV_LN10_HI, INV_LN10_LO, LN2_HI, LN2_LO, TWO_THIRDS_HI, TWO_THIRDS_LO } = consts;

const SQRT2 = 1.4142135623730951;

// 2/(2n+1) for n = 2..12: the coefficients of s^5 .. s^25 (correctly rounded divisions).
const A5 = 2 / 5;
const A7 = 2 / 7;
const A9 = 2 / 9;
const A11 = 2 / 11;
const A13 = 2 / 13;
const A15 = 2 / 15;
const A17 = 2 / 17;
const A19 = 2 / 19;
const A21 = 2 / 21;
const A23 = 2 / 23;
const A25 = 2 / 25;

// logDD's low part, written by it and read at once by its caller: module-private scratch, never
// observable (JavaScript runs one call at a time). A typed array: faster than a module-level let.
const low = new Float64Array(1);

/** log x = logDD(x) + low[0] for a finite x > 0, the high part returned. */
function logDD(x: number): number {
  let k = exponentOf(x);
  let m = scaleByPow2(x, -k); // in [1, 2), exact
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  return log1pPlusKLn2(m - 1, k); // m - 1 is exact
}

/** log(1 + f) + k ln 2 = result + low[0], for sqrt(1/2) - 1 <= f <= sqrt(2) - 1 (exact as given). */
function log1pPlusKLn2(f: number, k: number): number {
  const d = 2 + f;
  const dl = fastTwoSumErr(2, f, d); // 2 + f = d + dl exactly
  const sh = f / d;
  // f - sh (d + dl), exactly but for the last product: sh d = p + pe exactly, and f - p is exact
  const p = sh * d;
  const sl = (f - p - twoProdErr(sh, d, p) - sh * dl) / d;
  // s^2 = q + ql and s^3 = c + cl (double-doubles, dropping terms below 2^-100 relative)
  const q = sh * sh;
  const ql = twoProdErr(sh, sh, q) + 2 * sh * sl;
  const c = sh * q;
  const cl = twoProdErr(sh, q, c) + sh * ql + sl * q;
  // (2/3) s^3 = t + tl
  const t = c * TWO_THIRDS_HI;
  const tl = twoProdErr(c, TWO_THIRDS_HI, t) + c * TWO_THIRDS_LO + cl * TWO_THIRDS_HI;
  const rest = c * q * (A5 + q * (A7 + q * (A9 + q * (A11 + q * (A13 + q * (A15 + q * (A17 + q * (A19 + q * (A21 + q * (A23 + q * A25))))))))));
  // log m = 2sh + t + (2sl + tl + rest)
  const lm = 2 * sh + t;
  const lml = twoSumErr(2 * sh, t, lm) + (2 * sl + tl + rest);
  // + k ln 2, with k LN2_HI exact
  const kh = k * LN2_HI;
  const hi = kh + lm;
  const lo = twoSumErr(kh, lm, hi) + (lml + k * LN2_LO);
  const r = hi + lo;
  low[0] = fastTwoSumErr(hi, lo, r);
  return r;
}

/** NaN, -Infinity, Infinity or undefined (0) for the arguments outside log's finite domain. */
function logSpecial(x: number): number {
  if (x !== x || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  return 0;
}

/** Natural logarithm, within 0.501 ulp (measured). */
export function log(x: number): number {
  if (!(x > 0 && x < Infinity)) return logSpecial(x);
  return logDD(x);
}

/** Below this in magnitude, log(1 + x) rounds to x. */
const LOG1P_LINEAR = 5.551115123125783e-17; // 2^-54
/** log1p's direct range, sqrt(1/2) - 1 .. sqrt(2) - 1: x is used as it is, 1 + x is never rounded. */
const DIRECT_LO = -0.2928932188134525;
const DIRECT_HI = 0.41421356237309503;

/** log(1 + x) without the cancellation of log(1 + x) near 0, within 0.501 ulp (measured). Near 0 it is the
 *  atanh series of log() itself on x exactly; elsewhere log(1 + x) rounded, plus a correction. */
export function log1p(x: number): number {
  if (!(x > -1 && x < Infinity)) return x === -1 ? -Infinity : logSpecial(x);
  if (Math.abs(x) < LOG1P_LINEAR) return x;
  if (x >= DIRECT_LO && x <= DIRECT_HI) return log1pPlusKLn2(x, 0);
  // |log(1 + x)| > 0.34: 1 + x = u + e exactly; log(u + e) = log u + e/u + O((e/u)^2), and |e/u| <= 2^-53
  const u = 1 + x;
  const e = twoSumErr(1, x, u);
  const h = logDD(u);
  return h + (low[0] + e / u);
}

/** Decimal logarithm, within 0.501 ulp (measured); exactly n at the double nearest 10^n. */
export function log10(x: number): number {
  if (!(x > 0 && x < Infinity)) return logSpecial(x);
  const h = logDD(x);
  const p = h * INV_LN10_HI;
  return p + (twoProdErr(h, INV_LN10_HI, p) + h * INV_LN10_LO + low[0] * INV_LN10_HI);
}

/** x^y for finite x > 0 and finite y: e^(y log x) with y log x in double-double. */
export function powPositive(x: number, y: number): number {
  const h = logDD(x);
  const l = low[0];
  const z = y * h;
  // |z| beyond 746 over- or underflows whatever its low part; below, |y| < 2^63 (|log x| >= 2^-53 for
  // x != 1), so the exact product cannot overflow
  if (!(Math.abs(z) < 746)) return z > 0 ? Infinity : z < 0 ? 0 : NaN;
  const zl = twoProdErr(y, h, z) + y * l;
  return expDD(z, zl);
}
