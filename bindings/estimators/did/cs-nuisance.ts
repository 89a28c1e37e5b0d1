// The nuisance models of Callaway and Sant'Anna's 2x2 comparisons with covariates, each fitted on one
// group-time cell's units (tens of thousands of rows, a handful of covariates): a logit propensity score,
// the inverse-probability-tilting propensity of the improved doubly robust estimator (Graham, Pinto and
// Egel 2012, as Sant'Anna and Zhao 2020 use it), and weighted least squares. Small dense K x K algebra in
// TypeScript: K is the covariate count plus one, so the cost is the O(n K^2) cross-products.
import { expFast } from "../../stats/libm.js";
import { invertSpd } from "../../linalg/small.js";
import type { Design } from "./cs-design.js";
import { arrayPasses } from "../../engine/cs-cell-passes.js";

export type { Design } from "./cs-design.js";

/** Newton steps below this (max abs change of a coefficient) end the logit and tilting fits: the
 *  coefficients are then exact to about this, far below any printed digit of an ATT. */
export const NEWTON_TOL = 1e-11;
/** Newton iterations before a propensity fit is declared not converged (Newton on these smooth convex
 *  losses takes 5-10 from zero; 100 only matters under (quasi-)separation). */
export const NEWTON_MAX_ITER = 100;

/** X' diag(w) X (k x k). */
export function crossWeighted(d: Design, w: Float64Array): Float64Array {
  const { x, n, k } = d;
  const out = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const r = i * k;
    for (let a = 0; a < k; a++) {
      const xa = wi * x[r + a];
      for (let b = 0; b <= a; b++) out[a * k + b] += xa * x[r + b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) out[b * k + a] = out[a * k + b];
  return out;
}

/** Copies the lower triangle of the k x k matrix A over its upper one; returns A. */
export function mirrorLower(A: Float64Array, k: number): Float64Array {
  for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) A[c * k + a] = A[a * k + c];
  return A;
}

/** sum_i v_i x_i (length k). */
export function colSumsWeighted(d: Design, v: Float64Array): Float64Array {
  const { x, n, k } = d;
  const out = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    for (let a = 0; a < k; a++) out[a] += vi * x[i * k + a];
  }
  return out;
}

/** x_i' b for every row. */
export function linearPredictor(d: Design, b: Float64Array): Float64Array {
  const { x, n, k } = d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let a = 0; a < k; a++) s += x[i * k + a] * b[a];
    out[i] = s;
  }
  return out;
}

/** A v for a k x k matrix. */
export function matVec(A: Float64Array, v: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < k; b++) s += A[a * k + b] * v[b];
    out[a] = s;
  }
  return out;
}

/** Inverse of X' diag(w) X, or null when the covariates are collinear on the rows with weight. */
export function invertedCross(d: Design, w: Float64Array): Float64Array | null {
  return invertSpd(crossWeighted(d, w), d.k);
}

/** Weighted least squares coefficients of y on X using the rows with w > 0; null when collinear. */
export function weightedLeastSquares(d: Design, y: Float64Array, w: Float64Array): Float64Array | null {
  const inv = invertedCross(d, w);
  if (!inv) return null;
  const wy = new Float64Array(d.n);
  for (let i = 0; i < d.n; i++) wy[i] = w[i] * y[i];
  return matVec(inv, colSumsWeighted(d, wy), d.k);
}

export const logistic = (eta: number) => 1 / (1 + expFast(-eta));

export interface PropensityFit {
  readonly coef: Float64Array;
  readonly converged: boolean;
  /** The logit's (X' diag(p (1 - p)) X)^{-1} at the last Newton iterate, a step under NEWTON_TOL from coef:
   *  its difference from the bread at coef is of that order, far below any digit of a standard error. */
  readonly bread?: Float64Array;
}

/** One Newton pass at b: the lower triangles of H = X' diag(p (1 - p)) X and g = X'(D - p). */
export type LogitPass = (b: Float64Array, H: Float64Array, g: Float64Array) => void;

/** Logistic regression of D on X by Newton-Raphson (the MLE that glm computes by IRLS). `start` warm-starts
 *  it (the previous cell's coefficients: same optimum, fewer iterations). Null when X'WX is singular. */
export function logitFit(d: Design, D: Float64Array, start?: Float64Array, pass?: LogitPass): PropensityFit | null {
  const run = pass ?? arrayPasses({ x: d.x, D }, d.n, d.k).logitPass;
  const { k } = d;
  const b = start && start.length === k ? Float64Array.from(start) : new Float64Array(k);
  // One pass per iteration: the linear predictor, the weights p (1 - p), X'WX (lower triangle) and X'(D - p).
  const H = new Float64Array(k * k);
  const g = new Float64Array(k);
  for (let it = 0; it < NEWTON_MAX_ITER; it++) {
    run(b, H, g);
    const inv = invertSpd(mirrorLower(H, k), k);
    if (!inv) return null;
    const step = matVec(inv, g, k);
    let size = 0;
    for (let a = 0; a < k; a++) {
      b[a] += step[a];
      size = Math.max(size, Math.abs(step[a]));
    }
    if (!Number.isFinite(size)) return { coef: b, converged: false };
    if (size < NEWTON_TOL) return { coef: b, converged: true, bread: inv };
  }
  return { coef: b, converged: false };
}

/** Inverse probability tilting: minimises mean(-D x'g + (1 - D) exp(x'g)), whose first-order condition
 *  makes the controls reweighted by exp(x'g) = ps / (1 - ps) match the treated covariate sums exactly.
 *  Newton with step halving (the loss is convex), started from the logit coefficients. */
export function tiltingFit(d: Design, D: Float64Array, start: Float64Array): PropensityFit | null {
  const { n, k } = d;
  const loss = (g: Float64Array) => {
    const eta = linearPredictor(d, g);
    let s = 0;
    for (let i = 0; i < n; i++) s += D[i] === 1 ? -eta[i] : expFast(eta[i]);
    return s / n;
  };
  const g = Float64Array.from(start);
  let current = loss(g);
  const h = new Float64Array(n);
  const r = new Float64Array(n);
  for (let it = 0; it < NEWTON_MAX_ITER; it++) {
    const eta = linearPredictor(d, g);
    for (let i = 0; i < n; i++) {
      const e = D[i] === 1 ? 0 : expFast(eta[i]);
      h[i] = e;
      r[i] = D[i] - e; // minus the gradient's summand
    }
    const inv = invertedCross(d, h);
    if (!inv) return null;
    const step = matVec(inv, colSumsWeighted(d, r), k);
    let t = 1;
    let next = g.map((v, a) => v + step[a]);
    let value = loss(next);
    while (!(value <= current) && t > 1e-10) {
      t /= 2;
      next = g.map((v, a) => v + t * step[a]);
      value = loss(next);
    }
    let size = 0;
    for (let a = 0; a < k; a++) size = Math.max(size, Math.abs(next[a] - g[a]));
    g.set(next);
    current = value;
    if (size < NEWTON_TOL) return { coef: g, converged: true };
  }
  return { coef: g, converged: false };
}
