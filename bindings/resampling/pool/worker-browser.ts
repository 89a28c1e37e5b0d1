// Web Worker entry for resampling workers (module worker).
import { workerHandler } from "./worker-core.js";
import type { FromWorker, ToWorker } from "./protocol.js";

const scope = globalThis as unknown as { postMessage(m: FromWorker): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
const handle = workerHandler((m) => scope.postMessage(m));
scope.onmessage = (e) => handle(e.data);
