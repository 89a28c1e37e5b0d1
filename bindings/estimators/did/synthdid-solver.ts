// The Frank-Wolfe solver of synthetic DID's weights (Arkhangelsky et al. 2021, as the synthdid R package
// computes them): minimise zeta^2 |x|^2 + |A x - b|^2 / m over the unit simplex, A m x n, by Frank-Wolfe
// steps with exact line search, stopping when an iteration lowers the objective by less than
// minDecrease^2 or after maxIter iterations.
//
// One step, with half gradient g = A'(Ax - b) + eta x (eta = m zeta^2): i = argmin g (first on ties),
// direction d = e_i - x, step s = -g'd / (|A_i - Ax|^2 + eta |d|^2) clamped to [0, 1], x <- x + s d.
// Rather than forming g from A (m n work per step), the solver keeps Ax and Gx (G = A'A, computed once or
// handed in: a resampled problem's G is a submatrix of the whole sample's), both updated in O(m + n) per
// step, since x + s d = (1 - s) x + s e_i. The objective uses Ax directly (no cancellation through G).
// Without G (too many units for an n x n matrix) the steps run in synthdid-screened.ts, which finds each
// step's argmin among a few hundred candidate units instead of all of them.
//
// CONVENTION: A is column-major (column j at j*m), G row-major n x n, Atb = A'b.
import type { GramProblem, GramWorkspace } from "./synthdid-gram-fw.js";
import { screenedFrankWolfe } from "./synthdid-screened.js";

/** The weight problem, stated once in synthdid-gram-fw.ts (its kernel solves it). */
export type WeightProblem = GramProblem;

export interface WeightSolution {
  readonly x: Float64Array;
  readonly iterations: number;
  /** Whether the stopping rule was met before maxIter. */
  readonly converged: boolean;
}

/** A'A of a column-major m x n matrix, row-major n x n. */
export function gramOf(A: Float64Array, m: number, n: number): Float64Array {
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      const ai = i * m;
      const aj = j * m;
      for (let k = 0; k < m; k++) s += A[ai + k] * A[aj + k];
      G[i * n + j] = s;
      G[j * n + i] = s;
    }
  }
  return G;
}

/** A'b. */
export function crossOf(A: Float64Array, m: number, n: number, b: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += A[j * m + k] * b[k];
    out[j] = s;
  }
  return out;
}

/** A problem from A and b (its Gram matrix computed here). */
export function weightProblem(A: Float64Array, m: number, n: number, b: Float64Array, zeta2: number, gram: Float64Array | null): WeightProblem {
  return { m, n, A, b, gram, Atb: crossOf(A, m, n, b), zeta2 };
}

/** The half gradient's state: its argmin i (first on ties) and value gi, g'x and |x|^2. */
interface Scan {
  i: number;
  gi: number;
  gx: number;
  xx: number;
}

function scan(x: Float64Array, Gx: Float64Array, Atb: Float64Array, eta: number, out: Scan): void {
  let i = 0;
  let gi = Infinity;
  let gx = 0;
  let xx = 0;
  for (let j = 0; j < x.length; j++) {
    const xj = x[j];
    const g = Gx[j] - Atb[j] + eta * xj;
    if (g < gi) {
      gi = g;
      i = j;
    }
    gx += g * xj;
    xx += xj * xj;
  }
  out.i = i;
  out.gi = gi;
  out.gx = gx;
  out.xx = xx;
}

/** x <- (1 - s) x + s e_i and Gx <- (1 - s) Gx + s G_i (G_i at G[row..row+n)), and the next scan, in one
 *  pass (the hot loop:
 *  10,000 iterations over every control unit). Coordinates before i, i itself, then after i, so the loops
 *  have no branch on i and ties still go to the first. */
function stepWithGram(x: Float64Array, Gx: Float64Array, G: Float64Array, row: number, Atb: Float64Array, eta: number, i: number, s: number, out: Scan): void {
  const n = x.length;
  let best = 0;
  let gi = Infinity;
  let gx = 0;
  let xx = 0;
  for (let j = 0; j < i; j++) {
    const xj = x[j] - s * x[j];
    x[j] = xj;
    const gxj = Gx[j] + s * (G[row + j] - Gx[j]);
    Gx[j] = gxj;
    const g = gxj - Atb[j] + eta * xj;
    if (g < gi) {
      gi = g;
      best = j;
    }
    gx += g * xj;
    xx += xj * xj;
  }
  {
    const xi = x[i] + s * (1 - x[i]);
    x[i] = xi;
    const gxi = Gx[i] + s * (G[row + i] - Gx[i]);
    Gx[i] = gxi;
    const g = gxi - Atb[i] + eta * xi;
    if (g < gi) {
      gi = g;
      best = i;
    }
    gx += g * xi;
    xx += xi * xi;
  }
  for (let j = i + 1; j < n; j++) {
    const xj = x[j] - s * x[j];
    x[j] = xj;
    const gxj = Gx[j] + s * (G[row + j] - Gx[j]);
    Gx[j] = gxj;
    const g = gxj - Atb[j] + eta * xj;
    if (g < gi) {
      gi = g;
      best = j;
    }
    gx += g * xj;
    xx += xj * xj;
  }
  out.i = best;
  out.gi = gi;
  out.gx = gx;
  out.xx = xx;
}

