// The wild bootstrap kernel (assembly/resample.ts and its mirror bindings/engine/reference/resample.ts):
// a worked example, the weight distributions, and bit-for-bit parity of the SIMD build, the scalar build
// and the reference backend.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { drawWildWeights } from "../../bindings/resampling/weights.js";
import { backendNames, freshBackend } from "../helpers/backends.js";

const RADEMACHER = 0;
const WEBB = 1;
const MAMMEN = 2;
const NORMAL = 3;
const ENUMERATE = 4;

interface KernelCase {
  G: number;
  K: number;
  T0: number[];
  T1: number[] | null;
  c: number[];
  cIdx: number;
  factor: number;
  kind: number;
  seed: number;
  firstRep: number;
  B: number;
}

function runWild(b: Backend, k: KernelCase) {
  const a = b.arena();
  try {
    const t = a.f64(k.B);
    const mom = a.f64(5 * k.B);
    b.wildBootstrapT(k.G, k.K, a.f64From(k.T0), k.T1 ? a.f64From(k.T1) : null, a.f64From(k.c), k.cIdx, k.factor, k.kind, k.seed, k.firstRep, k.B, a.f64(k.G + 2 * k.K), t, mom);
    const weights = a.f64(k.B * k.G);
    b.wildFillWeights(k.kind, k.seed, k.firstRep, k.B, k.G, weights);
    return { t: Float64Array.from(t.view), mom: Float64Array.from(mom.view), weights: Float64Array.from(weights.view) };
  } finally {
    a.release();
  }
}

describe.each(backendNames)("wildBootstrapT (%s)", (name) => {
  it("a worked example: G = 2, K = 1, all four sign vectors", () => {
    // T0 = (1, 2), T1 = (0.5, -1), c = (0.25, 0.75), factor 1. Replicate j has v_g = +1 when bit g of j is set.
    // j = 3, v = (1, 1): q0 = 1 + 2 = 3 = N0; A = (1 - 0.25*3, 2 - 0.75*3) = (0.25, -0.25), SAA = 0.125,
    //   t = 3 / sqrt(0.125) = 8.48528...; q1 = 0.5 - 1 = -0.5 = N1; B = (0.5 + 0.125, -1 + 0.375) = (0.625, -0.625),
    //   SAB = 0.25*0.625 + 0.25*0.625 = 0.3125, SBB = 2 * 0.390625 = 0.78125.
    // j = 1, v = (1, -1): q0 = 1 - 2 = -1; A = (1 + 0.25, -2 + 0.75) = (1.25, -1.25), SAA = 3.125, t = -1 / sqrt(3.125).
    // j = 0 and j = 2 are the negatives of j = 3 and j = 1 (t changes sign, SAA does not).
    const b = freshBackend(name);
    const r = runWild(b, { G: 2, K: 1, T0: [1, 2], T1: [0.5, -1], c: [0.25, 0.75], cIdx: 0, factor: 1, kind: ENUMERATE, seed: 0, firstRep: 0, B: 4 });
    expect(r.t[3]).toBeCloseTo(3 / Math.sqrt(0.125), 12);
    expect(Array.from(r.mom.subarray(15, 20))).toEqual([3, -0.5, 0.125, 0.3125, 0.78125]);
    expect(r.t[1]).toBeCloseTo(-1 / Math.sqrt(3.125), 12);
    expect(r.t[0]).toBe(-r.t[3]);
    expect(r.t[2]).toBe(-r.t[1]);
    expect(Array.from(r.weights)).toEqual([-1, -1, 1, -1, -1, 1, 1, 1]);
  });

  it("without T1 (unrestricted) the derivative moments are zero; factor scales t by 1/sqrt(factor)", () => {
    const b = freshBackend(name);
    const base = { G: 2, K: 1, T0: [1, 2], T1: null, c: [0.25, 0.75], cIdx: 0, kind: ENUMERATE, seed: 0, firstRep: 0, B: 4 };
    const r1 = runWild(b, { ...base, factor: 1 });
    const r4 = runWild(b, { ...base, factor: 4 });
    expect(Array.from(r1.mom.subarray(15, 20))).toEqual([3, 0, 0.125, 0, 0]);
    expect(r4.t[3]).toBe(r1.t[3] / 2);
  });
});

