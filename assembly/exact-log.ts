// The natural logarithm of bindings/stats/libm/log.ts, operation for operation, so that kernels that take
// logs give the same bits as the TypeScript library (AssemblyScript's Math.log, a musl port, can differ
// from it in the last ulp). Method, constants and accuracy (0.501 ulp): see that file. Helpers only; no
// kernel is exported from here.

const LN2_HI: f64 = 0.6931471805598903;
const LN2_LO: f64 = 5.497923018708371e-14;
const TWO_THIRDS_HI: f64 = 0.6666666666666666;
const TWO_THIRDS_LO: f64 = 3.700743415417188e-17;
const SQRT2: f64 = 1.4142135623730951;
const SPLITTER: f64 = 134217729;
const TWO54: f64 = 18014398509481984;

const A5: f64 = 2.0 / 5.0;
const A7: f64 = 2.0 / 7.0;
const A9: f64 = 2.0 / 9.0;
const A11: f64 = 2.0 / 11.0;
const A13: f64 = 2.0 / 13.0;
const A15: f64 = 2.0 / 15.0;
const A17: f64 = 2.0 / 17.0;
const A19: f64 = 2.0 / 19.0;
const A21: f64 = 2.0 / 21.0;
const A23: f64 = 2.0 / 23.0;
const A25: f64 = 2.0 / 25.0;

/** 2^k for an integer -1022 <= k <= 1023, exactly (the bits of the power). */
@inline export function pow2(k: i32): f64 {
  return reinterpret<f64>(<u64>(k + 1023) << 52);
}

/** x 2^k with at most one rounding (only when the result is subnormal); libm/exact.ts's scaleByPow2. */
export function scaleByPow2(x: f64, k: i32): f64 {
  if (k > 1023) return x * pow2(1023) * pow2(min<i32>(k - 1023, 1023));
  if (k < -1022) return x * pow2(max<i32>(k + 1000, -1022)) * pow2(-1000);
  return x * pow2(k);
}

/** The binary exponent e of a finite x != 0: |x| = m 2^e with 1 <= m < 2. */
function exponentOf(x: f64): i32 {
  const e = <i32>((reinterpret<u64>(x) >> 52) & 0x7ff);
  if (e != 0) return e - 1023;
  return <i32>((reinterpret<u64>(x * TWO54) >> 52) & 0x7ff) - 1023 - 54;
}

@inline function twoSumErr(a: f64, b: f64, s: f64): f64 {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

@inline function fastTwoSumErr(a: f64, b: f64, s: f64): f64 {
  return b - (s - a);
}

@inline function twoProdErr(a: f64, b: f64, p: f64): f64 {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** log(1 + f) + k ln 2, rounded once, for sqrt(1/2) - 1 <= f <= sqrt(2) - 1 (libm/log.ts's
 *  log1pPlusKLn2, its low part dropped after the final rounding as log() does). */
function log1pPlusKLn2(f: f64, k: i32): f64 {
  const d = 2 + f;
  const dl = fastTwoSumErr(2, f, d);
  const sh = f / d;
  const p = sh * d;
  const sl = (f - p - twoProdErr(sh, d, p) - sh * dl) / d;
  const q = sh * sh;
  const ql = twoProdErr(sh, sh, q) + 2 * sh * sl;
  const c = sh * q;
  const cl = twoProdErr(sh, q, c) + sh * ql + sl * q;
  const t = c * TWO_THIRDS_HI;
  const tl = twoProdErr(c, TWO_THIRDS_HI, t) + c * TWO_THIRDS_LO + cl * TWO_THIRDS_HI;
  const rest = c * q * (A5 + q * (A7 + q * (A9 + q * (A11 + q * (A13 + q * (A15 + q * (A17 + q * (A19 + q * (A21 + q * (A23 + q * A25))))))))));
  const lm = 2 * sh + t;
  const lml = twoSumErr(2 * sh, t, lm) + (2 * sl + tl + rest);
  const kf = <f64>k;
  const kh = kf * LN2_HI;
  const hi = kh + lm;
  const lo = twoSumErr(kh, lm, hi) + (lml + kf * LN2_LO);
  return hi + lo;
}

/** Natural logarithm, the same bits as libm.ts's log. */
export function exactLog(x: f64): f64 {
  if (!(x > 0 && x < Infinity)) {
    if (x != x || x < 0) return NaN;
    if (x == 0) return -Infinity;
    return Infinity;
  }
  let k = exponentOf(x);
  let m = scaleByPow2(x, -k);
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  return log1pPlusKLn2(m - 1, k);
}
