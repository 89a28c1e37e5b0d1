// fixest's rule for the fixed effects' references, on cases small enough to work out by hand (the header
// of bindings/estimators/fixef-references.ts states the rule; fixest-variance.test.ts checks it against
// fixef() on real data).
import { describe, expect, it } from "vitest";
import { fixefPlan, solveFixef } from "../../bindings/estimators/fixef-references.js";
import type { Groups } from "../../bindings/model/groups.js";

const groups = (ids: number[]): Groups => ({ ids: Int32Array.from(ids), G: Math.max(...ids) + 1 });

describe("fixef references", () => {
  it("sets one level of the second fixed effect to 0 per connected component: its first observation's", () => {
    // (a, b) per observation: components {a0, a1, b0, b1} (observations 0-2) and {a2, a3, b2} (3-4).
    const fe = [groups([0, 0, 1, 2, 3]), groups([0, 1, 1, 2, 2])];
    // True values a = 1, 2, 3, 4 and b = 10, 20, 30: each observation's sum.
    const sums = Float64Array.from([1 + 10, 1 + 20, 2 + 20, 3 + 30, 4 + 30]);
    const plan = fixefPlan(fe);
    expect(Array.from(plan.references)).toEqual([0, 2]);
    // b0 = 0 gives a0 = 11, then b1 = 21 - 11 = 10, a1 = 22 - 10 = 12; b2 = 0 gives a2 = 33, a3 = 34.
    expect(Array.from(solveFixef(plan, fe, sums))).toEqual([11, 12, 33, 34, 0, 10, 0]);
  });

  it("with three fixed effects, picks next the first observation with all but two values known", () => {
    // Observation 0 sets b0 = c0 = 0 and gives a0; observation 1 (a1, b0, c1) then knows only b0: it is
    // picked, a1 stays free and c1 becomes a second reference of c.
    const fe = [groups([0, 1]), groups([0, 0]), groups([0, 1])];
    const sums = Float64Array.from([1 + 10 + 100, 2 + 10 + 200]);
    const plan = fixefPlan(fe);
    expect(Array.from(plan.references)).toEqual([0, 1, 2]);
    expect(Array.from(solveFixef(plan, fe, sums))).toEqual([111, 212, 0, 0, 0]);
  });

  it("reads one fixed effect's values from its levels' sums, with no reference", () => {
    const fe = [groups([1, 0, 1])];
    const plan = fixefPlan(fe);
    expect(Array.from(plan.references)).toEqual([0]);
    expect(Array.from(solveFixef(plan, fe, Float64Array.from([5, 7, 5])))).toEqual([7, 5]);
  });
});
