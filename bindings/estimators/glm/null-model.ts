// The log-likelihood of the null model (a constant, no fixed effects), the reference of the pseudo R²,
// computed as fixest 0.12.2 computes it (get_model_null in R/femlm.R, and feglm.fit for other links):
//   - Poisson: in closed form, sy log(sy / N) - sy - sum log(y!) with sy = sum w y and N = sum w; the
//     log-factorials unweighted and the offset left out, as fixest does;
//   - logit: in closed form, sy log(sy / N) + (N - sy) log(1 - sy / N) (weights real, offset left out);
//   - probit: the intercept-only model fitted by IRLS with the offset and weights, its log-likelihood as
//     the family's (weights rounded, family.ts).
import type { Backend } from "../../engine/backend.js";
import { log } from "../../stats/libm.js";
import { logFactorialSums } from "./log-factorial.js";
import type { Family } from "./family.js";
import { runIrls } from "./irls.js";

export interface NullModelJob {
  readonly backend: Backend;
  readonly family: Family;
  readonly y: Float64Array;
  readonly pw: Float64Array | null;
  readonly offset: Float64Array | null;
  readonly glmTol: number;
  readonly glmIter: number;
}

export function nullLogLik(job: NullModelJob): number {
  const { y, pw } = job;
  let sy = 0;
  let N = 0;
  for (let i = 0; i < y.length; i++) {
    const w = pw === null ? 1 : pw[i];
    sy += w * y[i];
    N += w;
  }
  if (job.family.name === "poisson") {
    return sy * log(sy) - sy * log(N) - sy - logFactorialSums(y, pw, job.backend).plain;
  }
  if (job.family.name === "logit") return sy * log(sy) - sy * log(N - sy) - N * log(N) + N * log(N - sy);
  const fit = runIrls({
    backend: job.backend, family: job.family, y, X: new Float64Array(y.length).fill(1), K: 1, offset: job.offset, pw, fixef: [],
    glmTol: job.glmTol, glmIter: job.glmIter, tol: 1e-8, maxIter: 1,
  });
  return job.family.logLik(y, fit.mu, fit.eta, pw);
}
