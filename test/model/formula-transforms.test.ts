// Transforms in formulas (formula-transforms.ts, transform-columns.ts): names as R deparses them (fixest's
// coefficient names), where they are allowed, what a non-finite value does, poly()'s basis, and the
// errors that name the column and the formula position. Numbers against fixest are in
// test/golden/fixest-language.test.ts.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { DidwasmError } from "../../bindings/errors.js";
import { feols } from "../../bindings/estimators/feols.js";
import { parseFormula, termLabel } from "../../bindings/model/formula.js";
import { rNumber } from "../../bindings/model/formula-transforms.js";
import { formulaDataColumns, orthogonalPolynomials } from "../../bindings/model/transform-columns.js";

function errorOf(f: () => unknown): DidwasmError {
  try {
    f();
  } catch (e) {
    if (e instanceof DidwasmError) return e;
    throw e;
  }
  throw new Error("no error");
}

describe("transform names", () => {
  it("are R's deparse of the call, as fixest names coefficients", () => {
    // R 4.2: attr(terms(f), "term.labels") of this formula, and deparse(f[[2]]) for the outcome.
    const f = parseFormula(
      "log(y) ~ log(x) + I(x^2) + I( x*z ) + exp(m/10) + I(x - 1e5) + I(x + 0.0001) + I(x+.5) + I(-x^2) + I(x^-1) + I((x+1)/2) + sqrt(abs(x)) + log1p(x) + w:log(z)",
    );
    expect(f.outcomes).toEqual(["log(y)"]);
    expect(f.terms.map(termLabel)).toEqual([
      "log(x)", "I(x^2)", "I(x * z)", "exp(m/10)", "I(x - 1e+05)", "I(x + 1e-04)", "I(x + 0.5)", "I(-x^2)", "I(x^-1)", "I((x + 1)/2)",
      "sqrt(abs(x))", "log1p(x)", "w:log(z)",
    ]);
  });

  it("give poly() one column per degree, named as model.matrix names them", () => {
    // R 4.2: colnames(model.matrix(~ poly(x, degree = 2) + poly(x, 1) + poly(x, 2, raw = T)))
    const f = parseFormula("y ~ poly(x, degree = 2) + poly(x, 1) + poly(x, 2, raw = T)");
    expect(f.terms.map(termLabel)).toEqual(["poly(x, degree = 2)1", "poly(x, degree = 2)2", "poly(x, 1)", "poly(x, 2, raw = T)1", "poly(x, 2, raw = T)2"]);
    // Inside an interaction each degree is multiplied, in R's order.
    expect(parseFormula("y ~ w:poly(x, 2)").terms.map(termLabel)).toEqual(["w:poly(x, 2)1", "w:poly(x, 2)2"]);
  });

  it("write numbers as R does", () => {
    // R 4.2: deparse() of each number.
    const cases: Array<[number, string]> = [
      [2.5, "2.5"], [1e5, "1e+05"], [1e-4, "1e-04"], [0.001, "0.001"], [123456, "123456"], [1e15, "1e+15"], [0.1234567890123456, "0.123456789012346"], [10000, "10000"],
    ];
    for (const [v, s] of cases) expect(rNumber(v), String(v)).toBe(s);
  });

  it("list the data columns a formula reads (for the report's checks)", () => {
    expect(formulaDataColumns(parseFormula("log(y) ~ poly(x, 2) + I(a * b) + c:log(a) | f[t] + g"))).toEqual(["y", "x", "a", "b", "c", "f", "t", "g"]);
  });
});

