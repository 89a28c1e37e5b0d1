// The instrumental-variables part of a formula (formula-iv.ts): where it is recognised, what it holds,
// and the errors that need only the formula (each pointing at the offending position).
import { describe, expect, it } from "vitest";
import { parseFormula, termLabel } from "../../bindings/model/formula.js";
import { errorOf } from "../helpers/frames.js";

const iv = (source: string) => parseFormula(source, { iv: true });
const labels = (terms: ReadonlyArray<Parameters<typeof termLabel>[0]>) => terms.map(termLabel);

describe("the IV part", () => {
  it("is the last |-part when it holds a ~, with or without fixed effects", () => {
    const a = iv("y ~ x1 + x2 | fe1 + fe2 | e1 + e2 ~ z1 + z2 + z3");
    expect(a.fixef.map((f) => f.name)).toEqual(["fe1", "fe2"]);
    expect(labels(a.terms)).toEqual(["x1", "x2"]);
    expect(labels(a.iv!.endogenous)).toEqual(["e1", "e2"]);
    expect(labels(a.iv!.instruments)).toEqual(["z1", "z2", "z3"]);
    expect(a.intercept).toBe(false);
    const b = iv("y ~ x | e ~ z1:z2 + i(g)");
    expect(b.fixef).toEqual([]);
    expect(b.intercept).toBe(true);
    expect(labels(b.iv!.instruments)).toEqual(["z1:z2", "i(g)"]);
    const c = iv("y ~ 1 | e ~ z");
    expect(c.terms).toEqual([]);
    expect(c.intercept).toBe(true);
    expect(iv("y ~ x | fe").iv).toBeNull();
  });

  it("is refused where IV is not estimated, pointing at its ~", () => {
    const e = errorOf(() => parseFormula("y ~ x | fe | e ~ z"));
    expect(e.code).toBe("FORMULA_SYNTAX");
    expect(e.message).toMatch(/instrumental variables .* are estimated by fit \(feols\) only at position 16/);
  });

  it("needs at least as many instruments as endogenous variables, naming both counts", () => {
    const e = errorOf(() => iv("y ~ x | fe | e1 + e2 ~ z"));
    expect(e.message).toMatch(/2 endogenous variable\(s\) \(`e1`, `e2`\) but 1 instrument\(s\) \(`z`\): at least as many instruments/);
    expect(e.details.position).toBe(22);
  });

  it("refuses a variable in two roles, at its position", () => {
    expect(errorOf(() => iv("y ~ x + e | e ~ z")).message).toMatch(/`e` is both endogenous and an exogenous regressor.* at position 13/);
    expect(errorOf(() => iv("y ~ x | e ~ z + x")).message).toMatch(/`x` is both an instrument and an exogenous regressor.* at position 17/);
    expect(errorOf(() => iv("y ~ x | e ~ z + e")).message).toMatch(/`e` is both endogenous and an instrument/);
    expect(errorOf(() => iv("y ~ x | e + e ~ z1 + z2")).message).toMatch(/endogenous variable `e` appears twice/);
    expect(errorOf(() => iv("y ~ x | e ~ z + z")).message).toMatch(/instrument `z` appears twice/);
  });

  it("refuses an empty side, an i() endogenous variable, and a part after it", () => {
    expect(errorOf(() => iv("y ~ x | ~ z")).message).toMatch(/expected an endogenous variable/);
    expect(errorOf(() => iv("y ~ x | e ~ ")).message).toMatch(/expected an instrument/);
    expect(errorOf(() => iv("y ~ x | i(g) ~ z")).message).toMatch(/an endogenous variable cannot be an i\(\) block/);
    expect(errorOf(() => iv("y ~ x | e ~ z | fe")).message).toMatch(/the instrumental-variables part comes last/);
    expect(errorOf(() => iv("y ~ x | fe | year")).message).toMatch(/needs a ~: endogenous ~ instruments/);
  });
});
