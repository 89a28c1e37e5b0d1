// Node entry of a kernel thread (worker_threads): its init comes as workerData.
import { workerData } from "node:worker_threads";
import type { KernelThreadInit } from "./protocol.js";
import { serveKernels } from "./serve.js";

serveKernels(workerData as KernelThreadInit);
