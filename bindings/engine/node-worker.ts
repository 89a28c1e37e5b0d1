// Node's worker threads, loaded when the first worker starts instead of when the library loads.
//
// WHY. Importing node:worker_threads makes Node compile and run its worker machinery (message ports,
// the worker class and their internals), a few milliseconds of every process on the 2-core VM, and most
// processes (`import("didwasm")`, a CLI run on a small file) never start a worker. A type import costs
// nothing at run time; the module itself is required on the first start.
import { createRequire } from "node:module";
import type { Worker, WorkerOptions } from "node:worker_threads";

type WorkerThreads = typeof import("node:worker_threads");

/** A new worker thread running `script` (what `new Worker(script, options)` does). */
export function startWorker(script: URL, options?: WorkerOptions): Worker {
  const threads = createRequire(import.meta.url)("node:worker_threads") as WorkerThreads;
  return new threads.Worker(script, options);
}
