// How many threads a fit's demeaning runs on, and the engine that gives them. The default ("auto") is every
// core for data large enough to repay starting kernel threads (~0.1 s once per process), else one. Where
// threads cannot run (reference backend, no SharedArrayBuffer, a browser page that is not cross-origin
// isolated, a browser's main thread), the fit runs on one thread and says why in a note. Results are the
// same for any thread count (column-split.ts), so the choice only changes the time.
import type { BackendName } from "../engine/backend.js";
import { defaultEngine, type Engine } from "../engine/engine.js";
import { kernelThreadsUnavailable, machineCores, mayWaitForThreadStart, threadedEngine } from "../engine/threaded-engine.js";
import { DidwasmError } from "../errors.js";
import { info, type Note } from "../notes.js";

/** Rows from which "auto" uses every core (below, starting threads costs more than they save). */
export const AUTO_THREADS_MIN_ROWS = 200_000;
/** How long a fit waits for its kernel threads to start before running on one thread. */
const START_TIMEOUT_MS = 10_000;

export type ThreadsOption = number | "auto";

export interface ThreadChoice {
  readonly engine: Engine;
  /** Threads the demeaning runs on (1: this thread only). */
  readonly threads: number;
  readonly notes: readonly Note[];
}

export function checkThreadsOption(threads: unknown): void {
  if (threads === undefined || threads === "auto") return;
  if (!(typeof threads === "number" && Number.isInteger(threads) && threads >= 1)) {
    throw new DidwasmError("BAD_OPTION", `threads must be a positive integer or "auto", got ${JSON.stringify(threads)}`, { option: "threads" });
  }
}

const one = (backend: BackendName, notes: Note[] = []): ThreadChoice => ({ engine: defaultEngine(backend), threads: 1, notes });

/** The engine for `threads` (rows: the data's, for "auto"). */
export function chooseThreads(threads: ThreadsOption | undefined, backend: BackendName, rows: number): ThreadChoice {
  checkThreadsOption(threads);
  const asked = threads ?? "auto";
  if (asked === 1) return one(backend);
  if (backend === "reference") {
    return one(backend, asked === "auto" ? [] : [info("threads", `threads ${asked}: the reference backend runs on one thread`)]);
  }
  const cores = machineCores();
  let wanted = asked === "auto" ? (rows >= AUTO_THREADS_MIN_ROWS ? cores : 1) : asked;
  const notes: Note[] = [];
  if (asked !== "auto" && asked > cores) {
    notes.push(info("threads", `threads ${asked} is more than this machine's ${cores} core(s): using ${cores}`));
    wanted = cores;
  }
  if (wanted <= 1) return one(backend, notes);
  const why = kernelThreadsUnavailable();
  if (why) return one(backend, [...notes, info("threads", `running on one thread: ${why}`)]);
  const engine = threadedEngine(wanted);
  const ready = mayWaitForThreadStart() ? engine.threads.waitReady(START_TIMEOUT_MS) : engine.threads.readyCount() === wanted - 1;
  if (!ready) return one(backend, [...notes, info("threads", `running on one thread: its ${wanted - 1} kernel thread(s) have not started yet`)]);
  return { engine, threads: wanted, notes };
}

/**
 * For estimators that run few kernels but build large per-row arrays (etwfe, csdid, dcdh): chooses the kernel
 * threads as a fit's threads are chosen, and has them touch a fresh-array region of `bytesPerRow` x rows
 * first (engine/fresh-arrays.ts). No threads for one thread, for data under the "auto" threshold (no engine
 * is started for them), or where kernel threads cannot run (then with chooseThreads' note, when more
 * threads were asked for). The thread count and notes, for the result, and the threads' engine (null when
 * there are none) for the estimator's kernels.
 */
export function reserveFreshArrays(threads: ThreadsOption | undefined, rows: number, bytesPerRow: number): { threads: number; engine: Engine | null; notes: readonly Note[] } {
  checkThreadsOption(threads);
  if (threads === 1 || ((threads ?? "auto") === "auto" && rows < AUTO_THREADS_MIN_ROWS)) return { threads: 1, engine: null, notes: [] };
  const choice = chooseThreads(threads, "wasm", rows);
  const runner = choice.threads > 1 ? choice.engine.backend.threads : undefined;
  runner?.touchFreshAhead(rows * bytesPerRow);
  return { threads: runner ? choice.threads : 1, engine: runner ? choice.engine : null, notes: choice.notes };
}
