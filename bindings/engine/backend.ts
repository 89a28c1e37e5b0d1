// The kernel contract shared by the WebAssembly backend and the pure-TypeScript reference backend.
// Both implement the same functions with the same arguments; buffers are handles owned by the backend
// that allocated them (WebAssembly memory for "wasm", ordinary typed arrays for "reference"), so the wasm
// backend passes pointers without copying. Buffer names carry their length (see assembly/demean.ts).

export type BackendName = "wasm" | "reference";

/** A buffer of doubles owned by one backend. `view` is always current: the wasm backend re-creates it
 *  after memory growth (an old view of grown memory silently has length 0). */
export interface F64Buffer {
  readonly length: number;
  readonly view: Float64Array;
}

/** A buffer of 32-bit integers owned by one backend; see F64Buffer. */
export interface I32Buffer {
  readonly length: number;
  readonly view: Int32Array;
}

/** The buffers of one job. Allocate what the job needs, run kernels, then release everything at once. */
export interface Arena {
  /** Zero-filled unless `zero` is false (for buffers the caller overwrites entirely). */
  f64(length: number, zero?: boolean): F64Buffer;
  i32(length: number, zero?: boolean): I32Buffer;
  f64From(values: ArrayLike<number>): F64Buffer;
  /** A handle on part of an existing buffer (no copy; valid as long as the buffer is). */
  f64Part(buffer: F64Buffer, offset: number, length: number): F64Buffer;
  i32From(values: ArrayLike<number>): I32Buffer;
  release(): void;
}

/** Columns the demeaning kernel sweeps together at most (mirrors COLUMN_BLOCK in assembly/demean.ts). */
export const DEMEAN_COLUMN_BLOCK = 8;
/** Scratch doubles of the demeaning kernel that do not depend on the groups (mirrors SCRATCH_FIXED). */
export const DEMEAN_SCRATCH_FIXED = 8 * 8 + 32;

/** Scratch doubles for demean/fixefSolve over fixed effects with sumG groups in all, so that blocks of
 *  `columns` columns (at most DEMEAN_COLUMN_BLOCK) are swept together; see assembly/demean.ts. */
export function demeanScratchLength(sumG: number, columns = DEMEAN_COLUMN_BLOCK): number {
  const B = Math.max(1, Math.min(columns, DEMEAN_COLUMN_BLOCK));
  return (1 + 7 * B) * sumG + DEMEAN_SCRATCH_FIXED;
}

/** The exact scratch demean lays out for fixed effects of G[0], G[1], ... groups (the first one's
 *  coefficients are never iterated on, so a large first fixed effect costs little): far less than
 *  demeanScratchLength when one fixed effect is much larger than the others, as units are in a panel. */
export function demeanScratchFor(G: ArrayLike<number>, columns = DEMEAN_COLUMN_BLOCK): number {
  const B = Math.max(1, Math.min(columns, DEMEAN_COLUMN_BLOCK));
  let sumG = 0;
  let maxG = 0;
  for (let q = 0; q < G.length; q++) {
    sumG += G[q];
    maxG = Math.max(maxG, G[q]);
  }
  const M = sumG - (G.length > 0 ? G[0] : 0);
  return sumG + B * (2 * sumG + maxG + 3 * M) + DEMEAN_SCRATCH_FIXED;
}

