// Fixed effects nested in another (year within state^year, state within unit) add nothing to the residuals:
// their dummies are sums of the finer fixed effect's. They make the normal equations singular in a way the
// conjugate-gradient solver does not project out (assembly/fixef-cg.ts, NULL SPACE), so it drops them first.
import type { Groups } from "../model/groups.js";

/** Whether every group of `fine` lies within one group of `coarse` (checked over the n rows; stops at the
 *  first row that shows otherwise, which for unrelated fixed effects comes within a few rows). */
export function nestedIn(coarse: Groups, fine: Groups): boolean {
  const of = new Int32Array(fine.G).fill(-1);
  for (let i = 0; i < fine.ids.length; i++) {
    const f = fine.ids[i];
    const c = coarse.ids[i];
    if (of[f] < 0) of[f] = c;
    else if (of[f] !== c) return false;
  }
  return true;
}

/** The fixed effects without those nested in another kept one (of two with the same groups, the first is
 *  kept); order otherwise unchanged. */
export function withoutNested(fixef: readonly Groups[]): Groups[] {
  const kept = [...fixef];
  for (let q = 0; q < kept.length; ) {
    const redundant = kept.some((other, r) => r !== q && (other.G > kept[q].G || (other.G === kept[q].G && r < q)) && nestedIn(kept[q], other));
    if (redundant) kept.splice(q, 1);
    else q++;
  }
  return kept;
}
