// The numerical job behind logit: maximum likelihood for a logistic regression by Newton's method (IRLS),
// with the per-iteration pass over the rows in the backend's logitIrls kernel and the K x K solves in its
// Cholesky kernels, all on one arena released before returning.
//
// Steps: (1) columns collinear with earlier ones (including constant columns next to an intercept) are
// dropped and reported, as feols does; (2) an outcome without variation, and a regressor that on its own
// separates the outcome (max over one outcome group <= min over the other), are refused before iterating;
// (3) Newton steps from b0 = (logit(mean y), 0, ..., 0), halving a step when it raises the deviance, until
// |dev - dev_old| / (|dev| + 0.1) < tol (glm's rule, with a tighter default tolerance), plus one final
// step; (4) the variance is
// the inverse information (X'WX)^-1 at the final coefficients; (5) if fitted probabilities reach 0 or 1
// (|eta| > ETA_SEPARATED) or the information becomes singular, the data are separated: a DidwasmError
// names the variables along which the coefficients diverge.
import type { Backend } from "../engine/backend.js";
import { DidwasmError } from "../errors.js";
import { exp, log } from "../stats/libm.js";

/** Default convergence tolerance on the relative change in deviance (glm uses 1e-8). Once it is met one
 *  more Newton step is taken, which squares the remaining error: the coefficients are then the maximum
 *  likelihood estimates to ~1e-12 relative or better (golden tests against glm run to 1e-14 agree to that). */
export const LOGIT_TOL = 1e-10;
/** Default cap on Newton iterations (glm's maxit is 25; well-posed problems need 4-8). */
export const LOGIT_MAX_ITER = 50;
/** Cholesky drops a regressor when regressing it on the earlier kept ones leaves 1 - R^2 <= this. */
export const LOGIT_COLLINEAR_TOL = 1e-10;
/** A linear predictor beyond +-30 means a fitted probability within 1e-13 of 0 or 1 (R's logit link clamps
 *  at the same point): no finite maximum exists in practice; the data are separated. */
export const ETA_SEPARATED = 30;
/** Step halvings allowed when a Newton step raises the deviance (glm allows the same kind of back-off). */
const MAX_HALVINGS = 30;
/** A step "raises" the deviance when it grows by more than this relative amount: near the optimum the
 *  deviance changes by rounding only (a sum of n terms, ~1e-16 sqrt(n) relative), which must not trigger
 *  halving. */
const DEVIANCE_NOISE = 1e-12;
/** Variables named as separating: those whose (standardised) divergence is at least this share of the
 *  largest one; the others merely adjust to them. */
const CULPRIT_SHARE = 0.25;

export interface LogitJob {
  readonly backend: Backend;
  readonly names: readonly string[];
  /** One column per regressor, each of length n. */
  readonly columns: readonly Float64Array[];
  /** Whether names[0] / columns[0] is the intercept. */
  readonly intercept: boolean;
  /** 0/1 outcome. */
  readonly y: Float64Array;
  /** Prior (case) weights, or null. */
  readonly weights: Float64Array | null;
  readonly tol: number;
  readonly maxIter: number;
  /** How the outcome is named in messages, e.g. 'outcome "treated"'. */
  readonly outcomeLabel: string;
}

export interface LogitCore {
  readonly n: number;
  readonly keptNames: readonly string[];
  readonly removed: readonly string[];
  readonly coef: Float64Array;
  /** Inverse information, K x K row-major over the kept coefficients. */
  readonly vcov: Float64Array;
  readonly eta: Float64Array;
  readonly fitted: Float64Array;
  readonly deviance: number;
  readonly nullDeviance: number;
  /** Newton updates taken. */
  readonly iterations: number;
  readonly converged: boolean;
}

/** [min, max] of x over outcome 0 and over outcome 1 (rows with positive weight): one pass. */
function groupRanges(x: Float64Array, y: Float64Array, pw: Float64Array | null): { lo0: number; hi0: number; lo1: number; hi1: number } {
  let lo0 = Infinity;
  let hi0 = -Infinity;
  let lo1 = Infinity;
  let hi1 = -Infinity;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    if (pw !== null && !(pw[i] > 0)) continue;
    const v = x[i];
    if (y[i] === 1) {
      if (v < lo1) lo1 = v;
      if (v > hi1) hi1 = v;
    } else {
      if (v < lo0) lo0 = v;
      if (v > hi0) hi0 = v;
    }
  }
  return { lo0, hi0, lo1, hi1 };
}

const fmt = (v: number) => String(Number(v.toPrecision(6)));

