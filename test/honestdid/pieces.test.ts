// The pieces of the sensitivity analysis against values R computes from their definitions
// (test/golden/honestdid/pieces.R): R's normal draws after set.seed(0), truncated and folded normal
// quantiles, the ARP test's linear program (GLPK) and its least-favourable critical value; plus a small
// linear program checked by hand.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromRows, mat } from "../../bindings/estimators/honestdid/dense.js";
import { dualMatrix, solveEta } from "../../bindings/estimators/honestdid/eta-lp.js";
import { leastFavourableCv } from "../../bindings/estimators/honestdid/least-favourable.js";
import { foldedNormalQuantile, truncatedNormalQuantile } from "../../bindings/estimators/honestdid/normal-tails.js";
import { RMersenneTwister, rmvnormDraws } from "../../bindings/estimators/honestdid/r-normal-draws.js";
import { solveStandardLp } from "../../bindings/estimators/honestdid/small-lp.js";

const golden = JSON.parse(readFileSync(join(__dirname, "..", "golden", "honestdid", "pieces.json"), "utf8"));
/** R's jsonlite writes infinities as text. */
const num = (v: number | string) => (v === "Inf" ? Infinity : v === "-Inf" ? -Infinity : Number(v));

describe("R's normal draws after set.seed(0)", () => {
  it("rnorm: to the 15 significant digits the JSON keeps", () => {
    const rng = new RMersenneTwister(0);
    const ours: number[] = golden.rnorm_seed0.map(() => rng.normal());
    ours.forEach((v, i) => expect(Number(v.toPrecision(15))).toBe(golden.rnorm_seed0[i]));
  });
  it("mvtnorm::rmvnorm(method = eigen): to rounding", () => {
    const S: number[][] = golden.rmvnorm.sigma;
    const draws = rmvnormDraws(4, Float64Array.from(S.flat()), 3, 0);
    (golden.rmvnorm.draws as number[][]).forEach((row, i) => row.forEach((v, j) => expect(draws[i * 3 + j]).toBeCloseTo(v, 12)));
  });
});

describe("normal tails", () => {
  it.each(golden.truncated.map((c: Record<string, number | string>) => [num(c.p), num(c.l), num(c.u), num(c.q)]) as Array<[number, number, number, number]>)(
    "truncated quantile p=%s on [%s, %s]",
    (p, l, u, q) => {
      expect(truncatedNormalQuantile(p, l, u)).toBeCloseTo(q, 10);
    },
  );
  it.each(golden.folded.map((c: Record<string, number>) => [c.p, c.mu, c.q]) as Array<[number, number, number]>)("folded quantile p=%s mu=%s", (p, mu, q) => {
    expect(foldedNormalQuantile(p, mu)).toBeCloseTo(q, 10);
  });
});

describe("linear programs", () => {
  it("a standard-form LP solved by hand", () => {
    // max 3a + 2b s.t. a + b + s1 = 4, a + 3b + s2 = 6, all >= 0: the vertex a = 4, b = 0 (value 12), whose
    // multipliers are y = (3, 0) (the first row binds; 3 >= 2 keeps b out).
    const r = solveStandardLp(Float64Array.from([1, 1, 1, 0, 1, 3, 0, 1]), Float64Array.from([4, 6]), Float64Array.from([3, 2, 0, 0]), 2, 4);
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(12, 12);
    expect(Array.from(r.x)).toEqual([4, 0, 0, 2].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(r.y)).toEqual([3, 0].map((v) => expect.closeTo(v, 12)));
    // Infeasible: a + b = -1 with a, b >= 0.
    expect(solveStandardLp(Float64Array.from([1, 1]), Float64Array.from([-1]), Float64Array.from([1, 1]), 1, 2).status).toBe("infeasible");
  });

  const X = fromRows(golden.eta.X as number[][]);
  const S = fromRows(golden.eta.sigma as number[][]);
  const sd = Array.from({ length: S.rows }, (_, i) => Math.sqrt(S.data[i * S.cols + i]));
  it.each(golden.eta.cases.map((c: { y: number[]; eta: number }) => [c.y, c.eta]) as Array<[number[], number]>)("eta(y = %j) equals GLPK's", (y, eta) => {
    const r = solveEta(Float64Array.from(y), dualMatrix(X, sd));
    expect(r.status).toBe("optimal");
    expect(r.eta).toBeCloseTo(eta, 10);
    // The multipliers are a probability vector after weighting by sd (the dual's first constraint).
    expect(r.lambda.reduce((s, l, i) => s + l * sd[i], 0)).toBeCloseTo(1, 12);
  });
  it("least-favourable critical value: the same draws, the same quantile as R", () => {
    expect(leastFavourableCv(X, S, golden.eta.lf_kappa)).toBeCloseTo(golden.eta.lf_cv, 9);
  });
  it("an empty nuisance direction gives the largest standardised moment", () => {
    const y = Float64Array.from([0.5, -2, 1.5]);
    const r = solveEta(y, dualMatrix(mat(3, 0), [1, 2, 0.5]));
    expect(r.eta).toBeCloseTo(3, 12); // max(0.5 / 1, -2 / 2, 1.5 / 0.5)
  });
});
