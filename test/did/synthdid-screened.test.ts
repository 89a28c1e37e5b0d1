// The screened Frank-Wolfe steps (many control units, no Gram matrix) against the Gram path on problems
// large enough that the candidate lists, epochs and bounds are all exercised (n well above the 512
// candidates an epoch keeps): the same iterations and the same weights, in the regimes synthdid meets: a
// strong ridge (every iteration run, as on the 1M-row panel) and a weak one (the decrease rule stops it).
import { describe, expect, it } from "vitest";
import { frankWolfe, gramOf, solveSparse, weightProblem } from "../../bindings/estimators/did/synthdid-solver.js";
import { screenedFrankWolfe } from "../../bindings/estimators/did/synthdid-screened.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** m x n column-major with a common factor and unit noise; the last quarter of the columns repeat the
 *  first quarter (exact ties: the first index must win on both paths). */
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

const maxGap = (a: Float64Array, c: Float64Array) => a.reduce((s, v, j) => Math.max(s, Math.abs(v - c[j])), 0);

describe("screened Frank-Wolfe (no Gram matrix)", () => {
  const m = 8;
  const n = 1600;
  const { A, b } = problem(3, m, n);
  const gram = gramOf(A, m, n);

  it.each([
    ["strong ridge: all iterations run", 4, 1e-9, 3000, false],
    ["weak ridge: the decrease rule stops it", 1e-4, 1e-5, 20_000, true],
  ] as const)("%s", (_, zeta2, minDecrease, maxIter, converges) => {
    const start = new Float64Array(n).fill(1 / n);
    const withGram = frankWolfe(weightProblem(A, m, n, b, zeta2, gram), start, minDecrease, maxIter);
    const screened = frankWolfe(weightProblem(A, m, n, b, zeta2, null), start, minDecrease, maxIter);
    expect(withGram.converged).toBe(converges);
    expect(screened.iterations).toBe(withGram.iterations);
    expect(screened.converged).toBe(converges);
    expect(maxGap(screened.x, withGram.x)).toBeLessThan(1e-12);
    // the weights stay on the simplex
    expect(screened.x.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(Math.min(...screened.x)).toBeGreaterThanOrEqual(0);
  });

  it("follows synthdid's two rounds (100 steps, sparsify, then on) as the Gram path does", () => {
    const start = new Float64Array(n).fill(1 / n);
    const a = solveSparse(weightProblem(A, m, n, b, 0.5, gram), start, 1e-7, 4000, 100);
    const c = solveSparse(weightProblem(A, m, n, b, 0.5, null), start, 1e-7, 4000, 100);
    expect(c.iterations).toBe(a.iterations);
    expect(maxGap(c.x, a.x)).toBeLessThan(1e-12);
  });

  it("lands on a vertex (step size 1) and stays there", () => {
    // columns (1, 0), (0, 1), then 598 copies of (0.5, 0.5); target (0, 1), no ridge, start at e_0:
    // g = A'(A_0 - b) = (1, -1, 0, ...) so the step goes to e_1 with s = 2 / |A_1 - A_0|^2 = 1 exactly;
    // there the residual is 0, every g is 0 and the step is 0, so the decrease rule stops at step 2
    const N = 600;
    const A2 = new Float64Array(2 * N).fill(0.5);
    A2.set([1, 0, 0, 1], 0);
    const start = new Float64Array(N);
    start[0] = 1;
    const r = screenedFrankWolfe(A2, 2, N, Float64Array.of(0, 1), 0, start, 0, 50);
    expect(Array.from(r.x.subarray(0, 3))).toEqual([0, 1, 0]);
    expect(r.x.reduce((s, v) => s + v, 0)).toBe(1);
    expect(r.iterations).toBe(2);
  });
});

