// Absorbing fixed effects exactly when they have few groups in all (a gravity model's origins, destinations,
// products and years: some 60 coefficients however many rows), by solving their normal equations
// D'WD a = D'Wx with a dense Cholesky factor.
//
// WHY. The iterative methods pay per iteration a pass over the rows (with three or more fixed effects every
// row is its own cell), and need a dozen or more iterations per column at the default tolerance, warm
// start or not. With G groups in all, the normal equations cost one pass to form (Q(Q+1)/2 weights per row)
// and G^3/6 flops to factor, then a column costs two passes per solve. Below DENSE_MAX_GROUPS that is the
// cheaper way, and it is exact.
//
// NULL SPACE. D'WD is singular: for each fixed effect q >= 1 and each connected component of the graph of
// fixed effect 0's and q's groups, adding a constant to q's coefficients in that component and subtracting
// it from 0's changes no residual. One coefficient of q per such component is pinned to 0 (its row and
// column left out), which leaves the residuals unchanged and the rest non-singular, unless the fixed
// effects have other dependencies (nested or collinear fixed effects); those show as a pivot that vanishes
// against its diagonal, and the caller then uses an iterative method.
//
// STOPPING RULE, as the iterative methods' (assembly/fixef-cg.ts, rule 1): no coefficient would move by
// more than tol * s_x (s_x = sd(x) + 1e-6 |mean(x)|, population sd, unweighted) in one alternating-
// projection step from the solution, i.e. |(D'W r)_h| / W_h <= tol * s_x for every group h, with the
// residual r recomputed from the rows. Rounding in the normal equations is removed by iterative refinement
// (solve again for D'W r, subtract); a column that still fails after MAX_REFINEMENTS solves is reported
// unconverged (negative count) with its current residual, which the caller finishes iteratively.
import type { Arena, Backend, F64Buffer } from "../engine/backend.js";
import type { Groups } from "../model/groups.js";

/** At most this many groups in all: factoring costs G^3 / 6 flops (4.5 million at 300, a few ms), and
 *  beyond a few hundred groups the iterative methods' passes are the cheaper way. */
export const DENSE_MAX_GROUPS = 300;
/** A pivot below this share of its diagonal means a dependency the pinning did not remove (a nested or
 *  collinear fixed effect): the dense solve is given up rather than trusted. */
const PIVOT_TOL = 1e-10;
/** Solves per column at most: the first, then refinements against the recomputed residual. */
const MAX_REFINEMENTS = 3;

/** Whether the dense solve is worth trying for these fixed effects. */
export function denseApplies(fixef: readonly Groups[]): boolean {
  if (fixef.length < 2) return false;
  let G = 0;
  for (const f of fixef) G += f.G;
  return G <= DENSE_MAX_GROUPS;
}

interface DenseLayout {
  /** Groups in all, and each fixed effect's first coefficient. */
  readonly G: number;
  readonly off: Int32Array;
  /** Coefficients solved for (the others pinned to 0), in order. */
  readonly free: Int32Array;
  /** Row i's coefficient in fixed effect q at [i * Q + q]: the passes over the rows read one array. */
  readonly idx: Int32Array;
}

/** Layouts per list of encodings: an IRLS solves on the same groups with new weights at every iteration. */
const layoutCache = new WeakMap<Int32Array, { key: readonly Int32Array[]; layout: DenseLayout }>();

function denseLayout(backend: Backend, arena: Arena, fixef: readonly Groups[], n: number): DenseLayout {
  const key = fixef.map((f) => f.ids);
  const known = layoutCache.get(key[0]);
  if (known && known.key.length === key.length && known.key.every((k, q) => k === key[q])) return known.layout;
  const Q = fixef.length;
  const off = new Int32Array(Q);
  for (let q = 1; q < Q; q++) off[q] = off[q - 1] + fixef[q - 1].G;
  const G = off[Q - 1] + fixef[Q - 1].G;
  // The pins (union-find over the rows, per fixed effect q >= 1 with fixed effect 0) and idx: the
  // denseFixefLayout kernel.
  const fe = arena.i32(Q * n, false);
  fixef.forEach((f, q) => fe.view.set(f.ids, q * n));
  const pinned = arena.i32(G, false);
  const idxB = arena.i32(n * Q, false);
  backend.denseFixefLayout(n, Q, fe, arena.i32From(fixef.map((f) => f.G)), arena.i32(2 * G, false), pinned, idxB);
  const pv = pinned.view;
  let m = 0;
  for (let j = 0; j < G; j++) if (pv[j] === 0) m++;
  const free = new Int32Array(m);
  for (let j = 0, k = 0; j < G; j++) if (pv[j] === 0) free[k++] = j;
  const layout = { G, off, free, idx: idxB.view.slice() };
  layoutCache.set(key[0], { key, layout });
  return layout;
}

