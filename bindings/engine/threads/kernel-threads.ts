// The caller's side of a pool of kernel threads: all threads run the same compiled kernels on one shared
// WebAssembly memory, so a kernel call on another thread passes addresses, never data. `run` takes one call
// per thread (the first runs on the calling thread) and returns when all are done. Callers split work so
// that each call's numbers do not depend on how it was split (absorb.ts splits columns, whose arithmetic is
// independent: assembly/demean.ts, fixef-cg.ts), which is what makes results the same for any thread count.
// Besides kernels, threads take the first touch of fresh heap memory (touchWhile, touchHeapAhead: see
// engine/touch-ahead.ts), zero-filling memory nothing has written yet, so results do not change.
import { checkKernelCall } from "../kernel-checks.js";
import { KERNEL_NAMES, type KernelName, type Kernels } from "../kernel-signatures.js";
import { rawArgumentsOf, type Pointer } from "../wasm-adapter.js";
import type { KernelCall, ThreadRunner } from "../thread-runner.js";
import type { F64Buffer, I32Buffer } from "../buffers.js";
import {
  DONE, IDLE_CHUNK_BYTES, KERNEL, NARGS, READY, RUN_QUEUED, SEQ, SHUTDOWN, TOUCH_IDLE, ZERO_FILL, ZERO_FILL_CLAIMED, idleTouchWords, readMessage, setIdleTouch,
  slotViews, touchClaimedChunks, type SlotViews,
} from "./protocol.js";
import { dropFreshRegion, freshRoomLeft, useFreshRegion } from "../fresh-arrays.js";
import { TouchedRanges } from "./touched-ranges.js";
import { MAX_QUEUE_CALLS, awaitRun, claim, claimQueue, finish, nextGeneration, openRun, type ClaimQueue } from "./claim-queue.js";

/** Starts a kernel thread on `slot`; the returned handle stops it. */
export type KernelThreadHandle = { terminate(): void };

/** The calling thread's heap allocator, for touchHeapAhead's reservations. */
export interface ThreadHeap {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
}

/** touchHeapAhead's chunks: large enough that claiming one costs nothing, small enough to share the tail. */
const AHEAD_CHUNK_BYTES = 2 ** 20;
/** At most this much is reserved at once (a single heap block is at most 1 GiB). */
const AHEAD_MAX_BYTES = 2 ** 29;
/** touchFreshAhead takes no region that would grow the heap past this. */
const FRESH_HEAP_LIMIT_BYTES = 2 ** 31;

export class KernelThreads implements ThreadRunner {
  private readonly slots: SlotViews[];
  private readonly toRaw = new Map<KernelName, (args: unknown[]) => number[]>();
  /** touchHeapAhead's reservation while kernel threads may still be touching it. */
  private ahead: { ptr: number; chunks: number; posted: Array<{ k: number; seq: number }> } | null = null;
  /** Memory the threads have touched: touching it again would only cost time (touched-ranges.ts). */
  private readonly touched = new TouchedRanges();
  /** The queue runs take their calls from, and the generation of the latest run (claim-queue.ts). */
  private readonly queue: ClaimQueue;
  private gen = 0;

  constructor(
    private readonly backend: Kernels,
    private readonly pointer: Pointer,
    control: SharedArrayBuffer,
    workers: number,
    private readonly handles: readonly KernelThreadHandle[],
    private readonly heap: ThreadHeap | null = null,
  ) {
    this.slots = Array.from({ length: workers }, (_, k) => slotViews(control, k));
    this.queue = claimQueue(control);
    this.idle = idleTouchWords(control);
  }

  /** The fresh-array region's touch descriptor (protocol.ts). */
  private readonly idle: Int32Array;

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

