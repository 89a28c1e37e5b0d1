// Resampling in browsers: the same results as the single-threaded functions (replicate r always uses PRNG
// stream (seed, r)), computed either in the calling thread in blocks (so progress can be reported between
// blocks) or by a pool of Web Workers speaking the pool protocol (pool/protocol.ts), each with its own wasm
// instance of the already compiled kernels. Meant to be called from a Web Worker (the page's computation
// worker): the inline path blocks its thread, and browsers allow synchronous wasm compilation there.
// The front end that runs commands builds its environment from browserResampling (web-worker/browser-env.ts).
import { toFrame, type DataInput } from "../data/columns.js";
import type { Frame } from "../data/frame.js";
import { compiledKernels, defaultEngine } from "../engine/engine.js";
import { assembleBdiff, bdiffDraws, prepareBdiff, type BdiffOptions, type BdiffResult } from "./bdiff.js";
import { assemblePlacebo, placeboDraws, preparePlacebo, type PlaceboOptions, type PlaceboResult } from "./placebo.js";
import { frameToData } from "./pool/frame-transfer.js";
import { runInPool } from "./pool/pool.js";
import type { FromWorker, ToWorker, WorkerLike } from "./pool/protocol.js";
import { BDIFF_DRAW_COST, stripEngine, type ReplicateTask } from "./pool/tasks.js";

/** The name of resampling Web Workers: web-worker/worker.ts takes this role when started under it. */
export const RESAMPLING_WORKER_NAME = "didwasm-resampling";

export interface BrowserParallelOptions {
  /** Web Workers (1 = run in this thread, in blocks). */
  readonly workers?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Starts one resampling worker (default: a module worker on web-worker/worker.js, see spawnBrowserWorker). */
  readonly spawn?: () => WorkerLike;
}

/** Rows x draws above which a run uses several workers by default (about 0.3 s of single-threaded work;
 *  the same threshold as the CLI's, cli/workers.ts). */
export const BROWSER_PARALLEL_WORK_THRESHOLD = 20_000_000;
/** Progress steps of an inline run: enough for a smooth bar, few enough to cost nothing. */
const INLINE_BLOCKS = 25;
/** Workers beyond this rarely pay for their start-up (each prepares the model once). */
const MAX_DEFAULT_WORKERS = 8;

/** A module Web Worker running the library's one worker script (web-worker/worker.js) as a resampling
 *  worker (the role its name gives it; one script for both roles halves what a page downloads), wrapped as
 *  the pool's WorkerLike. */
export function spawnBrowserWorker(): WorkerLike {
  const w = new Worker(new URL("../web-worker/worker.js", import.meta.url), { type: "module", name: RESAMPLING_WORKER_NAME });
  return {
    postMessage: (m: ToWorker) => w.postMessage(m),
    onMessage: (h) => {
      w.onmessage = (e: MessageEvent<FromWorker>) => h(e.data);
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        h({ type: "error", job: -1, code: null, message: `resampling worker failed: ${e.message || "could not start"}` });
      };
    },
    terminate: () => w.terminate(),
  };
}

/** Every draw in blocks of consecutive replicates, reporting progress after each block. */
function inlineDraws(reps: number, draw: (from: number, to: number) => Float64Array[], onProgress?: (done: number, total: number) => void): Float64Array[] {
  const block = Math.max(1, Math.ceil(reps / INLINE_BLOCKS));
  const out: Float64Array[] = [];
  for (let from = 0; from < reps; from += block) {
    const to = Math.min(reps, from + block);
    draw(from, to).forEach((v, k) => (out[k] ??= new Float64Array(reps)).set(v, from));
    onProgress?.(to, reps);
  }
  if (reps === 0) onProgress?.(0, 0);
  return out;
}

function poolOptions(o: { backend?: "wasm" | "reference" }, p: BrowserParallelOptions) {
  const backend = o.backend ?? "wasm";
  const simd = backend === "wasm" ? defaultEngine("wasm").backend.simd : false;
  return {
    workers: p.workers ?? 1,
    spawn: p.spawn ?? spawnBrowserWorker,
    module: backend === "wasm" ? compiledKernels(simd).module : null,
    simd,
    onProgress: p.onProgress,
  };
}

export async function placeboBrowser(data: DataInput, o: PlaceboOptions, p: BrowserParallelOptions = {}): Promise<PlaceboResult> {
  const frame = toFrame(data);
  const prepared = preparePlacebo(frame, o);
  if (!prepared.model) {
    p.onProgress?.(prepared.reps, prepared.reps);
    return assemblePlacebo(prepared, null);
  }
  if ((p.workers ?? 1) <= 1 || o.engine) {
    return assemblePlacebo(prepared, inlineDraws(prepared.reps, (a, b) => placeboDraws(prepared, a, b), p.onProgress));
  }
  const task: ReplicateTask = { kind: "placebo", options: stripEngine(o) };
  return assemblePlacebo(prepared, await runInPool(frameToData(frame), task, prepared.reps, poolOptions(o, p)));
}

export async function bdiffBrowser(data: DataInput, o: BdiffOptions, p: BrowserParallelOptions = {}): Promise<BdiffResult> {
  const frame = toFrame(data);
  const prepared = prepareBdiff(frame, o);
  try {
    if ((p.workers ?? 1) <= 1 || o.engine || prepared.splits) {
      return assembleBdiff(prepared, inlineDraws(prepared.reps, (a, b) => bdiffDraws(prepared, a, b), p.onProgress));
    }
    const task: ReplicateTask = { kind: "bdiff", options: stripEngine(o) };
    return assembleBdiff(prepared, await runInPool(frameToData(frame), task, prepared.reps, poolOptions(o, p)));
  } finally {
    prepared.fitter.release();
  }
}

/** Reports replicates done out of the total. */
export type Progress = (done: number, total: number) => void;

export interface BrowserResamplingOptions {
  /** Web Workers for resampling; default: every core (up to 8) for big runs, else inline. */
  readonly workers?: number;
  readonly spawn?: () => WorkerLike;
}

/** Placebo and bdiff runs as a front end calls them: on a frame, with progress per run. */
export interface BrowserResampling {
  placebo(frame: Frame, o: PlaceboOptions, onProgress?: Progress): Promise<PlaceboResult>;
  bdiff(frame: Frame, o: BdiffOptions, onProgress?: Progress): Promise<BdiffResult>;
}

function defaultWorkers(work: number): number {
  const cores = typeof navigator !== "undefined" && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 1;
  return work >= BROWSER_PARALLEL_WORK_THRESHOLD ? Math.max(1, Math.min(cores, MAX_DEFAULT_WORKERS)) : 1;
}

const repsOf = (o: { reps?: number }) => o.reps ?? 500;

/** Placebo and bdiff runs in a browser: Web Workers for big runs (rows x draws), else blocks in the
 *  calling thread; progress after every block. */
export function browserResampling(o: BrowserResamplingOptions = {}): BrowserResampling {
  const workersFor = (f: Frame, work: number) => o.workers ?? defaultWorkers(f.nrow * work);
  return {
    placebo: (f, opts, onProgress) => placeboBrowser(f, opts, { workers: workersFor(f, repsOf(opts)), onProgress, spawn: o.spawn }),
    bdiff: (f, opts, onProgress) => bdiffBrowser(f, opts, { workers: workersFor(f, repsOf(opts) * BDIFF_DRAW_COST), onProgress, spawn: o.spawn }),
  };
}
