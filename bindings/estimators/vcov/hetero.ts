// Heteroskedasticity-robust variance (HC1): bread * sum_i u_i^2 x_i x_i' * bread, times n / (n - K) when
// adj (fixest: (n - 1)/(n - K) for K, times n/(n - 1) because every observation is its own cluster).
import { sandwich } from "../../linalg/small.js";
import { countedParameters, tDegrees } from "./dof.js";
import type { VcovInputs, VcovResult } from "./types.js";

export function vcovHetero(inp: VcovInputs): VcovResult {
  const { backend, arena, n, K, ssc } = inp;
  const v = arena.f64(n);
  const meat = arena.f64(K * K);
  backend.meatHetero(n, K, inp.X, inp.resid, inp.weights, v, meat);
  const dofK = countedParameters(inp, []);
  let factor = 1;
  if (ssc.adj) factor *= (n - 1) / (n - dofK);
  if (ssc.clusterAdj) factor *= n / (n - 1);
  const vcov = sandwich(inp.bread, Float64Array.from(meat.view), K).map((x) => x * factor);
  return { vcov, dfT: tDegrees(inp, dofK, null), dofK, clusters: [], notes: [] };
}
