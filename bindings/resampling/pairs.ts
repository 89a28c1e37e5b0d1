// The pairs (cluster) bootstrap: replicate r draws G clusters with replacement (below(G), G times, from PRNG
// stream (seed, r)) and refits the model on them, a cluster drawn twice entering twice with its own fixed
// effects (Stata's bootstrap, cluster() idcluster()). On the cluster design (cluster-design.ts) a refit is
// a weighted sum of per-cluster crossproducts:
//   b* = (sum_g m_g X_g'W_g X_g)^-1 sum_g m_g X_g'W_g y_g,   m_g = times cluster g was drawn,
// O(G K^2 + K^3) per replicate after one O(n K^2) pass. A replicate in which the tested regressor is
// collinear with the others (e.g. no treated cluster drawn) gives NaN and is left out of the statistics.
import { DidwasmError } from "../errors.js";
import { COLLINEAR_TOL } from "../estimators/ols-core.js";
import type { Groups } from "../model/groups.js";
import { Xoshiro128 } from "../random/xoshiro.js";
import type { ClusterDesign } from "./cluster-design.js";

/** Per-cluster crossproducts kept in memory: G x K x K doubles at most (400 MB). */
export const MAX_PAIRS_CELLS = 5e7;

/** The coefficient of column `last` by Cholesky in the order others-then-last, dropping columns that are
 *  collinear with earlier ones as the estimation does; NaN when `last` itself is dropped. */
export function lastCoefficient(M: Float64Array, rhs: Float64Array, K: number, last: number): number {
  const order = [...Array.from({ length: K }, (_, j) => j).filter((j) => j !== last), last];
  const L = new Float64Array(K * K);
  const kept = new Uint8Array(K);
  const z = new Float64Array(K);
  for (let jj = 0; jj < K; jj++) {
    const j = order[jj];
    const ajj = M[j * K + j];
    let d = ajj;
    for (let kk = 0; kk < jj; kk++) if (kept[kk]) d -= L[jj * K + kk] ** 2;
    if (!(ajj > 0) || !(d > COLLINEAR_TOL * ajj)) continue;
    kept[jj] = 1;
    const ljj = Math.sqrt(d);
    L[jj * K + jj] = ljj;
    for (let ii = jj + 1; ii < K; ii++) {
      let s = M[order[ii] * K + j];
      for (let kk = 0; kk < jj; kk++) if (kept[kk]) s -= L[ii * K + kk] * L[jj * K + kk];
      L[ii * K + jj] = s / ljj;
    }
  }
  if (!kept[K - 1]) return NaN;
  for (let ii = 0; ii < K; ii++) {
    if (!kept[ii]) continue;
    let s = rhs[order[ii]];
    for (let kk = 0; kk < ii; kk++) if (kept[kk]) s -= L[ii * K + kk] * z[kk];
    z[ii] = s / L[ii * K + ii];
  }
  // Back substitution starts with the last unknown, which is the one asked for.
  return z[K - 1] / L[(K - 1) * K + (K - 1)];
}

/** Per-cluster crossproducts H_g = X_g'W_g X_g (G x K x K) and h_g = X_g'W_g y_g (G x K): all a replicate needs. */
export interface PairsCrossproducts {
  readonly G: number;
  readonly K: number;
  readonly H: Float64Array;
  readonly h: Float64Array;
}

export function pairsCrossproducts(d: ClusterDesign, cl: Groups, weights: Float64Array | null): PairsCrossproducts {
  const { n, K } = d;
  const G = cl.G;
  if (G * K * K > MAX_PAIRS_CELLS) {
    throw new DidwasmError("BAD_OPTION", `the pairs bootstrap keeps ${G} clusters x ${K}^2 crossproducts, more than ${MAX_PAIRS_CELLS.toExponential(0)} numbers: use --method wild`);
  }
  const H = new Float64Array(G * K * K);
  const h = new Float64Array(G * K);
  const X = d.data.view;
  const row = new Float64Array(K + 1);
  const clIds = cl.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < n; i++) {
    const g = clIds[i];
    const w = weights ? weights[i] : 1;
    for (let j = 0; j <= K; j++) row[j] = X[j * n + i];
    const base = g * K * K;
    for (let j = 0; j < K; j++) {
      const wx = w * row[j];
      for (let k = 0; k <= j; k++) H[base + j * K + k] += wx * row[k];
      h[g * K + j] += wx * row[K];
    }
  }
  for (let g = 0; g < G; g++) {
    const base = g * K * K;
    for (let j = 0; j < K; j++) for (let k = 0; k < j; k++) H[base + k * K + j] = H[base + j * K + k];
  }
  return { G, K, H, h };
}

/** b* of replicates from .. to - 1 (replicate r from PRNG stream (seed, r)). */
export function pairsDrawsRange(
  pc: PairsCrossproducts, cIdx: number, seed: number, from: number, to: number, onProgress?: (done: number, total: number) => void,
): Float64Array {
  const { G, K, H, h } = pc;
  const reps = to - from;
  const draws = new Float64Array(reps);
  const counts = new Int32Array(G);
  const M = new Float64Array(K * K);
  const rhs = new Float64Array(K);
  for (let k = 0; k < reps; k++) {
    const rng = new Xoshiro128(seed, from + k);
    counts.fill(0);
    for (let j = 0; j < G; j++) counts[rng.below(G)]++;
    M.fill(0);
    rhs.fill(0);
    for (let g = 0; g < G; g++) {
      const m = counts[g];
      if (m === 0) continue;
      const base = g * K * K;
      for (let e = 0; e < K * K; e++) M[e] += m * H[base + e];
      for (let j = 0; j < K; j++) rhs[j] += m * h[g * K + j];
    }
    draws[k] = lastCoefficient(M, rhs, K, cIdx);
    if (onProgress && (k + 1) % 256 === 0) onProgress(k + 1, reps);
  }
  onProgress?.(reps, reps);
  return draws;
}

