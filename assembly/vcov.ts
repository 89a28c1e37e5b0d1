// Sandwich meats for cluster-robust and heteroskedasticity-robust variances. The host multiplies
// bread * meat * bread and applies the small-sample corrections; multiway clustering is the host's
// inclusion-exclusion over one-way meats of intersected cluster ids.
//
// CONVENTION
//   X_NK : f64 [K][N] column-major demeaned regressors (kept columns only).
//   e_N  : f64 [N] residuals.   w_N : f64 [N] weights or 0.   Score of row i: u_i x_i, u_i = w_i e_i.
//   cl_N : i32 [N] cluster id, dense 0..G-1.
//   S_GK : f64 [G][K] row-major work space for per-cluster score sums.
//   out_KK : f64 [K][K] the meat, symmetric, both triangles.
import { clusterMeat } from "./cluster-scores";
import { crossprod } from "./linalg";

@inline function at(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }

/** Heteroskedastic meat sum_i u_i^2 x_i x_i': a crossproduct with weights u_i^2 written into v_N. */
export function meatHetero(N: i32, K: i32, X_NK: usize, e_N: usize, w_N: usize, v_N: usize, out_KK: usize): void {
  for (let i = 0; i < N; i++) {
    const u = w_N == 0 ? at(e_N, i) : at(w_N, i) * at(e_N, i);
    put(v_N, i, u * u);
  }
  crossprod(N, K, X_NK, v_N, out_KK);
}

/** One-way cluster meat sum_g s_g s_g' with s_g = sum over rows of cluster g of u_i x_i.
 *  Order: S is built in one pass over the rows (each entry of S sums its rows in row order; one pass
 *  reads e, w and the cluster ids once instead of once per column); then clusters are added in id order. */
export function meatCluster(N: i32, K: i32, X_NK: usize, e_N: usize, w_N: usize, cl_N: usize, G: i32,
                            S_GK: usize, out_KK: usize): void {
  memory.fill(S_GK, 0, <usize>G * <usize>K << 3);
  const colBytes = <usize>N << 3;
  for (let i = 0; i < N; i++) {
    const u = w_N == 0 ? at(e_N, i) : at(w_N, i) * at(e_N, i);
    const sg = S_GK + (<usize>load<i32>(cl_N + (<usize>i << 2)) * <usize>K << 3);
    const xi = X_NK + (<usize>i << 3);
    for (let k = 0; k < K; k++) put(sg, k, at(sg, k) + u * load<f64>(xi + <usize>k * colBytes));
  }
  clusterMeat(G, K, S_GK, out_KK);
}
