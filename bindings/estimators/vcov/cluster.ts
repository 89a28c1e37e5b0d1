// Cluster-robust variance (CRV1), one-way or multiway. Multiway is inclusion-exclusion over every
// non-empty set S of the cluster variables, clustering on their intersection:
//   V = sum_S (-1)^(|S|+1) c_S bread M_S bread
// with c_S = G_min/(G_min - 1) for every S (ssc clusterDf "min", fixest's default) or G_S/(G_S - 1)
// ("conventional"). As fixest (vcov.fixest + mat_posdef_fix), the sum is repaired only when a diagonal
// element is negative: its eigenvalues below 1e-10 are then raised to 1e-10 (Cameron, Gelbach and Miller
// 2011) and a note says so. A sum with positive diagonal but a negative eigenvalue is returned unchanged,
// as fixest does (reghdfe would repair it). A cluster variable may be a combination a^b (its groups are the
// pairs of values; fit.ts's clusterEncoder). K and the t degrees of freedom follow dof.ts.
import { DidwasmError } from "../../errors.js";
import { clipNegativeEigenvalues, sandwich } from "../../linalg/small.js";
import { combineGroups, writeIds, type Groups } from "../../model/groups.js";
import { countedParameters, tDegrees } from "./dof.js";
import { meatClusterOnThreads, meatClusterRunsOnThreads } from "../threaded-sums.js";
import type { VcovInputs, VcovResult } from "./types.js";
import type { I32Buffer } from "../../engine/backend.js";

/** fixest's mat_posdef_fix: eigenvalues below this are raised to it when the variance is repaired. */
export const PSD_REPAIR_FLOOR = 1e-10;

export function vcovCluster(inp: VcovInputs, vars: readonly string[]): VcovResult {
  const { backend, arena, n, K, ssc } = inp;
  const base: Groups[] = vars.map((v) => inp.clusterGroups(v));
  base.forEach((g, j) => {
    if (g.G < 2) {
      throw new DidwasmError("TOO_FEW_CLUSTERS", `cluster variable "${vars[j]}" has ${g.G} cluster in the sample; at least 2 are needed`, {
        column: vars[j],
      });
    }
  });
  const Gmin = Math.min(...base.map((g) => g.G));

  const dofK = countedParameters(inp, base);
  const adj = ssc.adj ? (n - 1) / (n - dofK) : 1;

  const total = new Float64Array(K * K);
  // The ids' buffer, for clusters that are not in runs (made when first needed).
  let clBuf: I32Buffer | null = null;
  const meat = arena.f64(K * K);
  let maxG = 0;
  const sets: Array<{ groups: Groups; sign: number }> = [];
  for (let mask = 1; mask < 1 << vars.length; mask++) {
    let g: Groups | null = null;
    let size = 0;
    base.forEach((b, j) => {
      if (mask & (1 << j)) {
        g = g ? combineGroups(g, b) : b;
        size++;
      }
    });
    sets.push({ groups: g!, sign: size % 2 === 1 ? 1 : -1 });
    maxG = Math.max(maxG, g!.G);
  }
  const S = arena.f64(maxG * K);
  for (const { groups, sign } of sets) {
    // Clusters stored in runs of rows (groups.ts IdLayout): their scores need no ids.
    const runs = groups.layout?.runs ?? 0;
    if (runs > 0 && runs * groups.G === n) meatClusterRunsOnThreads(backend, n, K, inp.X, inp.resid, inp.weights, runs, groups.G, S, meat);
    else {
      clBuf ??= arena.i32(n);
      writeIds(groups, clBuf.view);
      meatClusterOnThreads(backend, n, K, inp.X, inp.resid, inp.weights, clBuf, groups.G, S, meat);
    }
    const G = ssc.clusterDf === "min" ? Gmin : groups.G;
    const c = ssc.clusterAdj ? G / (G - 1) : 1;
    const part = sandwich(inp.bread, Float64Array.from(meat.view), K);
    for (let i = 0; i < K * K; i++) total[i] += sign * c * adj * part[i];
  }
  const notes: string[] = [];
  let vcov: Float64Array = total;
  let negativeDiagonal = false;
  for (let i = 0; i < K; i++) if (total[i * K + i] < 0) negativeDiagonal = true;
  if (vars.length > 1 && negativeDiagonal) {
    const fixed = clipNegativeEigenvalues(total, K, PSD_REPAIR_FLOOR);
    vcov = fixed.matrix;
    notes.push(
      `the multiway-clustered variance had a negative diagonal element: ${fixed.clipped} eigenvalue(s) below ${PSD_REPAIR_FLOOR} raised to it (Cameron, Gelbach and Miller 2011, as fixest)`,
    );
  }
  const dfT = tDegrees(inp, dofK, Gmin);
  return { vcov, dfT, dofK, clusters: vars.map((v, j) => ({ name: v, G: base[j].G })), notes };
}
