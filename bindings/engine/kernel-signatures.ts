// Every kernel's signature, declared once. The kernels are written twice (assembly/*.ts for WebAssembly,
// bindings/engine/reference/*.ts in plain TypeScript), and this table is the contract between them and
// their callers: the Kernels type that estimators call is derived from it, and both backends' adapters
// are built from it generically (wasm.ts passes buffers as pointers, reference/index.ts as typed-array
// views). Adding a kernel means one entry here plus its two implementations.
//
// Each parameter is "name:kind", named as in the AssemblyScript source (test/structure checks both the
// names and the kinds against assembly/, and the arity of both implementations). Kinds:
//   i32        an integer: a count, an index, an iteration limit.
//   u32        an integer the kernel reads as unsigned 32 bits (seeds, streams, replicate numbers); any
//              number is taken modulo 2^32, as `>>> 0` does.
//   f64        a double.
//   f64[]      a buffer of doubles (F64Buffer): the wasm kernel gets its address, the reference kernel its
//              Float64Array.
//   f64[]?     the same or null (optional weights or outputs): the wasm kernel gets address 0.
//   f64[]+len  a buffer of doubles whose length the kernel needs too (scratch it lays out and checks): the
//              wasm kernel gets its address, then its length; the reference kernel the Float64Array.
//   i32[], i32[]?  buffers of 32-bit integers (I32Buffer, Int32Array), likewise.
// Results: "void", or "i32" / "f64" (a number).
import type { F64Buffer, I32Buffer } from "./buffers.js";

export type ParamKind = "i32" | "u32" | "f64" | "f64[]" | "f64[]?" | "f64[]+len" | "i32[]" | "i32[]?";
export type ResultKind = "void" | "i32" | "f64";
export type ParamSpec = `${string}:${ParamKind}`;

export interface KernelSignature {
  readonly params: readonly ParamSpec[];
  readonly result: ResultKind;
}

