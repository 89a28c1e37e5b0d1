// The page's side of the computation worker: one dedicated module worker that loads the library and the
// wasm kernels, holds data sets and runs commands; every call returns a promise, resampling reports
// progress. `client.run(command, data, options)` returns exactly the object `didwasm <command> --json`
// prints, as run() does, without blocking the page.
import type { Options } from "../commands/types.js";
import { DidwasmError, type ErrorCode } from "../errors.js";
import type { DataSource, DatasetSummary, DetailedResult, FromCompute, RunData, ToCompute } from "./protocol.js";

export interface ComputeWorkerInfo {
  readonly simd: boolean;
  readonly version: string;
  readonly commands: readonly string[];
}

export interface RunCallOptions {
  readonly onProgress?: (done: number, total: number) => void;
  /** Resampling Web Workers (default: every core for big runs, else inline in the computation worker). */
  readonly workers?: number;
}

export interface ComputeClient {
  /** Resolves when the kernels are compiled in the worker. */
  readonly ready: Promise<ComputeWorkerInfo>;
  /** Parses a CSV (or generates the demo panel) in the worker and keeps it under `dataset`. */
  load(dataset: string, source: DataSource, previewRows?: number): Promise<DatasetSummary>;
  /** The JSON `didwasm <command> --json` prints. */
  run(command: string, data: RunData, options?: Options, call?: RunCallOptions): Promise<Record<string, unknown>>;
  /** The JSON plus the readable table, the figure (SVG) and warnings. */
  runDetailed(command: string, data: RunData, options?: Options, call?: RunCallOptions): Promise<DetailedResult>;
  drop(dataset: string): Promise<void>;
  terminate(): void;
}

export interface ComputeClientOptions {
  /** A worker already started on web-worker/worker.js (bundlers: pass your own `new Worker(new URL(...))`). */
  readonly worker?: Worker;
}

/** The worker's error as an exception: DidwasmError (with its code) for the user's mistakes. */
function toError(m: Extract<FromCompute, { type: "error" }>): Error {
  return m.code ? new DidwasmError(m.code as ErrorCode, m.message, m.details ?? {}) : new Error(m.message);
}

export function createComputeWorker(o: ComputeClientOptions = {}): ComputeClient {
  const worker = o.worker ?? new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "didwasm" });
  let nextId = 1;
  const pending = new Map<number, { resolve: (m: FromCompute) => void; reject: (e: Error) => void; onProgress?: (d: number, t: number) => void }>();
  let readyResolve!: (i: ComputeWorkerInfo) => void;
  let readyReject!: (e: Error) => void;
  const ready = new Promise<ComputeWorkerInfo>((res, rej) => ((readyResolve = res), (readyReject = rej)));
  ready.catch(() => {});

  const failAll = (e: Error) => {
    readyReject(e);
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.onmessage = (e: MessageEvent<FromCompute>) => {
    const m = e.data;
    if (m.type === "ready") return readyResolve({ simd: m.simd, version: m.version, commands: m.commands });
    if (m.type === "error" && m.id === -1) return failAll(toError(m));
    const p = pending.get(m.id);
    if (!p) return;
    if (m.type === "progress") return p.onProgress?.(m.done, m.total);
    pending.delete(m.id);
    if (m.type === "error") p.reject(toError(m));
    else p.resolve(m);
  };
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    failAll(new Error(`the computation worker failed: ${e.message || "it could not be started"}`));
  };

  function request(m: ToCompute, transfer: Transferable[] = [], onProgress?: (d: number, t: number) => void): Promise<FromCompute> {
    return new Promise((resolve, reject) => {
      pending.set(m.id, { resolve, reject, onProgress });
      worker.postMessage(m, transfer);
    });
  }

  const runDetailed = async (command: string, data: RunData, options: Options = {}, call: RunCallOptions = {}) => {
    const m = await request({ type: "run", id: nextId++, command, data, options, workers: call.workers }, [], call.onProgress);
    return (m as Extract<FromCompute, { type: "result" }>).result;
  };

  return {
    ready,
    async load(dataset, source, previewRows) {
      const m = await request({ type: "load", id: nextId++, dataset, source, previewRows });
      return (m as Extract<FromCompute, { type: "loaded" }>).summary;
    },
    run: async (command, data, options, call) => (await runDetailed(command, data, options, call)).json,
    runDetailed,
    async drop(dataset) {
      await request({ type: "drop", id: nextId++, dataset });
    },
    terminate() {
      worker.terminate();
      failAll(new Error("the computation worker was terminated"));
    },
  };
}
