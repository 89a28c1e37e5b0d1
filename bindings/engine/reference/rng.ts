// Mirror of assembly/rng.ts's fill kernels: the project's PRNG (bindings/random/xoshiro.ts) written into
// a buffer, stream (seed, stream) from its start.
import { Xoshiro128 } from "../../random/xoshiro.js";

export function rngFillU32(seed: number, stream: number, N: number, out_N: Int32Array): void {
  const g = new Xoshiro128(seed, stream);
  for (let i = 0; i < N; i++) out_N[i] = g.u32() | 0;
}

export function rngFillUniform(seed: number, stream: number, N: number, out_N: Float64Array): void {
  const g = new Xoshiro128(seed, stream);
  for (let i = 0; i < N; i++) out_N[i] = g.uniform();
}

export function rngFillBelow(seed: number, stream: number, n: number, N: number, out_N: Int32Array): void {
  const g = new Xoshiro128(seed, stream);
  for (let i = 0; i < N; i++) out_N[i] = g.below(n) | 0;
}
