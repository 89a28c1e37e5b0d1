// Browser entry of a kernel thread (a module Web Worker): its init comes as the first message. Blocking
// in Atomics.wait is allowed in workers.
import type { KernelThreadInit } from "./protocol.js";
import { serveKernels } from "./serve.js";

self.addEventListener("message", (e: MessageEvent<KernelThreadInit>) => serveKernels(e.data), { once: true });
