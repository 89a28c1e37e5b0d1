// Multivariate normal box probabilities (Genz's separation of variables; tanh-sinh up to 4 dimensions, a
// seeded lattice beyond) and the truncated normal mean (Tallis): closed forms, and mvtnorm's deterministic
// Miwa algorithm (test/golden/pretrends/pretrends.R, "boxes").
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalCdf } from "../../bindings/stats/distributions.js";
import { mvnRectangle } from "../../bindings/stats/mvn-rectangle.js";
import { truncatedMvnMean } from "../../bindings/stats/truncated-mvn-mean.js";

const gold = JSON.parse(readFileSync(join(import.meta.dirname, "..", "golden", "pretrends", "pretrends.json"), "utf8"));
const flat = (m: number[][]) => m.flat();

describe("mvnRectangle", () => {
  it("independent coordinates: the product of one-dimensional masses", () => {
    const lo = [-1, -0.5, 0.2];
    const hi = [1.5, 2, 3];
    const mean = [0.1, -0.2, 0.3];
    const sd = [1, 2, 0.5];
    const S = [sd[0] ** 2, 0, 0, 0, sd[1] ** 2, 0, 0, 0, sd[2] ** 2];
    const want = lo.reduce((p, l, i) => p * (normalCdf((hi[i] - mean[i]) / sd[i]) - normalCdf((l - mean[i]) / sd[i])), 1);
    expect(mvnRectangle(mean, S, lo, hi).probability).toBeCloseTo(want, 12);
  });
  it("two dimensions, correlation rho, box [0, inf)^2 in the limit: 1/4 + asin(rho) / (2 pi)", () => {
    const rho = 0.6;
    const p = mvnRectangle([0, 0], [1, rho, rho, 1], [0, 0], [40, 40]).probability;
    expect(p).toBeCloseTo(0.25 + Math.asin(rho) / (2 * Math.PI), 12);
  });
  it("matches mvtnorm's Miwa algorithm: 3 and 4 dimensions to 1e-6 (1e-4 with correlations 0.9), 5 within the lattice's error", () => {
    const tol = [1e-8, 1e-6, 5e-5];
    gold.boxes.forEach((b: { mean: number[]; sigma: number[][]; lower: number[]; upper: number[]; probability: number }, i: number) => {
      const r = mvnRectangle(b.mean, flat(b.sigma), b.lower, b.upper, { estimateError: true });
      if (b.mean.length <= 4) {
        expect(r.method).toBe("tanh-sinh");
        expect(Math.abs(r.probability - b.probability), `box ${i}`).toBeLessThan(tol[i]);
      } else {
        expect(r.method).toBe("lattice");
        expect(Math.abs(r.probability - b.probability)).toBeLessThan(Math.max(r.error, 1e-5));
        expect(r.error).toBeLessThan(1e-3);
      }
    });
  });
  it("refuses a covariance that is not positive definite", () => {
    expect(() => mvnRectangle([0, 0], [1, 1, 1, 1], [-1, -1], [1, 1])).toThrow(/not positive definite/);
  });
});

describe("truncatedMvnMean", () => {
  it("one dimension: mu + sigma (phi(a) - phi(b)) / (Phi(b) - Phi(a))", () => {
    const phi = (z: number) => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    const [mu, sd, a, b] = [0.3, 2, -1, 2.5];
    const za = (a - mu) / sd;
    const zb = (b - mu) / sd;
    const want = mu + (sd * (phi(za) - phi(zb))) / (normalCdf(zb) - normalCdf(za));
    expect(truncatedMvnMean([mu], [sd * sd], [a], [b]).mean[0]).toBeCloseTo(want, 12);
  });
  it("a symmetric box around a zero mean leaves the mean at zero; independent coordinates truncate one by one", () => {
    const m = truncatedMvnMean([0, 0, 0], [1, 0.5, 0.2, 0.5, 1, 0.3, 0.2, 0.3, 1], [-1, -2, -1.5], [1, 2, 1.5]).mean;
    m.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-12));
    const ind = truncatedMvnMean([0.5, -0.2], [1, 0, 0, 4], [-1, -1], [1, 3]).mean;
    expect(ind[0]).toBeCloseTo(truncatedMvnMean([0.5], [1], [-1], [1]).mean[0], 10);
    expect(ind[1]).toBeCloseTo(truncatedMvnMean([-0.2], [4], [-1], [3]).mean[0], 10);
  });
});
