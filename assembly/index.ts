// Entry point of the WebAssembly module: re-exports only. One concern per file.
export { allocBytes, freeBytes } from "./memory";
export { demean, demeanBalanced, fixefSolve } from "./demean";
export { demeanTwoWay } from "./demean-twoway";
export { fixefCg } from "./fixef-cg";
export { twoWayCells } from "./twoway-cells";
export { crossprod, crossprodAB, cholesky, cholSolve, cholInverse, columnMoments, crossprodIndicators, residuals } from "./linalg";
export { meatHetero, meatCluster } from "./vcov";
export { rngFillU32, rngFillUniform, rngFillBelow } from "./rng";
export { wildBootstrapT, wildFillWeights } from "./resample";
export { logitIrls } from "./logit";
export { denseFixefLayout, denseFixefNormal, denseFixefGradient } from "./dense-fixef";
export { poissonMeans, poissonDevianceSum, poissonWorking, poissonConstant, poissonLogLikSum, poissonStart, logFactorialTop, logFactorialSums } from "./poisson";
export { setThreadLocal } from "./thread-local";
export { fwGramSolve } from "./synthdid-fw";
