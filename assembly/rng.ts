// xoshiro128** with the project's seeding, identical to bindings/random/xoshiro.ts (read that file for the
// full specification). One generator state per instance (resampling jobs run one at a time per instance;
// workers own their instances).

let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;

@inline function fmix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

const GOLDEN: u32 = 0x9e3779b9;

/** Starts stream `stream` of seed `seed`. */
export function rngSeed(seed: u32, stream: u32): void {
  const base = fmix32(seed ^ 0x5bd1e995) ^ fmix32(stream + GOLDEN);
  s0 = fmix32(base + GOLDEN);
  s1 = fmix32(base + 2 * GOLDEN);
  s2 = fmix32(base + 3 * GOLDEN);
  s3 = fmix32(base + 4 * GOLDEN);
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
}

@inline export function rngU32(): u32 {
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

/** Uniform on [0, 1) with 53 random bits from two outputs. */
@inline export function rngUniform(): f64 {
  const a = rngU32() >>> 5;
  const b = rngU32() >>> 6;
  return (<f64>a * 67108864.0 + <f64>b) / 9007199254740992.0;
}

/** Unbiased integer in [0, n), 1 <= n <= 2^32 (n passed as f64 so 2^32 fits). */
export function rngBelow(n: f64): u32 {
  const nn = <u64>n;
  const threshold = <u32>((0x100000000 - nn) % nn);
  while (true) {
    const r = rngU32();
    if (r >= threshold) return <u32>(<u64>r % nn);
  }
}

/** Fills out_N (u32) with the next N outputs of stream (seed, stream): used to test both implementations agree. */
export function rngFillU32(seed: u32, stream: u32, N: i32, out_N: usize): void {
  rngSeed(seed, stream);
  for (let i = 0; i < N; i++) store<u32>(out_N + (<usize>i << 2), rngU32());
}

/** Fills out_N (f64) with the next N uniforms of stream (seed, stream). */
export function rngFillUniform(seed: u32, stream: u32, N: i32, out_N: usize): void {
  rngSeed(seed, stream);
  for (let i = 0; i < N; i++) store<f64>(out_N + (<usize>i << 3), rngUniform());
}

/** Fills out_N (i32) with the next N draws of below(n) of stream (seed, stream). */
export function rngFillBelow(seed: u32, stream: u32, n: f64, N: i32, out_N: usize): void {
  rngSeed(seed, stream);
  for (let i = 0; i < N; i++) store<u32>(out_N + (<usize>i << 2), rngBelow(n));
}
