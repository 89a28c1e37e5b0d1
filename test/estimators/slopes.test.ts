// Fixed effects with varying slopes (formula-slopes.ts, sample-slopes.ts, slopes-demean.ts): parsing and
// merging, the same estimates and standard errors as the slopes written as regressors (i(id, t): one
// coefficient per group), iterations and convergence, and the notes and errors. Numbers against fixest
// are in test/golden/fixest-language.test.ts.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { DidwasmError } from "../../bindings/errors.js";
import { feols } from "../../bindings/estimators/feols.js";
import { boot } from "../../bindings/resampling/boot.js";
import { parseFormula } from "../../bindings/model/formula.js";

function errorOf(f: () => unknown): DidwasmError {
  try {
    f();
  } catch (e) {
    if (e instanceof DidwasmError) return e;
    throw e;
  }
  throw new Error("no error");
}

describe("parsing varying slopes", () => {
  it("reads fe[x], fe[[x]], several slopes and combined fixed effects", () => {
    const f = parseFormula("y ~ x | firm[year] + a^b[[u, v]] + t");
    expect(f.fixef).toEqual([
      { vars: ["firm"], name: "firm[year]", pos: 8, slopes: { vars: ["year"], intercept: true } },
      { vars: ["a", "b"], name: "a^b[[u, v]]", pos: 21, slopes: { vars: ["u", "v"], intercept: false } },
      { vars: ["t"], name: "t", pos: 35 },
    ]);
    expect(f.intercept).toBe(false);
  });

  it("keeps the intercept when every fixed effect is slopes only, as fixest", () => {
    expect(parseFormula("y ~ x | firm[[year]]").intercept).toBe(true);
    expect(parseFormula("y ~ x | firm[[year]] + t").intercept).toBe(false);
  });

  it("merges terms on the same fixed effect, as fixest: id + id[[t]] is id[t]", () => {
    expect(parseFormula("y ~ x | id + year + id[[t]]").fixef.map((f) => f.name)).toEqual(["id[t]", "year"]);
    expect(parseFormula("y ~ x | id[[t]] + id[[u]]").fixef.map((f) => f.name)).toEqual(["id[[t, u]]"]);
  });

  it("refuses a slope variable given twice and unclosed brackets", () => {
    expect(errorOf(() => parseFormula("y ~ x | id[t, t]")).message).toContain("appears twice");
    expect(errorOf(() => parseFormula("y ~ x | id[t] + id[[t]]")).message).toContain("given twice");
    expect(errorOf(() => parseFormula("y ~ x | id[[t]")).message).toContain('expected "]" to close [[');
  });
});

/** An unbalanced panel: 12 units x 7 years less a few rows, unit-specific trends, weights, a text unit id,
 *  continuous v and v2 that vary within every unit, and s, constant in units u0, u3, u6, u9. */
function panel() {
  const rows: Array<{ id: string; t: number; year: number; x: number; y: number; w: number; s: number; v: number; v2: number }> = [];
  for (let u = 0; u < 12; u++) {
    for (let t = 0; t < 7; t++) {
      if ((u * 3 + t) % 11 === 5) continue;
      const x = Math.sin(u * 1.3 + t * 0.7) + 0.1 * t;
      const y = 1.5 * x + u * 0.2 + (u % 4) * 0.3 * t + 0.4 * Math.cos(t * 2.1) + 0.3 * Math.sin(u * t + 1);
      const v = Math.cos(u + t * 1.7);
      const v2 = Math.sin(u * 0.3 + t * t * 0.4);
      rows.push({ id: `u${u}`, t, year: 2000 + t, x, y: y + (u % 3) * v, w: 1 + ((u + t) % 3), s: u % 3 === 0 ? 2 : t, v, v2 });
    }
  }
  const col = <K extends keyof (typeof rows)[0]>(k: K) => rows.map((r) => r[k]);
  return fromColumns({ id: col("id"), t: col("t"), year: col("year"), x: col("x"), y: col("y"), w: col("w"), s: col("s"), v: col("v"), v2: col("v2") });
}

