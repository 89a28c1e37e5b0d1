// didwasm boot: the observed t statistic is feols's clustered t; seeded runs are identical across backends;
// the test-inversion interval's endpoints are where the p-value crosses alpha; the pairs bootstrap and
// randomization inference equal full refits draw by draw and behave under a true null.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import type { Frame } from "../../bindings/data/frame.js";
import { feols, prepareModel } from "../../bindings/estimators/feols.js";
import { fitDesign } from "../../bindings/estimators/fit-design.js";
import { sampleValues } from "../../bindings/model/sample.js";
import { buildClusterDesign } from "../../bindings/resampling/cluster-design.js";
import { buildWildModel, wildDraws } from "../../bindings/resampling/wild-fast.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { boot, type BootOptions } from "../../bindings/resampling/boot.js";
import { permutationPlan, permutedColumn } from "../../bindings/resampling/randomization.js";
import { pValuesAt } from "../../bindings/resampling/test-inversion.js";
import { groupIds } from "../../bindings/model/groups.js";

const TOL = 1e-13;

function staggered(units: number, seed: number, effect: number, unitsPerState = 5, periods = 8): Frame {
  return fromColumns(
    generateSyntheticPanel({ units, periods, regressors: 2, unitsPerState, seed, weights: true, staggered: { cohorts: [2003, 2005], neverShare: 0.4, effect } }),
  );
}

const PANEL = staggered(200, 5, 0.5); // 40 states
const F2 = "y ~ treat + x1 + x2 | unit + year";

describe("the observed t statistic is feols's clustered t", () => {
  const cases: Array<[string, Frame, string, string, Partial<BootOptions>]> = [
    ["two-way fixed effects", PANEL, F2, "state", {}],
    ["analytic weights", PANEL, F2, "state", { weights: "w" }],
    ["no fixed effects (intercept)", PANEL, "y ~ treat + x1", "state", {}],
    ["subset, cluster = unit (every fixed effect but year nested)", PANEL, F2, "unit", { subset: "year >= 2001" }],
    ["smart-city data, missing values", fromColumns(generateSmartCity()), "ire ~ did + lngdp + lnfin + upg + lnfis + fix + tra | city + year", "city", {}],
  ];
  for (const [label, frame, formula, cluster, extra] of cases) {
    it(label, () => {
      const coef = formula.startsWith("ire") ? "did" : "treat";
      const fit = feols(frame, formula, { vcov: `cluster:${cluster}`, tol: TOL, ...extra });
      for (const imposeNull of [true, false]) {
        const r = boot(frame, { formula, coef, cluster, imposeNull, reps: 99, seed: 1, tol: TOL, ...extra });
        expect(r.estimate).toBe(fit.coef(coef));
        expect(Math.abs(r.tObs - fit.tstat(coef))).toBeLessThan(1e-10 * Math.abs(fit.tstat(coef)));
        expect(r.toJSON().t_obs).toBe(r.tObs);
      }
    });
  }
});

describe("seeded runs", () => {
  const o: BootOptions = { formula: F2, coef: "treat", cluster: "state", reps: 499, seed: 2024, weights: "w" };
  it.each(["rademacher", "webb", "mammen"] as const)("%s: identical across backends, bit for bit", (weightType) => {
    for (const imposeNull of [true, false]) {
      const a = boot(PANEL, { ...o, weightType, imposeNull, backend: "wasm" });
      const b = boot(PANEL, { ...o, weightType, imposeNull, backend: "reference" });
      expect(a.draws.every((v, i) => Object.is(v, b.draws[i]))).toBe(true);
      expect(a.toJSON()).toEqual(b.toJSON());
    }
  });
  it("normal weights: the same to rounding across backends, identical on one backend", () => {
    const a = boot(PANEL, { ...o, weightType: "normal", backend: "wasm" });
    const a2 = boot(PANEL, { ...o, weightType: "normal", backend: "wasm" });
    const b = boot(PANEL, { ...o, weightType: "normal", backend: "reference" });
    expect(Array.from(a2.draws)).toEqual(Array.from(a.draws));
    a.draws.forEach((v, i) => expect(Math.abs(v - b.draws[i])).toBeLessThan(1e-10 * Math.max(1, Math.abs(v))));
  });
  it("another seed gives other draws; pairs and ri are identical across backends too", () => {
    const a = boot(PANEL, o);
    expect(Array.from(boot(PANEL, { ...o, seed: 2025 }).draws)).not.toEqual(Array.from(a.draws));
    for (const method of ["pairs", "ri"] as const) {
      const w = boot(PANEL, { ...o, method, reps: 99, backend: "wasm" });
      const r = boot(PANEL, { ...o, method, reps: 99, backend: "reference" });
      expect(w.draws.every((v, i) => Object.is(v, r.draws[i]))).toBe(true);
    }
  });
});

