// fepois and feglm beyond the golden numbers: bad input named by row, perfect-fit groups (fixest's rule and
// fixefRm none), separation (Poisson rows removed by the iterative rectifier; logit reported), the IRLS
// options, withVcov, the offset, and transforms in the formula.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { isDidwasmError } from "../../bindings/errors.js";
import { feglm, fepois } from "../../bindings/estimators/glm/feglm.js";

const data = (file: string) => readCsvFile(join(dirname(fileURLToPath(import.meta.url)), "..", "golden", "data", file));
const counts = data("glm_counts.csv");
const did = data("glm_did.csv");

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    expect(isDidwasmError(e)).toBe(true);
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("bad input", () => {
  it("a negative Poisson outcome is refused, naming the row", () => {
    const d = fromColumns({ y: [1, 0, -2, 3], x: [1, 2, 3, 4] });
    expect(errorOf(() => fepois(d, "y ~ x")).message).toMatch(/outcome "y" must be non-negative .* row 3 has -2/);
  });
  it("a non-integer Poisson outcome is accepted, as in fixest", () => {
    const d = fromColumns({ y: [1.5, 0, 2.25, 3, 0.5, 4], x: [1, 2, 3, 4, 5, 6] });
    expect(fepois(d, "y ~ x").converged).toBe(true);
  });
  it("a logit outcome other than 0 or 1 is refused, naming the row and the value", () => {
    const d = fromColumns({ y: [1, 0, 2, 1], x: [1, 2, 3, 4] });
    const e = errorOf(() => feglm(d, "y ~ x", { family: "logit" }));
    expect(e.message).toMatch(/outcome "y" must be 0 or 1 for a logit, but row 3 has 2/);
  });
  it("a constant outcome and a missing offset column are refused", () => {
    expect(errorOf(() => fepois(fromColumns({ y: [0, 0, 0], x: [1, 2, 3] }), "y ~ x")).message).toMatch(/outcome "y" is 0 in every observation/);
    expect(errorOf(() => fepois(counts, "y ~ x1", { offset: "nope" })).message).toContain("nope");
  });
  it("varying slopes are estimated (golden numbers in glm-golden.test.ts); their fixed-effect values are refused", () => {
    const fit = fepois(counts, "y ~ x1 | unit[x2]");
    expect(fit.fixefSizes).toHaveProperty("unit[x2]");
    expect(fit.nparams).toBe(1 + 2 * fit.fixefSizes["unit[x2]"]);
    expect(errorOf(() => fit.fixef()).message).toMatch(/fixed-effect values of models with varying slopes .* not available/);
  });
  it("glmTol, glmIter and fixefRm are checked", () => {
    expect(errorOf(() => fepois(counts, "y ~ x1", { glmTol: 0 })).message).toMatch(/glmTol must be in \(0, 1\)/);
    expect(errorOf(() => fepois(counts, "y ~ x1", { glmIter: 1.5 })).message).toMatch(/glmIter must be a positive integer/);
    expect(errorOf(() => fepois(counts, "y ~ x1", { fixefRm: "both" as never })).message).toMatch(/fixefRm must be "perfect" or "none"/);
  });
});

describe("perfect-fit fixed-effect groups", () => {
  it("units with only zero counts are removed and named in a note (fixest's default)", () => {
    const fit = fepois(counts, "y ~ x1 + x2 | unit + year", { offset: "log_exp" });
    expect(fit.removals).toMatchObject({ perfectFitGroups: { unit: 6 }, perfectFitRows: 48 });
    const note = fit.notes.find((n) => n.kind === "perfect_fit")!;
    expect(note.severity).toBe("info");
    expect(note.message).toMatch(/only 0 outcomes removed \(as fixest\): unit 6 \(e\.g\. 3, 17, 29, \.\.\.\), 48 observation/);
  });
  it("fixefRm none keeps them: their fixed effects diverge, the sample is larger", () => {
    const kept = fepois(counts, "y ~ x1 + x2 | unit + year", { offset: "log_exp", fixefRm: "none", glmIter: 100 });
    const removed = fepois(counts, "y ~ x1 + x2 | unit + year", { offset: "log_exp" });
    expect(kept.nobs).toBe(removed.nobs + 48);
    expect(kept.removals.perfectFitRows).toBe(0);
    // The groups' rows carry (almost) no weight at the end: the coefficients nearly agree.
    expect(kept.coef("x1")).toBeCloseTo(removed.coef("x1"), 5);
  });
  it("logit: groups of all 0 and of all 1 go", () => {
    const fit = feglm(did, "yb ~ x1 | id + period", { family: "logit" });
    expect(fit.removals.perfectFitGroups).toEqual({ id: 2 });
    expect(fit.notes.find((n) => n.kind === "perfect_fit")!.message).toMatch(/only 0 \(or only 1\) outcomes/);
  });
});