describe("wild bootstrap weights", () => {
  it("the kernels' literal constants equal the expressions they stand for", () => {
    const s5 = Math.sqrt(5);
    const w = (kind: "webb" | "mammen") => [...new Set(Array.from(drawWildWeights(kind, 1, 0, 2000)))].sort((a, b) => a - b);
    expect(w("webb")).toEqual([-Math.sqrt(3 / 2), -1, -Math.sqrt(1 / 2), Math.sqrt(1 / 2), 1, Math.sqrt(3 / 2)]);
    expect(w("mammen")).toEqual([-(s5 - 1) / 2, (s5 + 1) / 2]);
  });

  it.each(["rademacher", "webb", "mammen", "normal"] as const)("%s weights have mean 0 and variance 1", (kind) => {
    let s = 0;
    let s2 = 0;
    const n = 200_000;
    const v = drawWildWeights(kind, 42, 3, n);
    for (const x of v) {
      s += x;
      s2 += x * x;
    }
    // Standard error of the mean is 1/sqrt(n) = 0.0022; of the variance at most ~sqrt(2/n) = 0.0032.
    expect(Math.abs(s / n)).toBeLessThan(0.012);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });

  it("replicate r draws from stream (seed, r): Rademacher is the low bit of the stream's outputs", () => {
    const g = new Xoshiro128(9, 5);
    const expected = Array.from({ length: 10 }, () => ((g.u32() & 1) === 1 ? 1 : -1));
    expect(Array.from(drawWildWeights("rademacher", 9, 5, 10))).toEqual(expected);
  });
});

describe("parity of the wild bootstrap kernel", () => {
  const backends = {
    simd: createEngine({ backend: "wasm" }).backend,
    scalar: createEngine({ backend: "wasm", simd: false }).backend,
    reference: createEngine({ backend: "reference" }).backend,
  };
  const g = new Xoshiro128(77);
  const G = 37;
  const K = 5; // odd: exercises the SIMD loops' tails
  const rnd = (n: number, scale: number) => Array.from({ length: n }, () => scale * (g.uniform() - 0.5));
  const data = { G, K, T0: rnd(G * K, 3), T1: rnd(G * K, 0.01), c: rnd(G * K, 100), cIdx: 2, factor: 1.0123, seed: 123456789, firstRep: 4000, B: 40 };

  it.each([
    ["rademacher", RADEMACHER],
    ["webb", WEBB],
    ["mammen", MAMMEN],
    ["enumeration", ENUMERATE],
  ] as const)("%s: wasm SIMD, wasm scalar and reference are bit-identical", (_, kind) => {
    for (const T1 of [data.T1, null]) {
      const out = Object.fromEntries(Object.entries(backends).map(([k, b]) => [k, runWild(b, { ...data, T1, kind })]));
      for (const key of ["t", "mom", "weights"] as const) {
        const ref = Array.from(out.reference[key]);
        expect(Array.from(out.simd[key]).every((v, i) => Object.is(v, ref[i])), `${key}: simd vs reference`).toBe(true);
        expect(Array.from(out.scalar[key]).every((v, i) => Object.is(v, ref[i])), `${key}: scalar vs reference`).toBe(true);
      }
    }
  });

  it("normal weights agree across backends to rounding (log and cos may differ in the last ulp)", () => {
    const out = Object.fromEntries(Object.entries(backends).map(([k, b]) => [k, runWild(b, { ...data, kind: NORMAL })]));
    for (const key of ["t", "weights"] as const) {
      const ref = out.reference[key];
      for (const other of [out.simd[key], out.scalar[key]]) {
        other.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThan(1e-12 * Math.max(1, Math.abs(ref[i]))));
      }
    }
    // The two wasm builds share one implementation of log and cos: identical.
    expect(Array.from(out.simd.t)).toEqual(Array.from(out.scalar.t));
  });
});
