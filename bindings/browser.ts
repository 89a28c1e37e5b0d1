// Browser entry point: the shared API (no Node built-ins). On a page's main thread call
// `await loadEngine()` once before estimating (browsers refuse synchronous compilation of large modules).
export * from "./api.js";
// Browser-only: long work in a Web Worker (the computation worker), resampling on Web Workers.
export { createComputeWorker, type ComputeClient, type ComputeClientOptions, type ComputeWorkerInfo, type RunCallOptions } from "./web-worker/client.js";
export type { ColumnSummary, DataSource, DatasetRef, DatasetSummary, DetailedResult, RunData } from "./web-worker/protocol.js";
export { placeboBrowser, bdiffBrowser, type BrowserParallelOptions } from "./resampling/parallel-browser.js";
export { browserEnv, type BrowserEnvOptions } from "./web-worker/browser-env.js";

// Fits in a Web Worker that imports this entry may use every core (threads; start them ahead with
// prestartKernelThreads); on a page's main thread, which may not block, fits run on one thread and say so.
import { useBrowserKernelThreads } from "./engine/threads/spawn-browser.js";
useBrowserKernelThreads();