export const KERNEL_SIGNATURES = {
  /** Absorbs Q fixed effects from C columns; returns how many columns did not converge. */
  demean: {
    params: ["N:i32", "C:i32", "Q:i32", "in_NC:f64[]", "out_NC:f64[]", "fe_NQ:i32[]", "G_Q:i32[]", "w_N:f64[]?", "tol:f64", "maxIter:i32",
      "scratch:f64[]+len", "iter_C:i32[]"],
    result: "i32",
  },
  /** Solves the fixed effects' normal equations D'WD c = rhs_G (see assembly/demean.ts); returns sweeps
   *  used, negated when maxIter was reached. */
  fixefSolve: {
    params: ["N:i32", "Q:i32", "fe_NQ:i32[]", "G_Q:i32[]", "w_N:f64[]?", "rhs_G:f64[]", "threshold:f64", "maxIter:i32", "scratch:f64[]+len",
      "coef_G:f64[]"],
    result: "i32",
  },
  /** Absorbs Q >= 2 fixed effects by conjugate gradient on the normal equations with fixed effect 0
   *  eliminated, applied through cells grouped by fixed effect 0 (assembly/fixef-cg.ts, fixef-schur.ts);
   *  scratch: cgScratchLength (backend.ts). Returns how many columns did not converge. */
  fixefCg: {
    params: ["N:i32", "C:i32", "Q:i32", "in_NC:f64[]", "out_NC:f64[]", "fe_NQ:i32[]", "G_Q:i32[]", "w_N:f64[]?", "cellStart_G1:i32[]",
      "cellIds_KR:i32[]", "cellWeight_K:f64[]", "nullId_M:i32[]", "nNull:i32", "tol:f64", "maxIter:i32", "scratch:f64[]+len", "iter_C:i32[]"],
    result: "i32",
  },
  /** Two-way demeaning solved directly through the period block (assembly/demean-twoway.ts): the cells
   *  and factor come from bindings/model/two-way-cells.ts; scratch: (U + P) x min(C, DEMEAN_COLUMN_BLOCK). */
  demeanTwoWay: {
    params: ["N:i32", "C:i32", "in_NC:f64[]", "out_NC:f64[]", "unit_N:i32[]", "period_N:i32[]", "U:i32", "P:i32", "w_N:f64[]?",
      "cellStart_U1:i32[]", "cellPeriod_M:i32[]", "cellWeight_M:f64[]", "unitWeight_U:f64[]", "L_QQ:f64[]", "scratch:f64[]"],
    result: "void",
  },
  /** The unit-period cells of a two-way panel (assembly/twoway-cells.ts), rows taken in `order_N`
   *  (null: 0..N-1), which must group each unit's rows; returns the number of cells. */
  twoWayCells: {
    params: ["N:i32", "unit_N:i32[]", "period_N:i32[]", "order_N:i32[]?", "U:i32", "P:i32", "w_N:f64[]?", "cellStart_U1:i32[]",
      "cellPeriod_N:i32[]", "cellWeight_N:f64[]", "unitWeight_U:f64[]", "periodWeight_P:f64[]", "cellOf_P:i32[]"],
    result: "i32",
  },
  /** Two-way demeaning in closed form for balanced, unweighted panels (scratch: U + T doubles). */
  demeanBalanced: {
    params: ["N:i32", "C:i32", "in_NC:f64[]", "out_NC:f64[]", "unit_N:i32[]", "time_N:i32[]", "U:i32", "T:i32", "scratch:f64[]"],
    result: "void",
  },
  /** demeanBalanced for rows in panel order (no ids: units outer when unitOuter is 1, else periods). */
  demeanPanelOrder: {
    params: ["N:i32", "C:i32", "in_NC:f64[]", "out_NC:f64[]", "U:i32", "T:i32", "unitOuter:i32", "scratch:f64[]"],
    result: "void",
  },
  /** out_AB = A' diag(w) B (Ka x Kb, row-major). */
  crossprodAB: { params: ["N:i32", "Ka:i32", "A_NK:f64[]", "Kb:i32", "B_NK:f64[]", "w_N:f64[]?", "out_AB:f64[]"], result: "void" },
  /** out_CP[c][p] = sum over rows with code_N[i] = p of w_i A[c][i] (one-hot indicator blocks). */
  crossprodIndicators: { params: ["N:i32", "C:i32", "A_NC:f64[]", "w_N:f64[]?", "code_N:i32[]", "P:i32", "out_CP:f64[]"], result: "void" },
  /** Weighted means and centred sums of squares of C columns. */
  columnMoments: { params: ["N:i32", "C:i32", "X_NC:f64[]", "w_N:f64[]?", "mean_C:f64[]", "ss_C:f64[]"], result: "void" },
  /** e_N = y_N - X_NK b_K. y_N may be a view into a larger buffer (see Arena.f64Part). */
  residuals: { params: ["N:i32", "K:i32", "X_NK:f64[]", "b_K:f64[]", "y_N:f64[]", "e_N:f64[]"], result: "void" },
  /** out_KK = X' diag(w) X. */
  crossprod: { params: ["N:i32", "K:i32", "X_NK:f64[]", "w_N:f64[]?", "out_KK:f64[]"], result: "void" },
  /** In-order Cholesky dropping columns with 1 - R^2 <= tol; returns the rank. */
  cholesky: { params: ["K:i32", "A_KK:f64[]", "L_KK:f64[]", "keep_K:i32[]", "tol:f64"], result: "i32" },
  cholSolve: { params: ["K:i32", "L_KK:f64[]", "keep_K:i32[]", "b_K:f64[]", "x_K:f64[]"], result: "void" },
  cholInverse: { params: ["K:i32", "L_KK:f64[]", "keep_K:i32[]", "inv_KK:f64[]", "work_K:f64[]"], result: "void" },
  meatHetero: { params: ["N:i32", "K:i32", "X_NK:f64[]", "e_N:f64[]", "w_N:f64[]?", "v_N:f64[]", "out_KK:f64[]"], result: "void" },
  meatCluster: {
    params: ["N:i32", "K:i32", "X_NK:f64[]", "e_N:f64[]", "w_N:f64[]?", "cl_N:i32[]", "G:i32", "S_GK:f64[]", "out_KK:f64[]"],
    result: "void",
  },
  /** crossprod's sums of row blocks b0..b1-1 apart (lower triangles), for threads to share its blocks. */
  crossprodBlocks: { params: ["N:i32", "K:i32", "X_NK:f64[]", "w_N:f64[]?", "b0:i32", "b1:i32", "out_BT:f64[]"], result: "void" },
  /** meatCluster's score sums of clusters g0..g1-1 (rows of S_GK), and its sum over clusters. */
  clusterScores: {
    params: ["N:i32", "K:i32", "X_NK:f64[]", "e_N:f64[]", "w_N:f64[]?", "cl_N:i32[]", "g0:i32", "g1:i32", "S_GK:f64[]"],
    result: "void",
  },
  /** clusterScores for clusters in runs of R rows (cluster g: rows g R .. (g + 1) R - 1), no ids. */
  clusterScoresRuns: {
    params: ["N:i32", "K:i32", "X_NK:f64[]", "e_N:f64[]", "w_N:f64[]?", "R:i32", "g0:i32", "g1:i32", "S_GK:f64[]"],
    result: "void",
  },
  clusterMeat: { params: ["G:i32", "K:i32", "S_GK:f64[]", "out_KK:f64[]"], result: "void" },
  /** R_DD += the upper triangles of s_g s_g' for clusters whose scores are one run of positions each
   *  (assembly/block-outer.ts: the extended TWFE meat), rows r0..r1-1 of R only. */
  blockOuterUpper: {
    params: ["G:i32", "S:f64[]", "off_G1:i32[]", "start_G:i32[]", "D:i32", "r0:i32", "r1:i32", "R_DD:f64[]"],
    result: "void",
  },

  /** The next N outputs (as i32 bit patterns) of PRNG stream (seed, stream); see bindings/random/xoshiro.ts. */
  rngFillU32: { params: ["seed:u32", "stream:u32", "N:i32", "out_N:i32[]"], result: "void" },
  /** The next N uniforms on [0, 1) of PRNG stream (seed, stream). */
  rngFillUniform: { params: ["seed:u32", "stream:u32", "N:i32", "out_N:f64[]"], result: "void" },
  /** The next N unbiased integers in [0, n) of PRNG stream (seed, stream); n up to 2^32, hence a double. */
  rngFillBelow: { params: ["seed:u32", "stream:u32", "n:f64", "N:i32", "out_N:i32[]"], result: "void" },

  /** B wild cluster bootstrap t statistics from cluster-level sums, replicates firstRep.. (PRNG stream
   *  (seed, replicate)); `kind` is one of WILD_WEIGHT_CODES (backend.ts). scratch: G + 2K doubles; mom_B5
   *  optional (see assembly/resample.ts). */
  wildBootstrapT: {
    params: ["G:i32", "K:i32", "T0_GK:f64[]", "T1_GK:f64[]?", "c_GK:f64[]", "cIdx:i32", "factor:f64", "kind:i32", "seed:u32", "firstRep:u32",
      "B:i32", "scratch:f64[]", "t_B:f64[]", "mom_B5:f64[]?"],
    result: "void",
  },
  /** The wild bootstrap weights of B replicates, B x G row-major (for tests and drawWildWeights). */
  wildFillWeights: { params: ["kind:i32", "seed:u32", "firstRep:u32", "B:i32", "G:i32", "v_BG:f64[]"], result: "void" },

  /** One Newton (IRLS) evaluation of a logistic regression at beta_K: fills eta_N, the working weights w_N,
   *  the score residuals r_N, the information xtwx_KK = X'WX and the score score_K = X'r; returns the
   *  deviance (see assembly/logit.ts; not bit-identical across backends: exp/log1p differ in the last ulp). */
  logitIrls: {
    params: ["N:i32", "K:i32", "X_NK:f64[]", "y_N:f64[]", "pw_N:f64[]?", "beta_K:f64[]", "eta_N:f64[]", "w_N:f64[]", "r_N:f64[]",
      "xtwx_KK:f64[]", "score_K:f64[]"],
    result: "f64",
  },

  /** The row passes of the exact dense fixed-effect solve (assembly/dense-fixef.ts): D'WD (lower triangle),
   *  and g = D'W x after x -= D d (d optional). */
  /** The dense solve's layout: idx_NQ and the pinned coefficients (one per connected component of fixed
   *  effect 0's and q's groups); scratch: 2 G i32. */
  denseFixefLayout: { params: ["N:i32", "Q:i32", "fe_NQ:i32[]", "G_Q:i32[]", "scratch:i32[]", "pinned_G:i32[]", "idx_NQ:i32[]"], result: "void" },
  denseFixefNormal: { params: ["N:i32", "Q:i32", "G:i32", "idx_NQ:i32[]", "w_N:f64[]?", "A_GG:f64[]"], result: "void" },
  denseFixefGradient: {
    params: ["N:i32", "Q:i32", "G:i32", "x_N:f64[]", "w_N:f64[]?", "idx_NQ:i32[]", "d_G:f64[]?", "g_G:f64[]"],
    result: "void",
  },

  /** The Poisson family's row passes in fepois's IRLS (assembly/poisson.ts; the same bits on both backends):
   *  the means (returns how many are invalid), start + sum pw (mu - y eta), the working response and weights
   *  (returns how many weights are not 0), sum pw (y log y - y), sum pw (y eta - mu), the start log(y + 0.1),
   *  and the sums of log(y!) (logFactorialTop: the largest whole y up to limit; table_T: top + 1 doubles). */
  poissonMeans: { params: ["N:i32", "eta_N:f64[]", "mu_N:f64[]"], result: "i32" },
  poissonDevianceSum: { params: ["N:i32", "y_N:f64[]", "pw_N:f64[]?", "eta_N:f64[]", "mu_N:f64[]", "start:f64"], result: "f64" },
  poissonWorking: {
    params: ["N:i32", "y_N:f64[]", "eta_N:f64[]", "mu_N:f64[]", "offset_N:f64[]?", "pw_N:f64[]?", "z_N:f64[]", "w_N:f64[]"],
    result: "i32",
  },
  poissonConstant: { params: ["N:i32", "y_N:f64[]", "pw_N:f64[]?"], result: "f64" },
  poissonLogLikSum: { params: ["N:i32", "y_N:f64[]", "pw_N:f64[]?", "eta_N:f64[]", "mu_N:f64[]"], result: "f64" },
  poissonStart: { params: ["N:i32", "y_N:f64[]", "eta_N:f64[]"], result: "void" },
  logFactorialTop: { params: ["N:i32", "y_N:f64[]", "limit:f64"], result: "f64" },
  logFactorialSums: { params: ["N:i32", "y_N:f64[]", "pw_N:f64[]?", "top:i32", "table_T:f64[]", "sums_2:f64[]"], result: "void" },
  /** D'WD c = r for m group-major right-hand sides (units, then periods) through a two-way panel's cells and
   *  period-block factor (assembly/twoway-cell-solve.ts); out may be rhs; onlyRhsUnits: units whose
   *  right-hand sides are all 0 are skipped; scratch: P m + 2 m + P. */
  twoWayCellSolve: {
    params: ["U:i32", "P:i32", "m:i32", "cellStart_U1:i32[]", "cellPeriod_M:i32[]", "cellWeight_M:f64[]", "unitWeight_U:f64[]", "L_QQ:f64[]", "rhs_Gm:f64[]",
      "out_Gm:f64[]", "onlyRhsUnits:i32", "scratch:f64[]"],
    result: "void",
  },
  /** The extended TWFE regression's per-cell sums of w z z' and w u z (z = 1 and the controls; added to S_CMM
   *  and r_CM) and its rows' linear predictors, or residuals and their sum of squares with y_N
   *  (assembly/etwfe-cells.ts). */
  etwfeCellSums: {
    params: ["N:i32", "m:i32", "cell_N:i32[]", "xs_KN:f64[]?", "w_N:f64[]?", "u_N:f64[]", "S_CMM:f64[]", "r_CM:f64[]", "z_m:f64[]"],
    result: "void",
  },
  etwfePredict: { params: ["N:i32", "m:i32", "cell_N:i32[]", "xs_KN:f64[]?", "b_CM:f64[]", "y_N:f64[]?", "out_N:f64[]"], result: "f64" },
  /** Stacked DID's clustered scores of its event-time and static models in one pass over the stack's runs
   *  (assembly/stacked-scores.ts): added to S1_GK and S2_GK (column-major) for clusters g0 .. g1 - 1 (the
   *  kernel threads' split); scratch: nx1 + nd1 + nx2. */
  stackedScores: {
    params: ["N:i32", "Kc:i32", "L:i32", "G:i32", "firstPost:i32", "x_NC:f64[]", "w_N:f64[]?", "code_N:i32[]", "cluster_N:i32[]", "unit_N:i32[]",
      "period_N:i32[]", "unitCoef_UL:f64[]?", "periodCoef_PL:f64[]", "theta1_K:f64[]", "theta2_K:f64[]", "psiUnit_U:f64[]", "psiPeriod_P:f64[]",
      "postUnit_U:f64[]", "postPeriod_P:f64[]", "kept_M:i32[]", "nx1:i32", "nd1:i32", "nx2:i32", "postKept:i32", "g0:i32", "g1:i32", "S1_GK:f64[]",
      "S2_GK:f64[]", "scratch:f64[]"],
    result: "void",
  },
  /** The passes over a Callaway-Sant'Anna cell's units with covariates (assembly/cs-cells.ts; the same bits
   *  on both backends): the propensity logit's Newton pass (lower triangles of H_KK), the capped and trimmed
   *  propensity score, the controls' crossproduct (lower triangle), and the doubly robust 2x2's outcome
   *  moments, weights and sums, and influence function (written over r_N). */
  csLogitPass: { params: ["N:i32", "K:i32", "x_NK:f64[]", "D_N:f64[]", "b_K:f64[]", "H_KK:f64[]", "g_K:f64[]"], result: "void" },
  csPropensity: {
    params: ["N:i32", "K:i32", "x_NK:f64[]", "coef_K:f64[]", "D_N:f64[]", "psCap:f64", "trimLevel:f64", "ps_N:f64[]", "trim_N:f64[]"],
    result: "void",
  },
  csControlCross: { params: ["N:i32", "K:i32", "x_NK:f64[]", "D_N:f64[]", "out_KK:f64[]"], result: "void" },
  csDrMoments: { params: ["N:i32", "K:i32", "x_NK:f64[]", "D_N:f64[]", "dy_N:f64[]", "xty_K:f64[]"], result: "void" },
  csDrSums: {
    params: ["N:i32", "K:i32", "x_NK:f64[]", "dy_N:f64[]", "D_N:f64[]", "ps_N:f64[]", "trim_N:f64[]", "b_K:f64[]", "r_N:f64[]", "wc_N:f64[]", "sums_4:f64[]",
      "M1_K:f64[]", "M3_K:f64[]", "Mr_K:f64[]"],
    result: "void",
  },
  csDrInfluence: {
    params: ["N:i32", "K:i32", "x_NK:f64[]", "D_N:f64[]", "ps_N:f64[]", "trim_N:f64[]", "wc_N:f64[]", "v1_K:f64[]", "v2_K:f64[]", "v3_K:f64[]", "et:f64",
      "ec:f64", "mwt:f64", "mwc:f64", "r_N:f64[]"],
    result: "void",
  },
  /** synthdid's Frank-Wolfe for weights with the Gram matrix G_nn = A'A (assembly/synthdid-fw.ts): x_n from
   *  its start to the solution; H_n and Ax_m scratch; returns the steps taken (maxIter: not converged). */
  fwGramSolve: {
    params: ["m:i32", "n:i32", "A_mn:f64[]", "b_m:f64[]", "G_nn:f64[]", "Atb_n:f64[]", "zeta2:f64", "minDecrease:f64", "maxIter:i32", "x_n:f64[]",
      "H_n:f64[]", "Ax_m:f64[]"],
    result: "i32",
  },
  /** The same Frank-Wolfe without a Gram matrix, for many units (assembly/synthdid-screened.ts): K candidates
   *  per epoch; work_W (screenedWorkLength in estimators/did/synthdid-screened.ts) and cand_K scratch; returns
   *  the steps taken. */
  fwScreenedSolve: {
    params: ["m:i32", "n:i32", "A_mn:f64[]", "b_m:f64[]", "zeta2:f64", "minDecrease:f64", "maxIter:i32", "K:i32", "x_n:f64[]", "work_W:f64[]", "cand_K:i32[]"],
    result: "i32",
  },
  /** The placebo tests' fake cohorts for replicates from .. from + R - 1 (assembly/fake-cohorts.ts; kind 0
   *  space, 1-3 the mixed variants; bindings/resampling/fake-assignments.ts specifies the draws). */
  placeboFakeCohorts: {
    params: ["U:i32", "cohorts_U:f64[]", "T:i32", "periods_T:f64[]", "M:i32", "dates_M:f64[]", "C:i32", "candidates_C:f64[]", "kind:i32", "seed:u32",
      "from:u32", "R:i32", "units_U:i32[]", "shuffled_M:f64[]", "out_RU:f64[]"],
    result: "void",
  },
  /** The unit x period tables of the placebo draws (assembly/placebo-twoway.ts; bindings/resampling/
   *  two-way-placebo.ts explains them); cellCross_UPK scratch. */
  placeboTwoWayTables: {
    params: ["N:i32", "K1:i32", "ZY_NK:f64[]", "w_N:f64[]?", "unit_N:i32[]", "period_N:i32[]", "U:i32", "P:i32", "cellWeight_UP:f64[]", "unitWeight_U:f64[]",
      "suffixWeight_UQ:f64[]", "suffixCross_UQK:f64[]", "periodCorrection_PK:f64[]", "cellCross_UPK:f64[]"],
    result: "void",
  },
  /** Placebo draws' coefficients from the unit x period tables (assembly/placebo-twoway.ts; the tables are
   *  bindings/resampling/two-way-placebo.ts's); scratch: 2P + k + 1. */
  placeboTwoWayDraws: {
    params: ["R:i32", "U:i32", "P:i32", "k:i32", "periods_P:f64[]", "cohorts_RU:f64[]", "cellWeight_UP:f64[]", "unitWeight_U:f64[]", "suffixWeight_UQ:f64[]",
      "suffixCross_UQK:f64[]", "periodCorrection_PK:f64[]", "L_SS:f64[]", "ZtZinv_kk:f64[]", "scratch:f64[]", "coef_R:f64[]"],
    result: "void",
  },
} as const satisfies Record<string, KernelSignature>;

