// The options fepois and feglm share, declared once: both estimate a GLM with absorbed fixed effects by
// fixest's IRLS (bindings/estimators/glm/).
import { DENSE_MAX_GROUPS } from "../estimators/dense-fixef.js";
import { GLM_ITER, GLM_TOL } from "../estimators/glm/feglm.js";
import type { GlmFit } from "../estimators/glm/glm-fit.js";
import type { ModelResult } from "../estimators/multi-fit.js";
import { multiModelTable } from "../present/multi-model-text.js";
import { glmText } from "../present/glm-text.js";
import { fileOptions, resultOptions, splitOptions, varianceOptions } from "./fit-options.js";
import { fitExtras, fitFiles, type FitFileOptions, type FitResultOptions } from "./fit-results.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import type { CommandOutput } from "./types.js";

export const glmOptions = {
  vcov: shared.vcov("cluster by the first fixed effect, else iid (fixest's default)"),
  ...varianceOptions,
  weights: { ...shared.weights, help: "prior weights column (fixest's weights: each observation's log-likelihood times its weight)" },
  offset: opt.column({ label: "Offset", help: "column added to the linear predictor with coefficient 1 (e.g. log exposure; fixest's offset)", web: { prefer: "numeric", advanced: true } }),
  subset: shared.subset,
  ...splitOptions,
  fixefRm: opt.choice(["perfect", "none"] as const)({
    label: "Perfect-fit groups",
    help:
      "perfect: remove fixed-effect groups whose outcome is all 0 (logit/probit: or all 1) in one round, as fixest, and (fepois) rows separated by the regressors, " +
      "found by ppmlhdfe's iterative rectifier (fixest 0.12 keeps those: its estimates diverge); none: remove nothing (separation is then only reported)",
    default: "perfect",
    web: { advanced: true, choiceLabels: { perfect: "Remove (fixest default)", none: "Keep" } },
  }),
  backend: shared.backend,
  threads: shared.threads,
  tol: shared.tol,
  // Within each IRLS step, three or more fixed effects with few levels in all are solved exactly too
  // (estimators/dense-fixef.ts), so the sweep cap applies only past that size: the help says so.
  maxIter: { ...shared.maxIter, help: `${shared.maxIter.help}; in fepois and feglm, three or more fixed effects with at most ${DENSE_MAX_GROUPS} levels in all are also solved exactly (a direct solve, refined at most 3 times)` },
  glmTol: opt.number({
    label: "IRLS tolerance", help: "the IRLS stops when |dev - dev_old| / (0.1 + |dev|) is below this (fixest's glm.tol)", default: GLM_TOL,
    min: 0, minExclusive: true, max: 1, maxExclusive: true, web: { advanced: true },
  }),
  glmIter: opt.integer({ label: "IRLS iterations", help: "IRLS iterations at most (fixest's glm.iter)", default: GLM_ITER, min: 1, max: shared.MAX_ITER_LIMIT, web: { advanced: true } }),
  // --wald and --fixef as fit's; the fixed effects on the link scale (log of the mean for Poisson).
  ...resultOptions,
};

/** --fixef-out and --predict (fitted means and response residuals y - mu, fixest's defaults). */
export const glmFileOptions = fileOptions;

export const glmConventions = [
  "fixest's IRLS, convergence rule, perfect-fit removal (one round, as fixest 0.12) and variance (dispersion 1, fixest's ssc); z statistics and normal p-values",
  "fepois removes rows separated by the regressors (ppmlhdfe's iterative rectifier) where fixest 0.12 keeps them and reports diverging estimates; logit/probit separation is reported, not removed",
  "logit/probit log-likelihoods round non-integer weights as R's binomial family does (fixest reports the same)",
];

/** The fits' JSON and table, with what --wald, --fixef, --fixef-out and --predict add (fit-results.ts). One
 *  model prints as fixest's summary(); several (c(), stepwise, split) as one table, a column each, and
 *  their JSON is { models: [...] }, each a single fit's JSON plus what tells it apart. */
export function glmOutput(models: ReadonlyArray<ModelResult<GlmFit>>, o: FitResultOptions & FitFileOptions = {}): CommandOutput {
  const extras = models.map((m) => fitExtras(m.fit, o));
  const files = fitFiles(models.map((m) => m.fit), o);
  const notes = models.flatMap((m, k) => [...m.fit.notes, ...extras[k].notes]);
  if (models.length === 1 && models[0].step === null && models[0].sample === null && models[0].lhs === null) {
    const fit = models[0].fit;
    return { json: { ...fit.toJSON(), ...extras[0].json }, text: glmText(fit) + extras[0].text, notes, files };
  }
  return {
    json: { models: models.map((m, k) => ({ ...m.toJSON(), ...extras[k].json })) },
    text: multiModelTable(models) + extras.map((e) => e.text).join(""),
    notes,
    files,
  };
}
