// What a GLM fit gives besides its coefficients, as fixest's methods on fepois/feglm fits: fitted means and
// response residuals aligned to the input rows (fitted()/predict() and resid(), type "response", their
// defaults), the fixed effects' values on the link scale (fixef()) and Wald tests (wald()).
//
// Fixed-effect values: each observation's sum of fixed effects is its linear predictor minus the offset
// and x'b (eta = offset + x'b + sum of fixed effects), solved with fixest's references exactly as for
// least squares (fit-results.ts): fixefOfFit subtracts x'b from "y - e", so it is given eta - offset as y
// and no residual.
import type { Frame } from "../../data/frame.js";
import type { Design } from "../../model/design.js";
import type { FixefEncoding } from "../../model/sample.js";
import { alignedToInput, fixefOfFit, type FixefValues } from "../fit-results.js";

/** The sample's values that the results need (GlmInternals carries them). */
export interface GlmResultSource {
  readonly frame: Frame;
  readonly rows: Int32Array;
  readonly fixef: readonly FixefEncoding[];
  readonly y: Float64Array;
  /** Fitted means and linear predictors (offset included), over the sample. */
  readonly mu: Float64Array;
  readonly eta: Float64Array;
  readonly offset: Float64Array | null;
  readonly design: Design;
}

/** Fitted means, one per input row (NaN where the row is not in the sample). */
export function glmFitted(s: GlmResultSource): Float64Array {
  return alignedToInput(s.frame.nrow, s.rows, (i) => s.mu[i]);
}

/** Response residuals y - mu, one per input row (NaN where the row is not in the sample). */
export function glmResid(s: GlmResultSource): Float64Array {
  return alignedToInput(s.frame.nrow, s.rows, (i) => s.y[i] - s.mu[i]);
}

export function glmFixef(s: GlmResultSource, coefNames: readonly string[], coef: Float64Array): FixefValues {
  const n = s.rows.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = s.offset ? s.eta[i] - s.offset[i] : s.eta[i];
  return fixefOfFit({ frame: s.frame, rows: s.rows, fixef: s.fixef, y, resid: new Float64Array(n), design: s.design }, coefNames, coef);
}
