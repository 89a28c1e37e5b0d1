// Which i() dummies a design holds: fixest 0.12.2's reference rule (checked against fixest itself in
// test/golden/fixest-conventions.test.ts), worked out here on a tiny frame where every case is visible.
import { describe, expect, it } from "vitest";
import { toFrame } from "../../bindings/data/columns.js";
import { buildDesign } from "../../bindings/model/design.js";
import { parseFormula } from "../../bindings/model/formula.js";
import { feols } from "../../bindings/estimators/feols.js";
import { errorOf } from "../helpers/frames.js";

// f has levels 1, 2, 3 (numeric), g has "a", "b" (text), one has a single level.
const frame = toFrame({
  f: [3, 1, 2, 1, 2, 3, 1, 2],
  g: ["b", "a", "a", "b", "b", "a", "a", "b"],
  x: [0.5, 1, -1, 2, 0.3, 1.5, -0.7, 0.2],
  one: [7, 7, 7, 7, 7, 7, 7, 7],
  u: [1, 1, 2, 2, 3, 3, 4, 4],
  y: [1, 2, 3, 4, 5, 6, 7, 9],
});
const rows = Int32Array.from({ length: 8 }, (_, i) => i);
const names = (formula: string, hasFixef = false) => buildDesign(frame, parseFormula(formula), rows, hasFixef).names;

describe("the reference level of i() when none is written (fixest's rule)", () => {
  it("drops the first level of a bare i(f) when the model has an intercept or fixed effects", () => {
    expect(names("y ~ i(f)")).toEqual(["(Intercept)", "f::2", "f::3"]);
    expect(names("y ~ i(g) | u", true)).toEqual(["g::b"]);
    // -1 does not matter with fixed effects: fixest adds an intercept to build the factors.
    expect(names("y ~ i(f) - 1 | u", true)).toEqual(["f::2", "f::3"]);
  });

  it("keeps every level of the first bare i() without intercept or fixed effects, not of the next", () => {
    expect(names("y ~ 0 + i(f)")).toEqual(["f::1", "f::2", "f::3"]);
    expect(names("y ~ 0 + i(f) + i(g)")).toEqual(["f::1", "f::2", "f::3", "g::b"]);
    // i(f, x) is the first bare i() here: it keeps its levels, and i(g) is the second.
    expect(names("y ~ 0 + i(f, x) + i(g)")).toEqual(["f::1:x", "f::2:x", "f::3:x", "g::b"]);
  });

  it("keeps every level of i(f, x) and of a product x:i(f)", () => {
    expect(names("y ~ i(f, x)")).toEqual(["(Intercept)", "f::1:x", "f::2:x", "f::3:x"]);
    expect(names("y ~ x:i(f)")).toEqual(["(Intercept)", "x:f::1", "x:f::2", "x:f::3"]);
    expect(names("y ~ i(f):x")).toEqual(["(Intercept)", "f::1:x", "f::2:x", "f::3:x"]);
  });

  it("uses the reference written by name, by position, as TRUE, or through keep", () => {
    expect(names("y ~ i(f, ref = 2)")).toEqual(["(Intercept)", "f::1", "f::3"]);
    expect(names("y ~ i(f, 2)")).toEqual(["(Intercept)", "f::1", "f::3"]);
    expect(names("y ~ i(f, x, 3)")).toEqual(["(Intercept)", "f::1:x", "f::2:x"]);
    expect(names("y ~ i(f, c(1, 3))")).toEqual(["(Intercept)", "f::2"]);
    expect(names("y ~ 0 + i(f, ref = TRUE)")).toEqual(["f::2", "f::3"]);
    expect(names("y ~ i(g, ref = 'b')")).toEqual(["(Intercept)", "g::a"]);
    // keep names the levels; no reference is added on top (fixest: a named keep turns the default off).
    expect(names("y ~ i(f, keep = c(1, 3))")).toEqual(["(Intercept)", "f::1", "f::3"]);
    expect(names("y ~ i(f, ref = 1, keep = c(1, 3))")).toEqual(["(Intercept)", "f::3"]);
  });

  it("a variable with one level leaves a column of zeros that the fit reports removed", () => {
    expect(names("y ~ x + i(one)")).toEqual(["(Intercept)", "x", "i(one)"]);
    const fit = feols(frame, "y ~ x + i(one)", { backend: "reference" });
    expect(fit.toJSON().removed).toEqual(["i(one)"]);
  });
});

describe("i() errors", () => {
  it("a reference or kept level that is not in the sample names the column in backticks", () => {
    const e = errorOf(() => names("y ~ i(f, ref = 9)"));
    expect(e.code).toBe("BAD_OPTION");
    expect(e.message).toContain("9 is not a value of `f`");
    expect(errorOf(() => names("y ~ i(f, keep = c(1, 7))")).message).toContain("i(f, keep = 7)");
  });

  it("i(f, g) with a text g (two factors in fixest) is refused with the alternative", () => {
    const e = errorOf(() => names("y ~ i(f, g)"));
    expect(e.code).toBe("BAD_OPTION");
    expect(e.message).toContain("`g` holds text");
    expect(e.message).toContain("f^g");
  });

  it("arguments fixest has but didwasm does not support are refused clearly", () => {
    const syntax = (f: string) => errorOf(() => parseFormula(f));
    expect(syntax("y ~ i(f, bin = 2)").message).toContain("bin is not supported");
    expect(syntax("y ~ i(f, g, ref2 = 1)").message).toContain("ref2 applies when i() interacts two factors");
    expect(syntax("y ~ i(f, i.g)").message).toContain("interacts two factors");
    expect(syntax("y ~ i(f, x, 1, 2)").message).toContain("at most three unnamed arguments");
    expect(syntax("y ~ i(f, 1, ref = 2)").message).toContain("reference twice");
    expect(syntax("y ~ i(f, c(1, 2, 3))").message).toContain("write ref = c(...)");
    expect(syntax("y ~ i(f, ref = FALSE)").message).toContain("ref = FALSE is not supported");
  });
});
