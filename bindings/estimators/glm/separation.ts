// Separation by the regressors: observations whose fitted mean can be pushed to the boundary (0 for
// Poisson, 0 or 1 for logit and probit) by some combination of regressors and fixed effects without
// changing the fit of the others. The maximum likelihood estimate then does not exist: the IRLS moves the
// linear predictor of those observations by about one unit per iteration, forever, while the deviance
// converges. fixest 0.12.2 does not look for this (only for perfect fixed-effect groups, perfect-fit.ts).
//
// Poisson, as ppmlhdfe (Correia, Guimarães and Zylkin 2021, "Verifying the existence of maximum
// likelihood estimates for generalized linear models", the iterative rectifier): u = 1 where y = 0 and 0
// where y > 0 is regressed on the regressors and fixed effects, the y > 0 rows weighted so heavily
// (n+ / tol^2) that the fit is 0 there; fitted values within (-0.1 tol, tol) count as 0; if none is
// negative, the fit is a certificate: z >= 0 where y = 0, z = 0 where y > 0, and the rows with z > 0 are
// separated. Otherwise u = max(fit, 0) on the y = 0 rows (the rectifier) and again. The check costs
// regressions, so it runs only when the fit shows the symptom (a y = 0 row whose linear predictor fell by
// more than SEPARATION_STEP in the last iteration, or no convergence): the separated rows are then removed
// and the model refitted, as ppmlhdfe does.
//
// Logit and probit: the rows are reported (a warning naming the regressors whose coefficients diverge),
// not removed, so the numbers stay fixest's.
import type { Backend } from "../../engine/backend.js";
import type { Groups } from "../../model/groups.js";
import type { FamilyName } from "./family.js";
import { coldStart, wlsStep } from "./wls-step.js";

/** ppmlhdfe's tolerance: fitted values of the certificate regression within (-0.1 tol, tol) count as 0. */
export const IR_TOL = 1e-4;
/** ppmlhdfe's and pyfixest's cap on rectifier iterations. */
export const IR_MAX_ITER = 100;
/** A separated row's linear predictor moves by about 1 per IRLS iteration toward the boundary; a
 *  converged one by far less than this. */
export const SEPARATION_STEP = 0.5;
/** A binary observation is perfectly predicted when its fitted probability of the observed outcome is
 *  within this of 1 (the links clamp at 2.2e-16, so a clamped mean is caught whatever the iterations). */
const PERFECT_PROBABILITY_GAP = 1e-10;
/** Regressors named as diverging: their standardised last step is at least this share of the largest. */
const CULPRIT_SHARE = 0.25;

/** Whether a Poisson fit shows the symptom of separation (see the header). */
export function poissonSuspect(y: Float64Array, lastEtaChange: Float64Array, converged: boolean): boolean {
  let zeros = false;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0) continue;
    zeros = true;
    if (lastEtaChange[i] < -SEPARATION_STEP) return true;
  }
  return zeros && !converged;
}

export interface RectifierResult {
  /** 1 for separated rows. */
  readonly separated: Uint8Array;
  readonly count: number;
  readonly converged: boolean;
  readonly iterations: number;
}

export interface RectifierJob {
  readonly backend: Backend;
  readonly y: Float64Array;
  readonly X: Float64Array;
  readonly K: number;
  readonly fixef: readonly Groups[];
  readonly tol: number;
  readonly maxIter: number;
}

/** The iterative rectifier on a Poisson sample (see the header). */
export function rectifier(job: RectifierJob): RectifierResult {
  const { y } = job;
  const n = y.length;
  let positive = 0;
  for (let i = 0; i < n; i++) if (y[i] > 0) positive++;
  const separated = new Uint8Array(n);
  if (positive === n) return { separated, count: 0, converged: true, iterations: 0 };
  const heavy = Math.max(1, positive) / (IR_TOL * IR_TOL);
  const omega = Float64Array.from(y, (v) => (v > 0 ? heavy : 1));
  const u = Float64Array.from(y, (v) => (v > 0 ? 0 : 1));
  const problem = { backend: job.backend, n, X: job.X, K: job.K, fixef: job.fixef, tol: job.tol, maxIter: job.maxIter };
  const warm = coldStart();
  for (let it = 1; it <= IR_MAX_ITER; it++) {
    const fit = wlsStep(problem, u, omega, warm).fitted;
    let negative = false;
    for (let i = 0; i < n; i++) {
      if (y[i] > 0 || (fit[i] > -0.1 * IR_TOL && fit[i] < IR_TOL)) fit[i] = 0;
      if (fit[i] < 0) negative = true;
    }
    if (!negative) {
      let count = 0;
      for (let i = 0; i < n; i++) if (fit[i] > 0) (separated[i] = 1), count++;
      return { separated, count, converged: true, iterations: it };
    }
    for (let i = 0; i < n; i++) u[i] = y[i] > 0 ? 0 : Math.max(fit[i], 0);
  }
  return { separated, count: 0, converged: false, iterations: IR_MAX_ITER };
}

/** Binary outcomes: rows fitted (all but) perfectly, by the clamp of the fitted probability or by the last
 *  iteration's step of the linear predictor toward the observed outcome. */
export function perfectlyPredicted(family: FamilyName, y: Float64Array, mu: Float64Array, lastEtaChange: Float64Array): number {
  let count = 0;
  for (let i = 0; i < y.length; i++) {
    const pObserved = y[i] === 1 ? mu[i] : 1 - mu[i];
    const toward = y[i] === 1 ? lastEtaChange[i] : -lastEtaChange[i];
    if (pObserved > 1 - PERFECT_PROBABILITY_GAP || (family === "logit" && toward > SEPARATION_STEP)) count++;
  }
  return count;
}

/** Regressors whose last coefficient step, in units of their standard deviation, is among the largest:
 *  the directions along which a separated fit diverges. */
export function divergingRegressors(names: readonly string[], coefStep: Float64Array, X: Float64Array, n: number): string[] {
  const size = names.map((_, k) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += X[k * n + i];
    m /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const d = X[k * n + i] - m;
      ss += d * d;
    }
    return Math.abs(coefStep[k]) * Math.sqrt(ss / n);
  });
  const top = Math.max(0, ...size);
  return top > 0 ? names.filter((_, k) => size[k] >= CULPRIT_SHARE * top) : [];
}