  touchHeapAhead(bytes: number): void {
    this.settle();
    const chunks = Math.ceil(Math.min(bytes, AHEAD_MAX_BYTES) / AHEAD_CHUNK_BYTES);
    if (!this.heap || chunks < 4 || this.slots.length === 0) return;
    let ptr: number;
    try {
      ptr = this.heap.alloc(16 + chunks * AHEAD_CHUNK_BYTES) >>> 0;
    } catch {
      return; // the heap cannot grow that much: the fit will say so when it allocates its own buffers
    }
    if (this.touched.covers(ptr + 16, ptr + 16 + chunks * AHEAD_CHUNK_BYTES)) {
      this.heap.free(ptr);
      return;
    }
    // Words 0..3 of the reservation: the claim counter; chunks follow.
    Atomics.store(new Int32Array(this.heap.memory.buffer, ptr, 1), 0, 0);
    const posted = this.slots.map((s, k) => {
      s.args.set([ptr + 16, chunks, AHEAD_CHUNK_BYTES, ptr]);
      return { k, seq: this.postRaw(k, ZERO_FILL_CLAIMED, 4) };
    });
    this.ahead = { ptr, chunks, posted };
  }

  touchFreshAhead(bytes: number): void {
    const chunks = Math.ceil(Math.min(bytes, freshRoomLeft()) / IDLE_CHUNK_BYTES);
    if (!this.heap || chunks < 4 || this.slots.length === 0) return;
    // The region is taken from the 4 GiB heap for good: on large data, where the fits' own buffers need the
    // heap, arrays stay ordinary ones.
    if (this.heap.memory.buffer.byteLength + chunks * IDLE_CHUNK_BYTES > FRESH_HEAP_LIMIT_BYTES) return;
    let ptr: number;
    try {
      ptr = this.heap.alloc(chunks * IDLE_CHUNK_BYTES) >>> 0;
    } catch {
      return; // the heap cannot grow that much: arrays are ordinary ones
    }
    useFreshRegion(this.heap.memory, ptr, chunks * IDLE_CHUNK_BYTES);
    if (this.touched.covers(ptr, ptr + chunks * IDLE_CHUNK_BYTES)) return;
    setIdleTouch(this.idle, ptr, chunks);
    this.touched.add(ptr, ptr + chunks * IDLE_CHUNK_BYTES); // about to be: nothing else need touch it
    // Wake the idle threads (a busy one turns to it when its request is done).
    this.slots.forEach((s, k) => {
      if (Atomics.load(s.ints, DONE) === Atomics.load(s.ints, SEQ)) this.postRaw(k, TOUCH_IDLE, 0);
    });
  }

  /** Finishes touchHeapAhead's touching with the kernel threads, waits for them, frees the reservation. */
  settle(): void {
    const a = this.ahead;
    if (!a || !this.heap) return;
    this.ahead = null;
    touchClaimedChunks(this.heap.memory.buffer, a.ptr + 16, a.chunks, AHEAD_CHUNK_BYTES, a.ptr);
    for (const { k, seq } of a.posted) this.waitDone(k, seq);
    this.touched.add(a.ptr + 16, a.ptr + 16 + a.chunks * AHEAD_CHUNK_BYTES);
    this.heap.free(a.ptr);
  }

