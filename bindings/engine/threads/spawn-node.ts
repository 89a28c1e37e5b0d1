// Kernel threads in Node: worker_threads that do not keep the process alive; a fit may block while they
// start (they need nothing from the main thread's event loop). The thread script is the compiled
// worker-node.js beside this file: when the library runs from its TypeScript sources (the test runner),
// there is none, and fits run on one thread, saying so.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { startWorker } from "../node-worker.js";
import { registerKernelThreadPlatform, type KernelThreadPlatform } from "../threaded-engine.js";

const SCRIPT = new URL("./worker-node.js", import.meta.url);

export const nodeKernelThreads: KernelThreadPlatform = {
  spawn: (init) => {
    const w = startWorker(SCRIPT, { workerData: init });
    w.unref();
    return { terminate: () => void w.terminate() };
  },
  cores: availableParallelism(),
  blockingStart: true,
  unavailable: () => (existsSync(fileURLToPath(SCRIPT)) ? null : "the kernel thread script worker-node.js is not built (running from TypeScript sources)"),
};

/** Lets fits in this Node process run on kernel threads (the Node entry and the CLI call it). */
export function useNodeKernelThreads(): void {
  registerKernelThreadPlatform(nodeKernelThreads);
}
