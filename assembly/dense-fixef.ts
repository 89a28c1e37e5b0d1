// The passes over the rows of the exact dense fixed-effect solve (bindings/estimators/dense-fixef.ts, which
// explains the method): forming the normal equations D'WD and the gradient D'W x, and subtracting D d. The
// factorisation and the solves (a few hundred coefficients) stay on the host.
//
// WHY HERE. A gravity model's IRLS makes these passes a dozen times per iteration over every row; in a
// fresh process (the CLI) the TypeScript loops ran mostly before V8 had optimised them, while a kernel runs
// compiled from its first call.
//
// CONVENTION
//   fe_NQ  : i32 [Q][N] group ids (0..G_q-1) per fixed effect, column-major (fixed effect q at q*N).
//   G_Q    : i32 [Q] groups per fixed effect; G = their sum.
//   idx_NQ : i32 [N][Q] row-major: row i's coefficient (0..G-1, every fixed effect's groups numbered on
//            from the previous one's) in fixed effect q at [i*Q + q].
//   w_N    : f64 [N] weights, or 0 for none.
//   A_GG   : f64 [G][G] row-major; only the lower triangle (row >= column) is written.
//   x_N    : f64 [N] one column, updated in place when d_G is given.
//   d_G    : f64 [G] coefficients to subtract (x -= D d) before the gradient, or 0 for none.
//   g_G    : f64 [G] out: D'W x.
// Sums in row order, each row's terms in fixed-effect order, as the TypeScript mirror
// (bindings/engine/reference/dense-fixef.ts): both backends give the same bits.

@inline function at(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function id(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

/** Root of v in the union-find forest `parent` (i32 per node), halving the path on the way. */
function find(parent: usize, v: i32): i32 {
  while (id(parent, v) != v) {
    const up = id(parent, id(parent, v));
    store<i32>(parent + (<usize>v << 2), up);
    v = up;
  }
  return v;
}

/** The layout of the dense solve: idx_NQ, and pinned_G[j] = 1 for the coefficients pinned to 0, one per
 *  connected component of the graph of fixed effect 0's and q's groups, for each q >= 1: its
 *  lowest-numbered group of q. scratch: 2 (G_q + G_0) i32 for the largest G_q (2 G suffices). */
export function denseFixefLayout(N: i32, Q: i32, fe_NQ: usize, G_Q: usize, scratch: usize, pinned_G: usize, idx_NQ: usize): void {
  let G = 0;
  for (let q = 0; q < Q; q++) G += id(G_Q, q);
  memory.fill(pinned_G, 0, <usize>G << 2);
  const G0 = id(G_Q, 0);
  let off = G0;
  for (let q = 1; q < Q; q++) {
    // Nodes 0..Gq-1 are q's groups, Gq.. fixed effect 0's.
    const Gq = id(G_Q, q);
    const idsq = fe_NQ + (<usize>q * <usize>N << 2);
    const parent = scratch;
    const seen = scratch + (<usize>(Gq + G0) << 2);
    for (let v = 0; v < Gq + G0; v++) {
      store<i32>(parent + (<usize>v << 2), v);
      store<i32>(seen + (<usize>v << 2), 0);
    }
    for (let i = 0; i < N; i++) {
      const a = find(parent, id(idsq, i));
      const b = find(parent, Gq + id(fe_NQ, i));
      if (a != b) store<i32>(parent + (<usize>a << 2), b);
    }
    for (let h = 0; h < Gq; h++) {
      const root = find(parent, h);
      if (id(seen, root) != 0) continue;
      store<i32>(seen + (<usize>root << 2), 1);
      store<i32>(pinned_G + (<usize>(off + h) << 2), 1);
    }
    off += Gq;
  }
  let o = 0;
  for (let q = 0; q < Q; q++) {
    const ids = fe_NQ + (<usize>q * <usize>N << 2);
    for (let i = 0; i < N; i++) store<i32>(idx_NQ + (<usize>(i * Q + q) << 2), o + id(ids, i));
    o += id(G_Q, q);
  }
}

/** A_GG (lower triangle) = D'WD: every row adds its weight at each pair of its coefficients. */
export function denseFixefNormal(N: i32, Q: i32, G: i32, idx_NQ: usize, w_N: usize, A_GG: usize): void {
  memory.fill(A_GG, 0, <usize>G * <usize>G << 3);
  for (let i = 0, k = 0; i < N; i++, k += Q) {
    const wi = w_N == 0 ? 1.0 : at(w_N, i);
    for (let r = 0; r < Q; r++) {
      const rowA = id(idx_NQ, k + r) * G;
      for (let q = 0; q <= r; q++) {
        const j = rowA + id(idx_NQ, k + q);
        put(A_GG, j, at(A_GG, j) + wi);
      }
    }
  }
}

/** x -= D d when d_G is given (in place), then g_G = D'W x. */
export function denseFixefGradient(N: i32, Q: i32, G: i32, x_N: usize, w_N: usize, idx_NQ: usize, d_G: usize, g_G: usize): void {
  memory.fill(g_G, 0, <usize>G << 3);
  for (let i = 0, k = 0; i < N; i++, k += Q) {
    let r = at(x_N, i);
    if (d_G != 0) {
      let s: f64 = 0;
      for (let q = 0; q < Q; q++) s += at(d_G, id(idx_NQ, k + q));
      r = r - s;
      put(x_N, i, r);
    }
    const v = w_N == 0 ? r : at(w_N, i) * r;
    for (let q = 0; q < Q; q++) {
      const h = id(idx_NQ, k + q);
      put(g_G, h, at(g_G, h) + v);
    }
  }
}
