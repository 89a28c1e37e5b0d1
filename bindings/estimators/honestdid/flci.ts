// The optimal fixed-length confidence interval (FLCI) for theta = l'tau under smoothness, Delta^SD(M)
// (Rambachan and Roth 2023, section 4.1, following Armstrong and Kolesar; HonestDiD's findOptimalFLCI).
//
// The interval is an affine estimator a'beta = l_pre'beta_pre + l'beta_post plus or minus
// cv_alpha(M b / h) h, where h is the estimator's standard deviation, M b its worst-case bias over
// Delta^SD(M) and cv_alpha(t) the 1 - alpha quantile of |N(t, 1)|. As in HonestDiD the pre-period weights
// are written l_pre = D w (D: first differences), so that the estimator is unbiased for linear trends when
// sum(w) = sum_t t l_t, and its worst-case bias per unit of M is
//     b(w) = sum_j |w_1 + ... + w_j| + sum_{s=1..numPost} |sum_{j=1..s} j l_{numPost-s+j}| - sum_t t l_t,
// linear in (U, w) with U_j >= |w_1 + ... + w_j|; its variance is w'Qw + q'w + l'Sigma_post l.
//
// HonestDiD minimises the half-length over h by bisection on numerical derivatives, solving for each h
// the second-order cone program "least bias with sd <= h". Here the same trade-off frontier is traced by
// HiGHS's quadratic programs min mu b(w) + var(w) / var(l'beta_post) (a point of the frontier for each
// mu > 0; mu = 0 gives the least variance), and the half-length is minimised over log mu: on a coarse
// grid shared by every M (the frontier does not depend on M), then by golden-section search. The
// half-length is convex along the frontier (HonestDiD relies on the same property), so the search finds
// HonestDiD's optimum. Deliberate difference: cv_alpha is the exact folded-normal quantile; HonestDiD
// estimates it from 10^6 simulated draws (a relative difference of about 10^-3 in the half-length).
import type { Highs } from "highs";
import { dot, mat, principal, quad, type Mat } from "./dense.js";
import { createProgram, type ProgramModel } from "./highs-solver.js";
import { foldedNormalQuantile } from "./normal-tails.js";
import { exp } from "../../stats/libm.js";
import type { EventStudy } from "./test-inversion.js";

export interface FlciResult {
  readonly lb: number;
  readonly ub: number;
  readonly halfLength: number;
  /** The affine estimator's value, its standard deviation and worst-case bias (M b). */
  readonly estimate: number;
  readonly sd: number;
  readonly maxBias: number;
  /** l_pre: the estimator's weights on the pre-period coefficients. */
  readonly preWeights: Float64Array;
}

/** A point of the bias-variance frontier. */
interface Frontier {
  readonly bias: number;
  readonly sd: number;
  readonly preWeights: Float64Array;
}

/** Coarse grid of log mu, and the golden-section tolerance in log mu (the half-length is flat at its
 *  minimum: an error of 1e-4 in log mu moves it by about 1e-8 relative). */
const LOG_MU_GRID = Array.from({ length: 17 }, (_, i) => -16 + 2 * i);
const LOG_MU_TOL = 1e-4;
const GOLDEN = (Math.sqrt(5) - 1) / 2;

export class FlciSolver {
  private readonly model: ProgramModel;
  private readonly frontier = new Map<number, Frontier>();
  private readonly p: number;
  private readonly Q: Mat;
  private readonly qlin: Float64Array;
  private readonly v0: number;
  private readonly constant: number;

