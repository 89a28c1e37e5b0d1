// Web Worker entry of the computation worker (a module worker): the page posts ToCompute messages and
// receives FromCompute messages (protocol.ts). Everything heavy (CSV parsing, estimation, resampling) runs
// here, so the page never freezes.
import { computeHandler } from "./core.js";
import type { FromCompute, ToCompute } from "./protocol.js";

const scope = globalThis as unknown as { postMessage(m: FromCompute): void; onmessage: ((e: MessageEvent<ToCompute>) => void) | null };
const { handle } = computeHandler((m) => scope.postMessage(m));
// Requests are handled one at a time, in order (a run never overlaps a load of the same data set).
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (e) => {
  queue = queue.then(() => handle(e.data));
};