describe("confidence interval by test inversion", () => {
  for (const imposeNull of [true, false]) {
    it(`${imposeNull ? "WCR" : "WCU"}: p >= alpha just inside each endpoint and < alpha just outside, in fresh runs at those nulls`, () => {
      const o: BootOptions = { formula: F2, coef: "treat", cluster: "state", reps: 999, seed: 11, imposeNull, alpha: 0.1 };
      const r = boot(PANEL, o);
      const lo = r.confLow!;
      const hi = r.confHigh!;
      expect(lo).toBeLessThan(r.estimate);
      expect(hi).toBeGreaterThan(r.estimate);
      // The bisection stops within 1e-10 of max(|r|, se): 1e-7 standard errors is clearly on either side,
      // and far closer than the next jump of the p-value (one replicate crossing).
      const eps = 1e-7 * r.stdError;
      const pAt = (nullValue: number) => boot(PANEL, { ...o, null: nullValue }).pValue;
      expect(pAt(hi - eps)).toBeGreaterThanOrEqual(0.1);
      expect(pAt(hi + eps)).toBeLessThan(0.1);
      expect(pAt(lo + eps)).toBeGreaterThanOrEqual(0.1);
      expect(pAt(lo - eps)).toBeLessThan(0.1);
      // At the endpoint the p-value is alpha up to one replicate's step.
      expect(Math.abs(pAt(hi - eps) - 0.1)).toBeLessThanOrEqual(2 / 999);
    });
  }

  it("the p-value at any r from the stored moments equals a fresh run at null r (WCR)", () => {
    const o: BootOptions = { formula: F2, coef: "treat", cluster: "state", reps: 499, seed: 4 };
    const r0 = boot(PANEL, o);
    // Rebuild the inversion inputs from a run at 0 through its JSON-free fields: compare p at several r.
    for (const k of [-2.5, -1, 0.7, 1.9, 3.1]) {
      const r = r0.estimate + k * r0.stdError;
      const fresh = boot(PANEL, { ...o, null: r });
      const viaMoments = momentsP(o, r);
      expect(viaMoments.symmetric).toBe(fresh.pValue);
      expect(viaMoments.equalTailed).toBe(fresh.pEqualTailed);
    }
  });

  it("with few clusters and the null imposed the interval can be unbounded, and says so", () => {
    const small = staggered(20, 9, 0.5, 5); // 4 clusters: 16 sign vectors, smallest symmetric p = 2/16 > 0.05
    const r = boot(small, { formula: F2, coef: "treat", cluster: "state", reps: 999, seed: 1 });
    expect(r.enumerated).toBe(true);
    expect(r.confHigh === Infinity || r.confLow === -Infinity).toBe(true);
    expect(r.notes.some((n) => n.kind === "unbounded_interval" && n.message.includes("unbounded"))).toBe(true);
  });
});

/** The symmetric and equal-tailed p-values at null r from the moments of a run at null 0. */
function momentsP(o: BootOptions, r: number) {
  // boot() keeps the moments internal; rebuild them through the same pieces it uses.
  return pValuesAt(bootInternals(o), r);
}

function bootInternals(o: BootOptions) {
  const p = prepareModel(PANEL, o.formula, { vcov: `cluster:${o.cluster}` });
  const { sample, design } = p.groups[0];
  const y = sampleValues(PANEL, "y", sample.rows, "outcome");
  const [fit] = fitDesign({ frame: PANEL, label: o.formula, outcomes: [{ name: "y", values: y }], sample, design, common: p.common });
  const cl = groupIds(PANEL, o.cluster!, sample.rows);
  const n = sample.rows.length;
  const factor = (cl.G / (cl.G - 1)) * ((n - 1) / (n - fit.dofK));
  const be = p.common.engine.backend;
  const arena = be.arena();
  try {
    const d = buildClusterDesign(be, arena, {
      y, regressors: fit.coefNames.map((nm) => design.columns[design.names.indexOf(nm)]), names: fit.coefNames, fixef: sample.fixef,
      weights: null, cluster: cl, clusterName: o.cluster!, tol: p.common.tol, maxIter: p.common.maxIter,
    });
    const m = buildWildModel(be, arena, d, cl, null, fit.coefNames.indexOf(o.coef), factor, 0, true);
    const dr = wildDraws(p.common.engine, m, 0, o.seed, o.reps!);
    return { estimate: m.estimate, se: m.se, factor, r0: 0, t: dr.t, moments: dr.moments };
  } finally {
    arena.release();
  }
}

