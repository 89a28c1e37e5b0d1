// sum log(y!) of a Poisson outcome: the table of running sums for small whole counts and log-gamma for the
// rest must give the same sums, whichever path a value takes (the table is only built while it is short
// next to the outcome, so a short outcome with huge counts takes log-gamma).
import { describe, expect, it } from "vitest";
import { logFactorialSums } from "../../bindings/estimators/glm/log-factorial.js";
import { logGamma } from "../../bindings/stats/special.js";

/** log(k!) summed term by term, the definition: no table, no log-gamma. */
function byDefinition(k: number): number {
  let s = 0;
  for (let j = 2; j <= k; j++) s += Math.log(j);
  return s;
}

describe("logFactorialSums", () => {
  it("small counts (table) agree with the definition, plain and weighted", () => {
    const y = Float64Array.from([0, 1, 2, 3, 7, 20, 170, 3, 0]);
    const w = Float64Array.from([1, 2, 0.5, 1, 3, 1, 0.25, 2, 1]);
    const want = Array.from(y, byDefinition);
    const r = logFactorialSums(y, w);
    expect(r.plain).toBeCloseTo(want.reduce((a, b) => a + b, 0), 9);
    expect(r.weighted).toBeCloseTo(want.reduce((a, b, i) => a + w[i] * b, 0), 9);
  });

  it("huge whole counts in a short outcome (log-gamma) agree with the definition to 1e-13", () => {
    // 4 observations: a table up to 3,000,000 would cost far more than 4 log-gammas, so it is not built.
    const y = Float64Array.from([5, 2_999_999, 1_000_003, 48_611]);
    const want = Array.from(y, byDefinition).reduce((a, b) => a + b, 0);
    const got = logFactorialSums(y, null).plain;
    expect(Math.abs(got - want) / want).toBeLessThan(1e-13);
  });

  it("fractions take log-gamma", () => {
    const y = Float64Array.from([0.5, 2.25, 10]);
    const got = logFactorialSums(y, null).plain;
    expect(got).toBeCloseTo(logGamma(1.5) + logGamma(3.25) + byDefinition(10), 12);
  });
});
