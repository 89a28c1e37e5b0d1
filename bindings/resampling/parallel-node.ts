// Parallel resampling in Node: the same results as the single-threaded functions, computed by a pool of
// worker_threads, each with its own wasm instance of the already compiled kernels.
import { startWorker } from "../engine/node-worker.js";
import { toFrame, type DataInput } from "../data/columns.js";
import { compiledKernels, defaultEngine } from "../engine/engine.js";
import { assembleBdiff, prepareBdiff, bdiffDraws, type BdiffOptions, type BdiffResult } from "./bdiff.js";
import { assemblePlacebo, drawsRepayWorkers, placeboDraws, preparePlacebo, type PlaceboOptions, type PlaceboResult } from "./placebo.js";
import { frameToData } from "./pool/frame-transfer.js";
import { info } from "../notes.js";
import { runInPool } from "./pool/pool.js";
import type { FromWorker, WorkerLike } from "./pool/protocol.js";
import { prepareTask, releaseTask, runRange, stripEngine, type ReplicateTask } from "./pool/tasks.js";

export interface ParallelOptions {
  /** Worker threads (1 = run in this thread). */
  readonly workers?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

function spawnNodeWorker(): WorkerLike {
  const w = startWorker(new URL("./pool/worker-node.js", import.meta.url));
  return {
    postMessage: (m) => w.postMessage(m),
    onMessage: (h) => {
      w.on("message", (m: FromWorker) => h(m));
      w.on("error", (e: Error) => h({ type: "error", job: -1, code: null, message: `resampling worker failed: ${e.message}` }));
    },
    terminate: () => void w.terminate(),
  };
}

function poolFor(o: { backend?: "wasm" | "reference"; engine?: unknown }, p: ParallelOptions) {
  const backend = o.backend ?? "wasm";
  const simd = backend === "wasm" ? defaultEngine("wasm").backend.simd : false;
  return { workers: p.workers ?? 1, spawn: spawnNodeWorker, module: backend === "wasm" ? compiledKernels(simd).module : null, simd, onProgress: p.onProgress };
}

export async function placeboParallel(data: DataInput, o: PlaceboOptions, p: ParallelOptions = {}): Promise<PlaceboResult> {
  const frame = toFrame(data);
  const prepared = preparePlacebo(frame, o);
  if (!prepared.model) return assemblePlacebo(prepared, null);
  const workers = p.workers ?? 1;
  if (workers <= 1 || o.engine || !drawsRepayWorkers(prepared)) {
    const draws = placeboDraws(prepared, 0, prepared.reps);
    p.onProgress?.(prepared.reps, prepared.reps);
    // The worker count changes only where the draws run, never their values; say when it was not used.
    if (workers > 1 && !o.engine) {
      prepared.notes.push(info("threads", `the ${prepared.reps} draws ran in the calling thread, not on ${workers} workers: on this model (fixed effects exactly unit and period) they cost less than starting one worker`));
    }
    return assemblePlacebo(prepared, draws);
  }
  const task: ReplicateTask = { kind: "placebo", options: stripEngine(o) };
  const draws = await runInPool(frameToData(frame), task, prepared.reps, poolFor(o, p));
  return assemblePlacebo(prepared, draws);
}

export async function bdiffParallel(data: DataInput, o: BdiffOptions, p: ParallelOptions = {}): Promise<BdiffResult> {
  const frame = toFrame(data);
  const prepared = prepareBdiff(frame, o);
  try {
    if ((p.workers ?? 1) <= 1 || o.engine || prepared.splits) {
      const draws = bdiffDraws(prepared, 0, prepared.reps);
      p.onProgress?.(prepared.reps, prepared.reps);
      return assembleBdiff(prepared, draws);
    }
    const task: ReplicateTask = { kind: "bdiff", options: stripEngine(o) };
    return assembleBdiff(prepared, await runInPool(frameToData(frame), task, prepared.reps, poolFor(o, p)));
  } finally {
    prepared.fitter.release();
  }
}

/** A prepared task's replicates on the pool (the task prepared again in each worker, identically). */
export async function replicatesParallel(data: DataInput, task: ReplicateTask, reps: number, p: ParallelOptions = {}): Promise<Float64Array[]> {
  const options = task.options as { backend?: "wasm" | "reference" };
  if ((p.workers ?? 1) <= 1) {
    const prepared = prepareTask(toFrame(data), task, defaultEngine(options.backend ?? "wasm"));
    try {
      const draws = runRange(prepared, 0, reps);
      p.onProgress?.(reps, reps);
      return draws;
    } finally {
      releaseTask(prepared);
    }
  }
  return runInPool(frameToData(toFrame(data)), task, reps, poolFor(options, p));
}
