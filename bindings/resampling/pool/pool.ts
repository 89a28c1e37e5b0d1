// Runs the replicates of a task on a pool of workers: blocks of consecutive replicates are handed to
// whichever worker is free, results are put back in replicate order. Replicate r always uses PRNG stream
// (seed, r), so the result does not depend on the number of workers or the order blocks finish in.
import { DidwasmError, type ErrorCode } from "../../errors.js";
import type { FrameData } from "./frame-transfer.js";
import type { FromWorker, WorkerLike } from "./protocol.js";
import type { ReplicateTask } from "./tasks.js";

export interface PoolOptions {
  readonly workers: number;
  readonly spawn: () => WorkerLike;
  /** Compiled kernels for the workers (null: reference backend). */
  readonly module: WebAssembly.Module | null;
  readonly simd: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

let jobCounter = 0;

/** Blocks per worker: enough that the last block to finish leaves the other workers idle briefly (a
 *  synthdid replicate costs ~15 ms: with 4 blocks of 125 replicates per worker the tail idled ~1 s of a
 *  1,000-replicate run), few enough that messaging costs nothing next to the replicates. */
const BLOCKS_PER_WORKER = 16;

export async function runInPool(frame: FrameData, task: ReplicateTask, reps: number, o: PoolOptions): Promise<Float64Array[]> {
  const size = Math.max(1, Math.min(o.workers, reps));
  const block = Math.max(1, Math.ceil(reps / (size * BLOCKS_PER_WORKER)));
  const job = ++jobCounter;
  const pending: Array<[number, number]> = [];
  for (let from = 0; from < reps; from += block) pending.push([from, Math.min(reps, from + block)]);
  const workers = Array.from({ length: size }, () => o.spawn());
  const results: Float64Array[] = [];
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let active = 0;
      const next = (w: WorkerLike) => {
        const range = pending.shift();
        if (!range) {
          if (active === 0) resolve();
          return;
        }
        active++;
        w.postMessage({ type: "run", job, task, from: range[0], to: range[1] });
      };
      for (const w of workers) {
        w.onMessage((m: FromWorker) => {
          active--;
          if (m.type === "error") {
            pending.length = 0;
            reject(m.code ? new DidwasmError(m.code as ErrorCode, m.message) : new Error(m.message));
            return;
          }
          m.values.forEach((v, k) => {
            if (!results[k]) results[k] = new Float64Array(reps);
            results[k].set(v, m.from);
          });
          done += m.values[0]?.length ?? 0;
          o.onProgress?.(done, reps);
          next(w);
          if (active === 0 && pending.length === 0) resolve();
        });
        w.postMessage({ type: "init", module: o.module, simd: o.simd, frame });
        next(w);
      }
    });
  } finally {
    for (const w of workers) w.terminate();
  }
  return results;
}
