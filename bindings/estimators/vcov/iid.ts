// Classical variance: sigma^2 (X'WX)^-1 with sigma^2 = RSS / (n - K) when adj (K counts every fixed
// effect: nothing is nested without clusters), RSS / (n - 1) otherwise, as fixest.
import { countedParameters, tDegrees } from "./dof.js";
import type { VcovInputs, VcovResult } from "./types.js";

export function vcovIid(inp: VcovInputs): VcovResult {
  const { n, ssc } = inp;
  const dofK = countedParameters(inp, []);
  const sigma2 = ssc.adj ? inp.rss / (n - dofK) : inp.rss / (n - 1);
  const vcov = inp.bread.map((b) => b * sigma2);
  return { vcov, dfT: tDegrees(inp, dofK, null), dofK, clusters: [], notes: [] };
}
