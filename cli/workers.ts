// How many worker threads a resampling run gets: what the user asked for, else every core when the run is
// big enough to repay starting workers (each loads the library and prepares the model: ~0.1 s).
import { availableParallelism } from "node:os";
import type { CommandEnv } from "../bindings/commands/types.js";
import { bdiffParallel, placeboParallel } from "../bindings/resampling/parallel-node.js";
import { BDIFF_DRAW_COST } from "../bindings/resampling/pool/tasks.js";

/** Rows x draws above which a run uses all cores by default (about 0.3 s of single-threaded work). */
export const PARALLEL_WORK_THRESHOLD = 20_000_000;

export function chooseWorkers(requested: number | undefined, work: number): number {
  if (requested !== undefined) return requested;
  return work >= PARALLEL_WORK_THRESHOLD ? availableParallelism() : 1;
}

/** Placebo and bdiff runs on worker threads, as many as chooseWorkers gives for their rows x draws. */
export function parallelResampling(workers: number | undefined): Pick<CommandEnv, "placebo" | "bdiff"> {
  return {
    placebo: (f, opts, onProgress) => placeboParallel(f, opts, { workers: chooseWorkers(workers, f.nrow * (opts.reps ?? 500)), onProgress }),
    bdiff: (f, opts, onProgress) =>
      bdiffParallel(f, opts, { workers: chooseWorkers(workers, f.nrow * (opts.reps ?? 500) * BDIFF_DRAW_COST), onProgress }),
  };
}
