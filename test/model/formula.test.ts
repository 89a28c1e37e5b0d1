import { describe, expect, it } from "vitest";
import { parseFormula, termLabel } from "../../bindings/model/formula.js";
import { DidwasmError } from "../../bindings/errors.js";

function syntaxError(f: string): DidwasmError {
  try {
    parseFormula(f);
  } catch (e) {
    if (e instanceof DidwasmError) return e;
    throw e;
  }
  throw new Error(`no error for ${f}`);
}

describe("parseFormula", () => {
  it("parses outcomes, terms and fixed effects", () => {
    const f = parseFormula("y ~ x1 + x2 | fe1 + fe2");
    expect(f.outcomes).toEqual(["y"]);
    expect(f.terms.map(termLabel)).toEqual(["x1", "x2"]);
    expect(f.fixef.map((x) => x.name)).toEqual(["fe1", "fe2"]);
    expect(f.intercept).toBe(false);
  });

  it("expands a*b and keeps a:b as a product, without duplicates", () => {
    const f = parseFormula("y ~ a*b + a + c:d");
    expect(f.terms.map(termLabel)).toEqual(["a", "b", "a:b", "c:d"]);
    expect(f.intercept).toBe(true);
  });

  it("reads several outcomes, combined fixed effects and i()", () => {
    const f = parseFormula("c(coop, spill) ~ did + i(year, ref = 2011) + i(g, x, ref = c(-1, 'a')) | city + prov^year");
    expect(f.outcomes).toEqual(["coop", "spill"]);
    expect(f.terms[1].factors[0]).toMatchObject({ kind: "i", name: "year", ref: [2011], with: null });
    expect(f.terms[2].factors[0]).toMatchObject({ kind: "i", name: "g", with: "x", ref: [-1, "a"] });
    expect(f.fixef[1].vars).toEqual(["prov", "year"]);
  });

  it("removes the intercept with -1 or +0", () => {
    expect(parseFormula("y ~ x - 1").intercept).toBe(false);
    expect(parseFormula("y ~ 0 + x").intercept).toBe(false);
    expect(parseFormula("y ~ x").intercept).toBe(true);
  });

  it("accepts Chinese and backticked names", () => {
    const f = parseFormula("韧性 ~ `policy dummy` + 控制变量");
    expect(f.outcomes).toEqual(["韧性"]);
    expect(f.terms.map(termLabel)).toEqual(["policy dummy", "控制变量"]);
  });

  it("points at the position of a syntax error", () => {
    const e = syntaxError("y ~ x + | fe");
    expect(e.code).toBe("FORMULA_SYNTAX");
    expect(e.details.position).toBe(9);
    expect(e.message).toContain("position 9");
    expect(e.message).toContain("\n  y ~ x + | fe\n          ^");
    expect(syntaxError("y x").message).toContain('expected "~"');
    expect(syntaxError("").code).toBe("FORMULA_SYNTAX");
    expect(syntaxError("y ~ x | a | b").message).toContain("the part after the second | is the instrumental-variables part and needs a ~");
    expect(syntaxError("y ~ sin(x)").message).toContain('unknown function "sin()"');
    expect(syntaxError("y ~ i(f, bad = 1)").code).toBe("FORMULA_SYNTAX");
    expect(syntaxError("y ~ x | fe + fe").message).toContain("appears twice");
    expect(syntaxError("y ~ x $ z").message).toContain('unexpected character "$"');
  });
});
