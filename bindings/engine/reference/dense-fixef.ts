// TypeScript mirror of assembly/dense-fixef.ts, operation for operation (same names, same order): the row
// passes of the exact dense fixed-effect solve. See the kernel file for the buffer conventions.

/** Root of v in the union-find forest, halving the path on the way. */
function find(parent: Int32Array, v: number): number {
  while (parent[v] !== v) {
    const up = parent[parent[v]];
    parent[v] = up;
    v = up;
  }
  return v;
}

/** The layout of the dense solve: idx_NQ, and one pinned coefficient per connected component of the graph
 *  of fixed effect 0's and q's groups, for each q >= 1 (its lowest-numbered group of q). */
export function denseFixefLayout(
  N: number, Q: number, fe_NQ: Int32Array, G_Q: Int32Array, scratch: Int32Array, pinned_G: Int32Array, idx_NQ: Int32Array,
): void {
  let G = 0;
  for (let q = 0; q < Q; q++) G += G_Q[q];
  pinned_G.fill(0, 0, G);
  const G0 = G_Q[0];
  let off = G0;
  for (let q = 1; q < Q; q++) {
    const Gq = G_Q[q];
    const parent = scratch.subarray(0, Gq + G0);
    const seen = scratch.subarray(Gq + G0, 2 * (Gq + G0));
    for (let v = 0; v < Gq + G0; v++) {
      parent[v] = v;
      seen[v] = 0;
    }
    for (let i = 0; i < N; i++) {
      const a = find(parent, fe_NQ[q * N + i]);
      const b = find(parent, Gq + fe_NQ[i]);
      if (a !== b) parent[a] = b;
    }
    for (let h = 0; h < Gq; h++) {
      const root = find(parent, h);
      if (seen[root] !== 0) continue;
      seen[root] = 1;
      pinned_G[off + h] = 1;
    }
    off += Gq;
  }
  let o = 0;
  for (let q = 0; q < Q; q++) {
    for (let i = 0; i < N; i++) idx_NQ[i * Q + q] = o + fe_NQ[q * N + i];
    o += G_Q[q];
  }
}

/** A_GG (lower triangle) = D'WD. */
export function denseFixefNormal(N: number, Q: number, G: number, idx_NQ: Int32Array, w_N: Float64Array | null, A_GG: Float64Array): void {
  A_GG.fill(0, 0, G * G);
  for (let i = 0, k = 0; i < N; i++, k += Q) {
    const wi = w_N === null ? 1 : w_N[i];
    for (let r = 0; r < Q; r++) {
      const rowA = idx_NQ[k + r] * G;
      for (let q = 0; q <= r; q++) A_GG[rowA + idx_NQ[k + q]] += wi;
    }
  }
}

/** x -= D d when d_G is given (in place), then g_G = D'W x. */
export function denseFixefGradient(
  N: number, Q: number, G: number, x_N: Float64Array, w_N: Float64Array | null, idx_NQ: Int32Array, d_G: Float64Array | null, g_G: Float64Array,
): void {
  g_G.fill(0, 0, G);
  for (let i = 0, k = 0; i < N; i++, k += Q) {
    let r = x_N[i];
    if (d_G !== null) {
      let s = 0;
      for (let q = 0; q < Q; q++) s += d_G[idx_NQ[k + q]];
      r = r - s;
      x_N[i] = r;
    }
    const v = w_N === null ? r : w_N[i] * r;
    for (let q = 0; q < Q; q++) g_G[idx_NQ[k + q]] += v;
  }
}
