// The library's one Web Worker script (a module worker), in one of two roles chosen by the name it was
// started under: the computation worker (the page posts ToCompute messages and receives FromCompute
// messages, protocol.ts; everything heavy, CSV parsing, estimation, resampling, runs here so the page never
// freezes), or a resampling worker of a pool (resampling/pool/protocol.ts), started by the computation
// worker or by a page for big placebo and bdiff runs. A third role: a kernel thread of the computation
// worker's fits (engine/threads/spawn-browser.ts). One script for both roles: the resampling code is a
// part of the computation worker's, so a page (or a bundle with the workers inlined) carries it once.
import { KERNEL_THREAD_WORKER_NAME, useBrowserKernelThreads } from "../engine/threads/spawn-browser.js";
import { serveKernels } from "../engine/threads/serve.js";
import type { KernelThreadInit } from "../engine/threads/protocol.js";
import { prestartKernelThreads } from "../engine/threaded-engine.js";
import { RESAMPLING_WORKER_NAME } from "../resampling/parallel-browser.js";
import { workerHandler } from "../resampling/pool/worker-core.js";
import type { FromWorker, ToWorker } from "../resampling/pool/protocol.js";
import { computeHandler } from "./core.js";
import type { FromCompute, ToCompute } from "./protocol.js";

const scope = globalThis as unknown as { name?: string; postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null };

/** How long the computation worker gives its kernel threads to start (fits meanwhile run on one thread). */
const KERNEL_THREAD_START_MS = 30_000;

if (scope.name === KERNEL_THREAD_WORKER_NAME) {
  // A kernel thread: its init is the first message; from then on it waits on shared memory, not messages.
  scope.onmessage = (e: MessageEvent<KernelThreadInit>) => {
    scope.onmessage = null;
    serveKernels(e.data);
  };
} else if (scope.name === RESAMPLING_WORKER_NAME) {
  const handle = workerHandler((m: FromWorker) => scope.postMessage(m));
  scope.onmessage = (e: MessageEvent<ToWorker>) => handle(e.data);
} else {
  // Fits here may use every core: kernel threads start now, on cross-origin isolated pages (else the fits
  // run on one thread and their notes say why).
  useBrowserKernelThreads();
  void prestartKernelThreads(KERNEL_THREAD_START_MS).catch(() => false);
  const { handle } = computeHandler((m: FromCompute) => scope.postMessage(m));
  // Requests are handled one at a time, in order (a run never overlaps a load of the same data set).
  let queue: Promise<void> = Promise.resolve();
  scope.onmessage = (e: MessageEvent<ToCompute>) => {
    queue = queue.then(() => handle(e.data));
  };
}