describe("transforms in a fit", () => {
  const n = 40;
  const x = Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 13));
  const z = Array.from({ length: n }, (_, i) => (i * 5) % 11);
  const y = x.map((v, i) => 2 + 0.5 * Math.log(v) - 0.1 * z[i] + 0.05 * Math.sin(i));
  const data = fromColumns({ y, x, z, label: x.map((v) => `v${v}`) });

  it("equal the same regressions on precomputed columns", () => {
    const precomputed = fromColumns({ y, lx: x.map(Math.log), zx: z.map((v, i) => v * x[i]), z2: z.map((v) => (v - 1) ** 2) });
    const a = feols(data, "y ~ log(x) + I(z * x) + I((z - 1)^2)");
    const b = feols(precomputed, "y ~ lx + zx + z2");
    expect(a.coefNames).toEqual(["(Intercept)", "log(x)", "I(z * x)", "I((z - 1)^2)"]);
    a.coefNames.forEach((nm, j) => expect(a.coef(nm)).toBeCloseTo(b.coef(b.coefNames[j]), 12));
  });

  it("remove rows where the transform is not finite, with a note that counts them", () => {
    // log(z): z is 0 on 4 rows (i = 0, 11, 22, 33); one more row has z missing and is not counted there.
    const zm: Array<number | null> = [...z];
    zm[5] = null;
    const fit = feols(fromColumns({ y, x, z: zm }), "y ~ log(z) + x");
    expect(fit.nobs).toBe(n - 5);
    const note = fit.notes.find((nt) => nt.kind === "nonfinite_dropped");
    expect(note?.message).toContain("4 observation(s) removed because log(z) is not finite");
  });

  it("refuse a missing column, naming it and its place in the formula", () => {
    const e = errorOf(() => feols(data, "y ~ x + log(zz)"));
    expect(e.code).toBe("UNKNOWN_COLUMN");
    expect(e.message).toContain('"zz"');
    expect(e.message).toContain("log(zz)");
    expect(e.message).toContain("position 13");
    const t = errorOf(() => feols(data, "y ~ x + I(label^2)"));
    expect(t.code).toBe("NOT_NUMERIC");
    expect(t.message).toContain("position 11");
  });

  it("refuse what R's functions or fixest refuse", () => {
    expect(errorOf(() => parseFormula("y ~ log(x, 2)")).message).toContain("log() takes one argument");
    expect(errorOf(() => parseFormula("poly(y, 2) ~ x")).message).toContain("cannot be an outcome");
    expect(errorOf(() => parseFormula("y ~ I(sin(x))")).message).toContain("sin() is not supported inside I()");
    expect(errorOf(() => parseFormula("y ~ poly(x, 0)")).message).toContain("degree must be a whole number");
    expect(errorOf(() => parseFormula("y ~ ln(x)")).message).toContain("the natural logarithm is log(x)");
    expect(errorOf(() => parseFormula("y ~ poly(x, 2, simple = TRUE)")).message).toContain('unknown argument "simple"');
    // poly() of a variable with missing values on the model's rows, and a degree beyond the distinct values.
    const xm: Array<number | null> = [...x];
    xm[3] = null;
    const e = errorOf(() => feols(fromColumns({ y, x: xm }), "y ~ poly(x, 2)"));
    expect(e.message).toContain("poly(x, 2): its variable is missing or not finite on 1 row(s)");
    expect(errorOf(() => feols(data, "y ~ poly(z, 11)")).message).toContain("less than the number of distinct values");
  });

  it("evaluate poly() on the subset's rows, not on every row", () => {
    const sub = feols(data, "y ~ poly(x, 2)", { subset: "z > 2" });
    const rows = z.flatMap((v, i) => (v > 2 ? [i] : []));
    const kept = fromColumns({ y: rows.map((i) => y[i]), x: rows.map((i) => x[i]) });
    const direct = feols(kept, "y ~ poly(x, 2)");
    for (const nm of sub.coefNames) expect(sub.coef(nm)).toBeCloseTo(direct.coef(nm), 10);
  });

  it("refuse a data column named like a transform of the formula", () => {
    const clash = fromColumns({ y, x, "log(x)": x });
    expect(errorOf(() => feols(clash, "y ~ log(x)")).message).toContain("has a column named `log(x)`");
  });
});

describe("orthogonal polynomials", () => {
  it("are orthonormal, orthogonal to the constant, and span the centred powers with R's signs", () => {
    const x = Float64Array.from([1, 2, 4, 7, 11, 3, 3, 9]);
    const P = orthogonalPolynomials(x, 3);
    const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);
    P.forEach((p, j) => {
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 13);
      P.forEach((q, k) => expect(dot(p, q)).toBeCloseTo(j === k ? 1 : 0, 13));
    });
    // Column k is (x - mean)^k less its projection on lower powers, over its norm: its inner product with
    // (x - mean)^k is positive (stats::poly: Q times the sign of R's diagonal).
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    P.forEach((p, j) => expect(dot(p, x.map((v) => (v - mean) ** (j + 1)))).toBeGreaterThan(0));
  });
});
