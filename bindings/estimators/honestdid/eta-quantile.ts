// An upper quantile of the ARP statistic eta over many draws of the moments, solving the linear program
// only for the draws that can reach it. The least-favourable critical value is the 1 - kappa quantile of
// eta over 1,000 draws (kappa = alpha / 10: the 995th of 1,000 values), so it depends on the six largest
// values alone, and most draws are far below them.
//
// Screening. eta(y) = max over the dual's feasible lambda (lambda >= 0, sum_i lambda_i sd_i = 1,
// sum_i lambda_i X_i = 0) of y'lambda <= max_i y_i / sd_i =: u(y), since y'lambda is then an average of
// the y_i / sd_i with weights lambda_i sd_i. (u is the statistic with the nuisance parameters held at 0.)
// Draws are solved from the largest u down until the values still needed are certain: a draw whose u is
// below the `need`-th largest eta found so far cannot be among the `need` largest, and those decide the
// quantile. Every draw solved is solved by the same program as before, so the values, and the quantile
// made from them, are the ones solving every draw gives, bit for bit.
//
// The argument needs every program to have an optimum (a value for every draw: NaN draws are left out
// of the quantile and would change its position). The feasible set is bounded when every sd_i > 0 (each
// lambda_i <= 1 / sd_i), so a draw has an optimum whenever the set is not empty; anything unexpected (a
// solved draw without optimum, an sd not positive, a value above its bound beyond rounding) returns null
// and the caller solves every draw.
import type { Mat } from "./dense.js";
import { etaValue } from "./eta-lp.js";

/** Room for rounding in eta <= u: the computed optimum sums products along a pivot path, so it can pass
 *  u in the last digits. Draws within this (relative) distance below the cut are solved too; it only
 *  costs a few more programs. */
const BOUND_SLACK = 1e-6;

/** R's type-7 quantile p of n values x_(0) <= ... <= x_(n-1): (1 - h) x_(lo) + h x_(hi). */
export function type7Position(n: number, p: number): { readonly lo: number; readonly hi: number; readonly h: number } {
  const index = (n - 1) * p;
  const lo = Math.floor(index);
  return { lo, hi: Math.ceil(index), h: index - lo };
}

export function type7Value(xLo: number, xHi: number, h: number): number {
  return h > 0 && xHi !== xLo ? (1 - h) * xLo + h * xHi : xLo;
}

/** The type-7 quantile p of eta over the draws (n rows of m moments, row-major), or null when the
 *  screening cannot vouch for it (see above). */
export function screenedEtaQuantile(draws: Float64Array, m: number, sd: Float64Array, W: Mat, p: number): number | null {
  const n = draws.length / m;
  if (n === 0 || m === 0 || !(p >= 0 && p <= 1)) return null;
  for (let i = 0; i < m; i++) if (!(sd[i] > 0 && sd[i] < Infinity)) return null;
  const { lo, hi, h } = type7Position(n, p);
  const need = n - lo; // x_(lo) is the need-th largest value, x_(hi) the one above it (or itself)

  const upper = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let u = -Infinity;
    for (let i = 0; i < m; i++) u = Math.max(u, draws[s * m + i] / sd[i]);
    if (!Number.isFinite(u)) return null;
    upper[s] = u;
  }

  const values = new Float64Array(n);
  let count = 0;
  const solved = new Uint8Array(n);
  const y = new Float64Array(m);
  /** Solves every draw not yet solved whose bound reaches `cut`; false on anything unexpected. */
  const solveFrom = (cut: number): boolean => {
    for (let s = 0; s < n; s++) {
      if (solved[s] || upper[s] < cut) continue;
      solved[s] = 1;
      for (let i = 0; i < m; i++) y[i] = draws[s * m + i];
      const v = etaValue(y, W);
      if (Number.isNaN(v) || v > upper[s] + slack(upper[s])) return false;
      values[count++] = v;
    }
    return true;
  };
  // Candidates in decreasing order of their bound, in batches that double: the draws whose bound reaches
  // the t-th largest bound, t = need, 2 need, 4 need, ... Once the need-th largest value solved (less the
  // slack) is at or above the next batch's bound, the draws left cannot reach the top.
  const sortedUpper = Float64Array.from(upper).sort();
  for (let t = need; ; t = Math.min(n, 2 * t)) {
    const kth = count >= need ? Float64Array.from(values.subarray(0, count)).sort()[count - need] : -Infinity;
    const stop = kth - slack(kth);
    const batch = sortedUpper[n - t];
    if (batch <= stop || t === n) {
      if (!solveFrom(Math.min(stop, batch))) return null;
      break;
    }
    if (!solveFrom(batch)) return null;
  }
  // The `need` largest values solved are the need largest of all, in the order sorting all would give.
  const top = values.subarray(0, count).sort();
  const at = count - need;
  return type7Value(top[at], top[at + (hi - lo)], h);
}

const slack = (v: number) => BOUND_SLACK * (1 + Math.abs(v));
