// The exact building blocks of the elementary functions: error-free transformations (the rounding error
// of a sum or a product, itself a double) and access to the exponent of a double. Only IEEE-754
// operations that every engine performs identically (+ - * /, comparisons, typed-array bit views) are
// used, so everything built from these is bit-for-bit the same in Node and in every browser.

/** Rounding error of s = fl(a + b): a + b = s + twoSumErr(a, b, s) exactly (Knuth's TwoSum). */
export function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/** Rounding error of s = fl(a + b) when |a| >= |b| (or a = 0): a + b = s + fastTwoSumErr(a, b, s) exactly. */
export function fastTwoSumErr(a: number, b: number, s: number): number {
  return b - (s - a);
}

/** 2^27 + 1: Veltkamp's splitting factor for 53-bit doubles. */
const SPLITTER = 134217729;

/** Rounding error of p = fl(a * b): a b = p + twoProdErr(a, b, p) exactly (Dekker's product; no FMA, so
 *  that no engine can fuse it). Valid while |a|, |b| < 2^996 and a b does not underflow. */
export function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

// One double seen as two 32-bit words. The high word (sign, 11 exponent bits, 20 mantissa bits) is
// element 1 on little-endian machines, 0 on big-endian ones.
const word64 = new Float64Array(1);
const words = new Uint32Array(word64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** 2^-1074 .. 2^-1022 are subnormal: scaling by 2^54 makes them normal without rounding. */
const TWO54 = 18014398509481984;

/** The binary exponent e of a finite x != 0: |x| = m 2^e with 1 <= m < 2. */
export function exponentOf(x: number): number {
  word64[0] = x;
  const e = (words[HI] >>> 20) & 0x7ff;
  if (e !== 0) return e - 1023;
  word64[0] = x * TWO54;
  return ((words[HI] >>> 20) & 0x7ff) - 1023 - 54;
}

/** 2^k for k = -1022..1023, each exact (doubling and halving are), as a table: a lookup is several
 *  times faster than assembling the bits through a typed array. */
const POW2 = new Float64Array(2046);
POW2[1022] = 1;
for (let k = 1; k <= 1023; k++) POW2[1022 + k] = POW2[1021 + k] * 2;
for (let k = 1; k <= 1022; k++) POW2[1022 - k] = POW2[1023 - k] / 2;

/** 2^k for an integer -1022 <= k <= 1023 (exact). */
export function pow2(k: number): number {
  return POW2[k + 1022];
}

/** x 2^k for integer k, with at most one rounding (only when the result is subnormal). */
export function scaleByPow2(x: number, k: number): number {
  if (k > 1023) return x * pow2(1023) * pow2(Math.min(k - 1023, 1023));
  if (k < -1022) return x * pow2(Math.max(k + 1000, -1022)) * pow2(-1000);
  return x * pow2(k);
}

/** The 53-bit integer mantissa M and exponent E of a finite x > 0 with x = M 2^E (for exact BigInt work). */
export function integerMantissa(x: number): { M: bigint; E: number } {
  const e = exponentOf(x);
  word64[0] = x;
  if ((words[HI] >>> 20) & 0x7ff) return { M: (BigInt((words[HI] & 0xfffff) | 0x100000) << 32n) | BigInt(words[LO]), E: e - 52 };
  word64[0] = x * TWO54;
  return { M: (BigInt((words[HI] & 0xfffff) | 0x100000) << 32n) | BigInt(words[LO]), E: e - 52 };
}
