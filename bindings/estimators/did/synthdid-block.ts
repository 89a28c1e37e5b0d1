// One block of synthetic DID (Arkhangelsky et al. 2021, Algorithm 1, as synthdid_estimate computes it):
// control units, treated units that all adopt after the first T0 periods, and the estimate
//   tau = (mean_post - sum_t lambda_t mean_t)  of  (treated mean - sum_j omega_j Y_jt).
// Methods, as synthdid offers them:
//   sdid  unit weights omega (intercept, ridge zeta_omega = (N_tr T_post)^(1/4) sigma) and time weights
//         lambda (intercept, zeta_lambda = 1e-6 sigma), sigma the sd of the controls' pre-period first
//         differences; each solved twice (100 iterations, sparsify, to convergence: synthdid's defaults);
//   sc    synthetic control: omega without intercept, zeta_omega = 1e-6 sigma, lambda = 0;
//   did   uniform omega and lambda.
// Replicates pass the original block's tuning (synthdid passes its opts: zetas and min.decrease) and
// start weights; the jackknife passes fixed weights.
import type { GramWorkspace } from "./synthdid-gram-fw.js";
import { gramOf, solveSparse, weightProblem, type WeightSolution } from "./synthdid-solver.js";

export type SynthMethod = "sdid" | "sc" | "did";

export interface Tuning {
  /** Noise level sigma. */
  readonly noise: number;
  readonly zetaOmega: number;
  readonly zetaLambda: number;
  /** The stopping rule's decrease (1e-5 sigma; the objective must fall by more than its square). */
  readonly minDecrease: number;
}

export interface Block {
  /** Row indices of the control and treated units in the panel matrix. */
  readonly controls: Int32Array;
  readonly treated: Int32Array;
  /** Pre-treatment periods: columns 0..T0-1. */
  readonly T0: number;
}

export interface BlockFit {
  readonly tau: number;
  /** Per control (in block order). */
  readonly omega: Float64Array;
  /** Per pre-period. */
  readonly lambda: Float64Array;
  readonly tuning: Tuning;
  /** Frank-Wolfe iterations over both weight problems, and whether both stopped by the decrease rule. */
  readonly iterations: number;
  readonly converged: boolean;
}

/** synthdid's max.iter and max.iter.pre.sparsify. */
export const MAX_ITER = 10_000;
export const PRE_SPARSIFY_ITER = 100;

/** Largest number of units for which the unit-weight problem uses an n x n Gram matrix (8 bytes each:
 *  2,500 units = 50 MB); beyond, the screened steps of synthdid-screened.ts run without one. */
export const GRAM_MAX_UNITS = 2_500;

export interface Matrix {
  readonly Y: Float64Array;
  readonly T: number;
}

/** sd (n - 1 denominator) of the controls' first differences over the pre-period. */
export function noiseLevel(m: Matrix, controls: Int32Array, T0: number): number {
  const { Y, T } = m;
  let n = 0;
  let mean = 0;
  let ss = 0;
  for (const u of controls) {
    for (let t = 1; t < T0; t++) {
      const d = Y[u * T + t] - Y[u * T + t - 1];
      n++;
      const delta = d - mean;
      mean += delta / n;
      ss += delta * (d - mean);
    }
  }
  return Math.sqrt(ss / (n - 1));
}

export function defaultTuning(m: Matrix, b: Block, method: SynthMethod): Tuning {
  const noise = noiseLevel(m, b.controls, b.T0);
  const cells = b.treated.length * (m.T - b.T0);
  const etaOmega = method === "sc" ? 1e-6 : Math.sqrt(Math.sqrt(cells));
  return { noise, zetaOmega: etaOmega * noise, zetaLambda: 1e-6 * noise, minDecrease: 1e-5 * noise };
}

/** Per period: the treated units' mean. */
function treatedMeans(m: Matrix, treated: Int32Array): Float64Array {
  const { Y, T } = m;
  const out = new Float64Array(T);
  for (const u of treated) for (let t = 0; t < T; t++) out[t] += Y[u * T + t];
  for (let t = 0; t < T; t++) out[t] /= treated.length;
  return out;
}

/** The unit-weight problem's columns (units' pre-period rows, each demeaned over time when `intercept`),
 *  for a set of units: column-major T0 x units. */
export function unitColumns(m: Matrix, units: Int32Array, T0: number, intercept: boolean): Float64Array {
  const { Y, T } = m;
  const A = new Float64Array(T0 * units.length);
  units.forEach((u, j) => {
    let mean = 0;
    if (intercept) {
      for (let t = 0; t < T0; t++) mean += Y[u * T + t];
      mean /= T0;
    }
    for (let t = 0; t < T0; t++) A[j * T0 + t] = Y[u * T + t] - mean;
  });
  return A;
}

/** Solves a block's unit weights from its target (the treated units' pre-period mean, demeaned with an
 *  intercept) and start weights, in place of the problem built from the block's controls: placebo
 *  replicates solve it over all the controls at once (synthdid-variance.ts). */
export type OmegaSolver = (target: Float64Array, tuning: Tuning, start: Float64Array) => WeightSolution;

