// The results of fepois and feglm fits against fixest 0.12.2 itself: glm-results.R computed, on the glm_*.csv
// data (fixest's trade and base_did, a generated count panel), fitted means and response residuals over
// every input row (NA where a row is not in the sample), the fixed effects' values on the link scale by
// level with their references, and wald(keep = regex). Both backends, at the R script's tolerances.
// Fitted values and fixed effects agree to 1e-8 (relative), residuals to 1e-8 of the outcome's scale (they
// are differences of nearby numbers), the Wald statistic and p-value to 1e-6, its degrees of freedom exactly.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../bindings/engine/engine.js";
import { fixefRows } from "../../bindings/estimators/fit-results.js";
import type { FamilyName } from "../../bindings/estimators/glm/family.js";
import { feglm } from "../../bindings/estimators/glm/feglm.js";
import { csvFrames } from "../helpers/golden.js";

const here = dirname(fileURLToPath(import.meta.url));

interface ResultCase {
  id: string;
  data: string;
  family: FamilyName;
  formula: string;
  vcov: string;
  weights: string | null;
  offset: string | null;
  wald_keep: string;
  expect: {
    nobs: number;
    coefficients: Record<string, number>;
    fitted: Array<number | null>;
    residual: Array<number | null>;
    references: Record<string, number> | [];
    fixef: Array<{ fe: string; level: string; value: number }>;
    wald: { stat: number; p: number; df1: number; df2: number };
  };
}
const golden = JSON.parse(readFileSync(join(here, "glm-results.json"), "utf8")) as { cases: ResultCase[] };

const VALUE_REL = 1e-8;
const STAT_REL = 1e-6;
/** Fixed-effect values this close to 0 (a reference, or a value that happens to be tiny) compare absolutely. */
const ABS_FLOOR = 1e-10;
const OPTIONS = { tol: 1e-11, glmTol: 1e-10 };

const frame = csvFrames(join(here, "data"));

function close(got: number, want: number, rel: number, what: string, scale = Math.abs(want)): void {
  expect(Math.abs(got - want) / Math.max(scale, ABS_FLOOR), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(rel);
}

describe.each(["wasm", "reference"] as const)("fepois / feglm results against fixest 0.12.2 (%s)", (backend) => {
  const engine = createEngine({ backend });
  for (const c of golden.cases) {
    it(`${c.id}: ${c.formula}`, () => {
      const fit = feglm(frame(c.data), c.formula, { ...OPTIONS, family: c.family, vcov: c.vcov, weights: c.weights, offset: c.offset, engine });
      const e = c.expect;
      expect(fit.nobs).toBe(e.nobs);
      for (const [name, b] of Object.entries(e.coefficients)) close(fit.coef(name), b, VALUE_REL, `${c.id} ${name}`);

      const fitted = fit.predict();
      const resid = fit.resid();
      expect(fitted.length).toBe(e.fitted.length);
      const yScale = Math.max(...e.fitted.map((v, r) => (v === null ? 0 : Math.abs(v) + Math.abs(e.residual[r]!))));
      e.fitted.forEach((want, r) => {
        if (want === null) {
          expect(fitted[r], `${c.id} row ${r} is not in the sample`).toBeNaN();
          expect(resid[r]).toBeNaN();
        } else {
          close(fitted[r], want, VALUE_REL, `${c.id} fitted row ${r}`);
          close(resid[r], e.residual[r]!, VALUE_REL, `${c.id} residual row ${r}`, yScale);
        }
      });

      const fe = fit.fixef();
      // fixest gives no "references" attribute with one fixed effect (JSON []): nothing is set to 0 then.
      const refs = Array.isArray(e.references) ? Object.fromEntries(fe.effects.map((f) => [f.name, 0])) : e.references;
      expect(Object.fromEntries(fe.effects.map((f) => [f.name, f.references]))).toEqual(refs);
      const got = new Map(fixefRows(fe).map((r) => [`${r.fe} ${r.level}`, r.value]));
      expect(got.size).toBe(e.fixef.length);
      for (const w of e.fixef) {
        const v = got.get(`${w.fe} ${w.level}`);
        expect(v, `${c.id} ${w.fe} ${w.level}`).toBeDefined();
        close(v!, w.value, VALUE_REL, `${c.id} fixef ${w.fe} ${w.level}`);
      }

      const wald = fit.wald(c.wald_keep);
      expect([wald.df1, wald.df2]).toEqual([e.wald.df1, e.wald.df2]);
      close(wald.stat, e.wald.stat, STAT_REL, `${c.id} wald stat`);
      close(wald.p, e.wald.p, STAT_REL, `${c.id} wald p`, Math.max(Math.abs(e.wald.p), 1e-300));
    });
  }
});
