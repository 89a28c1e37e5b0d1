// Entry point of the WebAssembly module: re-exports only. One concern per file.
export { allocBytes, freeBytes } from "./memory";
export { demean, demeanBalanced, fixefSolve, DEMEAN_SCRATCH_PER_GROUP } from "./demean";
export { crossprod, crossprodAB, cholesky, cholSolve, cholInverse, CROSSPROD_BLOCK } from "./linalg";
export { meatHetero, meatCluster } from "./vcov";
export { rngFillU32, rngFillUniform, rngFillBelow } from "./rng";
