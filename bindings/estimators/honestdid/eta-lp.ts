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
import { StandardFormLp, type LpStatus } from "./small-lp.js";

/** What the conditional test needs of the program: eta and the optimal vertex. */
export interface EtaVertex {
  readonly status: LpStatus;
  readonly eta: number;
  /** Lagrange multipliers of the moments (nonnegative, summing to 1 after weighting by sd). */
  readonly lambda: Float64Array;
}

export interface EtaSolution extends EtaVertex {
  readonly delta: Float64Array;
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

/** One phase 1 per dual matrix: every program on W shares the feasible set {lambda >= 0, W lambda = e1}
 *  (see small-lp.ts), so each solve on W is a phase 2 only. Keyed by the matrix object, which nothing
 *  changes after dualMatrix builds it. */
const programs = new WeakMap<Mat, StandardFormLp>();

function programOf(W: Mat): StandardFormLp {
  let lp = programs.get(W);
  if (!lp) {
    const e1 = new Float64Array(W.rows);
    e1[0] = 1;
    lp = new StandardFormLp(W.data, e1, W.rows, W.cols);
    programs.set(W, lp);
  }
  return lp;
}

/** eta, delta and the multipliers for the moments y (W' from dualMatrix). */
export function solveEta(y: Float64Array, W: Mat): EtaSolution {
  const r = programOf(W).solve(y);
  return { status: r.status, eta: r.status === "optimal" ? r.objective : NaN, delta: r.y.subarray(1), lambda: r.x };
}

/** solveEta without delta (cheaper: no B^-1). */
export function etaVertex(y: Float64Array, W: Mat): EtaVertex {
  const r = programOf(W).maximiser(y);
  return { status: r.status, eta: r.status === "optimal" ? r.objective : NaN, lambda: r.x };
}

/** solveEta's eta alone (cheaper still: no arrays): NaN when the program has no optimum. */
export function etaValue(y: Float64Array, W: Mat): number {
  const lp = programOf(W);
  const value = lp.objective(y);
  return lp.lastStatus === "optimal" ? value : NaN;
}

/** max f'lambda over the dual's feasible set {lambda >= 0, W lambda = e1}: its value and maximiser. */
export function lpMaxOverVertices(f: Float64Array, W: Mat): { readonly ok: boolean; readonly value: number; readonly lambda: Float64Array } {
  const r = programOf(W).maximiser(f);
  return { ok: r.status === "optimal", value: r.objective, lambda: r.x };
}
