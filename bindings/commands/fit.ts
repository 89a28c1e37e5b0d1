// didwasm fit: least squares with absorbed fixed effects (fixest's feols).
import { IvFit } from "../estimators/iv-fit.js";
import { feolsModels } from "../estimators/multi-fit.js";
import { ivRegressionText } from "../present/iv-text.js";
import { multiModelTable } from "../present/multi-model-text.js";
import { regressionText } from "../present/regression-text.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { fileOptions, resultOptions, splitOptions, varianceOptions } from "./fit-options.js";
import { fitExtras, fitFiles } from "./fit-results.js";
import { defineCommand } from "./types.js";

export const fitCommand = defineCommand({
  name: "fit",
  summary: "least squares with absorbed fixed effects (fixest formula syntax: c(y1, y2) ~, i(f, ref = r), a*b, fe1^fe2, log(x), I(x^2), poly(x, 2), fe[x]; instrumental variables: y ~ x | fe | endo ~ inst)",
  example: '--formula "y ~ x1 + x2 | unit + year" --vcov cluster:unit',
  conventions: [
    "i(f) without ref drops its first level when the model has an intercept or fixed effects (fixest); i(f, x, r) gives the reference by position",
    "text levels are ordered by Unicode code point (R under ICU orders a A b B): give ref explicitly with mixed-case levels",
    "singletons are kept (fixest); --fixef-rm singleton removes them repeatedly until none is left (reghdfe)",
    "R² of a model without intercept or fixed effects is uncentred (lm's definition)",
    "c(y1, y2) ~, sw()/csw()/sw0()/csw0() (in the regressors or the fixed effects) and --split/--fsplit give several models, in fixest's order (sample, fixed-effect step, outcome, regressor step), each on its own sample: one table, a column per model; the JSON is { models: [...] }. Each model has the degrees of freedom of its single fit (fixest counts one more parameter under sw/sw0/csw0 in the fixed effects of a one-outcome formula)",
  ],
  phase: "fit",
  options: {
    formula: shared.formula("y ~ x1 + x2 | unit + year"),
    vcov: shared.vcov("cluster by the first fixed effect, else iid"),
    weights: shared.weights,
    subset: shared.subset,
    fixefRm: opt.choice(["none", "singleton"] as const)({
      label: "Singletons", help: "singleton: remove observations alone in a fixed-effect group, repeatedly, as reghdfe does (fixest keeps them)", default: "none",
      web: { advanced: true, choiceLabels: { none: "Keep (fixest default)", singleton: "Drop singletons (reghdfe)" } },
    }),
    ...splitOptions,
    ...varianceOptions,
    ...resultOptions,
    backend: shared.backend,
    threads: shared.threads,
    tol: shared.tol,
    maxIter: shared.maxIter,
  },
  output: fileOptions,
  async execute(frame, o, _env, out) {
    const models = feolsModels(frame, o.formula, o);
    // One model prints as fixest's summary(); several (c(), stepwise, split) as one table, a column each.
    // --wald, --fixef: fields of each model's JSON; --fixef-out, --predict: files (fit-results.ts).
    const extras = models.map((m) => fitExtras(m.fit, o));
    const files = fitFiles(models.map((m) => m.fit), out);
    const notes = models.flatMap((m, k) => [...m.fit.notes, ...extras[k].notes]);
    if (models.length === 1 && models[0].step === null && models[0].sample === null) {
      const fit = models[0].fit;
      const text = fit instanceof IvFit ? ivRegressionText(fit) : regressionText(fit);
      return { json: { ...fit.toJSON(), ...extras[0].json }, text: text + extras[0].text, notes, files };
    }
    return {
      json: { models: models.map((m, k) => ({ ...m.toJSON(), ...extras[k].json })) },
      text: multiModelTable(models) + extras.map((e) => e.text).join(""),
      notes,
      files,
    };
  },
});
