// Mirror of assembly/cluster-scores.ts, operation for operation.

export function clusterScores(
  N: number, K: number, X_NK: Float64Array, e_N: Float64Array, w_N: Float64Array | null, cl_N: Int32Array, g0: number, g1: number, S_GK: Float64Array,
): void {
  S_GK.fill(0, g0 * K, g1 * K);
  for (let i = 0; i < N; i++) {
    const g = cl_N[i];
    if (g < g0 || g >= g1) continue;
    const u = w_N === null ? e_N[i] : w_N[i] * e_N[i];
    const sg = g * K;
    for (let k = 0; k < K; k++) S_GK[sg + k] += u * X_NK[k * N + i];
  }
}

export function clusterScoresRuns(
  N: number, K: number, X_NK: Float64Array, e_N: Float64Array, w_N: Float64Array | null, R: number, g0: number, g1: number, S_GK: Float64Array,
): void {
  S_GK.fill(0, g0 * K, g1 * K);
  for (let g = g0; g < g1; g++) {
    const sg = g * K;
    for (let i = g * R; i < (g + 1) * R; i++) {
      const u = w_N === null ? e_N[i] : w_N[i] * e_N[i];
      for (let k = 0; k < K; k++) S_GK[sg + k] += u * X_NK[k * N + i];
    }
  }
}

export function clusterMeat(G: number, K: number, S_GK: Float64Array, out_KK: Float64Array): void {
  out_KK.fill(0, 0, K * K);
  for (let g = 0; g < G; g++) {
    const sg = g * K;
    for (let j = 0; j < K; j++) {
      const a = S_GK[sg + j];
      for (let k = 0; k <= j; k++) out_KK[j * K + k] += a * S_GK[sg + k];
    }
  }
  for (let j = 0; j < K; j++) for (let k = 0; k < j; k++) out_KK[k * K + j] = out_KK[j * K + k];
}
