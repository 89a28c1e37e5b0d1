// Parity of the logit kernel (assembly/logit.ts) across the SIMD wasm build, the scalar wasm build and the
// TypeScript reference, and of whole logit fits across backends.
//
// WHAT IS COMPARED, AND HOW STRICTLY. The linear predictor is a sum of products in the same order on every
// backend, so it is bit-identical. The working weights, score residuals and deviance go through exp() and
// log1p(), whose AssemblyScript (musl) and V8 (fdlibm) implementations can differ in the last ulp: those
// agree to 1e-14 relative, and so do the information matrix and the score built from them (sums of
// terms of one sign dominate, so relative errors do not grow). The two wasm builds share exp/log1p and
// the canonical two-lane summation order: they are bit-identical. Converged coefficients and standard
// errors agree to 1e-10 relative (LOGIT_PARITY_REL): ulp-level differences, amplified at most by the
// conditioning of the information matrix.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { logit } from "../../bindings/estimators/logit.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** Kernel outputs that pass through exp/log1p: relative agreement across wasm and reference. */
const KERNEL_REL = 1e-14;
/** Converged coefficients and standard errors across backends. */
const LOGIT_PARITY_REL = 1e-10;

const backends = {
  simd: createEngine({ backend: "wasm" }).backend,
  scalar: createEngine({ backend: "wasm", simd: false }).backend,
  reference: createEngine({ backend: "reference" }).backend,
};

function data(n: number, K: number, seed: number) {
  const g = new Xoshiro128(seed);
  const X = new Float64Array(n * K);
  for (let i = 0; i < n; i++) X[i] = 1;
  for (let k = 1; k < K; k++) for (let i = 0; i < n; i++) X[k * n + i] = g.normal() * (1 + k / 3);
  const beta = Float64Array.from({ length: K }, (_, k) => (k === 0 ? -0.3 : 0.5 / k));
  const y = new Float64Array(n);
  const pw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let k = 0; k < K; k++) eta += X[k * n + i] * beta[k];
    y[i] = g.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    pw[i] = 0.5 + g.uniform();
  }
  return { X, y, pw, beta };
}

function runKernel(b: Backend, n: number, K: number, d: ReturnType<typeof data>, weighted: boolean) {
  const a = b.arena();
  try {
    const X = a.f64From(d.X);
    const y = a.f64From(d.y);
    const pw = weighted ? a.f64From(d.pw) : null;
    const beta = a.f64From(Float64Array.from(d.beta, (v) => v * 3)); // far from 0: large |eta| too
    const eta = a.f64(n);
    const w = a.f64(n);
    const r = a.f64(n);
    const info = a.f64(K * K);
    const score = a.f64(K);
    const dev = b.logitIrls(n, K, X, y, pw, beta, eta, w, r, info, score);
    return { dev, eta: Float64Array.from(eta.view), w: Float64Array.from(w.view), r: Float64Array.from(r.view), info: Float64Array.from(info.view), score: Float64Array.from(score.view) };
  } finally {
    a.release();
  }
}

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-300 + 1e-12 * scale));
  return m;
}

describe("logit kernel parity", () => {
  it.each([
    [1001, 4, false],
    [2000, 7, true],
  ] as const)("n = %i, K = %i, weighted = %s", (n, K, weighted) => {
    const d = data(n, K, n + K);
    const out = { simd: runKernel(backends.simd, n, K, d, weighted), scalar: runKernel(backends.scalar, n, K, d, weighted), reference: runKernel(backends.reference, n, K, d, weighted) };
    // wasm builds: bit for bit
    for (const key of ["eta", "w", "r", "info", "score"] as const) expect(Array.from(out.scalar[key])).toEqual(Array.from(out.simd[key]));
    expect(Object.is(out.scalar.dev, out.simd.dev)).toBe(true);
    // linear predictor: bit for bit across wasm and reference
    expect(Array.from(out.reference.eta)).toEqual(Array.from(out.simd.eta));
    for (const key of ["w", "r", "info", "score"] as const) expect(maxRel(out.reference[key], out.simd[key]), key).toBeLessThanOrEqual(KERNEL_REL);
    expect(Math.abs(out.reference.dev - out.simd.dev)).toBeLessThanOrEqual(KERNEL_REL * out.simd.dev);
  });

  it("gives the same fit on every backend (to 1e-10)", () => {
    const n = 5000;
    const K = 6;
    const d = data(n, K, 99);
    const cols: Record<string, Float64Array> = { y: d.y, w: d.pw };
    for (let k = 1; k < K; k++) cols[`x${k}`] = d.X.subarray(k * n, (k + 1) * n).slice();
    const f = "y ~ x1 + x2 + x3 + x4 + x5";
    const fits = Object.entries(backends).map(([name]) =>
      logit(cols, f, { weights: "w", engine: name === "reference" ? createEngine({ backend: "reference" }) : createEngine({ backend: "wasm", simd: name === "simd" }) }),
    );
    const [simd, scalar, ref] = fits;
    expect(Array.from(scalar.estimates())).toEqual(Array.from(simd.estimates()));
    expect(maxRel(ref.estimates(), simd.estimates())).toBeLessThanOrEqual(LOGIT_PARITY_REL);
    expect(maxRel(ref.standardErrors(), simd.standardErrors())).toBeLessThanOrEqual(LOGIT_PARITY_REL);
    expect(ref.iterations).toBe(simd.iterations);
  });
});
