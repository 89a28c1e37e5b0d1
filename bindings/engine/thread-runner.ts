// What a backend's kernel threads offer its callers (threads/kernel-threads.ts implements it). Declared apart
// from the implementation so that the Backend interface does not import the thread pool, which itself
// checks kernel calls against the backend's constants.
import type { F64Buffer, I32Buffer } from "./buffers.js";
import type { KernelName } from "./kernel-signatures.js";

/** One kernel call: the kernel's name and its arguments, as the backend's method takes them. */
export interface KernelCall {
  readonly kernel: KernelName;
  readonly args: readonly unknown[];
}

/** Calls one run may take at most (the claim queue's records: threads/claim-queue.ts). */
export const MAX_CALLS_PER_RUN = 64;

export interface ThreadRunner {
  /** Threads a run can use: the calling one and the kernel threads. */
  readonly threads: number;
  /** How many kernel threads have started. */
  readyCount(): number;
  /** Blocks until every kernel thread has started or `timeoutMs` has passed; true when all have. */
  waitReady(timeoutMs: number): boolean;
  /** Resolves when every kernel thread has started (for threads that must not block). */
  whenReady(timeoutMs: number): Promise<boolean>;
  /** Runs the calls (at most MAX_CALLS_PER_RUN), each once, on whichever thread is free first: the calling thread and the
   *  kernel threads claim them one at a time, so a thread that wakes late leaves its share to the others.
   *  Each call must compute the same numbers on any thread (its own outputs and scratch); their results. */
  run(calls: readonly KernelCall[]): number[];
  /** Runs `work` on the calling thread while the kernel threads zero-fill `ahead` (one buffer each at most,
   *  buffers of this runner's memory that `work` does not touch), and returns work's result once all are
   *  done: the first touch of fresh memory (page faults, milliseconds per MB on some machines) is then paid
   *  on several threads at once. Buffers of another memory are left alone. */
  touchWhile<T>(ahead: ReadonlyArray<F64Buffer | I32Buffer>, work: () => T): T;
  /** Reserves about `bytes` of the heap and has the kernel threads touch it without waiting, while this
   *  thread goes on with other work (building a sample); the next arena or kernel run first helps finish
   *  and frees the reservation, so the buffers it allocates come from memory already touched. */
  touchHeapAhead(bytes: number): void;
  /** Reserves a region of about `bytes` (engine/fresh-arrays.ts) that the estimator's large per-row arrays
   *  (freshF64 and the like) then come from, and has idle kernel threads touch it in allocation order,
   *  changing no value, while this thread works: those arrays' first touch is then mostly paid elsewhere.
   *  Does nothing once the process's regions reach their cap. */
  touchFreshAhead(bytes: number): void;
  /** Stops the kernel threads. */
  shutdown(): void;
}
