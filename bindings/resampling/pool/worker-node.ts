// Node worker_threads entry for resampling workers.
import { parentPort } from "node:worker_threads";
import { workerHandler } from "./worker-core.js";
import type { FromWorker, ToWorker } from "./protocol.js";

const port = parentPort!;
const handle = workerHandler((m: FromWorker) => port.postMessage(m));
port.on("message", (m: ToWorker) => handle(m));