describe("pairs cluster bootstrap", () => {
  it("each replicate equals feols on the resampled clusters (copies of a cluster are distinct units)", () => {
    const frame = staggered(60, 3, 0.5); // 12 states
    const o: BootOptions = { formula: F2, coef: "treat", cluster: "state", method: "pairs", reps: 6, seed: 8, tol: TOL };
    const r = boot(frame, o);
    const rows = Int32Array.from({ length: frame.nrow }, (_, i) => i);
    const st = groupIds(frame, "state", rows);
    const rowsOf: number[][] = Array.from({ length: st.G }, () => []);
    st.ids.forEach((g, i) => rowsOf[g].push(i));
    const cols = ["y", "treat", "x1", "x2", "year", "unit"].map((c) => frame.numeric(c));
    for (let rep = 0; rep < 6; rep++) {
      const rng = new Xoshiro128(8, rep);
      const out: Record<string, number[]> = { y: [], treat: [], x1: [], x2: [], year: [], unit: [], state: [] };
      for (let j = 0; j < st.G; j++) {
        const g = rng.below(st.G);
        for (const i of rowsOf[g]) {
          ["y", "treat", "x1", "x2", "year"].forEach((c, k) => out[c].push(cols[k][i]));
          out.unit.push(cols[5][i] + 1e6 * (j + 1)); // a new unit id per copy
          out.state.push(j);
        }
      }
      const fit = feols(fromColumns(out), F2, { vcov: "cluster:state", tol: TOL });
      expect(Math.abs(r.draws[rep] - fit.coef("treat"))).toBeLessThan(1e-9 * Math.max(1, Math.abs(fit.coef("treat"))));
    }
  });

  it("bootstrap standard error near the clustered one; percentile interval around the estimate", () => {
    const r = boot(PANEL, { formula: F2, coef: "treat", cluster: "state", method: "pairs", reps: 499, seed: 1 });
    expect(r.bootSe! / r.stdError).toBeGreaterThan(0.7);
    expect(r.bootSe! / r.stdError).toBeLessThan(1.4);
    expect(r.confLow!).toBeLessThan(r.estimate);
    expect(r.confHigh!).toBeGreaterThan(r.estimate);
    expect(r.pValue).toBeLessThan(0.01); // the effect is 0.5, many standard errors
    const atTruth = boot(PANEL, { formula: F2, coef: "treat", cluster: "state", method: "pairs", reps: 499, seed: 1, null: 0.5 });
    expect(atTruth.pValue).toBeGreaterThan(0.01);
  });
});

describe("randomization inference", () => {
  it("each draw equals feols with the permuted column (whole cluster paths move)", () => {
    const frame = staggered(60, 4, 0.3);
    const r = boot(frame, { formula: F2, coef: "treat", cluster: "state", method: "ri", reps: 5, seed: 6, tol: TOL });
    const rows = Int32Array.from({ length: frame.nrow }, (_, i) => i);
    const plan = permutationPlan(frame.nrow, groupIds(frame, "state", rows));
    for (let rep = 0; rep < 5; rep++) {
      const d = permutedColumn(plan, frame.numeric("treat"), 6, rep);
      const fit = feols(frame.withColumn({ kind: "numeric", name: "treat", values: d }), F2, { vcov: "cluster:state", tol: TOL });
      expect(Math.abs(r.draws[rep] - fit.coef("treat"))).toBeLessThan(1e-9);
    }
  });

  it("without clusters, observations are permuted", () => {
    const frame = staggered(40, 2, 0);
    const r = boot(frame, { formula: "y ~ treat + x1", coef: "treat", method: "ri", reps: 4, seed: 1, tol: TOL });
    const plan = permutationPlan(frame.nrow, null);
    const d = permutedColumn(plan, frame.numeric("treat"), 1, 2);
    expect([...d].sort()).toEqual([...frame.numeric("treat")].sort());
    const fit = feols(frame.withColumn({ kind: "numeric", name: "treat", values: d }), "y ~ treat + x1", { tol: TOL });
    expect(Math.abs(r.draws[2] - fit.coef("treat"))).toBeLessThan(1e-10);
  });
});

describe("under a true null the p-values are roughly uniform", () => {
  // 24 independent panels with no treatment effect: p-values of a valid test are U(0, 1). With 24 draws,
  // the mean lies within 0.5 +- 0.18 (3 standard deviations, sd = 1/sqrt(12 * 24)) and at most 5 of them
  // fall below 0.1 (binomial(24, 0.1): P(> 5) < 0.03).
  const datasets = Array.from({ length: 24 }, (_, s) => staggered(100, 1000 + s, 0, 5, 6)); // 20 states
  it.each([
    ["wild (WCR)", { method: "wild" as const, reps: 199 }],
    ["randomization inference", { method: "ri" as const, reps: 199 }],
    ["pairs", { method: "pairs" as const, reps: 199 }],
  ])("%s", (_, m) => {
    const ps = datasets.map((frame) => boot(frame, { formula: F2, coef: "treat", cluster: "state", seed: 3, ...m }).pValue);
    const mean = ps.reduce((s, p) => s + p, 0) / ps.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.18);
    expect(ps.filter((p) => p < 0.1).length).toBeLessThanOrEqual(5);
  });
});
