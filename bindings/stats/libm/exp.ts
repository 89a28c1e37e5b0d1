// exp, expm1 and tanh from IEEE-exact operations only (see ../libm.ts for why).
//
// METHOD. x = k ln2 + r with k = round(x / ln2), |r| <= ln2/2 (0.347). r is kept as a double-double
// (rh + rl): ln2 is split into LN2_HI (42 significant bits, so k LN2_HI is exact for |k| < 2^11 and
// x - k LN2_HI is exact by Sterbenz's lemma) and LN2_LO. Then e^r = 1 + r + r^2/2 + r^3 P(r) with P the
// Taylor series of (e^r - 1 - r - r^2/2) / r^3 to the r^13 term: the first omitted term, r^14/14!, is
// below 5e-18 relative. 1 + r + r^2/2 is summed exactly (r^2 by Dekker's product), so only the Horner sum,
// a term of at most 0.008 next to the leading 1, and the final rounding add error: about 0.5 ulp. e^x =
// 2^k e^r, the scaling exact except in the subnormal range.
import * as ln2 from "./constants.js";
import * as c from "./exp-constants.js";
import { fastTwoSumErr, scaleByPow2, twoProdErr, twoSumErr } from "./exact.js";

// The constants as this module's own (see exp-fast.ts: V8 folds a module's consts, not imported bindings).
const { LN2_HI, LN2_LO } = ln2;
const { EXP_OVERFLOW, EXP_UNDERFLOW, F10, F11, F12, F13, F3, F4, F5, F6, F7, F8, F9, INV_LN2 } = c;

/** e^r - 1 - r - r^2/2 for |r| <= 0.35 (Taylor to r^13). */
function expTail3(r: number): number {
  const p = F3 + r * (F4 + r * (F5 + r * (F6 + r * (F7 + r * (F8 + r * (F9 + r * (F10 + r * (F11 + r * (F12 + r * F13)))))))));
  return r * r * r * p;
}

// The reduction's outputs [k, rh, rl], written by reduce() and read at once by its caller. Module-private
// scratch, never observable (JavaScript runs one call at a time); a typed array is faster than lets.
const red = new Float64Array(3);

/** x + xl = k ln2 + (rh + rl), |rh| <= 0.35 (xl: a low part of x, 0 for a plain double). */
function reduce(x: number, xl: number): void {
  const k = Math.floor(x * INV_LN2 + 0.5);
  const t = x - k * LN2_HI; // exact
  const u = -k * LN2_LO;
  const a = t + u;
  const al = twoSumErr(t, u, a) + xl;
  const rh = a + al;
  red[0] = k;
  red[1] = rh;
  red[2] = fastTwoSumErr(a, al, rh);
}

/** e^(x + xl) for a double-double argument (used by pow). */
export function expDD(x: number, xl: number): number {
  if (x !== x) return NaN;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  reduce(x, xl);
  const rh = red[1];
  const rl = red[2];
  // e^(rh + rl) = e^rh (1 + rl + ...) = 1 + rh + rh^2/2 + tail3(rh) + rl (1 + rh), to well below an ulp
  const z = rh * rh;
  const hz = 0.5 * z; // rh^2/2 = hz + 0.5 zl exactly
  const s1 = 1 + rh;
  const s = s1 + hz;
  const e = twoSumErr(1, rh, s1) + twoSumErr(s1, hz, s) + (0.5 * twoProdErr(rh, rh, z) + rl + rl * rh + expTail3(rh));
  return scaleByPow2(s + e, red[0]);
}

/** e^x, within 0.54 ulp (measured; see test/stats/libm.test.ts). */
export function exp(x: number): number {
  return expDD(x, 0);
}

/** Below this e^x - 1 rounds to -1 (e^-40 = 4e-18 is under half an ulp of 1). */
const EXPM1_MINUS_ONE = -40;
/** Below this in magnitude e^x - 1 rounds to x (x^2/2 is under half an ulp of x). */
const EXPM1_LINEAR = 5.551115123125783e-17; // 2^-54

/** e^x - 1 without the cancellation of exp(x) - 1 near 0, within 0.58 ulp (measured). */
export function expm1(x: number): number {
  if (x !== x) return NaN;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXPM1_MINUS_ONE) return -1;
  if (Math.abs(x) < EXPM1_LINEAR) return x;
  reduce(x, 0);
  const k = red[0];
  const rh = red[1];
  const rl = red[2];
  if (k > 1000) return expDD(x, 0); // the -1 is far below an ulp
  // e^r - 1 = rh + rh^2/2 + (the rest, small), rh^2/2 = hz + 0.5 zl exactly
  const z = rh * rh;
  const hz = 0.5 * z;
  const rest = 0.5 * twoProdErr(rh, rh, z) + rl + rl * rh + expTail3(rh);
  if (k === 0) {
    const a = rh + hz;
    return a + (twoSumErr(rh, hz, a) + rest);
  }
  // 2^k (1 + rh + hz + rest) - 1 with 1 + rh + hz as an exact pair and the scaling exact (|k| <= 1000)
  const s1 = 1 + rh;
  const s = s1 + hz;
  const se = twoSumErr(1, rh, s1) + twoSumErr(s1, hz, s) + rest;
  const S = scaleByPow2(s, k);
  const SE = scaleByPow2(se, k);
  const d = S - 1;
  return d + (twoSumErr(S, -1, d) + SE);
}

/** tanh(x) = 1 for |x| > 19.1 after rounding (1 - tanh x = 2 e^-2x / (1 + e^-2x) < 2^-54). */
const TANH_ONE = 19.1;
/** Below this, tanh x rounds to x (x^3/3 under half an ulp). */
const TANH_LINEAR = 3.725290298461914e-9; // 2^-28

/** tanh(x) = t / (t + 2) with t = expm1(2|x|), the division corrected by its exact remainder (t + 2 in
 *  double-double): within 1.2 ulp (measured), odd by construction. */
export function tanh(x: number): number {
  if (x !== x) return NaN;
  const a = Math.abs(x);
  if (a < TANH_LINEAR) return x;
  let r = 1;
  if (a <= TANH_ONE) {
    const t = expm1(2 * a);
    const d = t + 2;
    const dl = twoSumErr(t, 2, d);
    const q = t / d;
    const p = q * d; // t - q (d + dl) = (t - p) - pe - q dl, t - p exact (Sterbenz)
    r = q + (t - p - twoProdErr(q, d, p) - q * dl) / d;
  }
  return x < 0 ? -r : r;
}
