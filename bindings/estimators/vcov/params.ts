// Counting parameters for small-sample corrections, as fixest does (ssc(fixef.K = ...)).
//
// Varying slopes (fe[x], fe[[x]]) count as fixest 0.12 counts them (fixest_env.R, vcov.fixest): G
// parameters per slope variable of a fixed effect with G groups, and G for its intercept unless it has
// slopes only (fe[[x]]); the constant is repeated once per fixed effect with an intercept after the first.
// Only intercepts are ever dropped for nesting (fixef.K = "nested") or for fixef.K = "none": slopes stay.

import type { FixefEncoding } from "../../model/sample.js";

/** Whether the fixed effect has group intercepts (every plain one; fe[x] but not fe[[x]]). */
const hasIntercepts = (f: FixefEncoding): boolean => !f.slopes || f.slopes.intercept;

/** Parameters of the varying slopes: G per slope variable. */
export function slopeParameters(fixef: readonly FixefEncoding[]): number {
  return fixef.reduce((s, f) => s + (f.slopes ? f.G * f.slopes.vars.length : 0), 0);
}

/** Fixed-effect parameters of Q fixed effects: the sum of their group counts minus one per fixed effect
 *  after the first (each further fixed effect repeats the constant), plus the slopes' parameters.
 *  Irregular designs (disconnected groups) would make the exact count lower; like fixest's default we do
 *  not search for them. */
export function fixefParameters(fixef: readonly FixefEncoding[]): number {
  const withIntercepts = fixef.filter(hasIntercepts);
  const intercepts = withIntercepts.length === 0 ? 0 : withIntercepts.reduce((s, f) => s + f.G, 0) - (withIntercepts.length - 1);
  return intercepts + slopeParameters(fixef);
}

/** Fixed-effect parameters counted when those nested in a cluster variable are left out ("nested"):
 *  each nested fixed effect gives back G - 1 parameters (the constant it carries stays counted), which
 *  equals the full count of the non-nested fixed effects alone. Matches fixest 0.12 (castle, mpdta). */
export function nonNestedFixefParameters(fixef: readonly FixefEncoding[], nested: readonly boolean[]): number {
  if (fixef.length === 0) return 0;
  let k = fixefParameters(fixef);
  fixef.forEach((f, q) => {
    if (nested[q] && hasIntercepts(f)) k -= f.G - 1;
  });
  return k;
}
