// Several fepois / feglm models from one call, as fixest's multiple estimations with its GLMs: outcomes
// c(y1, y2), stepwise regressors and fixed effects (sw, csw, sw0, csw0; formula-stepwise.ts) and split /
// fsplit samples (model/split.ts), in fixest's order (sample, fixed-effect step, outcome, regressor step).
//
// Each model is its own feglm(): the IRLS reweights the rows at every iteration, so unlike least squares
// (multi-fit.ts) there are no demeaned columns to share between models; each keeps its own sample
// (missing values, perfect-fit groups, separated rows), as in fixest.
import { toFrame, type DataInput } from "../../data/columns.js";
import { expandStepwise } from "../../model/formula-stepwise.js";
import { parseFormula } from "../../model/formula.js";
import { splitSamples } from "../../model/split.js";
import { ModelResult, describeModel, inModel, lexicographic } from "../multi-fit.js";
import type { FamilyName } from "./family.js";
import { feglm, type FeglmOptions } from "./feglm.js";
import type { GlmFit } from "./glm-fit.js";

export interface FeglmModelsOptions extends FeglmOptions {
  readonly family: FamilyName;
  /** One model per value of this column (fixest's split = ~g). */
  readonly split?: string | null;
  /** As split, after the model on the full sample (fixest's fsplit = ~g). */
  readonly fsplit?: string | null;
}

/** The formula with its outcomes c(y1, y2) replaced by one of them. */
function withOutcome(formula: string, outcome: string): string {
  return `${outcome} ${formula.slice(formula.indexOf("~"))}`;
}

/** Every model of a fepois / feglm formula with stepwise functions, several outcomes and/or a split. A plain
 *  formula gives one model. */
export function feglmModels(data: DataInput, formula: string, options: FeglmModelsOptions): ModelResult<GlmFit>[] {
  const frame = toFrame(data);
  const steps = expandStepwise(formula);
  const stepwise = steps.length > 1 || steps[0].rhs !== null || steps[0].fixef !== null;
  const samples = splitSamples(frame, options) ?? [null];
  const { split: _s, fsplit: _f, ...glmOptions } = options;
  const results: Array<{ order: number[]; result: ModelResult<GlmFit> }> = [];
  let k = 0;
  samples.forEach((s, si) => {
    const rowFilter = s ? s.filter() : (options.rowFilter ?? null);
    steps.forEach((m) => {
      const outcomes = parseFormula(m.formula).outcomes;
      const step = stepwise ? { ...(m.rhs ? { rhs: m.rhs } : {}), ...(m.fixef ? { fixef: m.fixef } : {}) } : null;
      outcomes.forEach((y, li) => {
        const single = outcomes.length > 1 ? withOutcome(m.formula, y) : m.formula;
        const many = samples.length > 1 || steps.length > 1 || outcomes.length > 1;
        const where = many ? describeModel(++k, single, s?.label ?? null) : null;
        const fit = inModel(where, () => feglm(frame, single, { ...glmOptions, rowFilter }));
        results.push({
          order: [si, m.fixef?.index ?? 0, li, m.rhs?.index ?? 0],
          result: new ModelResult(fit, outcomes.length > 1 ? y : null, step, s?.label ?? null),
        });
      });
    });
  });
  return results.sort((a, b) => lexicographic(a.order, b.order)).map((r) => r.result);
}
