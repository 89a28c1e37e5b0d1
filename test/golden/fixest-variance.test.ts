// fixest's variances and results against fixest 0.12.2 itself (fixest-variance.R wrote fixest-variance.json
// and data/variance/*.csv): twoway, a^b clusters, Newey-West, Driscoll-Kraay, Conley, every ssc() key,
// fixef() values and references, fitted values and residuals over the input rows, and wald(). Both backends.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../bindings/engine/engine.js";
import { fixefRows } from "../../bindings/estimators/fit-results.js";
import { feols } from "../../bindings/estimators/feols.js";
import { csvFrames } from "../helpers/golden.js";

const here = dirname(fileURLToPath(import.meta.url));

interface Row {
  term: string;
  estimate: number;
  std_error: number;
  p_value: number;
}
interface VarianceCase {
  id: string;
  data: string;
  formula: string;
  vcov: string;
  also: string[];
  weights: string | null;
  ssc: string | null;
  subset: string | null;
  panel_id: string[] | null;
  expect: { nobs: number; df_t: number; dof_k: number; coefficients: Row[] };
}
interface FixefCase {
  id: string;
  data: string;
  formula: string;
  weights: string | null;
  expect: { coefficients: Row[]; references: Record<string, number> | null; values: Array<{ fe: string; level: string; value: number }> };
}
interface PredictCase {
  id: string;
  data: string;
  formula: string;
  weights: string | null;
  expect: { fitted: Array<number | null>; residual: Array<number | null> };
}
interface WaldCase {
  id: string;
  data: string;
  formula: string;
  keep: string;
  vcov: string;
  weights: string | null;
  expect: { stat: number; p: number; df1: number; df2: number; coefficients: string[] };
}
const golden = JSON.parse(readFileSync(join(here, "fixest-variance.json"), "utf8")) as {
  variance: VarianceCase[];
  fixef: FixefCase[];
  predict: PredictCase[];
  wald: WaldCase[];
};

// The issue's bounds: estimates to 1e-8 (relative), standard errors to 1e-6.
const COEF_REL = 1e-8;
/** Values closer to zero than this are compared absolutely (a relative error of ~0 is meaningless). */
const ABS_FLOOR = 1e-10;
const SE_REL = 1e-6;

const frame = csvFrames(join(here, "data", "variance"));

function close(got: number, want: number, rel: number, what: string): void {
  expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(Math.max(rel * Math.abs(want), ABS_FLOOR));
}

function expectRows(got: Row[], want: Row[], at: string): void {
  expect(got.map((r) => r.term)).toEqual(want.map((r) => r.term));
  want.forEach((w, j) => {
    close(got[j].estimate, w.estimate, COEF_REL, `${at} ${w.term} estimate`);
    close(got[j].std_error, w.std_error, SE_REL, `${at} ${w.term} std_error`);
    close(got[j].p_value, w.p_value, SE_REL, `${at} ${w.term} p_value`);
  });
}

