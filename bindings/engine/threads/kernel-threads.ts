// The caller's side of a pool of kernel threads: all threads run the same compiled kernels on one shared
// WebAssembly memory, so a kernel call on another thread passes addresses, never data. `run` takes one call
// per thread (the first runs on the calling thread) and returns when all are done. Callers split work so
// that each call's numbers do not depend on how it was split (absorb.ts splits columns, whose arithmetic is
// independent: assembly/demean.ts, fixef-cg.ts), which is what makes results the same for any thread count.
import { checkKernelCall } from "../kernel-checks.js";
import { KERNEL_NAMES, type KernelName, type Kernels } from "../kernel-signatures.js";
import { rawArgumentsOf, type Pointer } from "../wasm-adapter.js";
import type { KernelCall, ThreadRunner } from "../thread-runner.js";
import {
  DONE, KERNEL, MAX_ARGS, NARGS, READY, RESULT, SEQ, SHUTDOWN, STATUS, STATUS_ERROR, readMessage, slotViews, type SlotViews,
} from "./protocol.js";

/** Starts a kernel thread on `slot`; the returned handle stops it. */
export type KernelThreadHandle = { terminate(): void };

export class KernelThreads implements ThreadRunner {
  private readonly slots: SlotViews[];
  private readonly toRaw = new Map<KernelName, (args: unknown[]) => number[]>();

  constructor(
    private readonly backend: Kernels,
    private readonly pointer: Pointer,
    control: SharedArrayBuffer,
    workers: number,
    private readonly handles: readonly KernelThreadHandle[],
  ) {
    this.slots = Array.from({ length: workers }, (_, k) => slotViews(control, k));
  }

  /** Threads a run can use: the calling one and the kernel threads. */
  get threads(): number {
    return this.slots.length + 1;
  }

  /** How many kernel threads have started (instantiated the kernels and wait for calls). */
  readyCount(): number {
    return this.slots.filter((s) => Atomics.load(s.ints, READY) === 1).length;
  }

  /** Blocks until every kernel thread has started or `timeoutMs` has passed; true when all have. */
  waitReady(timeoutMs: number): boolean {
    const end = Date.now() + timeoutMs;
    for (const s of this.slots) {
      while (Atomics.load(s.ints, READY) !== 1) {
        const left = end - Date.now();
        if (left <= 0) return false;
        Atomics.wait(s.ints, READY, 0, left);
      }
    }
    return true;
  }

  /** Resolves when every kernel thread has started (for threads that must not block: a browser's). */
  async whenReady(timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    for (const s of this.slots) {
      while (Atomics.load(s.ints, READY) !== 1) {
        if (Date.now() >= end) return false;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    return true;
  }

  /** Runs the calls at once, calls[0] on this thread and the others on kernel threads; their results. */
  run(calls: readonly KernelCall[]): number[] {
    if (calls.length > this.threads) throw new RangeError(`${calls.length} kernel calls for ${this.threads} threads`);
    const posted = calls.slice(1).map((c, k) => this.post(k, c));
    const results: number[] = [];
    let failure: unknown = null;
    try {
      const [first] = calls;
      const fn = this.backend[first.kernel] as (...a: unknown[]) => number | undefined;
      results.push(fn(...first.args) ?? 0);
    } catch (e) {
      failure = e;
    }
    posted.forEach((seq, k) => {
      const s = this.slots[k];
      for (let done = Atomics.load(s.ints, DONE); done !== seq; done = Atomics.load(s.ints, DONE)) Atomics.wait(s.ints, DONE, done);
      if (s.ints[STATUS] === STATUS_ERROR) failure ??= new Error(`${calls[k + 1].kernel} failed on kernel thread ${k + 1}: ${readMessage(s)}`);
      results.push(s.ints[RESULT]);
    });
    if (failure !== null) throw failure;
    return results;
  }

  /** Stops the kernel threads (they also end with the process). */
  shutdown(): void {
    for (const s of this.slots) {
      Atomics.store(s.ints, SEQ, SHUTDOWN);
      Atomics.notify(s.ints, SEQ);
    }
    this.handles.forEach((h) => h.terminate());
  }

  private post(k: number, call: KernelCall): number {
    checkKernelCall(call.kernel, call.args);
    let toRaw = this.toRaw.get(call.kernel);
    if (!toRaw) this.toRaw.set(call.kernel, (toRaw = rawArgumentsOf(call.kernel, this.pointer)));
    const raw = toRaw(call.args.slice());
    if (raw.length > MAX_ARGS) throw new RangeError(`${call.kernel}: ${raw.length} arguments exceed the control block's ${MAX_ARGS}`);
    const s = this.slots[k];
    s.args.set(raw);
    s.ints[KERNEL] = KERNEL_NAMES.indexOf(call.kernel);
    s.ints[NARGS] = raw.length;
    const seq = Atomics.load(s.ints, SEQ) + 1;
    Atomics.store(s.ints, SEQ, seq);
    Atomics.notify(s.ints, SEQ);
    return seq;
  }
}
