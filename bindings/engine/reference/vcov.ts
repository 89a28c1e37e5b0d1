// Mirror of assembly/vcov.ts, operation for operation.
import { clusterMeat } from "./cluster-scores.js";
import { crossprod } from "./linalg.js";

export function meatHetero(
  N: number, K: number, X_NK: Float64Array, e_N: Float64Array, w_N: Float64Array | null, v_N: Float64Array, out_KK: Float64Array,
): void {
  for (let i = 0; i < N; i++) {
    const u = w_N === null ? e_N[i] : w_N[i] * e_N[i];
    v_N[i] = u * u;
  }
  crossprod(N, K, X_NK, v_N, out_KK);
}

export function meatCluster(
  N: number, K: number, X_NK: Float64Array, e_N: Float64Array, w_N: Float64Array | null, cl_N: Int32Array, G: number,
  S_GK: Float64Array, out_KK: Float64Array,
): void {
  S_GK.fill(0, 0, G * K);
  for (let i = 0; i < N; i++) {
    const u = w_N === null ? e_N[i] : w_N[i] * e_N[i];
    const sg = cl_N[i] * K;
    for (let k = 0; k < K; k++) S_GK[sg + k] += u * X_NK[k * N + i];
  }
  clusterMeat(G, K, S_GK, out_KK);
}
