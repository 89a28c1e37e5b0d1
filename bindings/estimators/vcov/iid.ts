// Classical variance: sigma^2 (X'WX)^-1 with sigma^2 = RSS / (n - K) when adj (K counts every fixed
// effect: nothing is nested without clusters), RSS / (n - 1) otherwise, as fixest.
import { fixefParameters } from "./params.js";
import type { VcovInputs, VcovResult } from "./types.js";

export function vcovIid(inp: VcovInputs): VcovResult {
  const { n, K, ssc } = inp;
  const dofK = K + (ssc.fixefK === "none" ? 0 : fixefParameters(inp.fixef));
  const dofFull = K + fixefParameters(inp.fixef);
  const sigma2 = ssc.adj ? inp.rss / (n - dofK) : inp.rss / (n - 1);
  const vcov = inp.bread.map((b) => b * sigma2);
  return { vcov, dfT: n - dofFull, dofK, clusters: [], notes: [] };
}
