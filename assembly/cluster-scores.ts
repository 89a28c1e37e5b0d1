// The two passes of the one-way cluster meat (vcov.ts's meatCluster), apart, so that kernel threads can
// share the first: each thread sums the scores of its own range of clusters, in row order as one pass
// does, and the meat then adds the clusters up in id order. Same numbers for any split.
//
// CONVENTION (as vcov.ts)
//   X_NK : f64 [K][N] column-major.   e_N : f64 [N] residuals.   w_N : f64 [N] weights or 0.
//   cl_N : i32 [N] cluster id, dense 0..G-1.   S_GK : f64 [G][K] row-major score sums.

@inline function at(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }

/** Rows g0..g1-1 of S_GK: s_g = sum over rows of cluster g of u_i x_i (u_i = w_i e_i), rows in order;
 *  rows of clusters outside [g0, g1) are skipped and S's other rows left as they are. */
export function clusterScores(N: i32, K: i32, X_NK: usize, e_N: usize, w_N: usize, cl_N: usize, g0: i32, g1: i32, S_GK: usize): void {
  memory.fill(S_GK + (<usize>g0 * <usize>K << 3), 0, <usize>(g1 - g0) * <usize>K << 3);
  const colBytes = <usize>N << 3;
  for (let i = 0; i < N; i++) {
    const g = load<i32>(cl_N + (<usize>i << 2));
    if (g < g0 || g >= g1) continue;
    const u = w_N == 0 ? at(e_N, i) : at(w_N, i) * at(e_N, i);
    const sg = S_GK + (<usize>g * <usize>K << 3);
    const xi = X_NK + (<usize>i << 3);
    for (let k = 0; k < K; k++) put(sg, k, at(sg, k) + u * load<f64>(xi + <usize>k * colBytes));
  }
}

/** clusterScores for clusters stored in runs: cluster g is rows g R .. (g + 1) R - 1 (a panel stored unit by
 *  unit, clustered by unit), so no ids are read and clusters g0..g1-1 read only their own rows. The same
 *  additions in the same order as clusterScores over the ids floor(i / R): the same bits. */
export function clusterScoresRuns(N: i32, K: i32, X_NK: usize, e_N: usize, w_N: usize, R: i32, g0: i32, g1: i32, S_GK: usize): void {
  memory.fill(S_GK + (<usize>g0 * <usize>K << 3), 0, <usize>(g1 - g0) * <usize>K << 3);
  const colBytes = <usize>N << 3;
  for (let g = g0; g < g1; g++) {
    const sg = S_GK + (<usize>g * <usize>K << 3);
    const end = (g + 1) * R;
    for (let i = g * R; i < end; i++) {
      const u = w_N == 0 ? at(e_N, i) : at(w_N, i) * at(e_N, i);
      const xi = X_NK + (<usize>i << 3);
      for (let k = 0; k < K; k++) put(sg, k, at(sg, k) + u * load<f64>(xi + <usize>k * colBytes));
    }
  }
}

/** out_KK = sum_g s_g s_g', clusters added in id order; both triangles. */
export function clusterMeat(G: i32, K: i32, S_GK: usize, out_KK: usize): void {
  memory.fill(out_KK, 0, <usize>K * <usize>K << 3);
  for (let g = 0; g < G; g++) {
    const sg = S_GK + (<usize>g * <usize>K << 3);
    for (let j = 0; j < K; j++) {
      const a = at(sg, j);
      for (let k = 0; k <= j; k++) put(out_KK, j * K + k, at(out_KK, j * K + k) + a * at(sg, k));
    }
  }
  for (let j = 0; j < K; j++) for (let k = 0; k < j; k++) put(out_KK, k * K + j, at(out_KK, j * K + k));
}
