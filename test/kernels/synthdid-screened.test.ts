// fwScreenedSolve (assembly/synthdid-screened.ts): the SIMD build, the scalar build and the TypeScript
// reference return the same bits, and those are synthdid's Frank-Wolfe iterates as the Gram path computes
// them (frankWolfe with G = A'A, agreement to rounding), in the regimes the solver meets: every step run
// (strong ridge), the decrease rule stopping it (weak ridge), exact ties (repeated units: the first must
// win), more units than the candidates an epoch keeps (epochs, bounds) and fewer (every unit a candidate),
// a start on a vertex, and a step landing on one. The workspace (GramWorkspace.solveScreened) runs the same
// kernel on buffers reused from one problem to the next.
import { describe, expect, it } from "vitest";
import { createEngine } from "../../bindings/engine/engine.js";
import type { Backend } from "../../bindings/engine/backend.js";
import { GramWorkspace } from "../../bindings/estimators/did/synthdid-gram-fw.js";
import { screenedFrankWolfe, screenedWorkLength } from "../../bindings/estimators/did/synthdid-screened.js";
import { frankWolfe, gramOf, solveSparse, weightProblem } from "../../bindings/estimators/did/synthdid-solver.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** m x n column-major with a common factor and unit noise; the last quarter of the columns repeat the
 *  first quarter. */
function problem(seed: number, m: number, n: number) {
  const rng = new Xoshiro128(seed, 0);
  const f = Array.from({ length: m }, () => rng.normal());
  const A = new Float64Array(m * n);
  const quarter = n >> 2;
  for (let j = 0; j < n; j++) {
    const load = rng.normal();
    for (let k = 0; k < m; k++) A[j * m + k] = j >= n - quarter ? A[(j - (n - quarter)) * m + k] : load * f[k] + rng.normal();
  }
  const b = Float64Array.from({ length: m }, (_, k) => 0.8 * f[k] + 0.3 * rng.normal());
  return { A, b };
}

function solveOn(backend: Backend, m: number, n: number, K: number, p: { A: Float64Array; b: Float64Array }, zeta2: number, x0: Float64Array, minDecrease: number, maxIter: number) {
  const a = backend.arena();
  const x = a.f64From(x0);
  const steps = backend.fwScreenedSolve(m, n, a.f64From(p.A), a.f64From(p.b), zeta2, minDecrease, maxIter, K, x, a.f64(screenedWorkLength(m, n, K)), a.i32(K));
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

describe("fwScreenedSolve", () => {
  // n = 1203 and m = 13: neither a multiple of the SIMD blocks (4 units), so every scalar tail runs too;
  // 64 candidates an epoch, well below n, so epochs end and their bounds decide
  const m = 13;
  const n = 1203;
  const K = 64;
  const p = problem(5, m, n);
  const G = gramOf(p.A, m, n);

  it.each([
    ["strong ridge: every step runs", 3, 1e-9, 2000, false],
    ["weak ridge: the decrease rule stops it", 1e-4, 1e-5, 20_000, true],
  ] as const)("%s: the same bits on every backend, the Gram path's weights", (_, zeta2, minDecrease, maxIter, converges) => {
    const x0 = new Float64Array(n).fill(1 / n);
    const runs = Object.values(backends).map((b) => solveOn(b, m, n, K, p, zeta2, x0, minDecrease, maxIter));
    for (const r of runs.slice(1)) {
      expect(r.steps).toBe(runs[0].steps);
      expect(Array.from(r.x)).toEqual(Array.from(runs[0].x));
    }
    expect(runs[0].steps < maxIter).toBe(converges);
    const plain = frankWolfe(weightProblem(p.A, m, n, p.b, zeta2, G), x0, minDecrease, maxIter);
    expect(runs[0].steps).toBe(plain.iterations);
    expect(maxGap(runs[0].x, plain.x)).toBeLessThan(1e-12);
    // ties among the repeated columns go to the first: a repeated unit never has weight its original lacks
    const quarter = n >> 2;
    for (let j = n - quarter; j < n; j++) if (runs[0].x[j] > 0) expect(runs[0].x[j - (n - quarter)]).toBeGreaterThan(0);
  });

  it("every unit a candidate (K = n): the same bits on every backend, the Gram path's weights", () => {
    const small = problem(9, 7, 90);
    const x0 = new Float64Array(90).fill(1 / 90);
    const runs = Object.values(backends).map((b) => solveOn(b, 7, 90, 90, small, 0.7, x0, 1e-9, 800));
    for (const r of runs.slice(1)) expect(Array.from(r.x)).toEqual(Array.from(runs[0].x));
    const plain = frankWolfe(weightProblem(small.A, 7, 90, small.b, 0.7, gramOf(small.A, 7, 90)), x0, 1e-9, 800);
    expect(runs[0].steps).toBe(plain.iterations);
    expect(maxGap(runs[0].x, plain.x)).toBeLessThan(1e-12);
  });

  it("from a vertex: the same steps as the Gram path", () => {
    const x0 = new Float64Array(n);
    x0[17] = 1;
    const r = solveOn(backends.simd, m, n, K, p, 0.5, x0, 1e-9, 500);
    expect(Array.from(r.x)).toEqual(Array.from(solveOn(backends.reference, m, n, K, p, 0.5, x0, 1e-9, 500).x));
    const plain = frankWolfe(weightProblem(p.A, m, n, p.b, 0.5, G), x0, 1e-9, 500);
    expect(r.steps).toBe(plain.iterations);
    expect(maxGap(r.x, plain.x)).toBeLessThan(1e-12);
  });

  it("a step onto a vertex (step size 1) stays there, as the TypeScript steps do", () => {
    // columns (1, 0), (0, 1), then copies of (0.5, 0.5); target (0, 1), no ridge, start at e_0: one step to
    // e_1 exactly, where the residual and every gradient are 0, so the decrease rule stops at step 2
    const N = 600;
    const A = new Float64Array(2 * N).fill(0.5);
    A.set([1, 0, 0, 1], 0);
    const x0 = new Float64Array(N);
    x0[0] = 1;
    const r = solveOn(backends.simd, 2, N, 64, { A, b: Float64Array.of(0, 1) }, 0, x0, 0, 50);
    expect(Array.from(r.x.subarray(0, 3))).toEqual([0, 1, 0]);
    expect(r.steps).toBe(2);
  });
});

describe("the screened steps on the engine (GramWorkspace.solveScreened)", () => {
  it("synthdid's two rounds: the same bits as the TypeScript steps, the buffers reused across sizes", () => {
    const ws = new GramWorkspace(createEngine().backend);
    try {
      for (const [seed, m, n] of [[1, 9, 2600], [2, 5, 700], [3, 11, 3100]] as const) {
        const { A, b } = problem(seed, m, n);
        const start = new Float64Array(n).fill(1 / n);
        const p = weightProblem(A, m, n, b, 2, null);
        const onEngine = solveSparse(p, start, 1e-8, 1500, 100, ws);
        const inTs = solveSparse(p, start, 1e-8, 1500, 100);
        expect(onEngine.iterations).toBe(inTs.iterations);
        expect(Array.from(onEngine.x)).toEqual(Array.from(inTs.x));
        // and the TypeScript steps are the reference twin's (K = 512 candidates)
        const direct = screenedFrankWolfe(A, m, n, b, 2, start, 1e-8, 100);
        expect(Array.from(direct.x)).toEqual(Array.from(solveOn(backends.reference, m, n, Math.min(512, n), { A, b }, 2, start, 1e-8, 100).x));
      }
    } finally {
      ws.release();
    }
  });
});
