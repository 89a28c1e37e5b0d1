// The sensitivity analysis's linear programs share their feasible set across many objectives, so phase 1
// runs once per set (StandardFormLp) and the least-favourable quantile solves only the draws that can
// reach it (eta-quantile.ts). Both are claimed to change no bit of any answer: checked here against cold
// solves of every program and the quantile of every draw.
import { describe, expect, it } from "vitest";
import { mat, type Mat } from "../../bindings/estimators/honestdid/dense.js";
import { dualMatrix, etaValue, etaVertex, solveEta } from "../../bindings/estimators/honestdid/eta-lp.js";
import { screenedEtaQuantile } from "../../bindings/estimators/honestdid/eta-quantile.js";
import { quantileType7 } from "../../bindings/estimators/honestdid/least-favourable.js";
import { StandardFormLp } from "../../bindings/estimators/honestdid/small-lp.js";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** A random dual program of the ARP test: m moments, k nuisance parameters, moment sds in [0.5, 2). The
 *  first two moments load +1 and -1 on every nuisance parameter (as a restriction's upper and lower
 *  bounds do), so that the feasible set is never empty. */
function randomProblem(rand: () => number, m: number, k: number): { W: Mat; sd: Float64Array } {
  const X = mat(m, k, Float64Array.from({ length: m * k }, (_, i) => (i < k ? 1 : i < 2 * k ? -1 : Math.round((rand() * 4 - 2) * 4) / 4)));
  const sd = Float64Array.from({ length: m }, () => 0.5 + 1.5 * rand());
  return { W: dualMatrix(X, sd), sd };
}

describe("StandardFormLp: one phase 1, many objectives", () => {
  it("gives every objective the cold solve's status, optimum, maximiser and multipliers, bit for bit, in any order", () => {
    const rand = rng(7);
    let optimal = 0;
    for (let trial = 0; trial < 40; trial++) {
      const m = 3 + (trial % 6);
      const { W } = randomProblem(rand, m, 1 + (trial % 3));
      const objectives = Array.from({ length: 12 }, () => Float64Array.from({ length: m }, () => rand() * 6 - 3));
      const shared = new StandardFormLp(W.data, Float64Array.from({ length: W.rows }, (_, i) => (i === 0 ? 1 : 0)), W.rows, W.cols);
      // Solved in reverse order on the shared program, each alone on a fresh one.
      for (const c of [...objectives].reverse()) {
        const cold = new StandardFormLp(W.data, Float64Array.from({ length: W.rows }, (_, i) => (i === 0 ? 1 : 0)), W.rows, W.cols).solve(c);
        const warm = shared.solve(c);
        expect(warm.status).toBe(cold.status);
        expect(Object.is(warm.objective, cold.objective)).toBe(true);
        expect(sameBits(warm.x, cold.x)).toBe(true);
        expect(sameBits(warm.y, cold.y)).toBe(true);
        // The cheaper forms (no multipliers) reach the same vertex and value.
        const noInverse = shared.maximiser(c);
        expect(noInverse.status).toBe(cold.status);
        expect(Object.is(noInverse.objective, cold.objective)).toBe(true);
        expect(sameBits(noInverse.x, cold.x)).toBe(true);
        expect(Object.is(shared.objective(c), cold.objective)).toBe(true);
        expect(shared.lastStatus).toBe(cold.status);
        if (cold.status === "optimal") optimal++;
      }
    }
    expect(optimal).toBeGreaterThan(300);
  });

  it("an infeasible set answers infeasible for every objective", () => {
    // x1 + x2 = 1 and x1 + x2 = 2, x >= 0: empty.
    const lp = new StandardFormLp(Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 2]), 2, 2);
    expect(lp.solve(Float64Array.from([1, 0])).status).toBe("infeasible");
    expect(lp.maximiser(Float64Array.from([0, 1])).status).toBe("infeasible");
    expect(lp.objective(Float64Array.from([1, 1]))).toBeNaN();
    expect(lp.lastStatus).toBe("infeasible");
  });

  it("eta's cheaper forms agree with solveEta", () => {
    const rand = rng(11);
    const { W } = randomProblem(rand, 6, 2);
    for (let t = 0; t < 20; t++) {
      const y = Float64Array.from({ length: 6 }, () => rand() * 4 - 2);
      const full = solveEta(y, W);
      expect(Object.is(etaVertex(y, W).eta, full.eta)).toBe(true);
      expect(sameBits(etaVertex(y, W).lambda, full.lambda)).toBe(true);
      expect(Object.is(etaValue(y, W), full.eta)).toBe(true);
    }
  });
});

describe("the screened quantile of eta", () => {
  it("is the quantile of every draw's eta, bit for bit", () => {
    const rand = rng(3);
    for (let trial = 0; trial < 12; trial++) {
      const m = 4 + (trial % 5);
      const { W, sd } = randomProblem(rand, m, 1 + (trial % 2));
      const n = 200 + 50 * trial;
      const draws = Float64Array.from({ length: n * m }, () => (rand() + rand() + rand() - 1.5) * 2);
      const all = new Float64Array(n);
      for (let s = 0; s < n; s++) all[s] = etaValue(draws.slice(s * m, (s + 1) * m), W);
      for (const p of [0.995, 0.95, 0.5]) {
        const screened = screenedEtaQuantile(draws, m, sd, W, p);
        expect(screened).not.toBeNull();
        expect(Object.is(screened, quantileType7(all, p))).toBe(true);
      }
    }
  });

  it("declines (null) where its bound does not hold: a moment with sd 0", () => {
    const rand = rng(5);
    const { W, sd } = randomProblem(rand, 4, 1);
    sd[2] = 0;
    const draws = Float64Array.from({ length: 100 * 4 }, () => rand() - 0.5);
    expect(screenedEtaQuantile(draws, 4, sd, W, 0.99)).toBeNull();
  });
});
