import { describe, expect, it } from "vitest";
import { chi2UpperP, fUpperP, normalCdf, normalQuantile, tQuantile, tTwoSidedP } from "../../bindings/stats/distributions.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("distributions (values from R: 2*pt(-abs(t), df), qt, pnorm, pf, pchisq)", () => {
  it("t two-sided p-values, including far tails", () => {
    expect(rel(tTwoSidedP(1.38960005924086, 49), 0.17093234750888)).toBeLessThan(1e-10);
    expect(rel(tTwoSidedP(2.57772062495384, 489), 0.0102370919281748)).toBeLessThan(1e-10);
    expect(rel(tTwoSidedP(49.787943710398, 94), 2.3428561395984e-69)).toBeLessThan(1e-9);
    expect(rel(tTwoSidedP(-4.57027415715995, 499), 6.14770704854305e-06)).toBeLessThan(1e-10);
    expect(tTwoSidedP(0, 10)).toBeCloseTo(1, 14);
  });
  it("t quantiles", () => {
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 12);
    expect(tQuantile(0.025, 3)).toBeCloseTo(-3.182446305283709, 11);
    expect(tQuantile(0.995, 1)).toBeCloseTo(63.65674116287153, 9);
    expect(tQuantile(0.975, Infinity)).toBeCloseTo(1.959963984540054, 12);
  });
  it("normal", () => {
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 14);
    expect(rel(normalCdf(-10), 7.619853024160527e-24)).toBeLessThan(1e-10);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281551565544601, 13);
  });
  it("F and chi-squared upper tails", () => {
    expect(rel(fUpperP(2.5, 3, 40), 0.07325435201794994)).toBeLessThan(1e-10);
    expect(rel(chi2UpperP(7.5, 3), 0.05755845197263641)).toBeLessThan(1e-10);
  });
});
