// How many worker threads a resampling run gets: what the user asked for, else every core when the run is
// big enough to repay starting workers (each loads the library and prepares the model: ~0.1 s).
import { availableParallelism } from "node:os";

/** Rows x draws above which a run uses all cores by default (about 0.3 s of single-threaded work). */
export const PARALLEL_WORK_THRESHOLD = 20_000_000;

export function chooseWorkers(requested: number | undefined, work: number): number {
  if (requested !== undefined) return requested;
  return work >= PARALLEL_WORK_THRESHOLD ? availableParallelism() : 1;
}
