// Multiple estimations against fixest 0.12.2 itself (multi-model.R wrote multi-model.json on R's and
// fixest's public data sets in data/): stepwise regressors and fixed effects, several outcomes, split and
// fsplit, with weights, hetero-robust and clustered errors. Each case checks the number and order of the
// models (fixest's: sample, fixed-effect step, outcome, regressor step), what tells each apart, nobs, R²
// and within R² (none for the fixed effects alone, as fixest), and every coefficient (1e-8 relative) and
// standard error (1e-6). Both backends. Where fixest's multiple estimation counts one parameter more than
// the same model alone (sw/sw0/csw0 in the fixed effects of a single-outcome formula without stepwise
// regressors; see multi-model.R), the expected numbers are fixest's single fits: a documented difference.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../../bindings/engine/engine.js";
import { feolsModels, type ModelResult } from "../../../bindings/estimators/multi-fit.js";
import { sampleText } from "../../../bindings/model/split.js";
import { csvFrames } from "../../helpers/golden.js";

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
  vcov: string | null;
  weights: string | null;
  split: string | null;
  fsplit: string | null;
  models: Array<{ name: string; nobs: number; r2: number | null; r2_within: number | null; coefficients: Row[] }>;
}
const golden = JSON.parse(readFileSync(join(here, "multi-model.json"), "utf8")) as { cases: Case[] };

// The bounds: the same least-squares problems, estimates to rounding, standard errors through more steps.
const COEF_REL = 1e-8;
/** Estimates closer to zero than this are compared absolutely. */
const COEF_ABS = 1e-10;
const SE_REL = 1e-6;

const frame = csvFrames(join(here, "data"));

/** The parts of fixest's model name didwasm's result can be checked against: sample, fixef and lhs
 *  (fixest's rhs names the whole right-hand side; the coefficient names check it instead). */
function fixestName(m: ModelResult): string {
  const parts: string[] = [];
  if (m.sample) parts.push(`sample.var: ${m.sample.var}; sample: ${sampleText(m.sample)}`);
  if (m.step?.fixef) parts.push(`fixef: ${m.step.fixef.terms || "1"}`);
  if (m.lhs !== null) parts.push(`lhs: ${m.lhs}`);
  return parts.join("; ");
}
const withoutRhs = (name: string) => name.replace(/;? ?rhs: .*$/, "").replace(/^rhs: .*$/, "");

describe.each(["wasm", "reference"] as const)("multiple estimations against fixest 0.12.2 (%s)", (backend) => {
  const engine = createEngine({ backend });
  it.each(golden.cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const models = feolsModels(frame(c.data), c.formula, {
      engine, vcov: c.vcov ?? undefined, weights: c.weights, split: c.split, fsplit: c.fsplit, tol: 1e-11,
    });
    expect(models.map(fixestName)).toEqual(c.models.map((m) => withoutRhs(m.name)));
    models.forEach((m, k) => {
      const want = c.models[k];
      const at = `${c.id} model ${k + 1} (${want.name})`;
      expect(m.fit.nobs, at).toBe(want.nobs);
      // fixest has no R² for the intercept alone (0 up to rounding here)
      if (want.r2 === null) expect(Math.abs(m.fit.r2), `${at} r2`).toBeLessThan(1e-12);
      else expect(Math.abs(m.fit.r2 - want.r2), `${at} r2 ${m.fit.r2} vs ${want.r2}`).toBeLessThanOrEqual(COEF_REL * want.r2);
      if (want.r2_within === null) expect(m.fit.r2Within, at).toBeNull();
      else expect(Math.abs(m.fit.r2Within! - want.r2_within), `${at} r2_within`).toBeLessThanOrEqual(COEF_REL * want.r2_within);
      const got = m.fit.tidy();
      expect(got.map((r) => r.term), at).toEqual(want.coefficients.map((r) => r.term));
      got.forEach((r, j) => {
        const w = want.coefficients[j];
        expect(Math.abs(r.estimate - w.estimate), `${at} ${r.term} estimate ${r.estimate} vs ${w.estimate}`).toBeLessThanOrEqual(Math.max(COEF_REL * Math.abs(w.estimate), COEF_ABS));
        expect(Math.abs(r.std_error - w.std_error) / w.std_error, `${at} ${r.term} std_error ${r.std_error} vs ${w.std_error}`).toBeLessThanOrEqual(SE_REL);
      });
    });
  });
});
