// Stepwise formulas expanded into one formula per model, in fixest's order (fixed-effect steps outermost),
// and fixest's rules refused with the position of the offending call.
import { describe, expect, it } from "vitest";
import { parseFormula } from "../../bindings/model/formula.js";
import { expandStepwise } from "../../bindings/model/formula-stepwise.js";
import { errorOf } from "../helpers/frames.js";

const formulas = (f: string) => expandStepwise(f).map((m) => m.formula);

describe("expandStepwise", () => {
  it("leaves a formula without a stepwise function as written", () => {
    expect(expandStepwise("c(y1, y2) ~  x + i(f, ref = 2) | a^b")).toEqual([{ formula: "c(y1, y2) ~  x + i(f, ref = 2) | a^b", rhs: null, fixef: null }]);
    // a column named sw is a variable, not a call
    expect(formulas("y ~ sw + csw0")).toEqual(["y ~ sw + csw0"]);
  });

  it("expands sw, sw0, csw and csw0 in the regressors, where the call stood", () => {
    expect(formulas("y ~ sw(a, b) + x")).toEqual(["y ~ a + x", "y ~ b + x"]);
    expect(formulas("y ~ x + sw0(a, b)")).toEqual(["y ~ x", "y ~ x + a", "y ~ x + b"]);
    expect(formulas("y ~ csw(a, b:c, i(f, ref = 1)) | id")).toEqual(["y ~ a | id", "y ~ a + b:c | id", "y ~ a + b:c + i(f, ref = 1) | id"]);
    expect(formulas("y ~ csw0(a, b) + x - 1")).toEqual(["y ~ x - 1", "y ~ a + x - 1", "y ~ a + b + x - 1"]);
    // a step may hold several terms
    expect(formulas("y ~ sw(a + b, c)")).toEqual(["y ~ a + b", "y ~ c"]);
  });

  it("writes the empty step as the intercept alone, or the fixed effects alone", () => {
    expect(formulas("y ~ csw0(a, b)")).toEqual(["y ~ 1", "y ~ a", "y ~ a + b"]);
    expect(formulas("y ~ sw0(a) | id")).toEqual(["y ~ 1 | id", "y ~ a | id"]);
    expect(formulas("y ~ csw0(a) - 1")).toEqual(["y ~ 1 - 1", "y ~ a - 1"]);
  });

  it("expands the fixed effects, their steps outermost, and records each model's steps", () => {
    const m = expandStepwise("c(y, z) ~ csw(a, b) | csw0(id, year)");
    expect(m.map((x) => x.formula)).toEqual([
      "c(y, z) ~ a", "c(y, z) ~ a + b",
      "c(y, z) ~ a | id", "c(y, z) ~ a + b | id",
      "c(y, z) ~ a | id + year", "c(y, z) ~ a + b | id + year",
    ]);
    expect(m[3]).toEqual({ formula: "c(y, z) ~ a + b | id", rhs: { index: 1, terms: "a + b" }, fixef: { index: 1, terms: "id" } });
    expect(m[0].fixef).toEqual({ index: 0, terms: "" });
    expect(formulas("y ~ x | firm^year + sw(id, year)")).toEqual(["y ~ x | firm^year + id", "y ~ x | firm^year + year"]);
  });

  it("keeps an instrument part and does not read its ~ as the formula's", () => {
    expect(formulas("y ~ csw(a, b) | id | d ~ z")).toEqual(["y ~ a | id | d ~ z", "y ~ a + b | id | d ~ z"]);
    expect(formulas("y ~ x | sw0(id) | d ~ z")).toEqual(["y ~ x | d ~ z", "y ~ x | id | d ~ z"]);
  });

  it("refuses what fixest refuses, naming the position", () => {
    const two = errorOf(() => expandStepwise("y ~ csw(a, b) + sw(c, d)"));
    expect(two.code).toBe("FORMULA_SYNTAX");
    expect(two.message).toMatch(/only one stepwise function is allowed in the regressors.*at position 17/s);
    expect(errorOf(() => expandStepwise("y ~ x:sw(a, b)")).message).toMatch(/sw\(\) must be a term of its own.*at position 7/s);
    expect(errorOf(() => expandStepwise("y ~ csw(a, b)*x")).message).toMatch(/csw\(\) must be a term of its own/);
    expect(errorOf(() => expandStepwise("y ~ (x + sw(a, b))")).message).toMatch(/must be a term of its own/);
    expect(errorOf(() => expandStepwise("sw(y1, y2) ~ x")).message).toMatch(/several outcomes are written c\(y1, y2\), not sw\(\)/);
    expect(errorOf(() => expandStepwise("y ~ sw()")).message).toMatch(/sw\(\) needs a term inside/);
    expect(errorOf(() => expandStepwise("y ~ sw(a,, b)")).message).toMatch(/needs a term between commas/);
    expect(errorOf(() => expandStepwise("y ~ sw(a, ref = b)")).message).toMatch(/takes terms only/);
    expect(errorOf(() => expandStepwise("y ~ mvsw(a, b)")).message).toMatch(/mvsw\(\) is not supported/);
    expect(errorOf(() => expandStepwise("y ~ x | id | d ~ sw(z1, z2)")).message).toMatch(/not in the instrument part/);
    expect(errorOf(() => expandStepwise("y ~ sw(a, b")).message).toMatch(/unclosed \(/);
  });

  it("points a formula parsed alone (where one model is expected) to the fit command", () => {
    expect(errorOf(() => parseFormula("y ~ csw(a, b) | id")).message).toMatch(/stepwise csw\(\) expands into several models, which didwasm fit, fepois and feglm .* estimate/);
  });
});