/** Frank-Wolfe from x0 (copied), as synthdid's sc.weight.fw. With a workspace on the engine, problems with
 *  their Gram matrix and no more rows than units (the unit weights) run there (synthdid-gram-fw.ts), and so
 *  do problems without one (the screened steps' kernel). */
export function frankWolfe(p: WeightProblem, x0: Float64Array, minDecrease: number, maxIter: number, ws?: GramWorkspace): WeightSolution {
  const { m, n, A, b, gram: G, Atb, zeta2 } = p;
  if (!G) return ws ? ws.solveScreened(p, x0, minDecrease, maxIter) : screenedFrankWolfe(A, m, n, b, zeta2, x0, minDecrease, maxIter);
  if (ws && m <= n) return ws.solve(p, x0, minDecrease, maxIter);
  const eta = m * zeta2;
  const x = Float64Array.from(x0);
  const Ax = new Float64Array(m);
  const Gx = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const xj = x[j];
    if (xj === 0) continue;
    for (let k = 0; k < m; k++) Ax[k] += A[j * m + k] * xj;
    for (let r = 0; r < n; r++) Gx[r] += G[r * n + j] * xj;
  }
  const st: Scan = { i: 0, gi: 0, gx: 0, xx: 0 };
  scan(x, Gx, Atb, eta, st);
  const threshold = minDecrease * minDecrease;
  // With G and more rows than columns (the time weights: units x pre-periods), |A_i - Ax|^2 and |Ax - b|^2
  // come from G, Gx and A'b in O(n) instead of O(m) passes over the rows.
  const small = m > n;
  let bb = 0;
  for (let k = 0; k < m; k++) bb += b[k] * b[k];
  const dot = (u: Float64Array, v: Float64Array) => {
    let out = 0;
    for (let j = 0; j < n; j++) out += u[j] * v[j];
    return out;
  };
  let prev = NaN;
  let cur = NaN;
  let t = 0;
  while (t < maxIter && (t < 2 || prev - cur > threshold)) {
    t++;
    const { i, gi, gx, xx } = st;
    const xi = x[i];
    // at the vertex e_i the direction is 0 and x stays
    if (!(xi === 1 && xx === 1)) {
      const ai = i * m;
      let errNorm = 0;
      if (small) errNorm = G[i * n + i] - 2 * Gx[i] + dot(x, Gx);
      else {
        for (let k = 0; k < m; k++) {
          const d = A[ai + k] - Ax[k];
          errNorm += d * d;
        }
      }
      const dxNorm = xx - xi * xi + (1 - xi) * (1 - xi);
      const s = Math.min(1, Math.max(0, (gx - gi) / (errNorm + eta * dxNorm)));
      if (s > 0) {
        if (!small) for (let k = 0; k < m; k++) Ax[k] += s * (A[ai + k] - Ax[k]);
        stepWithGram(x, Gx, G, i * n, Atb, eta, i, s, st);
      }
    }
    let err = 0;
    if (small) err = dot(x, Gx) - 2 * dot(x, Atb) + bb;
    else {
      for (let k = 0; k < m; k++) {
        const e = Ax[k] - b[k];
        err += e * e;
      }
    }
    prev = cur;
    cur = zeta2 * st.xx + err / m;
  }
  return { x, iterations: t, converged: t < maxIter };
}

/** synthdid's sparsify_function: weights at most a quarter of the largest set to 0, the rest rescaled. */
export function sparsify(v: Float64Array): Float64Array {
  let max = -Infinity;
  for (const w of v) if (w > max) max = w;
  const out = new Float64Array(v.length);
  let sum = 0;
  for (let j = 0; j < v.length; j++) {
    if (v[j] > max / 4) {
      out[j] = v[j];
      sum += v[j];
    }
  }
  for (let j = 0; j < v.length; j++) out[j] /= sum;
  return out;
}

/** Weights rescaled to sum to 1; uniform when they sum to 0 (synthdid's sum_normalize, used for starts). */
export function sumNormalize(v: Float64Array): Float64Array {
  let sum = 0;
  for (const w of v) sum += w;
  return sum !== 0 ? v.map((w) => w / sum) : new Float64Array(v.length).fill(1 / v.length);
}

/** synthdid's two rounds: at most `preSparsify` iterations from x0, then to convergence from the
 *  sparsified solution. */
export function solveSparse(p: WeightProblem, x0: Float64Array, minDecrease: number, maxIter: number, preSparsify: number, ws?: GramWorkspace): WeightSolution {
  const first = frankWolfe(p, x0, minDecrease, preSparsify, ws);
  const second = frankWolfe(p, sparsify(first.x), minDecrease, maxIter, ws);
  return { x: second.x, iterations: first.iterations + second.iterations, converged: second.converged };
}
