// fwGramSolve (assembly/synthdid-fw.ts): the SIMD build, the scalar build and the TypeScript reference
// return the same bits, and the weights are synthdid's Frank-Wolfe iterates, as frankWolfe in
// synthdid-solver.ts computes them without scaled weights (agreement to rounding), in the regimes the
// solver meets: every step run (strong ridge), the decrease rule stopping it (weak ridge), exact ties
// (repeated units: the first must win), a start on a vertex, and units left out (A'b = -MAX_VALUE, as the
// placebo's whole-controls problems have them).
import { describe, expect, it } from "vitest";
import { createEngine } from "../../bindings/engine/engine.js";
import type { Backend } from "../../bindings/engine/backend.js";
import { crossOf, frankWolfe, gramOf, weightProblem } from "../../bindings/estimators/did/synthdid-solver.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** m x n column-major with a common factor and unit noise; the last 5 columns repeat the first 5. */
function problem(seed: number, m: number, n: number) {
  const rng = new Xoshiro128(seed, 0);
  const f = Array.from({ length: m }, () => rng.normal());
  const A = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const load = rng.normal();
    for (let k = 0; k < m; k++) A[j * m + k] = j >= n - 5 ? A[(j - (n - 5)) * m + k] : load * f[k] + rng.normal();
  }
  const b = Float64Array.from({ length: m }, (_, k) => 0.8 * f[k] + 0.3 * rng.normal());
  return { A, b, G: gramOf(A, m, n), Atb: crossOf(A, m, n, b) };
}

function solveOn(backend: Backend, m: number, n: number, p: ReturnType<typeof problem>, Atb: Float64Array, zeta2: number, x0: Float64Array, minDecrease: number, maxIter: number) {
  const a = backend.arena();
  const x = a.f64From(x0);
  const steps = backend.fwGramSolve(m, n, a.f64From(p.A), a.f64From(p.b), a.f64From(p.G), a.f64From(Atb), zeta2, minDecrease, maxIter, x, a.f64(n), a.f64(m));
  const out = { x: x.view.slice(), steps };
  a.release();
  return out;
}

const backends = {
  simd: createEngine({ backend: "wasm", simd: true }).backend,
  scalar: createEngine({ backend: "wasm", simd: false }).backend,
  reference: createEngine({ backend: "reference" }).backend,
};

const maxGap = (a: Float64Array, c: Float64Array) => a.reduce((s, v, j) => Math.max(s, Math.abs(v - c[j])), 0);

describe("fwGramSolve", () => {
  // n = 203 and m = 15: neither a multiple of the SIMD blocks, so every scalar tail runs too
  const m = 15;
  const n = 203;
  const p = problem(7, m, n);

  it.each([
    ["strong ridge: every step runs", 2, 1e-9, 3000, false],
    ["weak ridge: the decrease rule stops it", 1e-4, 1e-5, 20_000, true],
  ] as const)("%s: the same bits on every backend, frankWolfe's weights", (_, zeta2, minDecrease, maxIter, converges) => {
    const x0 = new Float64Array(n).fill(1 / n);
    const runs = Object.values(backends).map((b) => solveOn(b, m, n, p, p.Atb, zeta2, x0, minDecrease, maxIter));
    for (const r of runs.slice(1)) {
      expect(r.steps).toBe(runs[0].steps);
      expect(Array.from(r.x)).toEqual(Array.from(runs[0].x));
    }
    expect(runs[0].steps < maxIter).toBe(converges);
    const plain = frankWolfe(weightProblem(p.A, m, n, p.b, zeta2, p.G), x0, minDecrease, maxIter);
    expect(runs[0].steps).toBe(plain.iterations);
    expect(maxGap(runs[0].x, plain.x)).toBeLessThan(1e-10);
  });

  it("from a vertex: the same steps as frankWolfe", () => {
    const x0 = new Float64Array(n);
    x0[17] = 1;
    const r = solveOn(backends.simd, m, n, p, p.Atb, 0.5, x0, 1e-9, 500);
    const plain = frankWolfe(weightProblem(p.A, m, n, p.b, 0.5, p.G), x0, 1e-9, 500);
    expect(r.steps).toBe(plain.iterations);
    expect(maxGap(r.x, plain.x)).toBeLessThan(1e-10);
  });

  it("units left out (A'b = -MAX_VALUE) keep weight 0: the subset problem's weights", () => {
    const out = new Set([0, 3, 50, 51, 200]);
    const Atb = p.Atb.map((v, j) => (out.has(j) ? -Number.MAX_VALUE : v));
    const x0 = Float64Array.from({ length: n }, (_, j) => (out.has(j) ? 0 : 1 / (n - out.size)));
    const r = solveOn(backends.simd, m, n, p, Atb, 2, x0, 1e-9, 2000);
    expect(Array.from(r.x)).toEqual(Array.from(solveOn(backends.reference, m, n, p, Atb, 2, x0, 1e-9, 2000).x));
    for (const j of out) expect(r.x[j]).toBe(0);
    // the same problem on the kept units only
    const kept = Int32Array.from({ length: n }, (_, j) => j).filter((j) => !out.has(j));
    const A = new Float64Array(m * kept.length);
    kept.forEach((j, q) => A.set(p.A.subarray(j * m, (j + 1) * m), q * m));
    const sub = frankWolfe(weightProblem(A, m, kept.length, p.b, 2, gramOf(A, m, kept.length)), new Float64Array(kept.length).fill(1 / kept.length), 1e-9, 2000);
    expect(r.steps).toBe(sub.iterations);
    expect(maxGap(Float64Array.from(kept, (j) => r.x[j]), sub.x)).toBeLessThan(1e-10);
  });
});
