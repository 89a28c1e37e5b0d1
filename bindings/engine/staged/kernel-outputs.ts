// Which buffers each kernel writes. A staged call (staged-backend.ts) copies every buffer argument into the
// WebAssembly heap and, after the kernel, copies back only these: an input that overlaps an output (the
// regressors and the outcome are parts of one [Y X] buffer) must not be written back over it. Scratch is
// never read by callers after a call, so it is not copied back.
import type { KernelName } from "../kernel-signatures.js";

export const KERNEL_OUTPUTS: { readonly [N in KernelName]: readonly string[] } = {
  demean: ["out_NC", "iter_C"],
  fixefSolve: ["coef_G"],
  fixefCg: ["out_NC", "iter_C"],
  demeanTwoWay: ["out_NC"],
  twoWayCells: ["cellStart_U1", "cellPeriod_N", "cellWeight_N", "unitWeight_U", "periodWeight_P", "cellOf_P"],
  demeanBalanced: ["out_NC"],
  crossprodAB: ["out_AB"],
  crossprodIndicators: ["out_CP"],
  columnMoments: ["mean_C", "ss_C"],
  residuals: ["e_N"],
  crossprod: ["out_KK"],
  cholesky: ["L_KK", "keep_K"],
  cholSolve: ["x_K"],
  cholInverse: ["inv_KK", "work_K"],
  meatHetero: ["v_N", "out_KK"],
  meatCluster: ["S_GK", "out_KK"],
  rngFillU32: ["out_N"],
  rngFillUniform: ["out_N"],
  rngFillBelow: ["out_N"],
  wildBootstrapT: ["t_B", "mom_B5"],
  wildFillWeights: ["v_BG"],
  logitIrls: ["eta_N", "w_N", "r_N", "xtwx_KK", "score_K"],
  denseFixefLayout: ["pinned_G", "idx_NQ"],
  denseFixefNormal: ["A_GG"],
  denseFixefGradient: ["x_N", "g_G"],
  poissonMeans: ["mu_N"],
  poissonDevianceSum: [],
  poissonWorking: ["z_N", "w_N"],
  poissonConstant: [],
  poissonLogLikSum: [],
  poissonStart: ["eta_N"],
  logFactorialTop: [],
  logFactorialSums: ["table_T", "sums_2"],
  fwGramSolve: ["x_n", "H_n", "Ax_m"],
};
