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
import type { F64Buffer } from "../engine/backend.js";
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

function denseLayout(fixef: readonly Groups[], n: number): DenseLayout {
  const key = fixef.map((f) => f.ids);
  const known = layoutCache.get(key[0]);
  if (known && known.key.length === key.length && known.key.every((k, q) => k === key[q])) return known.layout;
  const Q = fixef.length;
  const off = new Int32Array(Q);
  for (let q = 1; q < Q; q++) off[q] = off[q - 1] + fixef[q - 1].G;
  const G = off[Q - 1] + fixef[Q - 1].G;
  const pinned = new Uint8Array(G);
  const G0 = fixef[0].G;
  const ids0 = fixef[0].ids;
  for (let q = 1; q < Q; q++) {
    // Union-find over q's groups (0..Gq-1) and fixed effect 0's (Gq..): one pin per component, its
    // lowest-numbered group of q.
    const Gq = fixef[q].G;
    const idsq = fixef[q].ids;
    const parent = new Int32Array(Gq + G0);
    for (let v = 0; v < parent.length; v++) parent[v] = v;
    const find = (v: number): number => {
      while (parent[v] !== v) v = parent[v] = parent[parent[v]];
      return v;
    };
    for (let i = 0; i < n; i++) {
      const a = find(idsq[i]);
      const b = find(Gq + ids0[i]);
      if (a !== b) parent[a] = b;
    }
    const seen = new Set<number>();
    for (let h = 0; h < Gq; h++) {
      const root = find(h);
      if (seen.has(root)) continue;
      seen.add(root);
      pinned[off[q] + h] = 1;
    }
  }
  const free = Int32Array.from({ length: G }, (_, j) => j).filter((j) => pinned[j] === 0);
  const idx = new Int32Array(n * Q);
  for (let q = 0; q < Q; q++) {
    const ids = fixef[q].ids;
    const o = off[q];
    for (let i = 0; i < n; i++) idx[i * Q + q] = o + ids[i];
  }
  const layout = { G, off, free, idx };
  layoutCache.set(key[0], { key, layout });
  return layout;
}

/** D'WD, lower triangle of a G x G row-major matrix (row index >= column index: a fixed effect's
 *  coefficients come after the earlier ones'). */
function normalMatrix(idx: Int32Array, Q: number, G: number, n: number, w: Float64Array | null): Float64Array {
  const A = new Float64Array(G * G);
  for (let i = 0, k = 0; i < n; i++, k += Q) {
    const wi = w === null ? 1 : w[i];
    for (let r = 0; r < Q; r++) {
      const rowA = idx[k + r] * G;
      for (let q = 0; q <= r; q++) A[rowA + idx[k + q]] += wi;
    }
  }
  return A;
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

/** s_x = sd(x) + 1e-6 |mean(x)|, as the kernels compute it (population sd, unweighted). */
function scaleOf(x: Float64Array, o: number, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) m += x[o + i];
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[o + i] - m;
    ss += d * d;
  }
  return Math.sqrt(ss / n) + 1e-6 * Math.abs(m);
}

/**
 * Absorbs the fixed effects from the C columns of data (n x C, column-major) in place, exactly. Returns
 * the solves used per column (negative when the stopping rule still failed: that column holds its current
 * residual, to be finished by an iterative method), or null when the normal equations are singular beyond
 * the pinned null space (data untouched).
 */
export function absorbDense(n: number, C: number, data: F64Buffer, fixef: readonly Groups[], wb: F64Buffer | null, tol: number): Int32Array | null {
  const Q = fixef.length;
  const { G, free, idx } = denseLayout(fixef, n);
  const w = wb === null ? null : wb.view;
  const A = normalMatrix(idx, Q, G, n, w);
  const L = factor(A, G, free);
  if (L === null) return null;
  const W = new Float64Array(G);
  for (let j = 0; j < G; j++) W[j] = A[j * G + j];
  const g = new Float64Array(G);
  const d = new Float64Array(G);
  const y = new Float64Array(free.length);
  const iterations = new Int32Array(C);
  const x = data.view;
  for (let c = 0; c < C; c++) {
    const o = c * n;
    const thr = tol * scaleOf(x, o, n);
    gradient(x, o, n, w, idx, Q, g);
    let solves = 0;
    let done = settled(g, W, thr);
    while (!done && solves < MAX_REFINEMENTS) {
      solve(L, free, g, d, y);
      solves++;
      subtractAndGradient(x, o, n, w, idx, Q, d, g);
      done = settled(g, W, thr);
    }
    iterations[c] = done ? Math.max(1, solves) : -solves;
  }
  return iterations;
}

// The passes over the rows are small functions of their own: V8 optimises a short hot function sooner
// than a loop inside a long one, which matters in a fresh process (the CLI).

/** g = D'W x for the column at offset o: the gradient at a = 0. */
function gradient(x: Float64Array, o: number, n: number, w: Float64Array | null, idx: Int32Array, Q: number, g: Float64Array): void {
  g.fill(0);
  for (let i = 0, k = 0; i < n; i++, k += Q) {
    const v = w === null ? x[o + i] : w[i] * x[o + i];
    for (let q = 0; q < Q; q++) g[idx[k + q]] += v;
  }
}

/** x -= D d, and g = D'W x of the new residual, in one pass. */
function subtractAndGradient(x: Float64Array, o: number, n: number, w: Float64Array | null, idx: Int32Array, Q: number, d: Float64Array, g: Float64Array): void {
  g.fill(0);
  for (let i = 0, k = 0; i < n; i++, k += Q) {
    let s = 0;
    for (let q = 0; q < Q; q++) s += d[idx[k + q]];
    const r = x[o + i] - s;
    x[o + i] = r;
    const v = w === null ? r : w[i] * r;
    for (let q = 0; q < Q; q++) g[idx[k + q]] += v;
  }
}

/** No coefficient would move by more than thr: |g_h| / W_h <= thr for every group h. */
function settled(g: Float64Array, W: Float64Array, thr: number): boolean {
  for (let h = 0; h < g.length; h++) if (!(Math.abs(g[h]) <= thr * W[h])) return false;
  return true;
}