describe.each(["wasm", "reference"] as const)("varying slopes in a fit (%s)", (backend) => {
  const engine = createEngine({ backend });
  const data = panel();

  for (const [slopes, dummies, vcov, weights] of [
    ["y ~ x | id[v] + year", "y ~ x + i(id, v) | id + year", "iid", null],
    ["y ~ x | id[v] + year", "y ~ x + i(id, v) | id + year", "cluster:id", "w"],
    ["y ~ x | id[[v]] + year", "y ~ x + i(id, v) | year", "hetero", "w"],
    ["y ~ x | id[v, v2]", "y ~ x + i(id, v) + i(id, v2) | id", "cluster:id", null],
  ] as const) {
    it(`${slopes} is ${dummies} (${vcov}${weights ? ", weighted" : ""})`, () => {
      const a = feols(data, slopes, { vcov, weights, engine });
      const b = feols(data, dummies, { vcov, weights, engine });
      // The slopes as coefficients make the same model with the same parameter count (v and v2 vary in
      // every unit and are not collinear with the years, so that no slope coefficient is removed: fixest,
      // and so didwasm, counts every slope of fe[x] whether or not the data identify it).
      expect(a.coef("x")).toBeCloseTo(b.coef("x"), 10);
      expect(Math.abs(a.se("x") / b.se("x") - 1)).toBeLessThan(1e-8);
      expect(a.dfResidual).toBe(b.dfResidual);
      expect(a.r2).toBeCloseTo(b.r2, 10);
      expect(a.converged).toBe(true);
    });
  }

  it("recomputes its variance with the slopes counted (withVcov)", () => {
    const clustered = feols(data, "y ~ x | id[v] + year", { engine, vcov: "cluster:id" });
    const iid = feols(data, "y ~ x | id[v] + year", { engine, vcov: "iid" });
    expect(clustered.withVcov("iid").se("x")).toBeCloseTo(iid.se("x"), 12);
  });

  it("reports iterations: one pass for a single term, sweeps for several, and non-convergence", () => {
    expect(feols(data, "y ~ x | id[t]", { engine }).iterations).toBe(1);
    const two = feols(data, "y ~ x | id[t] + year", { engine, vcov: "iid" });
    expect(two.iterations).toBeGreaterThan(1);
    const capped = feols(data, "y ~ x | id[t] + year", { engine, vcov: "iid", maxIter: 2, tol: 1e-14 });
    expect(capped.converged).toBe(false);
    expect(capped.notes.some((n) => n.kind === "not_converged")).toBe(true);
  });

  it("notes a slope variable constant within groups, naming it and the count", () => {
    // s is 2 throughout units u0, u3, u6 and u9.
    const fit = feols(data, "y ~ x | id[s]", { engine });
    const note = fit.notes.find((n) => n.kind === "slope_degenerate");
    expect(note?.severity).toBe("warning");
    expect(note?.message).toContain("slope variable `s` is constant within 4 of the 12 groups of `id`");
    // Those units are fitted by their mean alone: the same as their slope written as a regressor of 0s.
    const b = feols(data, "y ~ x + i(id, s) | id", { engine });
    expect(fit.coef("x")).toBeCloseTo(b.coef("x"), 10);
  });

  it("refuses a slope variable that is not numeric, or missing", () => {
    const e = errorOf(() => feols(data, "y ~ x | year[id]", { engine }));
    expect(e.code).toBe("NOT_NUMERIC");
    expect(e.message).toContain('slope variable "id" must be numeric');
    expect(errorOf(() => feols(data, "y ~ x | id[tt]", { engine })).message).toContain('unknown slope variable "tt"');
  });
});

describe("estimators that cannot absorb slopes", () => {
  it("refuse them rather than absorbing plain fixed effects", () => {
    const e = errorOf(() => boot(panel(), { formula: "y ~ x | id[t]", coef: "x", cluster: "id", reps: 9, seed: 1 }));
    expect(e.code).toBe("BAD_OPTION");
    expect(e.message).toContain("boot does not support fixed effects with varying slopes (id[t])");
  });
});