/** In-order Cholesky factor of A restricted to `free` (m x m, row-major lower), or null at a vanishing
 *  pivot. */
function factor(A: Float64Array, G: number, free: Int32Array): Float64Array | null {
  const m = free.length;
  const L = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    const fj = free[j];
    for (let k = 0; k <= j; k++) {
      const fk = free[k];
      let s = A[fj * G + fk];
      for (let t = 0; t < k; t++) s -= L[j * m + t] * L[k * m + t];
      if (k < j) L[j * m + k] = s / L[k * m + k];
      else {
        if (!(s > PIVOT_TOL * A[fj * G + fj])) return null;
        L[j * m + j] = Math.sqrt(s);
      }
    }
  }
  return L;
}

/** Solves L L' d = g on the free coefficients; writes d over all G (pinned ones 0). */
function solve(L: Float64Array, free: Int32Array, g: Float64Array, d: Float64Array, y: Float64Array): void {
  const m = free.length;
  for (let j = 0; j < m; j++) {
    let s = g[free[j]];
    for (let t = 0; t < j; t++) s -= L[j * m + t] * y[t];
    y[j] = s / L[j * m + j];
  }
  for (let j = m - 1; j >= 0; j--) {
    let s = y[j];
    for (let t = j + 1; t < m; t++) s -= L[t * m + j] * y[t];
    y[j] = s / L[j * m + j];
  }
  d.fill(0);
  for (let j = 0; j < m; j++) d[free[j]] = y[j];
}

/**
 * Absorbs the fixed effects from the C columns of data (n x C, column-major) in place, exactly. Returns
 * the solves used per column (negative when the stopping rule still failed: that column holds its current
 * residual, to be finished by an iterative method), or null when the normal equations are singular beyond
 * the pinned null space (data untouched).
 */
export function absorbDense(
  backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, fixef: readonly Groups[], wb: F64Buffer | null, tol: number,
): Int32Array | null {
  const Q = fixef.length;
  const { G, free, idx } = denseLayout(backend, arena, fixef, n);
  // The passes over the rows are kernels (assembly/dense-fixef.ts); the factor and the solves, on a few
  // hundred coefficients, stay here.
  const idxB = arena.i32From(idx);
  const AB = arena.f64(G * G, false);
  backend.denseFixefNormal(n, Q, G, idxB, wb, AB);
  const A = AB.view;
  const L = factor(A, G, free);
  if (L === null) return null;
  const W = new Float64Array(G);
  for (let j = 0; j < G; j++) W[j] = A[j * G + j];
  // s_x = sd(x) + 1e-6 |mean(x)| per column (population sd, unweighted), as the iterative kernels compute it.
  const mean = arena.f64(C, false);
  const ss = arena.f64(C, false);
  backend.columnMoments(n, C, data, null, mean, ss);
  const gB = arena.f64(G, false);
  const dB = arena.f64(G, false);
  const y = new Float64Array(free.length);
  const iterations = new Int32Array(C);
  for (let c = 0; c < C; c++) {
    const x = arena.f64Part(data, c * n, n);
    const thr = tol * (Math.sqrt(ss.view[c] / n) + 1e-6 * Math.abs(mean.view[c]));
    backend.denseFixefGradient(n, Q, G, x, wb, idxB, null, gB);
    let solves = 0;
    let done = settled(gB.view, W, thr);
    while (!done && solves < MAX_REFINEMENTS) {
      solve(L, free, gB.view, dB.view, y);
      solves++;
      // x -= D d, and the gradient D'W x of the new residual, in one pass.
      backend.denseFixefGradient(n, Q, G, x, wb, idxB, dB, gB);
      done = settled(gB.view, W, thr);
    }
    iterations[c] = done ? Math.max(1, solves) : -solves;
  }
  return iterations;
}

/** No coefficient would move by more than thr: |g_h| / W_h <= thr for every group h. */
function settled(g: Float64Array, W: Float64Array, thr: number): boolean {
  for (let h = 0; h < g.length; h++) if (!(Math.abs(g[h]) <= thr * W[h])) return false;
  return true;
}
