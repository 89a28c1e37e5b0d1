// Formulas written as a Stata or R user would write them: the error names the fixest spelling; column
// names that are not identifiers work in backticks (quoteName writes them so); R's parentheses group terms.
import { describe, expect, it } from "vitest";
import { parseFormula, quoteName, termLabel } from "../../bindings/model/formula.js";
import { errorOf } from "../helpers/frames.js";

function message(f: string): string {
  const e = errorOf(() => parseFormula(f));
  expect(e.code, f).toBe("FORMULA_SYNTAX");
  return e.message;
}

describe("Stata syntax is refused with its fixest spelling", () => {
  it("a reghdfe command line becomes a formula, fixed effects and vcov included", () => {
    const m = message("reghdfe y x1 x2, absorb(unit state#year) vce(cluster unit)");
    expect(m).toContain('expected "~"');
    expect(m).toContain("y ~ x1 + x2 | unit + state^year");
    expect(m).toContain('vcov "cluster:unit"');
    expect(message("reghdfe y x, absorb(unit year)")).toContain("y ~ x | unit + year");
    // Without a command, names separated by spaces read as Stata too.
    expect(message("y x")).toContain("y ~ x");
  });

  it("absorb(), vce() and options after a comma point to | and the vcov option", () => {
    expect(message("y ~ x, absorb(unit year)")).toContain("y ~ x | unit + year");
    expect(message("y ~ x + absorb(unit year)")).toContain("fixed effects go after |, as in y ~ x | unit + year");
    expect(message("y ~ x + vce(cluster city)")).toContain("--vcov cluster:city");
    expect(message("y ~ x, vce(robust)")).toContain("--vcov hetero");
  });

  it("Stata's abbreviations of absorb, cluster and robust are read as the options", () => {
    expect(message("y ~ x, a(unit year) cluste(city)")).toContain("y ~ x | unit + year; the variance is the option vcov \"cluster:city\"");
    expect(message("y ~ x, ab(unit) cl(city)")).toContain('vcov "cluster:city"');
    expect(message("y ~ x, rob")).toContain('vcov "hetero"');
    // One letter is not enough for cluster (Stata's minimum is cl), and a longer word is no abbreviation.
    expect(message("y ~ x, c(city)")).not.toContain("cluster:city");
    expect(message("y ~ x, absorbs(unit)")).not.toContain("as in y ~ x | unit");
  });

  it("factor-variable notation: i.year, ib2010.year, c.x#c.z, a##b, and # among fixed effects", () => {
    expect(message("y ~ x + i.year")).toContain("Stata's i.year is written i(year) here, or a fixed effect after |, as in `| year`");
    expect(message("y ~ ib2010.year")).toContain("i(year, ref = 2010)");
    expect(message("y ~ c.x#c.z")).toContain("Stata's c.x#c.z is written x:z here");
    expect(message("y ~ x##z")).toContain("Stata's x##z is written x*z here");
    expect(message("y ~ i.g#c.x")).toContain("written i(g):x here");
    expect(message("y ~ x | unit#year")).toContain("combined fixed effect unit^year");
    expect(message("y ~ x | i.year")).toContain("i(year)");
    expect(message("y ~ x^2")).toContain("^ combines fixed effects after |");
  });

  it("a column really named like Stata notation is read in backticks", () => {
    expect(parseFormula("y ~ `i.year` + `c.x`").terms.map(termLabel)).toEqual(["i.year", "c.x"]);
  });

  it("R functions that are no part of fixest's formula language get advice", () => {
    expect(message("y ~ factor(year)")).toContain("i(var)");
    expect(message("y ~ sin(x)")).toContain('unknown function "sin()"');
  });
});

describe("column names that are not identifiers", () => {
  const awkward = ["ln gdp", "ire-index", "Moody's", "a`b", "back\\slash", "2020gdp", "i.year", "TRUE", "x y z", "城市 GDP", "a:b", "(x)"];

  it("quoteName leaves plain names bare and backticks the rest", () => {
    expect(quoteName("x1")).toBe("x1");
    expect(quoteName("log.gdp")).toBe("log.gdp");
    expect(quoteName("韧性")).toBe("韧性");
    expect(quoteName("ln gdp")).toBe("`ln gdp`");
    expect(quoteName("a`b")).toBe("`a\\`b`");
  });

  it("every name survives quoteName and the parser, as outcome, regressor, i() variable and fixed effect", () => {
    for (const n of awkward) {
      const q = quoteName(n);
      const f = parseFormula(`${q} ~ ${q} + i(${q}, ${q}, ref = 1) | ${q} + ${q}^x`);
      expect(f.outcomes, n).toEqual([n]);
      expect(f.terms[0].factors[0], n).toMatchObject({ kind: "var", name: n });
      expect(f.terms[1].factors[0], n).toMatchObject({ kind: "i", name: n, with: n });
      expect(f.fixef.map((x) => x.vars), n).toEqual([[n], [n, "x"]]);
    }
  });

  it("unquoted, such names fail with the quoted spelling to use", () => {
    expect(message("ln gdp ~ x")).toContain("if `ln gdp` is one column, quote it with backticks: `ln gdp`");
    expect(message("y ~ ln gdp + x")).toContain("`ln gdp`");
    expect(message("y ~ x + ire-index")).toContain("if `ire-index` is one column, quote it with backticks");
    expect(message("ire-index ~ x")).toContain("`ire-index`");
    expect(message("Moody's ~ x")).toContain("`Moody's`");
    expect(message('"ln gdp" ~ x')).toContain("quoted with backticks, not quotes: `ln gdp`");
    // y ~ a - b (spaced) is a removal, not a name.
    expect(message("y ~ a - b")).not.toContain("backticks");
    expect(message("y ~ x | unit year")).toContain("fixed effects are separated by +");
  });

  it("errors that name a column quote it in backticks", () => {
    expect(message("c(`ln gdp`, y, `ln gdp`) ~ x")).toContain("outcome `ln gdp` appears twice");
    expect(message("y ~ x | fe + fe")).toContain("fixed effect `fe` appears twice");
    expect(message("y ~ `ln gdp ~ x")).toContain("unclosed backtick");
  });
});

describe("parentheses group terms, as in R", () => {
  it("y ~ (x1) is x1, (a + b):c distributes and (a + b)*c crosses", () => {
    expect(parseFormula("y ~ (x1)").terms.map(termLabel)).toEqual(["x1"]);
    expect(parseFormula("y ~ (a + b):c + d").terms.map(termLabel)).toEqual(["d", "a:c", "b:c"]);
    expect(parseFormula("y ~ (a + b)*c").terms.map(termLabel)).toEqual(["a", "b", "c", "a:c", "b:c"]);
    expect(parseFormula("y ~ ((a))").terms.map(termLabel)).toEqual(["a"]);
  });

  it("terms are ordered by degree, as R's terms() orders them", () => {
    expect(parseFormula("y ~ x:z + w + i(f):x").terms.map(termLabel)).toEqual(["w", "x:z", "i(f):x"]);
  });

  it("refuses what R would read differently or what cannot be parsed", () => {
    expect(message("y ~ (a - b)")).toContain("- inside parentheses");
    expect(message("y ~ (a + b")).toContain('expected ")"');
    expect(message("y ~ " + "(".repeat(300) + "x" + ")".repeat(300))).toContain("nested more than 200 levels");
  });
});
