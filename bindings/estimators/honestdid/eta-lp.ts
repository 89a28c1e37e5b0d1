// The linear program at the heart of the ARP test (Andrews, Roth and Pakes 2023, section 3):
//
//     eta = min over (eta, delta) of eta   subject to   y_i - X_i delta <= eta sd_i   for every moment i,
//
// the largest standardised moment after the nuisance parameters delta have done their best. It is solved
// as its dual, which is in standard form with a few rows:
//
//     max y'lambda   subject to   sum_i lambda_i sd_i = 1,  sum_i lambda_i X_i = 0,  lambda >= 0,
//
// whose solution lambda is the vector of Lagrange multipliers the test needs (which moments bind) and
// whose multipliers are (eta, delta). The same dual program with another objective f gives the values
// the conditional test's bisection looks for (lpMaxOverVertices).
import { mat, type Mat } from "./dense.js";
import { solveStandardLp, type LpStatus } from "./small-lp.js";

export interface EtaSolution {
  readonly status: LpStatus;
  readonly eta: number;
  readonly delta: Float64Array;
  /** Lagrange multipliers of the moments (nonnegative, summing to 1 after weighting by sd). */
  readonly lambda: Float64Array;
}

/** The standard-form matrix W' = [sd, X]' of the dual ((k + 1) x m), built once per restriction set. */
export function dualMatrix(X: Mat, sd: ArrayLike<number>): Mat {
  const m = X.rows;
  const k = X.cols;
  const A = mat(k + 1, m);
  for (let i = 0; i < m; i++) {
    A.data[i] = sd[i];
    for (let j = 0; j < k; j++) A.data[(j + 1) * m + i] = X.data[i * k + j];
  }
  return A;
}

const e1 = (n: number) => {
  const b = new Float64Array(n);
  b[0] = 1;
  return b;
};

/** eta, delta and the multipliers for the moments y (W' from dualMatrix). */
export function solveEta(y: Float64Array, W: Mat): EtaSolution {
  const r = solveStandardLp(W.data, e1(W.rows), y, W.rows, W.cols);
  return { status: r.status, eta: r.status === "optimal" ? r.objective : NaN, delta: r.y.subarray(1), lambda: r.x };
}

/** max f'lambda over the dual's feasible set {lambda >= 0, W lambda = e1}: its value and maximiser. */
export function lpMaxOverVertices(f: Float64Array, W: Mat): { readonly ok: boolean; readonly value: number; readonly lambda: Float64Array } {
  const r = solveStandardLp(W.data, e1(W.rows), f, W.rows, W.cols);
  return { ok: r.status === "optimal", value: r.objective, lambda: r.x };
}
