// Fixed effects nested in another (year within state^year, state within unit) add nothing to the residuals:
// their dummies are sums of the finer fixed effect's. They make the normal equations singular in a way the
// conjugate-gradient solver does not project out (assembly/fixef-cg.ts, NULL SPACE), so it drops them first.
import { isNested, type Groups } from "../model/groups.js";

/** The fixed effects without those nested in another kept one (of two with the same groups, the first is
 *  kept); order otherwise unchanged. */
export function withoutNested(fixef: readonly Groups[]): Groups[] {
  const kept = [...fixef];
  for (let q = 0; q < kept.length; ) {
    const redundant = kept.some((other, r) => r !== q && (other.G > kept[q].G || (other.G === kept[q].G && r < q)) && isNested(other, kept[q]));
    if (redundant) kept.splice(q, 1);
    else q++;
  }
  return kept;
}
