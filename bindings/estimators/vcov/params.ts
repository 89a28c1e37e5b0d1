// Counting parameters for small-sample corrections, as fixest does (ssc(fixef.K = ...)).

import type { FixefEncoding } from "../../model/sample.js";

/** Fixed-effect parameters of Q fixed effects: the sum of their group counts minus one per fixed effect
 *  after the first (each further fixed effect repeats the constant). Irregular designs (disconnected
 *  groups) would make the exact count lower; like fixest's default we do not search for them. */
export function fixefParameters(fixef: readonly FixefEncoding[]): number {
  if (fixef.length === 0) return 0;
  return fixef.reduce((s, f) => s + f.G, 0) - (fixef.length - 1);
}

/** Fixed-effect parameters counted when those nested in a cluster variable are left out ("nested"):
 *  each nested fixed effect gives back G - 1 parameters (the constant it carries stays counted), which
 *  equals the full count of the non-nested fixed effects alone. Matches fixest 0.12 (castle, mpdta). */
export function nonNestedFixefParameters(fixef: readonly FixefEncoding[], nested: readonly boolean[]): number {
  if (fixef.length === 0) return 0;
  let k = fixefParameters(fixef);
  fixef.forEach((f, q) => {
    if (nested[q]) k -= f.G - 1;
  });
  return k;
}
