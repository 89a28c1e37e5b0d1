import { describe, expect, it } from "vitest";
import { Xoshiro128, fmix32 } from "../../bindings/random/xoshiro.js";

describe("Xoshiro128 (TypeScript)", () => {
  it("implements xoshiro128** exactly: state (1, 2, 3, 4) gives the reference outputs", () => {
    // Reference outputs of the C code (Blackman & Vigna) from state {1, 2, 3, 4}: 11520, 0, 5927040, 70819200.
    const g = new Xoshiro128(0);
    (g as any).s0 = 1;
    (g as any).s1 = 2;
    (g as any).s2 = 3;
    (g as any).s3 = 4;
    expect([g.u32(), g.u32(), g.u32(), g.u32()]).toEqual([11520, 0, 5927040, 70819200]);
  });
  it("fmix32 is MurmurHash3's finaliser", () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });
  it("streams are reproducible and distinct", () => {
    const a = new Xoshiro128(42, 7);
    const b = new Xoshiro128(42, 7);
    const c = new Xoshiro128(42, 8);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
  });
  it("uniform draws lie in [0, 1) with mean near 1/2; below(n) is unbiased enough to pass a chi-square check", () => {
    const g = new Xoshiro128(1);
    let s = 0;
    let outside = 0;
    for (let i = 0; i < 100000; i++) {
      const u = g.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      s += u;
    }
    expect(outside).toBe(0);
    expect(Math.abs(s / 100000 - 0.5)).toBeLessThan(0.005);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70000; i++) counts[g.below(7)]++;
    const chi2 = counts.reduce((acc, c) => acc + (c - 10000) ** 2 / 10000, 0);
    expect(chi2).toBeLessThan(22.46); // 99.9% point of chi-square(6)
  });
  it("rejects bad seeds", () => {
    expect(() => new Xoshiro128(-1)).toThrow(RangeError);
    expect(() => new Xoshiro128(1.5)).toThrow(RangeError);
  });
});

import { backendNames, freshBackend } from "../helpers/backends.js";

describe("the PRNG is identical in AssemblyScript and TypeScript", () => {
  const wasm = freshBackend("wasm");
  const ref = freshBackend("reference");
  const draws = (b: ReturnType<typeof freshBackend>, kind: "u32" | "uniform" | "below", seed: number, stream: number, n = 7) => {
    const a = b.arena();
    try {
      if (kind === "uniform") {
        const out = a.f64(1000);
        b.rngFillUniform(seed, stream, 1000, out);
        return Array.from(out.view);
      }
      const out = a.i32(1000);
      if (kind === "u32") b.rngFillU32(seed, stream, 1000, out);
      else b.rngFillBelow(seed, stream, n, 1000, out);
      return Array.from(out.view, (v) => v >>> 0);
    } finally {
      a.release();
    }
  };
  it.each([
    [0, 0], [1, 0], [20261128, 0], [20261128, 1], [20261128, 4294967295], [4294967295, 123456],
  ])("seed %d, stream %d: u32, uniform and below(n) draws match bit for bit", (seed, stream) => {
    expect(draws(wasm, "u32", seed, stream)).toEqual(draws(ref, "u32", seed, stream));
    expect(draws(wasm, "uniform", seed, stream)).toEqual(draws(ref, "uniform", seed, stream));
    for (const n of [1, 2, 7, 1000, 2 ** 31 + 5, 2 ** 32]) expect(draws(wasm, "below", seed, stream, n)).toEqual(draws(ref, "below", seed, stream, n));
  });
  it("the reference backend's draws are the TypeScript class's draws", () => {
    const g = new Xoshiro128(99, 3);
    expect(draws(ref, "u32", 99, 3).slice(0, 5)).toEqual(Array.from({ length: 5 }, () => g.u32()));
    void backendNames;
  });
});
