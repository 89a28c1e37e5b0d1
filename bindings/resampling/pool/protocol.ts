// Messages between the main thread and resampling workers (Node worker_threads and Web Workers alike).
import type { FrameData } from "./frame-transfer.js";
import type { ReplicateTask } from "./tasks.js";

export interface InitMessage {
  readonly type: "init";
  /** The compiled kernels (shared, not recompiled) or null for the reference backend. */
  readonly module: WebAssembly.Module | null;
  readonly simd: boolean;
  readonly frame: FrameData;
}

export interface RunMessage {
  readonly type: "run";
  readonly job: number;
  readonly task: ReplicateTask;
  readonly from: number;
  readonly to: number;
}

export type ToWorker = InitMessage | RunMessage;

export type FromWorker =
  | { readonly type: "result"; readonly job: number; readonly from: number; readonly values: Float64Array[] }
  | { readonly type: "error"; readonly job: number; readonly code: string | null; readonly message: string };

/** The part of a Worker the pool uses, so Node and browser workers plug in alike. */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  onMessage(handler: (message: FromWorker) => void): void;
  terminate(): void;
}