/** A regressor that alone orders the two outcome groups (complete or quasi-complete separation). */
function univariateSeparation(job: LogitJob, kept: number[]): string[] {
  const found: string[] = [];
  for (const j of kept) {
    if (job.intercept && j === 0) continue;
    const { lo0, hi0, lo1, hi1 } = groupRanges(job.columns[j], job.y, job.weights);
    const name = job.names[j];
    if (hi0 <= lo1) found.push(`"${name}" (every ${job.outcomeLabel} = 1 has ${name} >= ${fmt(lo1)}, every ${job.outcomeLabel} = 0 has ${name} <= ${fmt(hi0)})`);
    else if (hi1 <= lo0) found.push(`"${name}" (every ${job.outcomeLabel} = 1 has ${name} <= ${fmt(hi1)}, every ${job.outcomeLabel} = 0 has ${name} >= ${fmt(lo0)})`);
  }
  return found;
}

function sd(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / Math.max(1, x.length - 1));
}

export function runLogit(job: LogitJob): LogitCore {
  const { backend, y, weights } = job;
  const n = y.length;
  const Kall = job.columns.length;
  if (Kall === 0) throw new DidwasmError("NO_REGRESSORS", "the logit model has no regressor");
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) {
      throw new DidwasmError("BAD_DATA", `${job.outcomeLabel} must be 0 or 1 for a logit, but observation ${i + 1} of the sample has ${y[i]}`);
    }
    const w = weights ? weights[i] : 1;
    sw += w;
    swy += w * y[i];
  }
  if (swy === 0 || swy === sw) {
    throw new DidwasmError("SEPARATION", `${job.outcomeLabel} is ${swy === 0 ? 0 : 1} for all ${n} observations: a logit needs both outcomes`);
  }
  const arena = backend.arena();
  try {
    // (1) Collinearity on X'WX of the centred columns: a constant column next to an intercept is all zeros.
    // With an intercept, every other column is centred at its mean before fitting: the same model (the
    // intercept absorbs the shift), but X'WX is far better conditioned when regressors sit far from 0 (a
    // calendar year, log GDP), which the normal equations would otherwise square. Coefficients and the
    // variance are mapped back below.
    const shift = job.columns.map((c, j) => {
      if (!job.intercept || j === 0) return 0;
      let m = 0;
      for (let i = 0; i < n; i++) m += c[i];
      return m / n;
    });
    const Xall = arena.f64(Kall * n);
    job.columns.forEach((c, j) => {
      const off = j * n;
      const v = Xall.view;
      const m = shift[j];
      for (let i = 0; i < n; i++) v[off + i] = c[i] - m;
    });
    const pw = weights ? arena.f64From(weights) : null;
    const A = arena.f64(Kall * Kall);
    backend.crossprod(n, Kall, Xall, pw, A);
    const Lall = arena.f64(Kall * Kall);
    const keepAll = arena.i32(Kall);
    keepAll.view.fill(1);
    backend.cholesky(Kall, A, Lall, keepAll, LOGIT_COLLINEAR_TOL);
    const kept = Array.from(keepAll.view).flatMap((k, j) => (k ? [j] : []));
    const removed = job.names.filter((_, j) => !keepAll.view[j]);
    const names = kept.map((j) => job.names[j]);
    const K = kept.length;

    // (2) Separation by a single regressor: no maximum exists; say which.
    const single = univariateSeparation(job, kept);
    if (single.length) {
      throw new DidwasmError(
        "SEPARATION",
        `perfect separation: ${single.join("; ")}. The logit has no finite estimates; drop ${single.length > 1 ? "these variables" : "this variable"} or recode ${single.length > 1 ? "them" : "it"}`,
        { variables: single },
      );
    }

    // (3) Newton iterations on the kept columns.
    let X = Xall;
    if (K < Kall) {
      X = arena.f64(K * n);
      kept.forEach((j, k) => X.view.set(Xall.view.subarray(j * n, (j + 1) * n), k * n));
    }
    const yb = arena.f64From(y);
    const beta = arena.f64(K);
    const eta = arena.f64(n);
    const w = arena.f64(n);
    const r = arena.f64(n);
    const info = arena.f64(K * K);
    const score = arena.f64(K);
    const L = arena.f64(K * K);
    const keep = arena.i32(K);
    const delta = arena.f64(K);
    const ybar = swy / sw;
    if (job.intercept && kept[0] === 0) beta.view[0] = log(ybar / (1 - ybar));
    const evaluate = () => backend.logitIrls(n, K, X, yb, pw, beta, eta, w, r, info, score);

    let dev = evaluate();
    let betaOld = Float64Array.from(beta.view);
    let iterations = 0;
    let converged = false;
    let singular = false;
    while (iterations < job.maxIter) {
      keep.view.fill(1);
      const rank = backend.cholesky(K, info, L, keep, 0);
      if (rank < K) {
        singular = true;
        break;
      }
      backend.cholSolve(K, L, keep, score, delta);
      betaOld = Float64Array.from(beta.view);
      for (let k = 0; k < K; k++) beta.view[k] = betaOld[k] + delta.view[k];
      iterations++;
      const devOld = dev;
      dev = evaluate();
      for (let h = 0; h < MAX_HALVINGS && !(dev <= devOld + DEVIANCE_NOISE * Math.abs(devOld)); h++) {
        for (let k = 0; k < K; k++) beta.view[k] = (beta.view[k] + betaOld[k]) / 2;
        dev = evaluate();
      }
      if (!Number.isFinite(dev)) break;
      if (converged) break;
      // glm stops here; one more Newton step squares the remaining error (with n large, a deviance change
      // of 1e-10 relative still leaves coefficients ~1e-8 off), so the final step is taken before stopping.
      if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < job.tol) converged = true;
    }

    // (5) Separation: probabilities at 0 or 1, or an information matrix that lost rank.
    let extreme = 0;
    for (let i = 0; i < n; i++) if (Math.abs(eta.view[i]) > ETA_SEPARATED) extreme++;
    if (extreme > 0 || singular || !Number.isFinite(dev)) {
      const step = beta.view.map((b, k) => Math.abs(b - betaOld[k]) * sd(job.columns[kept[k]]));
      const dir = Array.from(beta.view, (b, k) => Math.abs(b) * sd(job.columns[kept[k]]));
      const use = step.some((s, k) => s > 0 && !(job.intercept && kept[k] === 0)) ? Array.from(step) : dir;
      const cand = names.map((nm, k) => ({ nm, v: job.intercept && kept[k] === 0 ? 0 : use[k] }));
      const top = Math.max(...cand.map((c) => c.v));
      const culprits = cand.filter((c) => c.v >= CULPRIT_SHARE * top && c.v > 0).map((c) => `"${c.nm}"`);
      throw new DidwasmError(
        "SEPARATION",
        `perfect separation: ${job.outcomeLabel} is perfectly predicted by a combination of ${culprits.join(", ") || "the regressors"} ` +
          `(fitted probabilities reach 0 or 1 for ${extreme} of ${n} observations and the coefficients diverge). ` +
          "The logit has no finite estimates; drop or combine these variables",
        { variables: culprits },
      );
    }

    // (4) Variance: the inverse information at the final coefficients.
    keep.view.fill(1);
    backend.cholesky(K, info, L, keep, 0);
    const inv = arena.f64(K * K);
    const work = arena.f64(K);
    backend.cholInverse(K, L, keep, inv, work);

    let nullDev = 0;
    for (let i = 0; i < n; i++) {
      const wi = weights ? weights[i] : 1;
      const mu0 = job.intercept ? ybar : 0.5;
      nullDev += wi * (y[i] === 1 ? log(mu0) : log(1 - mu0));
    }
    // Back to the uncentred parametrisation: b_0 = c_0 - sum_j m_j c_j, V = A V_c A' with A the identity
    // but for row 0, A[0][j] = -m_j.
    const coef = Float64Array.from(beta.view);
    const Vc = Float64Array.from(inv.view);
    const vcov = Float64Array.from(Vc);
    if (job.intercept && kept[0] === 0) {
      const m = kept.map((j) => shift[j]);
      for (let k = 1; k < K; k++) coef[0] -= m[k] * coef[k];
      // row 0 of A Vc: r_l = Vc[0][l] - sum_k m_k Vc[k][l]
      const r0 = Array.from({ length: K }, (_, l) => {
        let v = Vc[l];
        for (let k = 1; k < K; k++) v -= m[k] * Vc[k * K + l];
        return v;
      });
      let v00 = r0[0];
      for (let k = 1; k < K; k++) v00 -= m[k] * r0[k];
      for (let l = 1; l < K; l++) {
        vcov[l] = r0[l];
        vcov[l * K] = r0[l];
      }
      vcov[0] = v00;
    }
    const etaOut = Float64Array.from(eta.view);
    const fitted = etaOut.map((e) => 1 / (1 + exp(-e)));
    return {
      n, keptNames: names, removed, coef, vcov, eta: etaOut, fitted,
      deviance: dev, nullDeviance: -2 * nullDev, iterations, converged,
    };
  } finally {
    arena.release();
  }
}
