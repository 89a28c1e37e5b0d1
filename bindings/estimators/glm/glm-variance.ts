// The variance of GLM coefficients, with fixest's conventions for feglm/fepois (vcov.fixest in R/VCOV.R):
// the bread is the inverse of the Hessian X~'WX~ (X~ demeaned with the final working weights W), the
// scores are w_i r_i x~_i (r the working residuals), and the dispersion of the Poisson and binomial
// families is 1. So:
//   - iid: the bread times fixest's small-sample factor (n - 1) / (n - K) (no residual variance: the
//     dispersion is 1);
//   - every other estimator: the same sandwich the least-squares variance uses, fed with the GLM's scores
//     (the weighted meat kernels compute sum (w_i r_i)^2 x~_i x~_i', which is exactly this), with the same
//     small-sample corrections (ssc) as feols.
// p-values and intervals use the normal distribution, as fixest does for these families.
import type { Backend } from "../../engine/backend.js";
import type { Groups } from "../../model/groups.js";
import type { FixefEncoding } from "../../model/sample.js";
import type { Ssc, VcovSpec } from "../../model/vcov-spec.js";
import { computeVcov, type VcovResult } from "../vcov/index.js";
import { fixefParameters } from "../vcov/params.js";

export interface GlmVarianceInputs {
  readonly backend: Backend;
  readonly n: number;
  readonly K: number;
  /** Demeaned kept regressors (n x K column-major), working residuals and working weights of the last step. */
  readonly Xd: Float64Array;
  readonly resid: Float64Array;
  readonly w: Float64Array;
  /** (X~'WX~)^-1, K x K. */
  readonly bread: Float64Array;
  readonly fixef: readonly FixefEncoding[];
  readonly clusterGroups: (name: string) => Groups;
  /** Numeric columns over the sample (Newey-West and Driscoll-Kraay time, Conley coordinates). */
  readonly sampleNumeric?: (name: string, role: string) => Float64Array;
  readonly ssc: Ssc;
}

/** iid: bread x (n - 1) / (n - K) with adj, K counting every fixed-effect parameter unless fixefK is none. */
function glmIid(inp: GlmVarianceInputs): VcovResult {
  const { n, K, ssc } = inp;
  const dofK = K + (ssc.fixefK === "none" ? 0 : fixefParameters(inp.fixef));
  const factor = ssc.adj ? (n - 1) / (n - dofK) : 1;
  return { vcov: inp.bread.map((b) => b * factor), dfT: Infinity, dofK, clusters: [], notes: [] };
}

export function glmVariance(spec: VcovSpec, inp: GlmVarianceInputs): VcovResult {
  if (spec.type === "iid") return glmIid(inp);
  const arena = inp.backend.arena();
  try {
    const v = computeVcov(spec, {
      backend: inp.backend, arena, n: inp.n, K: inp.K, X: arena.f64From(inp.Xd.length ? inp.Xd : [0]), resid: arena.f64From(inp.resid), weights: arena.f64From(inp.w),
      bread: inp.bread,
      // The residual sum of squares enters only the least-squares iid variance, handled above.
      rss: Number.NaN,
      fixef: inp.fixef, clusterGroups: inp.clusterGroups, sampleNumeric: inp.sampleNumeric, ssc: inp.ssc, coefExp: null,
    });
    // The normal distribution for p-values and intervals, whatever the variance's own t degrees of freedom.
    return { ...v, dfT: Infinity };
  } finally {
    arena.release();
  }
}
