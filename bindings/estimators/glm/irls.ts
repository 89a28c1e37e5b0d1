// Iteratively reweighted least squares with absorbed fixed effects, step for step as fixest 0.12.2's
// feglm.fit (R/estimation.R), so that the iterations, the convergence decision and the final estimates are
// fixest's:
//   - start: mu from the family's starting mean, eta = link(mu); the "previous" deviance is the one of a
//     constant linear predictor 1e-5 (so that a first step that makes things worse is halved at once);
//   - each iteration: working weights and response (family.ts), one weighted least squares with the fixed
//     effects absorbed (wls-step.ts; the demeaning tolerance ten times looser in the first iteration, as
//     fixest), eta = fitted + offset, the deviance;
//   - step halving when the deviance is not finite, the means leave their range or the deviance rises
//     (unless it has converged): eta moves halfway back to the previous iteration's, at most glmIter times;
//     in the first iteration at most twice; an iteration that halved never ends the loop;
//   - convergence: |dev - dev_old| / (0.1 + |dev|) < glmTol; otherwise stop after glmIter iterations.
// Divergence that halving cannot repair ends the loop with the last good iteration's estimates and a
// message, as fixest does.
import type { Backend } from "../../engine/backend.js";
import { DidwasmError } from "../../errors.js";
import type { Groups } from "../../model/groups.js";
import type { Family } from "./family.js";
import { familyOps, type FamilyOps } from "./family-ops.js";
import { coldStart, wlsStep, type WlsStep } from "./wls-step.js";

/** fixest's starting linear predictor for the "previous" deviance and fitted values. */
const START_ETA = 1e-5;
/** fixest loosens the demeaning tolerance in the first iteration, far from the solution, by this factor. */
const FIRST_ITERATION_TOL_FACTOR = 10;

export interface IrlsJob {
  readonly backend: Backend;
  readonly family: Family;
  readonly y: Float64Array;
  /** Regressors, n x K column-major. */
  readonly X: Float64Array;
  readonly K: number;
  readonly offset: Float64Array | null;
  /** Prior weights, or null. */
  readonly pw: Float64Array | null;
  readonly fixef: readonly Groups[];
  readonly glmTol: number;
  readonly glmIter: number;
  readonly tol: number;
  readonly maxIter: number;
}

export interface IrlsResult {
  /** The last weighted least squares: coefficients, working residuals, demeaned regressors, bread. */
  readonly step: WlsStep;
  /** The working weights of that step. */
  readonly w: Float64Array;
  /** Final linear predictor (with offset) and means. */
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  readonly deviance: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Why the loop stopped early without converging (divergence), or null. */
  readonly divergence: string | null;
  /** Change of the linear predictor in the last iteration (separation shows as steps of about -1). */
  readonly lastEtaChange: Float64Array;
  /** Change of the kept coefficients in the last iteration (0 where not comparable). */
  readonly lastCoefChange: Float64Array;
  readonly demeanIterations: number;
  readonly demeanConverged: boolean;
}

export function runIrls(job: IrlsJob): IrlsResult {
  const ops = familyOps(job.backend, job.family, job);
  try {
    return irls(job, ops);
  } finally {
    ops.release();
  }
}

