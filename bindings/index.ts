// Node entry point: the shared API plus file reading and worker-thread parallelism.
export * from "./api.js";
export { readCsvFile, fileSource } from "./data/read-file.js";
export { readDataFile } from "./data/read-data-file.js";
export { placeboParallel, bdiffParallel, type ParallelOptions } from "./resampling/parallel-node.js";

// Fits through this entry may use every core (options.threads; see estimators/thread-choice.ts).
import { useNodeKernelThreads } from "./engine/threads/spawn-node.js";
useNodeKernelThreads();
// Jobs too large for one WebAssembly heap are counted against the machine's memory (estimators/ols-staging.ts).
import { useNodeMachineMemory } from "./engine/node-memory.js";
useNodeMachineMemory();
// HiGHS, loaded on first use by smoothness bounds, stays on V8's baseline compiler (estimators/honestdid/highs-node.ts).
import { useNodeHighs } from "./estimators/honestdid/highs-node.js";
useNodeHighs();
