// Kernel threads in Node: worker_threads that do not keep the process alive; a fit may block while they
// start (they need nothing from the main thread's event loop).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { KernelThreadPlatform } from "../threaded-engine.js";

export const nodeKernelThreads: KernelThreadPlatform = {
  spawn: (init) => {
    const w = new Worker(new URL("./worker-node.js", import.meta.url), { workerData: init });
    w.unref();
    return { terminate: () => void w.terminate() };
  },
  cores: availableParallelism(),
  blockingStart: true,
};