/** The unit-weight problem's target: the treated units' pre-period mean, demeaned when `intercept`. */
function omegaTarget(m: Matrix, b: Block, intercept: boolean): Float64Array {
  const T0 = b.T0;
  const target = treatedMeans(m, b.treated).slice(0, T0);
  if (intercept) {
    let mean = 0;
    for (let t = 0; t < T0; t++) mean += target[t];
    mean /= T0;
    for (let t = 0; t < T0; t++) target[t] -= mean;
  }
  return target;
}

function solveOmega(m: Matrix, b: Block, intercept: boolean, tuning: Tuning, start: Float64Array, run: BlockRun): WeightSolution {
  const T0 = b.T0;
  const n = b.controls.length;
  const target = omegaTarget(m, b, intercept);
  if (run.omegaSolver) return run.omegaSolver(target, tuning, start);
  const gram = run.gram ?? null;
  const A = unitColumns(m, b.controls, T0, intercept);
  const G = gram ?? (n <= GRAM_MAX_UNITS ? gramOf(A, T0, n) : null);
  const p = weightProblem(A, T0, n, target, tuning.zetaOmega * tuning.zetaOmega, G);
  return solveSparse(p, start, tuning.minDecrease, MAX_ITER, PRE_SPARSIFY_ITER, run.workspace);
}

function solveLambda(m: Matrix, b: Block, tuning: Tuning, start: Float64Array) {
  const { Y, T } = m;
  const { T0, controls } = b;
  const N0 = controls.length;
  const post = T - T0;
  // column-major N0 x T0 (period columns), and the controls' post-period means, each demeaned over controls
  const A = new Float64Array(N0 * T0);
  const target = new Float64Array(N0);
  controls.forEach((u, j) => {
    for (let t = 0; t < T0; t++) A[t * N0 + j] = Y[u * T + t];
    let s = 0;
    for (let t = T0; t < T; t++) s += Y[u * T + t];
    target[j] = s / post;
  });
  for (let t = 0; t <= T0; t++) {
    const col = t < T0 ? A.subarray(t * N0, (t + 1) * N0) : target;
    let mean = 0;
    for (let j = 0; j < N0; j++) mean += col[j];
    mean /= N0;
    for (let j = 0; j < N0; j++) col[j] -= mean;
  }
  const p = weightProblem(A, N0, T0, target, tuning.zetaLambda * tuning.zetaLambda, gramOf(A, N0, T0));
  return solveSparse(p, start, tuning.minDecrease, MAX_ITER, PRE_SPARSIFY_ITER);
}

/** Per period: treated mean minus the omega-weighted controls. */
export function gapSeries(m: Matrix, b: Block, omega: Float64Array): Float64Array {
  const { Y, T } = m;
  const gap = treatedMeans(m, b.treated);
  b.controls.forEach((u, j) => {
    const w = omega[j];
    if (w !== 0) for (let t = 0; t < T; t++) gap[t] -= w * Y[u * T + t];
  });
  return gap;
}

/** tau from the gap series: its post-period mean minus its lambda-weighted pre-period mean. */
export function tauOf(gap: Float64Array, lambda: Float64Array, T0: number): number {
  let post = 0;
  for (let t = T0; t < gap.length; t++) post += gap[t];
  let pre = 0;
  for (let t = 0; t < T0; t++) pre += lambda[t] * gap[t];
  return post / (gap.length - T0) - pre;
}

export interface BlockRun {
  /** Tuning of the original estimate (replicates); default: computed on this block. */
  readonly tuning?: Tuning;
  /** Start weights (replicates start from the original ones, as synthdid does). */
  readonly omega?: Float64Array;
  readonly lambda?: Float64Array;
  /** Use `omega` and `lambda` as given (the fixed-weights jackknife). */
  readonly fixed?: boolean;
  /** The Gram matrix of the unit-weight problem's columns of `controls`, when the caller has it. */
  readonly gram?: Float64Array | null;
  /** Engine buffers for the unit weights' Frank-Wolfe (synthdid-gram-fw.ts); absent: plain TypeScript. */
  readonly workspace?: GramWorkspace;
  /** Solves the unit weights instead (see OmegaSolver). */
  readonly omegaSolver?: OmegaSolver;
}

export function fitBlock(m: Matrix, b: Block, method: SynthMethod, run: BlockRun = {}): BlockFit {
  const N0 = b.controls.length;
  const T0 = b.T0;
  const tuning = run.tuning ?? defaultTuning(m, b, method);
  let omega = run.omega ?? new Float64Array(N0).fill(1 / N0);
  let lambda = method === "sc" ? new Float64Array(T0) : (run.lambda ?? new Float64Array(T0).fill(1 / T0));
  let iterations = 0;
  let converged = true;
  if (!run.fixed && method !== "did") {
    if (method === "sdid") {
      const l = solveLambda(m, b, tuning, lambda);
      lambda = l.x;
      iterations += l.iterations;
      converged &&= l.converged;
    }
    const o = solveOmega(m, b, method === "sdid", tuning, omega, run);
    omega = o.x;
    iterations += o.iterations;
    converged &&= o.converged;
  }
  const tau = tauOf(gapSeries(m, b, omega), lambda, T0);
  return { tau, omega, lambda, tuning, iterations, converged };
}
