// didwasm feglm: logit and probit (and Poisson) with absorbed fixed effects (fixest's feglm).
import { feglmModels } from "../estimators/glm/feglm-models.js";
import { glmConventions, glmFileOptions, glmOptions, glmOutput } from "./glm-options.js";
import { opt } from "./schema/define.js";
import * as shared from "./schema/shared.js";
import { defineCommand } from "./types.js";

export const feglmCommand = defineCommand({
  name: "feglm",
  summary: "logit or probit with absorbed fixed effects, fixest's feglm (a 0/1 outcome)",
  example: '--formula "y ~ x1 + x2 | unit + year" --family logit',
  conventions: glmConventions,
  phase: "fit",
  options: {
    formula: shared.formula("y ~ x1 + x2 | unit + year"),
    family: opt.choice(["logit", "probit", "poisson"] as const)({
      label: "Family", help: "logit or probit (binomial links, a 0/1 outcome); poisson is fepois", required: true,
    }),
    ...glmOptions,
  },
  output: glmFileOptions,
  async execute(frame, o, _env, out) {
    return glmOutput(feglmModels(frame, o.formula, o), { ...o, ...out });
  },
});
