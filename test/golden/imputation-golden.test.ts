// Golden numbers for the imputation estimator: imputation() on the generated staggered panel and on fixest's
// public base_stagg against imputation.R, a brute-force R computation of the paper's formulas (lm with
// factor dummies, the estimator's weights v from dense matrices, Theorem 3's variance with the leave-out
// residuals, and fixest for the pre-trend regression). Both backends, both first-stage solvers.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { imputation, type AvgEffectsBy } from "../../bindings/estimators/did/imputation.js";

const here = dirname(fileURLToPath(import.meta.url));

interface Row { term: string; estimate: number; std_error: number }
interface Case {
  id: string;
  dataset: "staggered" | "base_stagg";
  unit: string;
  time: string;
  controls: string[];
  weights: string | null;
  cluster: string;
  horizons: string | null;
  leave_out: boolean;
  avg_by: AvgEffectsBy;
  pretrends: number;
  expect: {
    nobs: number;
    treated_obs: number;
    overall: Row;
    event?: Row[];
    event_vcov?: number[][];
    pretrends?: { coefficients: Row[]; statistic: number; df1: number; df2: number; p_value: number };
  };
}
const { cases } = JSON.parse(readFileSync(join(here, "imputation-expected.json"), "utf8")) as { cases: Case[] };
const frames = { staggered: readCsvFile(join(here, "data", "staggered.csv")), base_stagg: readCsvFile(join(here, "data", "base_stagg.csv")) };
// The direct solver is exact up to rounding; sweeps stop at the demeaning tolerance.
const TOL = { direct: { est: 1e-9, se: 1e-8 }, iterative: { est: 1e-6, se: 1e-6 } };
const near = (got: number, want: number, tol: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));

it("covers leave-out and plain variances, controls, weights, other clusters and groupings, pre-trend tests, both data sets", () => {
  expect(cases.length).toBe(5);
  expect(cases.some((c) => !c.leave_out) && cases.some((c) => c.leave_out)).toBe(true);
  expect(new Set(cases.map((c) => c.avg_by)).size).toBe(3);
  expect(cases.some((c) => c.weights && c.controls.length > 0)).toBe(true);
  expect(cases.some((c) => c.cluster !== c.unit)).toBe(true);
  expect(cases.filter((c) => c.pretrends > 0).length).toBe(3);
});

describe.each([
  ["wasm", true], ["reference", false],
] as const)("imputation golden numbers (%s backend, direct first-stage solve: %s)", (backend, directFixef) => {
  const tol = directFixef ? TOL.direct : TOL.iterative;
  it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const r = imputation(frames[c.dataset], {
      y: "y", unit: c.unit, time: c.time, treat: "treat", controls: c.controls, weights: c.weights, cluster: c.cluster,
      horizons: c.horizons, leaveOut: c.leave_out, avgEffectsBy: c.avg_by, pretrends: c.pretrends || null, backend, directFixef,
      ...(directFixef ? {} : { tol: 1e-12 }),
    });
    expect(r.nobs).toBe(c.expect.nobs);
    expect(r.treatedObs).toBe(c.expect.treated_obs);
    near(r.overall.estimate, c.expect.overall.estimate, tol.est);
    near(r.overall.std_error, c.expect.overall.std_error, tol.se);
    if (c.expect.event) {
      expect(r.event.map((e) => e.term)).toEqual(c.expect.event.map((e) => e.term));
      r.event.forEach((e, j) => {
        near(e.estimate, c.expect.event![j].estimate, tol.est);
        near(e.std_error, c.expect.event![j].std_error, tol.se);
        c.expect.event_vcov![j].forEach((v, k) => near(r.eventVcov!.vcov[j][k], v, tol.se));
      });
    } else expect(r.event).toEqual([]);
    if (c.expect.pretrends) {
      const p = r.pretrends!;
      p.coefficients.forEach((co, h) => {
        near(co.estimate, c.expect.pretrends!.coefficients[h].estimate, tol.se);
        near(co.std_error, c.expect.pretrends!.coefficients[h].std_error, tol.se);
      });
      near(p.statistic, c.expect.pretrends.statistic, 1e-6);
      expect([p.df1, p.df2]).toEqual([c.expect.pretrends.df1, c.expect.pretrends.df2]);
      near(p.p_value, c.expect.pretrends.p_value, 1e-6);
    } else expect(r.pretrends).toBeNull();
  });
});