function irls(job: IrlsJob, ops: FamilyOps): IrlsResult {
  const { y, offset, glmIter, glmTol } = job;
  const n = y.length;
  const problem = { backend: job.backend, n, X: job.X, K: job.K, fixef: job.fixef, tol: job.tol, maxIter: job.maxIter };
  const addOffset = (fitted: Float64Array, out: Float64Array): Float64Array => {
    if (offset === null) out.set(fitted);
    else for (let i = 0; i < n; i++) out[i] = fitted[i] + offset[i];
    return out;
  };
  // Every n-long buffer is allocated once and reused across iterations: a fresh one costs its page faults
  // (some 36 ms per million doubles on a virtual machine), more than the iteration's arithmetic. The linear
  // predictor rotates between the accepted, the candidate and the one before; the means between the
  // accepted and the candidate. Without an offset the step's fitted values are the candidate linear
  // predictor itself and the previous ones (where step halving moves back to) the accepted one; with an
  // offset they alternate in two buffers of their own. The working response and weights, the residuals and
  // the demeaned regressors are the last step's only: a fallback to the step before recomputes it.
  let eta: Float64Array = ops.startEta();
  let mu: Float64Array = new Float64Array(n);
  if (!ops.evaluate(eta, mu).valid) throw new DidwasmError("BAD_DATA", "the starting values of the means are not valid for this family");
  let newEta: Float64Array = new Float64Array(n);
  let newMu: Float64Array = new Float64Array(n);
  let prevEta: Float64Array = new Float64Array(n);
  const fittedBufs = offset === null ? null : [new Float64Array(n), new Float64Array(n)];
  // The "previous" fitted values of the first iteration: the constant START_ETA.
  let oldFitted: Float64Array = (fittedBufs ? fittedBufs[0] : prevEta).fill(START_ETA);
  let devOld = ops.evaluate(oldFitted, newMu).deviance;
  const resid = new Float64Array(n);
  const Xd = new Float64Array(n * job.K);
  const w = new Float64Array(n);
  const z = new Float64Array(n);
  let warm = coldStart();
  let step: WlsStep | null = null;
  let prevCoef: WlsStep | null = null;
  let dev = devOld;
  let iter = 0;
  let converged = false;
  let divergence: string | null = null;
  let demeanIterations = 0;
  let demeanConverged = true;
  // The last accepted step again (its buffers are overwritten by the next one), from the linear predictor
  // it started from (prevEta, as eta has been accepted since): the same working response and weights,
  // demeaned from a cold start (the same to the tolerance). `scratch`: the failed step's fitted values.
  const lastAccepted = (scratch: Float64Array): WlsStep => {
    ops.evaluate(prevEta, newMu);
    ops.working(prevEta, newMu, z, w);
    warm = coldStart();
    const again = wlsStep(problem, z, w, warm, 1, { fitted: scratch, resid, Xd });
    return { ...again, fitted: oldFitted };
  };

  while (iter < glmIter) {
    iter++;
    if (!ops.working(eta, mu, z, w)) {
      divergence = `no informative observation at iteration ${iter} (every working weight is 0)`;
      break;
    }
    const fitted = fittedBufs ? fittedBufs[iter % 2] : newEta;
    const s = wlsStep(problem, z, w, warm, iter === 1 ? FIRST_ITERATION_TOL_FACTOR : 1, { fitted, resid, Xd });
    demeanIterations = Math.max(demeanIterations, s.demeanIterations);
    if (!s.demeanConverged) demeanConverged = false;
    if (s.coef.some((b) => !Number.isFinite(b))) {
      if (iter === 1 || !step) throw new DidwasmError("BAD_DATA", "the weighted least squares of the first iteration gave non-finite coefficients: the model cannot be started");
      divergence = `divergence at iteration ${iter}: the weighted least squares gave non-finite coefficients; the last iteration's estimates are reported`;
      step = lastAccepted(fitted);
      break;
    }
    if (fitted !== newEta) addOffset(fitted, newEta);
    const ev = ops.evaluate(newEta, newMu);
    dev = ev.deviance;
    let devEvol = dev - devOld;
    const settled = Number.isFinite(dev) && (Math.abs(devEvol) < glmTol || Math.abs(devEvol) / (0.1 + Math.abs(dev)) < glmTol);
    let valid = ev.valid;
    if (!settled && (!Number.isFinite(dev) || devEvol > 0 || !valid)) {
      let halvings = 0;
      let giveUp = false;
      while (!Number.isFinite(dev) || devEvol > 0 || !valid) {
        if (iter === 1 && Number.isFinite(dev) && valid && halvings >= 2) break;
        if (halvings === glmIter) {
          if (iter === 1) throw new DidwasmError("BAD_DATA", "the estimation failed at its first iteration: step halving found no valid set of parameters");
          if (!Number.isFinite(dev) || !valid) {
            divergence = `divergence at iteration ${iter}: ${!Number.isFinite(dev) ? "non-finite deviance" : "no valid means"} despite step halving; the last iteration's estimates are reported`;
            giveUp = true;
          }
          break;
        }
        halvings++;
        // Halfway back to the previous iteration's fitted values, in place.
        for (let i = 0; i < n; i++) fitted[i] = (oldFitted[i] + fitted[i]) / 2;
        if (fitted !== newEta) addOffset(fitted, newEta);
        const again = ops.evaluate(newEta, newMu);
        dev = again.deviance;
        devEvol = dev - devOld;
        valid = again.valid;
      }
      if (giveUp) {
        step = lastAccepted(fitted);
        dev = devOld;
        break;
      }
      // An iteration that halved must not be the last: the next one refits from here.
      devEvol = Infinity;
    }
    prevCoef = step;
    [prevEta, eta, newEta] = [eta, newEta, prevEta];
    [mu, newMu] = [newMu, mu];
    step = { ...s, fitted };
    if (Math.abs(devEvol) / (0.1 + Math.abs(dev)) < glmTol) {
      converged = true;
      break;
    }
    devOld = dev;
    oldFitted = fitted;
  }
  if (!step) throw new DidwasmError("BAD_DATA", divergence ?? "the estimation could not start");
  // The change of the linear predictor in the last iteration, written over the one before (not used again;
  // a step exists, so at least one iteration was accepted and prevEta is the linear predictor before it).
  const lastEtaChange = prevEta;
  for (let i = 0; i < n; i++) lastEtaChange[i] = eta[i] - prevEta[i];
  const lastCoefChange = prevCoef && sameColumns(prevCoef.keptIdx, step.keptIdx) ? step.coef.map((b, k) => b - prevCoef!.coef[k]) : new Float64Array(step.coef.length);
  return { step, w, eta, mu, deviance: dev, iterations: iter, converged, divergence, lastEtaChange, lastCoefChange, demeanIterations, demeanConverged };
}

const sameColumns = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((j, k) => b[k] === j);