export interface Kernels {
  /** Absorbs Q fixed effects from C columns; returns how many columns did not converge. */
  demean(
    N: number, C: number, Q: number, in_NC: F64Buffer, out_NC: F64Buffer, fe_NQ: I32Buffer, G_Q: I32Buffer,
    w_N: F64Buffer | null, tol: number, maxIter: number, scratch: F64Buffer, iter_C: I32Buffer,
  ): number;
  /** Solves the fixed effects' normal equations D'WD c = rhs_G (see assembly/demean.ts); returns sweeps
   *  used, negated when maxIter was reached. */
  fixefSolve(
    N: number, Q: number, fe_NQ: I32Buffer, G_Q: I32Buffer, w_N: F64Buffer | null, rhs_G: F64Buffer, threshold: number,
    maxIter: number, scratch: F64Buffer, coef_G: F64Buffer,
  ): number;
  /** Two-way demeaning solved directly through the period block (assembly/demean-twoway.ts): the cells
   *  and factor come from bindings/model/two-way-cells.ts; scratch: (U + P) x min(C, DEMEAN_COLUMN_BLOCK). */
  demeanTwoWay(
    N: number, C: number, in_NC: F64Buffer, out_NC: F64Buffer, unit_N: I32Buffer, period_N: I32Buffer, U: number, P: number,
    w_N: F64Buffer | null, cellStart_U1: I32Buffer, cellPeriod_M: I32Buffer, cellWeight_M: F64Buffer, unitWeight_U: F64Buffer,
    L_QQ: F64Buffer, scratch: F64Buffer,
  ): void;
  /** The unit-period cells of a two-way panel (assembly/twoway-cells.ts), rows taken in `order_N`
   *  (null: 0..N-1), which must group each unit's rows; returns the number of cells. */
  twoWayCells(
    N: number, unit_N: I32Buffer, period_N: I32Buffer, order_N: I32Buffer | null, U: number, P: number, w_N: F64Buffer | null,
    cellStart_U1: I32Buffer, cellPeriod_N: I32Buffer, cellWeight_N: F64Buffer, unitWeight_U: F64Buffer, periodWeight_P: F64Buffer,
    cellOf_P: I32Buffer,
  ): number;
  /** Two-way demeaning in closed form for balanced, unweighted panels (scratch: U + T doubles). */
  demeanBalanced(
    N: number, C: number, in_NC: F64Buffer, out_NC: F64Buffer, unit_N: I32Buffer, time_N: I32Buffer, U: number, T: number, scratch: F64Buffer,
  ): void;
  /** out_AB = A' diag(w) B (Ka x Kb, row-major). */
  crossprodAB(N: number, Ka: number, A_NK: F64Buffer, Kb: number, B_NK: F64Buffer, w_N: F64Buffer | null, out_AB: F64Buffer): void;
  /** out_CP[c][p] = sum over rows with code_N[i] = p of w_i A[c][i] (one-hot indicator blocks). */
  crossprodIndicators(N: number, C: number, A_NC: F64Buffer, w_N: F64Buffer | null, code_N: I32Buffer, P: number, out_CP: F64Buffer): void;
  /** Weighted means and centred sums of squares of C columns. */
  columnMoments(N: number, C: number, X_NC: F64Buffer, w_N: F64Buffer | null, mean_C: F64Buffer, ss_C: F64Buffer): void;
  /** e_N = y_N - X_NK b_K. y_N may be a view into a larger buffer (offset given as a separate buffer). */
  residuals(N: number, K: number, X_NK: F64Buffer, b_K: F64Buffer, y_N: F64Buffer, e_N: F64Buffer): void;
  /** out_KK = X' diag(w) X. */
  crossprod(N: number, K: number, X_NK: F64Buffer, w_N: F64Buffer | null, out_KK: F64Buffer): void;
  /** In-order Cholesky dropping columns with 1 - R^2 <= tol; returns the rank. */
  cholesky(K: number, A_KK: F64Buffer, L_KK: F64Buffer, keep_K: I32Buffer, tol: number): number;
  cholSolve(K: number, L_KK: F64Buffer, keep_K: I32Buffer, b_K: F64Buffer, x_K: F64Buffer): void;
  cholInverse(K: number, L_KK: F64Buffer, keep_K: I32Buffer, inv_KK: F64Buffer, work_K: F64Buffer): void;
  meatHetero(N: number, K: number, X_NK: F64Buffer, e_N: F64Buffer, w_N: F64Buffer | null, v_N: F64Buffer, out_KK: F64Buffer): void;
  meatCluster(
    N: number, K: number, X_NK: F64Buffer, e_N: F64Buffer, w_N: F64Buffer | null, cl_N: I32Buffer, G: number,
    S_GK: F64Buffer, out_KK: F64Buffer,
  ): void;

  /** The next N outputs (as i32 bit patterns) of PRNG stream (seed, stream); see bindings/random/xoshiro.ts. */
  rngFillU32(seed: number, stream: number, N: number, out_N: I32Buffer): void;
  /** The next N uniforms on [0, 1) of PRNG stream (seed, stream). */
  rngFillUniform(seed: number, stream: number, N: number, out_N: F64Buffer): void;
  /** The next N unbiased integers in [0, n) of PRNG stream (seed, stream). */
  rngFillBelow(seed: number, stream: number, n: number, N: number, out_N: I32Buffer): void;

  /** B wild cluster bootstrap t statistics from cluster-level sums, replicates firstRep.. (PRNG stream
   *  (seed, replicate)); weight kind 0 Rademacher, 1 Webb, 2 Mammen, 3 normal, 4 enumeration of sign
   *  vectors. scratch: G + 2K doubles; mom_B5 optional (see assembly/resample.ts). */
  wildBootstrapT(
    G: number, K: number, T0_GK: F64Buffer, T1_GK: F64Buffer | null, c_GK: F64Buffer, cIdx: number, factor: number, kind: number,
    seed: number, firstRep: number, B: number, scratch: F64Buffer, t_B: F64Buffer, mom_B5: F64Buffer | null,
  ): void;
  /** The wild bootstrap weights of B replicates, B x G row-major (for tests). */
  wildFillWeights(kind: number, seed: number, firstRep: number, B: number, G: number, v_BG: F64Buffer): void;

  /** One Newton (IRLS) evaluation of a logistic regression at beta_K: fills eta_N, the working weights w_N,
   *  the score residuals r_N, the information xtwx_KK = X'WX and the score score_K = X'r; returns the
   *  deviance (see assembly/logit.ts; not bit-identical across backends: exp/log1p differ in the last ulp). */
  logitIrls(
    N: number, K: number, X_NK: F64Buffer, y_N: F64Buffer, pw_N: F64Buffer | null, beta_K: F64Buffer, eta_N: F64Buffer, w_N: F64Buffer,
    r_N: F64Buffer, xtwx_KK: F64Buffer, score_K: F64Buffer,
  ): number;
}

export interface Backend extends Kernels {
  readonly name: BackendName;
  /** Whether the SIMD build of the kernels is running (wasm only). */
  readonly simd: boolean;
  arena(): Arena;
}
