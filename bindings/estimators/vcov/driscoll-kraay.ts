// Driscoll-Kraay variance (fixest's DK; Driscoll and Kraay 1998): the scores are summed by period, and those
// period sums get a Newey-West meat over lags 0 .. L,
//   meat = sum_l w_l (H_l + H_l'),   H_l = sum_t S_t S_{t+l}'   (S_t the period's score sum, w_0 halved),
// robust to correlation across units within a period and over nearby periods. Then as Newey-West: T / (T - 1)
// with cluster.adj, (n - 1) / (n - K) with adj (fixed effects nested in the time left out of K under
// "nested"), T - 1 degrees of freedom for t tests. Several observations per unit and period are fine.
import { sandwich } from "../../linalg/small.js";
import { countedParameters, tDegrees } from "./dof.js";
import { bartlettWeights, lagFor, periodsOf } from "./hac-time.js";
import { addOuter, plusTranspose, scoresOf } from "./scores.js";
import { sampleColumn } from "./columns.js";
import type { VcovInputs, VcovResult } from "./types.js";

export function vcovDriscollKraay(inp: VcovInputs, lag: number | null, timeName: string): VcovResult {
  const { n, K } = inp;
  const periods = periodsOf(sampleColumn(inp, timeName, "time variable of the Driscoll-Kraay variance"));
  const T = periods.G;
  const L = lagFor(lag, T, "Driscoll-Kraay", timeName);
  const w = bartlettWeights(L, T);

  const S = scoresOf(inp);
  const sums = new Float64Array(T * K);
  const periodIds = periods.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < n; i++) {
    const t = periodIds[i];
    for (let k = 0; k < K; k++) sums[t * K + k] += S[i * K + k];
  }
  const M = new Float64Array(K * K);
  for (let l = 0; l < w.length; l++) for (let t = 0; t + l < T; t++) addOuter(M, K, w[l], sums, t, sums, t + l);
  const meat = plusTranspose(M, K);
  const dofK = countedParameters(inp, [periods]);
  let factor = inp.ssc.clusterAdj ? T / (T - 1) : 1;
  if (inp.ssc.adj) factor *= (n - 1) / (n - dofK);
  const vcov = sandwich(inp.bread, meat, K).map((x) => x * factor);
  return { vcov, dfT: tDegrees(inp, dofK, T), dofK, clusters: [], notes: [], label: `DK(${L}):${timeName}` };
}
