// The reference backend's implementation of every declared kernel (kernel-signatures.ts), by name. Typed
// as ViewKernels, so a kernel declared but not implemented here, or implemented with other argument
// types, fails to compile; test/structure checks the arities, which TypeScript lets shrink.
import type { ViewKernels } from "../kernel-signatures.js";
import { demean, demeanBalanced, demeanPanelOrder, fixefSolve } from "./demean.js";
import { demeanTwoWay } from "./demean-twoway.js";
import { denseFixefGradient, denseFixefLayout, denseFixefNormal } from "./dense-fixef.js";
import { fixefCg } from "./fixef-cg.js";
import { cholInverse, cholSolve, cholesky, columnMoments, crossprod, crossprodAB, crossprodIndicators, residuals } from "./linalg.js";
import { logitIrls } from "./logit.js";
import { csControlCross, csDrInfluence, csDrMoments, csDrSums, csLogitPass, csPropensity } from "./cs-cells.js";
import { logFactorialSums, logFactorialTop, poissonConstant, poissonDevianceSum, poissonLogLikSum, poissonMeans, poissonStart, poissonWorking } from "./poisson.js";
import { wildBootstrapT, wildFillWeights } from "./resample.js";
import { rngFillBelow, rngFillU32, rngFillUniform } from "./rng.js";
import { placeboFakeCohorts } from "./fake-cohorts.js";
import { placeboTwoWayDraws, placeboTwoWayTables } from "./placebo-twoway.js";
import { fwGramSolve } from "./synthdid-fw.js";
import { fwScreenedSolve } from "./synthdid-screened.js";
import { twoWayCells } from "./twoway-cells.js";
import { twoWayCellSolve } from "./twoway-cell-solve.js";
import { stackedScores } from "./stacked-scores.js";
import { etwfeCellSums, etwfePredict } from "./etwfe-cells.js";
import { meatCluster, meatHetero } from "./vcov.js";
import { crossprodBlocks } from "./crossprod-blocks.js";
import { clusterMeat, clusterScores, clusterScoresRuns } from "./cluster-scores.js";
import { blockOuterUpper } from "./block-outer.js";

export const REFERENCE_KERNELS: ViewKernels = {
  demean, fixefSolve, fixefCg, demeanTwoWay, twoWayCells, demeanBalanced, demeanPanelOrder,
  crossprodAB, crossprodIndicators, columnMoments, residuals, crossprod, cholesky, cholSolve, cholInverse,
  meatHetero, meatCluster, crossprodBlocks, clusterScores, clusterScoresRuns, clusterMeat,
  rngFillU32, rngFillUniform, rngFillBelow,
  wildBootstrapT, wildFillWeights,
  logitIrls,
  twoWayCellSolve,
  stackedScores,
  etwfeCellSums, etwfePredict,
  csLogitPass, csPropensity, csControlCross, csDrMoments, csDrSums, csDrInfluence,
  denseFixefLayout, denseFixefNormal, denseFixefGradient,
  poissonMeans, poissonDevianceSum, poissonWorking, poissonConstant, poissonLogLikSum, poissonStart, logFactorialTop, logFactorialSums,
  fwGramSolve, fwScreenedSolve,
  placeboFakeCohorts, placeboTwoWayDraws, placeboTwoWayTables,
  blockOuterUpper,
};