export type KernelName = keyof typeof KERNEL_SIGNATURES;
export const KERNEL_NAMES = Object.keys(KERNEL_SIGNATURES) as KernelName[];

/** The kind part of "name:kind". */
export const kindOf = (p: ParamSpec): ParamKind => p.slice(p.indexOf(":") + 1) as ParamKind;
export const nameOf = (p: ParamSpec): string => p.slice(0, p.indexOf(":"));

type KindOf<P> = P extends `${string}:${infer K extends ParamKind}` ? K : never;

/** What callers pass for each kind. */
interface HostTypes {
  i32: number;
  u32: number;
  f64: number;
  "f64[]": F64Buffer;
  "f64[]?": F64Buffer | null;
  "f64[]+len": F64Buffer;
  "i32[]": I32Buffer;
  "i32[]?": I32Buffer | null;
}

/** What the reference implementations receive for each kind. */
interface ViewTypes {
  i32: number;
  u32: number;
  f64: number;
  "f64[]": Float64Array;
  "f64[]?": Float64Array | null;
  "f64[]+len": Float64Array;
  "i32[]": Int32Array;
  "i32[]?": Int32Array | null;
}

interface ResultTypes {
  void: void;
  i32: number;
  f64: number;
}

type Args<P extends readonly ParamSpec[], T extends Record<ParamKind, unknown>> = { -readonly [I in keyof P]: T[KindOf<P[I]>] };
type Signature<N extends KernelName, T extends Record<ParamKind, unknown>> = (
  ...args: Args<(typeof KERNEL_SIGNATURES)[N]["params"], T>
) => ResultTypes[(typeof KERNEL_SIGNATURES)[N]["result"]];

/** The kernels as callers see them: buffers are the backend's handles. */
export type Kernels = { readonly [N in keyof typeof KERNEL_SIGNATURES]: Signature<N, HostTypes> };
/** The kernels as the reference backend implements them: buffers are typed arrays. */
export type ViewKernels = { readonly [N in keyof typeof KERNEL_SIGNATURES]: Signature<N, ViewTypes> };
