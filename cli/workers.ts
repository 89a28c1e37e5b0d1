// How many worker threads a resampling run gets: what the user asked for (at most the machine's cores
// unless --oversubscribe), else every core when the run is big enough to repay starting workers (each
// loads the library and prepares the model: ~0.1 s); and never more than memory holds, since each worker
// keeps its own copy of the data and its model.
import { availableParallelism, freemem } from "node:os";
import type { CommandEnv } from "../bindings/commands/types.js";
import type { Frame } from "../bindings/data/frame.js";
import { DidwasmError } from "../bindings/errors.js";
import { bdiffParallel, placeboParallel, replicatesParallel } from "../bindings/resampling/parallel-node.js";
import { BDIFF_DRAW_COST } from "../bindings/resampling/pool/tasks.js";
import { DEFAULT_DRAWS } from "../bindings/resampling/subset-fit.js";

/** Rows x draws above which a run uses all cores by default (about 0.3 s of single-threaded work). */
export const PARALLEL_WORK_THRESHOLD = 20_000_000;
/** A worker holds the data (8 bytes a cell), its model (about as much again) and a runtime (~60 MB). */
const WORKER_RUNTIME_BYTES = 60 * 2 ** 20;

/** The worker count a user asked for, checked against the machine. */
export function workerCount(requested: number | undefined, oversubscribe: boolean): number | undefined {
  if (requested === undefined) return undefined;
  const cores = availableParallelism();
  if (requested > cores && !oversubscribe) {
    throw new DidwasmError("BAD_OPTION", `--workers ${requested} is more than this machine's ${cores} cores (it would only add memory and switching); give at most ${cores}, or add --oversubscribe`, { option: "--workers" });
  }
  return requested;
}

/** Workers the free memory holds for this data set. */
export function memoryWorkers(frame: Frame, free = freemem()): number {
  const perWorker = frame.nrow * frame.columns.length * 8 * 2 + WORKER_RUNTIME_BYTES;
  return Math.max(1, Math.floor((0.8 * free) / perWorker));
}

export function chooseWorkers(requested: number | undefined, work: number, frame?: Frame): number {
  const wanted = requested ?? (work >= PARALLEL_WORK_THRESHOLD ? availableParallelism() : 1);
  if (wanted === 1 || frame === undefined) return wanted;
  const fit = memoryWorkers(frame);
  if (requested !== undefined && fit < requested) {
    throw new DidwasmError("BAD_OPTION", `--workers ${requested}: each worker keeps a copy of the data (${frame.nrow.toLocaleString("en-US")} rows); free memory holds ${fit}`, { option: "--workers" });
  }
  return Math.min(wanted, fit);
}

/** Placebo and bdiff runs on worker threads, as many as chooseWorkers gives for their rows x draws. */
export function parallelResampling(workers: number | undefined, frame?: Frame): Pick<CommandEnv, "placebo" | "bdiff" | "replicates"> {
  return {
    placebo: (f, opts, onProgress) => placeboParallel(f, opts, { workers: chooseWorkers(workers, f.nrow * (opts.reps ?? DEFAULT_DRAWS), frame), onProgress }),
    bdiff: (f, opts, onProgress) =>
      bdiffParallel(f, opts, { workers: chooseWorkers(workers, f.nrow * (opts.reps ?? DEFAULT_DRAWS) * BDIFF_DRAW_COST, frame), onProgress }),
    replicates: (f, task, reps, cost, onProgress) => replicatesParallel(f, task, reps, { workers: chooseWorkers(workers, f.nrow * reps * cost, frame), onProgress }),
  };
}