describe("separation", () => {
  it("Poisson: the rows separated by a regressor are found, removed and named (ppmlhdfe's rule)", () => {
    const fit = fepois(data("glm_sep.csv"), "y ~ x + d | g", { vcov: "cluster:g" });
    // glm_sep.csv: d = 1 (24 rows, all y = 0) separates; fixest on the other rows has 216 observations.
    expect(fit.removals.separatedRows).toBeGreaterThan(0);
    expect(fit.nobs).toBe(216);
    expect(fit.coefNames).toEqual(["x"]);
    const note = fit.notes.find((n) => n.kind === "separation")!;
    expect(note.severity).toBe("warning");
    expect(note.message).toMatch(/separated by the regressors \(d\) and were removed/);
  });
  it("a well-posed Poisson fit is not checked (no separation note)", () => {
    expect(fepois(counts, "y ~ x1 + x2 | unit").notes.some((n) => n.kind === "separation")).toBe(false);
  });
  it("logit: perfectly predicted rows are reported with the diverging regressor, the estimates left as fixest's", () => {
    const fit = feglm(data("glm_mtcars.csv"), "am ~ wt + qsec", { family: "logit" });
    const note = fit.notes.find((n) => n.kind === "separation")!;
    expect(note.severity).toBe("warning");
    expect(note.message).toMatch(/predicted perfectly .* along .*wt/);
  });
});

describe("the IRLS and the result", () => {
  it("an iteration cap that stops the IRLS early is a warning and converged false", () => {
    const fit = fepois(counts, "y ~ x1 + x2 | unit", { glmIter: 2 });
    expect(fit.converged).toBe(false);
    expect(fit.iterations).toBe(2);
    expect(fit.notes.find((n) => n.kind === "not_converged")!.message).toMatch(/did not converge within 2 iterations/);
  });
  it("withVcov recomputes the variance as a fit asked for it", () => {
    const a = fepois(counts, "y ~ x1 + x2 | unit + year").withVcov("hetero");
    const b = fepois(counts, "y ~ x1 + x2 | unit + year", { vcov: "hetero" });
    expect(a.se("x1")).toBeCloseTo(b.se("x1"), 14);
    expect(a.vcovType).toBe("hetero");
  });
  it("the offset enters the linear predictor with coefficient 1", () => {
    const withOffset = fepois(counts, "y ~ x1 + x2 | unit", { offset: "log_exp" });
    const without = fepois(counts, "y ~ x1 + x2 | unit");
    expect(withOffset.coef("x1")).not.toBeCloseTo(without.coef("x1"), 3);
    expect(withOffset.offset).toBe("log_exp");
  });
  it("a transform in the formula equals the column made beforehand", () => {
    const trade = data("glm_trade.csv");
    const a = fepois(trade, "Euros ~ log(dist_km) | Origin + Destination");
    const b = fepois(trade, "Euros ~ log_dist | Origin + Destination");
    expect(a.coefNames).toEqual(["log(dist_km)"]);
    expect(a.estimates()[0]).toBeCloseTo(b.estimates()[0], 12);
  });
  it("z statistics, normal p-values and intervals", () => {
    const fit = feglm(did, "yb ~ x1 | period", { family: "probit" });
    const [r] = fit.tidy();
    expect(r.statistic).toBeCloseTo(r.estimate / r.std_error, 12);
    expect(r.conf_high - r.estimate).toBeCloseTo(1.959963984540054 * r.std_error, 10);
  });
});
