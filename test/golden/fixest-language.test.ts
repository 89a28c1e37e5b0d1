// fixest's formula language against fixest 0.12.2 itself (fixest-language.R wrote fixest-language.json on
// R's airquality, mtcars, CO2 and fixest's base_did, in data/language/): transforms (log, exp, sqrt, abs,
// I(), poly() orthogonal and raw) in outcomes, regressors and interactions, and fixed effects with
// varying slopes. Names, estimates, standard errors, R², adjusted and within R², both backends, at the
// default tolerance (fixest used fixef.tol = 1e-11).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../bindings/engine/engine.js";
import { feols } from "../../bindings/estimators/feols.js";
import { csvFrames, expectRowClose } from "../helpers/golden.js";

const here = dirname(fileURLToPath(import.meta.url));

interface Row {
  term: string;
  estimate: number;
  std_error: number;
}
interface Case {
  id: string;
  data: string;
  formula: string;
  vcov: string;
  weights: string | null;
  subset: string | null;
  fixef_k: "none" | "nested" | "full";
  expect: { nobs: number; nparams: number; removed: string[]; coefficients: Row[]; r2: number; adj_r2: number; r2_within: number | null };
}
const golden = JSON.parse(readFileSync(join(here, "fixest-language.json"), "utf8")) as { feols: Case[] };

/** R² and its variants: ratios of the same sums of squares as the estimates. */
const R2_ABS = 1e-8;

const frame = csvFrames(join(here, "data"));

describe.each(["wasm", "reference"] as const)("fixest's formula language against fixest 0.12.2 (%s)", (backend) => {
  const engine = createEngine({ backend });

  it("covers every transform and slope form, each twice, with weights or clustering among them", () => {
    const formulas = golden.feols.map((c) => c.formula);
    for (const part of ["log(", "exp(", "sqrt(", "abs(", "I(", "poly(", "raw = TRUE", "[[", "[conc]", ", qsec]", "id + id[[period]]", "^Treatment["]) {
      expect(formulas.some((f) => f.includes(part)), part).toBe(true);
    }
    // Every transform, raw polynomials and each slope form (one slope, several, [[ ]]) in two cases at least.
    for (const part of ["log(", "exp(", "sqrt(", "abs(", "I(", "poly(", "raw = TRUE", "[[", /\w\[\w+\]/, /\[\w+, \w+\]/]) {
      const n = formulas.filter((f) => (typeof part === "string" ? f.includes(part) : part.test(f))).length;
      expect(n, String(part)).toBeGreaterThanOrEqual(2);
    }
    const tr = golden.feols.filter((c) => c.id.startsWith("tr_"));
    const sl = golden.feols.filter((c) => c.id.startsWith("sl_"));
    for (const group of [tr, sl]) {
      expect(group.length).toBeGreaterThanOrEqual(2);
      expect(group.some((c) => c.weights !== null || c.vcov.startsWith("cluster:"))).toBe(true);
    }
  });

  for (const c of golden.feols) {
    it(`${c.id}: ${c.formula}`, () => {
      const fit = feols(frame(c.data), c.formula, { vcov: c.vcov, weights: c.weights, subset: c.subset, ssc: { fixefK: c.fixef_k }, engine });
      const got = fit.toJSON() as any;
      expect(got.nobs).toBe(c.expect.nobs);
      expect(got.removed).toEqual(c.expect.removed);
      expect(got.coefficients.map((r: Row) => r.term)).toEqual(c.expect.coefficients.map((r) => r.term));
      c.expect.coefficients.forEach((w, j) => expectRowClose(got.coefficients[j], w, `${c.id} ${w.term}`));
      expect(Math.abs(got.r2 - c.expect.r2), "r2").toBeLessThanOrEqual(R2_ABS);
      expect(Math.abs(got.adj_r2 - c.expect.adj_r2), "adj_r2").toBeLessThanOrEqual(R2_ABS);
      if (c.expect.r2_within !== null) expect(Math.abs(got.r2_within - c.expect.r2_within), "r2_within").toBeLessThanOrEqual(R2_ABS);
      // fixest's parameter count: coefficients + residual degrees of freedom = n - nparams.
      expect(fit.dfResidual).toBe(c.expect.nobs - c.expect.nparams);
    });
  }
});
