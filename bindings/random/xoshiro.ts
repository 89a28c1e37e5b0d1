// The project's one pseudo-random generator, specified completely here so that the AssemblyScript kernels
// (assembly/rng.ts) and this TypeScript version produce identical streams.
//
// GENERATOR: xoshiro128** (Blackman and Vigna 2018), 32-bit state words s0..s3:
//   out = rotl(s1 * 5, 7) * 9;  t = s1 << 9;
//   s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11).
// SEEDING from (seed, stream), both unsigned 32-bit integers, with fmix32 (MurmurHash3's finaliser):
//   base = fmix32(seed ^ 0x5bd1e995) ^ fmix32((stream + 0x9e3779b9) mod 2^32)
//   s_k  = fmix32((base + (k + 1) * 0x9e3779b9) mod 2^32), k = 0..3   (all-zero state replaced by s0 = 1)
// Replicate r of a resampling run uses stream r, so its draws do not depend on which worker runs it.
// DRAWS
//   u32():        the next output.
//   uniform():    ((a >>> 5) * 2^26 + (b >>> 6)) / 2^53 from two outputs a, b: in [0, 1), 53 random bits.
//   below(n):     unbiased integer in [0, n) for 1 <= n <= 2^32: draw r until r >= (2^32 - n) mod n,
//                 return r mod n.
// All arithmetic is on unsigned 32-bit integers (Math.imul and >>> 0 here).
import { cos, log } from "../stats/libm.js";

export function fmix32(h: number): number {
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const GOLDEN = 0x9e3779b9;

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number, stream = 0) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
    if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) throw new RangeError(`stream must be an integer in [0, 2^32), got ${stream}`);
    const base = (fmix32((seed ^ 0x5bd1e995) >>> 0) ^ fmix32((stream + GOLDEN) >>> 0)) >>> 0;
    this.s0 = fmix32((base + GOLDEN) >>> 0);
    this.s1 = fmix32((base + Math.imul(2, GOLDEN)) >>> 0);
    this.s2 = fmix32((base + Math.imul(3, GOLDEN)) >>> 0);
    this.s3 = fmix32((base + Math.imul(4, GOLDEN)) >>> 0);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  u32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5) >>> 0;
    const out = Math.imul(((x << 7) | (x >>> 25)) >>> 0, 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = ((this.s3 << 11) | (this.s3 >>> 21)) >>> 0;
    return out;
  }

  uniform(): number {
    const a = this.u32() >>> 5;
    const b = this.u32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  below(n: number): number {
    if (!(n >= 1 && n <= 0x100000000)) throw new RangeError(`below(n) needs 1 <= n <= 2^32, got ${n}`);
    const threshold = (0x100000000 - n) % n;
    for (;;) {
      const r = this.u32();
      if (r >= threshold) return r % n;
    }
  }

  /** Standard normal by Box-Muller (two uniforms per draw; TypeScript-only uses such as the demo data), with
   *  libm's log and cos so that the draws are the same on every engine. */
  normal(): number {
    const u = 1 - this.uniform(); // (0, 1]
    const v = this.uniform();
    return Math.sqrt(-2 * log(u)) * cos(2 * Math.PI * v);
  }
}
