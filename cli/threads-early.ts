// Kernel threads take ~0.1 s to start (a worker each, instantiating the kernels); a fit that will use them
// would wait for that after reading its data. So the CLI starts them while it reads: when the command
// takes --threads and asks for several, or leaves it to "auto" and the file is large enough that "auto"
// will choose every core (thread-choice.ts). A file that turns out smaller only costs idle threads, which
// do not keep the process alive.
import { statSync } from "node:fs";
import { kernelThreadsUnavailable, machineCores, threadedEngine } from "../bindings/engine/threaded-engine.js";
import { AUTO_THREADS_MIN_ROWS } from "../bindings/estimators/thread-choice.js";

/** Bytes per row of a narrow CSV panel (ids, a year, a few numbers), so files of that many rows or more. */
const NARROW_ROW_BYTES = 40;
const AUTO_THREADS_MIN_BYTES = AUTO_THREADS_MIN_ROWS * NARROW_ROW_BYTES;

export function startKernelThreadsEarly(dataPath: string | undefined, options: Record<string, unknown>): void {
  if (options.backend === "reference" || dataPath === undefined) return;
  const asked = options.threads;
  const cores = machineCores();
  let threads: number;
  if (typeof asked === "number") threads = Math.min(asked, cores);
  else {
    let bytes = 0;
    try {
      bytes = statSync(dataPath).size;
    } catch {
      return; // the reader reports a missing file
    }
    threads = bytes >= AUTO_THREADS_MIN_BYTES ? cores : 1;
  }
  if (threads > 1 && kernelThreadsUnavailable() === null) threadedEngine(threads);
}