describe.each(["wasm", "reference"] as const)("variances and results against fixest 0.12.2 (%s)", (backend) => {
  const engine = createEngine({ backend });
  // The iterative demeaning (three fixed effects) runs to fixest's fixef.tol of these numbers.
  const tol = 1e-11;

  it("covers every variance and ssc key, with weights or clustering in each group", () => {
    const all = golden.variance.map((c) => c.vcov).join(" ");
    for (const part of ["twoway", "^", "NW(", "DK(", "conley(", "spherical", "mi)"]) expect(all).toContain(part);
    const ssc = golden.variance.map((c) => c.ssc ?? "").join(",");
    for (const key of ["adj=", "fixef.K=full", "fixef.K=none", "cluster.adj=", "cluster.df=", "t.df=conventional", "t.df=5", "fixef.force_exact="]) expect(ssc).toContain(key);
    for (const kind of ["twoway", "^", "NW(", "DK(", "conley("]) expect(golden.variance.filter((c) => c.vcov.includes(kind) && c.weights).length).toBeGreaterThan(0);
  });

  for (const c of golden.variance) {
    it(`${c.id}: ${c.formula}, vcov ${c.vcov}${c.ssc ? `, ssc ${c.ssc}` : ""}`, () => {
      const options = { weights: c.weights, subset: c.subset, ssc: c.ssc ?? undefined, panelId: c.panel_id, engine, tol };
      const fit = feols(frame(c.data), c.formula, { ...options, vcov: c.vcov });
      expect(fit.nobs).toBe(c.expect.nobs);
      expect(fit.dfT).toBe(c.expect.df_t);
      expect(fit.dofK).toBe(c.expect.dof_k);
      expectRows(fit.tidy() as Row[], c.expect.coefficients, c.id);
      for (const spelling of c.also) {
        const other = feols(frame(c.data), c.formula, { ...options, vcov: spelling });
        expectRows(other.tidy() as Row[], c.expect.coefficients, `${c.id} as ${spelling}`);
      }
      // withVcov recomputes the same variance on a fit made with another one.
      if (!c.panel_id) {
        const again = feols(frame(c.data), c.formula, { ...options, vcov: "iid" }).withVcov(c.vcov, fit.ssc);
        expectRows(again.tidy() as Row[], c.expect.coefficients, `${c.id} by withVcov`);
      }
    });
  }

  for (const c of golden.fixef) {
    it(`fixef ${c.id}: ${c.formula}`, () => {
      const fit = feols(frame(c.data), c.formula, { weights: c.weights, vcov: "iid", engine, tol });
      expectRows(fit.tidy() as Row[], c.expect.coefficients, c.id);
      const fe = fit.fixef();
      const refs = Object.fromEntries(fe.effects.map((e) => [e.name, e.references]));
      if (c.expect.references) expect(refs).toEqual(c.expect.references);
      expect(fe.regular).toBe(!c.expect.references || Object.values(c.expect.references).reduce((s, r) => s + r, 0) <= fe.effects.length - 1);
      const got = new Map(fixefRows(fe).map((r) => [`${r.fe} ${r.level}`, r.value]));
      expect(got.size).toBe(c.expect.values.length);
      for (const w of c.expect.values) {
        const v = got.get(`${w.fe} ${w.level}`);
        expect(v, `${c.id} ${w.fe} ${w.level}`).toBeDefined();
        close(v!, w.value, COEF_REL, `${c.id} ${w.fe} ${w.level}`);
      }
    });
  }

  for (const c of golden.predict) {
    it(`predict ${c.id}: ${c.formula}`, () => {
      const fit = feols(frame(c.data), c.formula, { weights: c.weights, vcov: "iid", engine, tol });
      const fitted = fit.predict();
      const resid = fit.resid();
      expect(fitted.length).toBe(c.expect.fitted.length);
      c.expect.fitted.forEach((w, r) => {
        if (w === null) expect(fitted[r], `row ${r}`).toBeNaN();
        else close(fitted[r], w, COEF_REL, `${c.id} fitted row ${r}`);
      });
      c.expect.residual.forEach((w, r) => {
        if (w === null) expect(resid[r], `row ${r}`).toBeNaN();
        // Residuals are differences of nearby numbers: compared relative to the outcome's scale.
        else close(resid[r], w, COEF_REL, `${c.id} residual row ${r}`);
      });
    });
  }

  for (const c of golden.wald) {
    it(`wald ${c.id}: keep "${c.keep}", vcov ${c.vcov}`, () => {
      const fit = feols(frame(c.data), c.formula, { weights: c.weights, vcov: c.vcov, engine, tol });
      const w = fit.wald(c.keep);
      expect(w.coefficients).toEqual(c.expect.coefficients);
      expect([w.df1, w.df2]).toEqual([c.expect.df1, c.expect.df2]);
      close(w.stat, c.expect.stat, SE_REL, `${c.id} stat`);
      close(w.p, c.expect.p, SE_REL, `${c.id} p`);
    });
  }
});
