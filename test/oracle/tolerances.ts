// Tolerances of the oracle comparisons, each derived from a rounding-error bound rather than tuned.
//
// The project solves least squares by the normal equations (X'WX, then Cholesky); the oracle uses
// Householder QR and the SVD on sqrt(W) X itself. Perturbation theory for the normal equations (Higham,
// Accuracy and Stability of Numerical Algorithms, 2nd ed., section 20.4) bounds the relative error of
// the coefficients and of (X'WX)^-1 by c * eps * kappa(X)^2, kappa the 2-norm condition number of
// sqrt(W) X and c a modest polynomial in K; the oracle's own error is of order eps * kappa (QR) and
// below. Measured on these designs (kappa of the equilibrated design, see dense.ts): coefficients 0.003
// to 4.9 times eps * kappa^2, inverses up to 3.2, variances up to 4.4. So every comparison allows
// SAFETY * eps * kappa^2 (three times that for variances): a margin of 20 or more over what was
// measured, yet at kappa = 3 it is 2e-13, tight enough that any wrong operation (a transposed index,
// a dropped term, a wrong weight) fails by many orders of magnitude.

export const EPS = Number.EPSILON;

/** Margin over the measured c (<= 4.9) of c * eps * kappa^2. */
export const SAFETY = 100;

/** Relative error allowed for coefficients and (X'WX)^-1 from the normal equations, given kappa(X). */
export function normalEquationsTol(kappa: number): number {
  return SAFETY * EPS * kappa * kappa;
}

/** Relative error allowed for a variance matrix: a sandwich uses the inverse twice and residuals that
 *  carry the coefficients' error once, so three times the coefficients' allowance. */
export function varianceTol(kappa: number): number {
  return 3 * normalEquationsTol(kappa);
}

/** Each entry of X'WX is a sum of n products; any summation order (the kernel's 512-row blocks and two
 *  lanes, ml-matrix's plain loop) errs by at most n * eps * sum_i |w_i x_ij x_ik| (the classical bound
 *  gamma_n for recursive summation), so two of them differ by at most twice that. */
export function crossprodEntryTol(n: number, absSum: number): number {
  return 2 * n * EPS * absSum;
}

/** The Cholesky pivot criterion's decision (1 - R^2 <= 1e-10 drops a column) is compared with the
 *  oracle's 1 - R^2 only when the latter is at least this factor away from the threshold: near it, the
 *  pivot's own rounding (about eps * kappa^2 relative) could legitimately decide either way. */
export const DECISION_MARGIN = 10;
