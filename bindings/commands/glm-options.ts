// The options fepois and feglm share, declared once: both estimate a GLM with absorbed fixed effects by
// fixest's IRLS (bindings/estimators/glm/).
import { GLM_ITER, GLM_TOL } from "../estimators/glm/feglm.js";
import type { GlmFit } from "../estimators/glm/glm-fit.js";
import { glmText } from "../present/glm-text.js";
import { varianceOptions } from "./fit-options.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import type { CommandOutput } from "./types.js";

export const glmOptions = {
  vcov: shared.vcov("cluster by the first fixed effect, else iid (fixest's default)"),
  ...varianceOptions,
  weights: { ...shared.weights, help: "prior weights column (fixest's weights: each observation's log-likelihood times its weight)" },
  offset: opt.column({ label: "Offset", help: "column added to the linear predictor with coefficient 1 (e.g. log exposure; fixest's offset)", web: { prefer: "numeric", advanced: true } }),
  subset: shared.subset,
  fixefRm: opt.choice(["perfect", "none"] as const)({
    label: "Perfect-fit groups",
    help:
      "perfect: remove fixed-effect groups whose outcome is all 0 (logit/probit: or all 1) in one round, as fixest, and (fepois) rows separated by the regressors, " +
      "found by ppmlhdfe's iterative rectifier (fixest 0.12 keeps those: its estimates diverge); none: remove nothing (separation is then only reported)",
    default: "perfect",
    web: { advanced: true, choiceLabels: { perfect: "Remove (fixest default)", none: "Keep" } },
  }),
  backend: shared.backend,
  tol: shared.tol,
  maxIter: shared.maxIter,
  glmTol: opt.number({
    label: "IRLS tolerance", help: "the IRLS stops when |dev - dev_old| / (0.1 + |dev|) is below this (fixest's glm.tol)", default: GLM_TOL,
    min: 0, minExclusive: true, max: 1, maxExclusive: true, web: { advanced: true },
  }),
  glmIter: opt.integer({ label: "IRLS iterations", help: "IRLS iterations at most (fixest's glm.iter)", default: GLM_ITER, min: 1, max: shared.MAX_ITER_LIMIT, web: { advanced: true } }),
};

export const glmConventions = [
  "fixest's IRLS, convergence rule, perfect-fit removal (one round, as fixest 0.12) and variance (dispersion 1, fixest's ssc); z statistics and normal p-values",
  "fepois removes rows separated by the regressors (ppmlhdfe's iterative rectifier) where fixest 0.12 keeps them and reports diverging estimates; logit/probit separation is reported, not removed",
  "logit/probit log-likelihoods round non-integer weights as R's binomial family does (fixest reports the same)",
];

export function glmOutput(fit: GlmFit): CommandOutput {
  return { json: fit.toJSON(), text: glmText(fit), notes: fit.notes };
}
