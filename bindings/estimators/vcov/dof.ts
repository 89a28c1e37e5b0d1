// The parameter count K of the small-sample adjustment (n - 1) / (n - K) and the t degrees of freedom, by
// fixest 0.12's rules (vcov.fixest):
//   - fixef.K = "none": coefficients only (slopes stay counted, params.ts);
//   - "full", or a variance with no grouping variable (iid, hetero): every fixed-effect parameter;
//   - "nested": fixed effects nested in one of the variance's grouping variables (cluster variables, the
//     Newey-West unit and time, the Driscoll-Kraay time, Conley's latitude and longitude) are left out;
//   - fixef.force_exact: one reference per connected component (fixef-references.ts) instead of one per
//     fixed effect after the first; with some but not all fixed effects nested, fixest subtracts the
//     references from its full count and then every level of the nested ones when more than one is nested
//     (K = nparams - sum(refs)), which is reproduced as is.
// t degrees of freedom: the given number; min(G) - 1 for variances that have one (clustered: the smallest
// cluster count; Newey-West and Driscoll-Kraay: the number of periods) under t.df = "min"; else n - K.
import { isNested, type Groups } from "../../model/groups.js";
import { fixefPlan } from "../fixef-references.js";
import { fixefParameters, nonNestedFixefParameters, slopeParameters } from "./params.js";
import type { VcovInputs } from "./types.js";

/** K of the adjustment: coefficients plus the fixed-effect parameters the corrections count. `groupings`:
 *  the variance's grouping variables over the sample (empty for iid and hetero). */
export function countedParameters(inp: Pick<VcovInputs, "K" | "ssc" | "fixef">, groupings: readonly Groups[]): number {
  const { K, ssc, fixef } = inp;
  if (ssc.fixefK === "none") return K + slopeParameters(fixef);
  const exactShift = () => {
    // fixest: K = nparams + (Q - 1) - sum(references), only with two fixed effects or more.
    if (!ssc.fixefForceExact || fixef.length < 2) return 0;
    const refs = fixefPlan(fixef).references.reduce((s, r) => s + r, 0);
    return fixef.length - 1 - refs;
  };
  if (ssc.fixefK === "full" || groupings.length === 0 || fixef.length === 0) return K + fixefParameters(fixef) + exactShift();
  const nested = fixef.map((f) => groupings.some((g) => isNested(f, g)));
  if (nested.every(Boolean)) return Math.max(K + nonNestedFixefParameters(fixef, nested), K + 1);
  if (ssc.fixefForceExact && fixef.length >= 2) {
    const refs = Array.from(fixefPlan(fixef).references);
    if (nested.filter(Boolean).length > 1) fixef.forEach((f, q) => nested[q] && (refs[q] = f.G));
    return Math.max(K + fixefParameters(fixef) - refs.reduce((s, r) => s + r, 0), K + 1);
  }
  return Math.max(K + nonNestedFixefParameters(fixef, nested), K + 1);
}

/** Degrees of freedom of the t distribution. `minGroups`: the variance's smallest group count (clusters,
 *  periods), or null when it has none. */
export function tDegrees(inp: Pick<VcovInputs, "n" | "ssc">, dofK: number, minGroups: number | null): number {
  const t = inp.ssc.tDf;
  if (typeof t === "number") return t;
  if (t === "min" && minGroups !== null) return Math.max(minGroups - 1, 1);
  return Math.max(inp.n - dofK, 1);
}