  constructor(highs: Highs, private readonly es: EventStudy, private readonly alpha: number) {
    const { numPre: p, numPost: q, l } = es;
    this.p = p;
    let c = 0;
    l.forEach((v, t) => (c += (t + 1) * v));
    let constant = -c;
    for (let s = 1; s <= q; s++) {
      let acc = 0;
      for (let j = 1; j <= s; j++) acc += j * l[q - s + j - 1];
      constant += Math.abs(acc);
    }
    this.constant = constant;
    const pre = Array.from({ length: p }, (_, i) => i);
    const post = Array.from({ length: q }, (_, i) => p + i);
    const sPre = principal(es.sigma, pre);
    // D'Sigma_pre D and 2 D'Sigma_pre,post l, with (D w)_j = w_j - w_{j-1}.
    const D = mat(p, p);
    for (let j = 0; j < p; j++) {
      D.data[j * p + j] = 1;
      if (j + 1 < p) D.data[(j + 1) * p + j] = -1;
    }
    const Q = mat(p, p);
    const DS = mat(p, p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
      let s = 0;
      for (let a = 0; a < p; a++) s += D.data[a * p + i] * sPre.data[a * p + j];
      DS.data[i * p + j] = s;
    }
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
      let s = 0;
      for (let a = 0; a < p; a++) s += DS.data[i * p + a] * D.data[a * p + j];
      Q.data[i * p + j] = s;
    }
    const crossL = new Float64Array(p); // Sigma_pre,post l
    for (let i = 0; i < p; i++) crossL[i] = dot(post.map((c2) => es.sigma.data[i * es.sigma.cols + c2]), l);
    this.qlin = Float64Array.from({ length: p }, (_, i) => {
      let s = 0;
      for (let a = 0; a < p; a++) s += D.data[a * p + i] * crossL[a];
      return 2 * s;
    });
    this.Q = Q;
    this.v0 = quad(principal(es.sigma, post), l);
    // Variables (U_1..U_p, w_1..w_p); rows -U_j +- (w_1 + ... + w_j) <= 0, then sum(w) = c.
    const A = mat(2 * p + 1, 2 * p);
    for (let j = 0; j < p; j++) {
      A.data[j * 2 * p + j] = -1;
      A.data[(p + j) * 2 * p + j] = -1;
      for (let i = 0; i <= j; i++) {
        A.data[j * 2 * p + p + i] = 1;
        A.data[(p + j) * 2 * p + p + i] = -1;
      }
    }
    for (let i = 0; i < p; i++) A.data[2 * p * 2 * p + p + i] = 1;
    const H = mat(2 * p, 2 * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) H.data[(p + i) * 2 * p + p + j] = (2 * Q.data[i * p + j]) / this.v0;
    this.model = createProgram(highs, {
      cost: this.cost(0), colLower: new Array(2 * p).fill(-Infinity), colUpper: new Array(2 * p).fill(Infinity), A,
      rowLower: [...new Array(2 * p).fill(-Infinity), c], rowUpper: [...new Array(2 * p).fill(0), c], hessian: H,
    });
  }

  private cost(mu: number): number[] {
    return [...new Array(this.p).fill(mu), ...Array.from(this.qlin, (v) => v / this.v0)];
  }

  /** The frontier point for log mu (-Infinity: mu = 0, the least variance). */
  private pointAt(logMu: number): Frontier {
    const hit = this.frontier.get(logMu);
    if (hit) return hit;
    this.model.setCost(this.cost(logMu === -Infinity ? 0 : exp(logMu)));
    const s = this.model.solve();
    if (!s.optimal) throw new Error(`the FLCI's quadratic program ended with status ${s.status}`);
    const p = this.p;
    const w = s.x.subarray(p);
    let cum = 0;
    let bias = this.constant;
    const preWeights = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      cum += w[j];
      bias += Math.abs(cum);
      preWeights[j] = w[j] - (j > 0 ? w[j - 1] : 0);
    }
    const variance = quad(this.Q, w) + dot(this.qlin, w) + this.v0;
    const point = { bias, sd: Math.sqrt(Math.max(variance, 0)), preWeights };
    this.frontier.set(logMu, point);
    return point;
  }

  private halfLength(point: Frontier, M: number): number {
    return foldedNormalQuantile(1 - this.alpha, (M * point.bias) / point.sd) * point.sd;
  }

  /** The FLCI for one M. */
  at(M: number): FlciResult {
    let best = this.pointAt(-Infinity);
    if (M > 0) {
      const values = LOG_MU_GRID.map((t) => this.halfLength(this.pointAt(t), M));
      let k = 0;
      values.forEach((v, i) => v < values[k] && (k = i));
      const least = this.halfLength(best, M);
      if (values[k] < least) {
        let a = LOG_MU_GRID[Math.max(0, k - 1)];
        let b = LOG_MU_GRID[Math.min(LOG_MU_GRID.length - 1, k + 1)];
        const f = (t: number) => this.halfLength(this.pointAt(t), M);
        let x1 = b - GOLDEN * (b - a);
        let x2 = a + GOLDEN * (b - a);
        let f1 = f(x1);
        let f2 = f(x2);
        while (b - a > LOG_MU_TOL) {
          if (f1 <= f2) {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - GOLDEN * (b - a);
            f1 = f(x1);
          } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + GOLDEN * (b - a);
            f2 = f(x2);
          }
        }
        const candidates = [LOG_MU_GRID[k], x1, x2].map((t) => this.pointAt(t));
        best = candidates.reduce((u, v) => (this.halfLength(v, M) < this.halfLength(u, M) ? v : u));
      }
    }
    const half = this.halfLength(best, M);
    const { betahat, numPre } = this.es;
    const estimate = dot(best.preWeights, betahat.subarray(0, numPre)) + dot(this.es.l, betahat.subarray(numPre));
    return { lb: estimate - half, ub: estimate + half, halfLength: half, estimate, sd: best.sd, maxBias: M * best.bias, preWeights: best.preWeights };
  }

  dispose(): void {
    this.model.dispose();
  }
}
