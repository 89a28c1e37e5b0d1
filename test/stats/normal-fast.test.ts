// The fast normal cdf and quantile used inside multivariate normal integrands agree with the library's
// accurate ones (incomplete-gamma based) on a grid covering the body and both tails.
import { describe, expect, it } from "vitest";
import { normalCdf, normalQuantile } from "../../bindings/stats/distributions.js";
import { normalCdfFast, normalQuantileFast } from "../../bindings/stats/normal-fast.js";

describe("normal-fast", () => {
  it("cdf within 1e-15 absolute (and 1e-10 relative in the lower tail) of normalCdf on [-12, 12]", () => {
    let worstAbs = 0;
    let worstRel = 0;
    for (let x = -12; x <= 12; x += 0.0137) {
      const a = normalCdfFast(x);
      const b = normalCdf(x);
      worstAbs = Math.max(worstAbs, Math.abs(a - b));
      if (x < 0) worstRel = Math.max(worstRel, Math.abs(a / b - 1));
    }
    expect(worstAbs).toBeLessThan(1e-15);
    expect(worstRel).toBeLessThan(1e-10);
  });
  it("quantile inverts the cdf: relative error below 1e-11 from 1e-300 to 1 - 1e-6 (nearer 1, p itself carries more error than that)", () => {
    const ps = [1e-300, 1e-100, 1e-20, 1e-8, 0.001, 0.02425, 0.024, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575, 0.99, 1 - 1e-6];
    for (const p of ps) {
      const x = normalQuantileFast(p);
      const want = normalQuantile(p);
      expect(Math.abs(x - want), `p = ${p}`).toBeLessThan(1e-11 * Math.max(1, Math.abs(want)));
    }
    expect(normalQuantileFast(0)).toBe(-Infinity);
    expect(normalQuantileFast(1)).toBe(Infinity);
  });
});
