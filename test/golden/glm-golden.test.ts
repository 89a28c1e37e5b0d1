// fepois and feglm against fixest 0.12.2 itself: glm.R fitted each case of glm-expected.json with
// fixef.tol = 1e-11 and glm.tol = 1e-10 on fixest's trade and base_did data, R's mtcars and airquality
// and generated count panels (data/glm_*.csv). Coefficients agree to 1e-8 (relative), standard errors to
// 1e-6, the deviance, log-likelihoods and pseudo R² to 1e-8, and the sample (perfect-fit groups removed,
// separated rows removed) and the IRLS iteration count exactly. Both backends.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../bindings/engine/engine.js";
import { feglm } from "../../bindings/estimators/glm/feglm.js";
import type { FamilyName } from "../../bindings/estimators/glm/family.js";
import { csvFrames } from "../helpers/golden.js";

const here = dirname(fileURLToPath(import.meta.url));

interface Row {
  term: string;
  estimate: number;
  std_error: number;
}
interface GlmCase {
  id: string;
  data: string;
  family: FamilyName;
  formula: string;
  vcov: string;
  weights: string | null;
  offset: string | null;
  expect: {
    nobs: number;
    coefficients: Row[];
    deviance: number;
    log_lik: number;
    log_lik_null: number;
    pseudo_r2: number;
    adj_pseudo_r2: number;
    sq_cor: number;
    bic: number;
    iterations: number;
    fixef_sizes: Record<string, number> | [];
    perfect_fit_removed: Record<string, number> | [];
  };
}
const golden = JSON.parse(readFileSync(join(here, "glm-expected.json"), "utf8")) as { cases: GlmCase[] };

const COEF_REL = 1e-8;
const SE_REL = 1e-6;
const STAT_REL = 1e-8;
// The same tolerances as the R script: both sides converged far beyond the comparison's precision.
const OPTIONS = { tol: 1e-11, glmTol: 1e-10 };

const frame = csvFrames(join(here, "data"));

const rel = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);

describe.each(["wasm", "reference"] as const)("fepois and feglm against fixest 0.12.2 (%s)", (backend) => {
  const engine = createEngine({ backend });
  for (const c of golden.cases) {
    it(c.id, () => {
      const fit = feglm(frame(c.data), c.formula, { ...OPTIONS, family: c.family, vcov: c.vcov, weights: c.weights, offset: c.offset, engine });
      const e = c.expect;
      expect(fit.nobs).toBe(e.nobs);
      expect(fit.coefNames).toEqual(e.coefficients.map((r) => r.term));
      fit.tidy().forEach((r, k) => {
        const want = e.coefficients[k];
        expect(rel(r.estimate, want.estimate), `${r.term} estimate ${r.estimate} vs ${want.estimate}`).toBeLessThanOrEqual(COEF_REL);
        expect(rel(r.std_error, want.std_error), `${r.term} std_error ${r.std_error} vs ${want.std_error}`).toBeLessThanOrEqual(SE_REL);
      });
      for (const [got, want, what] of [
        [fit.deviance, e.deviance, "deviance"], [fit.logLik, e.log_lik, "log_lik"], [fit.logLikNull, e.log_lik_null, "log_lik_null"],
        [fit.pseudoR2, e.pseudo_r2, "pseudo_r2"], [fit.adjPseudoR2, e.adj_pseudo_r2, "adj_pseudo_r2"], [fit.sqCor!, e.sq_cor, "sq_cor"], [fit.bic, e.bic, "bic"],
      ] as const) {
        // The deviance of a near-perfect fit is a difference of large sums: compare it to the scale of the log-likelihood.
        const scale = what === "deviance" ? Math.max(Math.abs(want), Math.abs(e.log_lik)) : Math.abs(want);
        expect(Math.abs(got - want) / scale, `${what} ${got} vs ${want}`).toBeLessThanOrEqual(STAT_REL);
      }
      expect(fit.iterations).toBe(e.iterations);
      expect(fit.converged).toBe(true);
      // didwasm names a fixed effect with varying slopes as the formula does (unit[year], as fit's JSON);
      // fixest by its variable (unit).
      const byVariable = (r: Readonly<Record<string, number>>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/\[.*\]$/, ""), v]));
      expect(byVariable(fit.fixefSizes)).toEqual(Array.isArray(e.fixef_sizes) ? {} : e.fixef_sizes);
      const removed = Array.isArray(e.perfect_fit_removed) ? {} : Object.fromEntries(Object.entries(e.perfect_fit_removed).filter(([, g]) => g > 0));
      expect(byVariable(fit.removals.perfectFitGroups)).toEqual(removed);
    });
  }
});
