// What a backend's kernel threads offer its callers (threads/kernel-threads.ts implements it). Declared apart
// from the implementation so that the Backend interface does not import the thread pool, which itself
// checks kernel calls against the backend's constants.
import type { KernelName } from "./kernel-signatures.js";

/** One kernel call: the kernel's name and its arguments, as the backend's method takes them. */
export interface KernelCall {
  readonly kernel: KernelName;
  readonly args: readonly unknown[];
}

export interface ThreadRunner {
  /** Threads a run can use: the calling one and the kernel threads. */
  readonly threads: number;
  /** How many kernel threads have started. */
  readyCount(): number;
  /** Blocks until every kernel thread has started or `timeoutMs` has passed; true when all have. */
  waitReady(timeoutMs: number): boolean;
  /** Resolves when every kernel thread has started (for threads that must not block). */
  whenReady(timeoutMs: number): Promise<boolean>;
  /** Runs the calls at once, calls[0] on the calling thread; their results. */
  run(calls: readonly KernelCall[]): number[];
  /** Stops the kernel threads. */
  shutdown(): void;
}
