// fepois / feglm multiple estimations against fixest 0.12.2 itself: glm-multi-model.R ran each case as one
// fixest call (stepwise regressors and fixed effects, several outcomes, split and fsplit, with offsets,
// weights and clustering) on the glm_*.csv data; feglmModels must give the same models in the same order,
// each with fixest's nobs, coefficient names, estimates (1e-8 relative) and standard errors (1e-6). Both
// backends.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../../bindings/engine/engine.js";
import type { FamilyName } from "../../../bindings/estimators/glm/family.js";
import { feglmModels } from "../../../bindings/estimators/glm/feglm-models.js";
import { csvFrames } from "../../helpers/golden.js";

const here = dirname(fileURLToPath(import.meta.url));

interface Row {
  term: string;
  estimate: number;
  std_error: number;
}
interface MultiCase {
  id: string;
  data: string;
  family: FamilyName;
  formula: string;
  vcov: string | null;
  weights: string | null;
  offset: string | null;
  split: string | null;
  fsplit: string | null;
  models: Array<{ name: string | null; nobs: number; coefficients: Row[] }>;
}
const golden = JSON.parse(readFileSync(join(here, "glm-multi-model.json"), "utf8")) as { cases: MultiCase[] };

const COEF_REL = 1e-8;
const SE_REL = 1e-6;
const OPTIONS = { tol: 1e-11, glmTol: 1e-10 };

const frame = csvFrames(join(here, "..", "data"));
const rel = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);

describe.each(["wasm", "reference"] as const)("fepois / feglm multiple estimations against fixest 0.12.2 (%s)", (backend) => {
  const engine = createEngine({ backend });
  for (const c of golden.cases) {
    it(`${c.id}: ${c.formula}`, () => {
      const models = feglmModels(frame(c.data), c.formula, {
        ...OPTIONS, engine, family: c.family, vcov: c.vcov ?? undefined, weights: c.weights, offset: c.offset, split: c.split, fsplit: c.fsplit,
      });
      expect(models.length).toBe(c.models.length);
      models.forEach((m, k) => {
        const want = c.models[k];
        const at = `${c.id} model ${k + 1} (${want.name})`;
        expect(m.fit.nobs, at).toBe(want.nobs);
        expect(m.fit.coefNames, at).toEqual(want.coefficients.map((r) => r.term));
        m.fit.tidy().forEach((r, j) => {
          expect(rel(r.estimate, want.coefficients[j].estimate), `${at} ${r.term} estimate`).toBeLessThanOrEqual(COEF_REL);
          expect(rel(r.std_error, want.coefficients[j].std_error), `${at} ${r.term} std_error`).toBeLessThanOrEqual(SE_REL);
        });
      });
    });
  }
});

describe("what tells the models apart", () => {
  it("the step, the outcome and the sample are in each model's JSON, beside a single fit's fields", () => {
    const counts = frame("glm_counts.csv");
    const [a, b] = feglmModels(counts, "c(y, yb) ~ x1 | year", { family: "poisson" });
    expect([a.lhs, b.lhs]).toEqual(["y", "yb"]);
    expect(a.toJSON()).toMatchObject({ model: "fepois", lhs: "y", outcome: "y" });
    const steps = feglmModels(counts, "y ~ csw(x1, x2) | unit", { family: "poisson" });
    expect(steps.map((m) => m.step)).toEqual([{ rhs: { index: 0, terms: "x1" } }, { rhs: { index: 1, terms: "x1 + x2" } }]);
    const split = feglmModels(counts, "y ~ x1", { family: "poisson", fsplit: "year" });
    expect(split.map((m) => m.sample?.value)).toEqual([null, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008]);
  });

  it("an error in one model names it", () => {
    expect(() => feglmModels(frame("glm_counts.csv"), "y ~ csw(x1, nope)", { family: "poisson" })).toThrow(/model 2 \(y ~ x1 \+ nope\): .*nope/);
  });
});
