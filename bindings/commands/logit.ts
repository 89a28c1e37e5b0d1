// didwasm logit: logistic regression by IRLS (kernel in WebAssembly) with Wald standard errors.
import { LOGIT_MAX_ITER, LOGIT_TOL, logit } from "../estimators/logit.js";
import { logitText } from "../present/psm-text.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const logitCommand = defineCommand({
  name: "logit",
  summary: "logistic regression (IRLS): coefficients, inverse-information standard errors, z tests, iterations, convergence",
  example: '--formula "treated ~ x1 + x2"',
  phase: "fit",
  options: {
    formula: opt.formula({ label: "Formula", help: 'a 0/1 outcome and regressors, e.g. "treated ~ x1 + x2" (no fixed effects)', required: true }),
    weights: { ...shared.weights, help: "prior (case) weights, as glm's weights" },
    subset: shared.subset,
    backend: shared.backend,
    tol: opt.number({ label: "Tolerance", help: "convergence tolerance on the relative change in deviance", default: LOGIT_TOL, min: 0, max: 1, minExclusive: true, maxExclusive: true }),
    maxIter: opt.integer({ label: "Iterations", help: "Newton iterations at most", default: LOGIT_MAX_ITER, min: 1, max: shared.MAX_ITER_LIMIT }),
  },
  output: {},
  async execute(frame, o) {
    const r = logit(frame, o.formula, o);
    return { json: r.toJSON(), text: logitText(r), notes: r.notes };
  },
});
