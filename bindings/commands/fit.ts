// didwasm fit: least squares with absorbed fixed effects (fixest's feols).
import { feolsMulti } from "../estimators/feols.js";
import { regressionText } from "../present/regression-text.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const fitCommand = defineCommand({
  name: "fit",
  summary: "least squares with absorbed fixed effects (fixest formula syntax: c(y1, y2) ~, i(f, ref = r), a*b, fe1^fe2)",
  example: '--formula "y ~ x1 + x2 | unit + year" --vcov cluster:unit',
  conventions: [
    "i(f) without ref drops its first level when the model has an intercept or fixed effects (fixest); i(f, x, r) gives the reference by position",
    "text levels are ordered by Unicode code point (R under ICU orders a A b B): give ref explicitly with mixed-case levels",
    "singletons are kept (fixest); --fixef-rm singleton removes them repeatedly until none is left (reghdfe)",
    "R² of a model without intercept or fixed effects is uncentred (lm's definition)",
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
    backend: shared.backend,
    tol: shared.tol,
    maxIter: shared.maxIter,
  },
  output: {},
  async execute(frame, o) {
    const fits = feolsMulti(frame, o.formula, o);
    return {
      json: fits.length === 1 ? fits[0].toJSON() : { models: fits.map((f) => f.toJSON()) },
      text: fits.map((f) => regressionText(f)).join("\n"),
      notes: fits.flatMap((f) => f.notes),
    };
  },
});
