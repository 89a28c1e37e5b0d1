// The multi-model runner: each model equals its own single fit, models on the same sample demean the
// union of their columns once (counted on the kernels), each model keeps its own sample, and errors name
// the model they come from.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine, type Engine } from "../../bindings/engine/engine.js";
import { feols } from "../../bindings/estimators/feols.js";
import { feolsModels } from "../../bindings/estimators/multi-fit.js";
import { errorOf } from "../helpers/frames.js";

const panel = fromColumns(generateSyntheticPanel({ units: 120, periods: 6, regressors: 3, seed: 3, weights: true, missingRate: 0.05, unitsPerState: 10 }));
const larger = fromColumns(generateSyntheticPanel({ units: 1500, periods: 6, regressors: 3, seed: 4, missingRate: 0.05, unitsPerState: 10 }));

/** An engine whose demeaning kernels count the columns they are given. */
function countingEngine(backendName: "wasm" | "reference"): { engine: Engine; columns: () => number } {
  const base = createEngine({ backend: backendName }).backend;
  let columns = 0;
  // Every solver absorb.ts can pick (the balanced panel's closed form included).
  const counted = new Set(["demean", "demeanTwoWay", "demeanBalanced", "fixefCg"]);
  const backend = new Proxy(base, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof prop !== "string" || !counted.has(prop) || typeof v !== "function") return typeof v === "function" ? v.bind(target) : v;
      return (...args: unknown[]) => {
        columns += args[1] as number;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Backend;
  return { engine: { backend }, columns: () => columns };
}

describe.each(["wasm", "reference"] as const)("feolsModels (%s)", (backendName) => {
  it("fits each step as its own formula would, demeaning the union of the columns once", () => {
    const { engine, columns } = countingEngine(backendName);
    const models = feolsModels(panel, "y ~ csw(x1, x2, x3) | unit + year", { engine, vcov: "cluster:state", weights: "w" });
    expect(models.map((m) => m.fit.formula)).toEqual(["y ~ x1 | unit + year", "y ~ x1 + x2 | unit + year", "y ~ x1 + x2 + x3 | unit + year"]);
    // y, x1, x2, x3 once, where three separate fits would demean 2 + 3 + 4 columns
    expect(columns()).toBe(4);
    for (const m of models) {
      const single = feols(panel, m.fit.formula, { backend: backendName, vcov: "cluster:state", weights: "w" });
      expect(m.fit.coefNames).toEqual(single.coefNames);
      expect(m.fit.nobs).toBe(single.nobs);
      m.fit.estimates().forEach((b, j) => expect(b).toBeCloseTo(single.estimates()[j], 11));
      m.fit.standardErrors().forEach((s, j) => expect(s).toBeCloseTo(single.standardErrors()[j], 11));
      expect(m.fit.r2Within).toBeCloseTo(single.r2Within!, 11);
      expect(m.fit.iterations).toBeGreaterThan(0);
    }
  });

  it("gives each model its own sample, sharing the demeaning only between models on the same rows", () => {
    const { engine, columns } = countingEngine(backendName);
    // x2 and x3 have no missing values, x1 has: the steps without x1 share one sample, the last has its own
    const models = feolsModels(panel, "y ~ csw(x2, x3, x1) | unit + year", { engine });
    expect(models[1].fit.nobs).toBeGreaterThan(models[2].fit.nobs);
    expect(models[0].fit.nobs).toBe(models[1].fit.nobs);
    expect(columns()).toBe(3 + 4);
    const last = feols(panel, "y ~ x2 + x3 + x1 | unit + year", { backend: backendName });
    expect(models[2].fit.coef("x1")).toBeCloseTo(last.coef("x1"), 12);
  });

  it("shares the demeaning between outcomes and steps of one sample, and not across fixed-effect steps", () => {
    const { engine, columns } = countingEngine(backendName);
    const models = feolsModels(panel, "c(x2, y) ~ sw(x3, w) | csw(unit, year)", { engine, subset: "year > 2000" });
    expect(models.map((m) => [m.step?.fixef?.terms, m.lhs, m.step?.rhs?.terms])).toEqual([
      ["unit", "x2", "x3"], ["unit", "x2", "w"], ["unit", "y", "x3"], ["unit", "y", "w"],
      ["unit + year", "x2", "x3"], ["unit + year", "x2", "w"], ["unit + year", "y", "x3"], ["unit + year", "y", "w"],
    ]);
    // y's missing rows make a second sample per fixed-effect set: (x2, x3, w) and (y, x3, w), twice
    expect(columns()).toBe(2 * (3 + 3));
  });

  it("keeps fixest's empty step: the intercept alone", () => {
    const models = feolsModels(panel, "y ~ x2 + csw0(x3)", { backend: backendName });
    expect(models.map((m) => m.fit.coefNames)).toEqual([["(Intercept)", "x2"], ["(Intercept)", "x2", "x3"]]);
    expect(models[0].step).toEqual({ rhs: { index: 0, terms: "" } });
  });

  it("estimates the fixed effects alone for the empty step, sharing their demeaning with the next step", () => {
    const { engine, columns } = countingEngine(backendName);
    const [only, withX] = feolsModels(panel, "y ~ csw0(x2) | unit + year", { engine, weights: "w" });
    expect(columns()).toBe(2);
    expect(only.fit.coefNames).toEqual([]);
    expect(only.fit.formula).toBe("y ~ 1 | unit + year");
    expect(only.fit.nobs).toBe(withX.fit.nobs);
    expect(only.fit.r2Within).toBeNull();
    // The demeaned outcome's sum of squares is the within total the next model's within R² divides by.
    expect(1 - withX.fit.rss / only.fit.rss).toBeCloseTo(withX.fit.r2Within!, 12);
    expect(only.fit.r2).toBeGreaterThan(0);
    expect(only.fit.clusters).toEqual([{ name: "unit", G: withX.fit.clusters[0].G }]);
    expect(only.fit.withVcov("hetero").tidy()).toEqual([]);
    expect(only.toJSON()).toMatchObject({ coefficients: [], step: { rhs: { index: 0, terms: "" } } });
  });

  it("splits samples: fsplit's full sample first, rows with a missing split value in none", () => {
    const models = feolsModels(panel, "y ~ x2 | unit", { backend: backendName, fsplit: "state" });
    const states = [...new Set(panel.numeric("state"))].sort((a, b) => a - b);
    expect(models.map((m) => m.sample?.value)).toEqual([null, ...states]);
    expect(models.slice(1).reduce((s, m) => s + m.fit.nobs, 0)).toBe(models[0].fit.nobs);
    const one = feols(panel, "y ~ x2 | unit", { backend: backendName, subset: `state == ${states[1]}` });
    expect(models[2].fit.coef("x2")).toBeCloseTo(one.coef("x2"), 12);
    expect(models[2].toJSON()).toMatchObject({ sample: { var: "state", value: states[1] }, coefficients: one.toJSON().coefficients });
    expect(models[2].toJSON()).not.toHaveProperty("step");
  });

  it("withVcov on a model that shares its demeaning gives the single fit's variance (its regressors demeaned again)", () => {
    const models = feolsModels(panel, "y ~ csw(x1, x2, x3) | unit + year", { backend: backendName, vcov: "iid", weights: "w" });
    models.forEach((m, k) => {
      const single = feols(panel, ["y ~ x1", "y ~ x1 + x2", "y ~ x1 + x2 + x3"][k] + " | unit + year", { backend: backendName, vcov: "cluster:state", weights: "w" });
      const again = m.fit.withVcov("cluster:state");
      single.tidy().forEach((r, j) => expect(again.tidy()[j].std_error).toBeCloseTo(r.std_error, 12));
    });
  });

  it("keeps each model's results after the shared demeaning's memory is reused by later fits", () => {
    // The shared demeaning lives in the engine's memory only while the models are fitted: residuals, fitted
    // values and the fixed-effects-only model's residuals must be the models' own copies.
    const engine = createEngine({ backend: backendName });
    const models = feolsModels(panel, "y ~ csw0(x2, x3) | unit + year", { engine, weights: "w" });
    // (The fixed effects alone give residuals, not fitted values.)
    const before = models.map((m, k) => ({ resid: m.fit.resid(), predict: k > 0 ? m.fit.predict() : null }));
    // The same shapes with other values, then a larger job over all of that memory.
    feolsModels(panel, "x3 ~ csw0(w, x2) | unit + year", { engine, weights: "w" });
    feols(larger, "y ~ x1 + x2 + x3 | unit + year", { engine });
    models.forEach((m, k) => {
      expect(m.fit.resid()).toEqual(before[k].resid);
      if (k > 0) expect(m.fit.predict()).toEqual(before[k].predict);
    });
    const single = feols(panel, "y ~ x2 + x3 | unit + year", { backend: backendName, weights: "w" });
    expect(Array.from(models[2].fit.resid())).toEqual(Array.from(single.resid()));
  });

  it("names the model an error comes from", () => {
    const e = errorOf(() => feolsModels(panel, "y ~ csw(x2, x3) | unit", { backend: backendName, split: "year", subset: "year <= 2001 | x2 > 2.5" }));
    expect(e.message).toMatch(/^model \d+ \(sample year = \d+, y ~ x2( \+ x3)? \| unit\): /);
    expect(errorOf(() => feolsModels(panel, "y ~ x2", { split: "state", fsplit: "state" })).message).toMatch(/split and fsplit cannot both be given/);
    expect(errorOf(() => feolsModels(panel, "y ~ x2", { split: "nope" })).code).toBe("UNKNOWN_COLUMN");
  });
});
