// Kernel threads in browsers: module Web Workers running the library's one worker script in its kernel
// thread role (web-worker/worker.ts), given their init as the first message. They need SharedArrayBuffer,
// which a browser offers only on cross-origin isolated pages (COOP: same-origin and COEP: require-corp
// headers; scripts/serve-web.mjs sends them). A thread that runs fits must be allowed to block (a Web
// Worker, such as the computation worker), and must not wait for its kernel threads to start (they start on
// the event loop it is blocking): so they are started ahead with prestartKernelThreads.
import { registerKernelThreadPlatform, type KernelThreadPlatform } from "../threaded-engine.js";

/** The name a kernel thread's Web Worker is started under (its role in web-worker/worker.ts). */
export const KERNEL_THREAD_WORKER_NAME = "didwasm-kernel-thread";

export const browserKernelThreads: KernelThreadPlatform = {
  spawn: (init) => {
    const w = new Worker(new URL("../../web-worker/worker.js", import.meta.url), { type: "module", name: KERNEL_THREAD_WORKER_NAME });
    w.postMessage(init);
    return { terminate: () => w.terminate() };
  },
  cores: Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1),
  blockingStart: false,
};

/** Lets fits in this browser thread run on kernel threads (the computation worker and the browser entry). */
export function useBrowserKernelThreads(): void {
  registerKernelThreadPlatform(browserKernelThreads);
}
