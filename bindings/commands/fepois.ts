// didwasm fepois: Poisson pseudo-maximum likelihood with absorbed fixed effects (fixest's fepois).
import { feglmModels } from "../estimators/glm/feglm-models.js";
import { glmConventions, glmFileOptions, glmOptions, glmOutput } from "./glm-options.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const fepoisCommand = defineCommand({
  name: "fepois",
  summary: "Poisson regression (PPML) with absorbed fixed effects, fixest's fepois: counts, trade flows (outcome >= 0, not necessarily whole)",
  example: '--formula "y ~ x1 + x2 | unit + year" --offset log_exposure',
  conventions: glmConventions,
  phase: "fit",
  options: {
    formula: shared.formula("y ~ x1 + x2 | unit + year"),
    ...glmOptions,
  },
  output: glmFileOptions,
  async execute(frame, o, _env, out) {
    return glmOutput(feglmModels(frame, o.formula, { ...o, family: "poisson" }), { ...o, ...out });
  },
});