  /** Runs the calls (at most MAX_QUEUE_CALLS), each once, on whichever thread claims it first: this one and
   *  the idle kernel threads take them from the claim queue one at a time (claim-queue.ts). Their results,
   *  in call order. */
  run(calls: readonly KernelCall[]): number[] {
    this.settle();
    if (calls.length > MAX_QUEUE_CALLS) throw new RangeError(`${calls.length} kernel calls in one run; at most ${MAX_QUEUE_CALLS}`);
    const q = this.queue;
    const n = calls.length;
    if (n === 0) return [];
    if (n === 1) {
      // nothing to share: no thread is woken
      checkKernelCall(calls[0].kernel, calls[0].args);
      const fn = this.backend[calls[0].kernel] as (...a: unknown[]) => number | undefined;
      return [fn(...calls[0].args) ?? 0];
    }
    this.gen = nextGeneration(this.gen);
    const gen = this.gen;
    openRun(q, gen, calls.map((c) => ({ kernel: KERNEL_NAMES.indexOf(c.kernel), raw: this.rawArguments(c) })));
    // Idle threads only (one still waking for an earlier run would find it over and claim nothing anyway),
    // and no more than there are calls for besides this thread's.
    let woken = 0;
    this.slots.forEach((s, k) => {
      if (woken >= n - 1 || Atomics.load(s.ints, DONE) !== Atomics.load(s.ints, SEQ)) return;
      woken++;
      s.args[0] = gen;
      s.args[1] = n;
      this.postRaw(k, RUN_QUEUED, 2);
    });
    let failure: unknown = null;
    for (let i = claim(q, gen, n); i >= 0; i = claim(q, gen, n)) {
      let result = 0;
      // After a failure the remaining calls are claimed and finished without running, so the run ends.
      if (failure === null) {
        try {
          const fn = this.backend[calls[i].kernel] as (...a: unknown[]) => number | undefined;
          result = fn(...calls[i].args) ?? 0;
        } catch (e) {
          failure = e;
        }
      }
      finish(q, i, result);
    }
    const failedSlot = awaitRun(q, n);
    if (failure !== null) throw failure;
    if (failedSlot > 0) throw new Error(`a kernel call failed on kernel thread ${failedSlot}: ${readMessage(this.slots[failedSlot - 1])}`);
    return Array.from(q.results.subarray(0, n));
  }

  touchWhile<T>(ahead: ReadonlyArray<F64Buffer | I32Buffer>, work: () => T): T {
    this.settle();
    const posted: Array<{ k: number; seq: number; start: number; end: number }> = [];
    ahead.slice(0, this.slots.length).forEach((b, k) => {
      let ptr: number;
      try {
        ptr = this.pointer(b);
      } catch {
        return; // not this memory's buffer (a staged job's host array): nothing to touch ahead
      }
      if (this.touched.covers(ptr, ptr + b.view.byteLength)) return;
      const s = this.slots[k];
      s.args[0] = ptr;
      s.args[1] = b.view.byteLength;
      posted.push({ k, seq: this.postRaw(k, ZERO_FILL, 2), start: ptr, end: ptr + b.view.byteLength });
    });
    try {
      return work();
    } finally {
      // Always wait: the threads must be idle, and done writing, before anything else runs.
      for (const { k, seq, start, end } of posted) {
        this.waitDone(k, seq);
        this.touched.add(start, end);
      }
    }
  }

  /** Stops the kernel threads (they also end with the process). */
  shutdown(): void {
    this.ahead = null; // its reservation goes with the memory
    setIdleTouch(this.idle, 0, 0);
    if (this.heap) dropFreshRegion(this.heap.memory);
    for (const s of this.slots) {
      Atomics.store(s.ints, SEQ, SHUTDOWN);
      Atomics.notify(s.ints, SEQ);
    }
    this.handles.forEach((h) => h.terminate());
  }

  /** The call's arguments as the kernel thread's raw kernel takes them (buffers as addresses). */
  private rawArguments(call: KernelCall): number[] {
    checkKernelCall(call.kernel, call.args);
    let toRaw = this.toRaw.get(call.kernel);
    if (!toRaw) this.toRaw.set(call.kernel, (toRaw = rawArgumentsOf(call.kernel, this.pointer)));
    return toRaw(call.args.slice());
  }

  /** Blocks until slot k has finished request seq. */
  private waitDone(k: number, seq: number): void {
    const s = this.slots[k];
    for (let done = Atomics.load(s.ints, DONE); done !== seq; done = Atomics.load(s.ints, DONE)) Atomics.wait(s.ints, DONE, done);
  }

  /** Hands slot k the request whose arguments are in its args; returns its sequence number. */
  private postRaw(k: number, kernel: number, nargs: number): number {
    const s = this.slots[k];
    // A thread takes a request only when idle (one may still be waking for a queued run that is over).
    this.waitDone(k, Atomics.load(s.ints, SEQ));
    s.ints[KERNEL] = kernel;
    s.ints[NARGS] = nargs;
    const seq = Atomics.load(s.ints, SEQ) + 1;
    Atomics.store(s.ints, SEQ, seq);
    Atomics.notify(s.ints, SEQ);
    return seq;
  }
}
