// The claim queue: a run's kernel calls, claimed one at a time by whichever thread is free. A static split
// (one share per thread) waits for its slowest thread; on a shared virtual machine a kernel thread's wake-up
// sometimes takes milliseconds (its core busy with the garbage collector's threads or another process), and
// then the calling thread sits idle. With claims, the calling thread runs what nobody has taken, and a thread
// that wakes after every call is taken does nothing. Each call computes the same numbers whoever runs it, so
// results still do not depend on the threads.
//
// Layout (in the control block, after the slots): one i32 state word, gen << 8 | next call, claimed by
// compare-and-exchange; an i32 count of finished calls; an i32 naming the first slot that failed (+1); then
// MAX_QUEUE_CALLS records of [kernel index, argument count, raw arguments...] and one f64 result per call.
// A kernel thread gets its run's generation and call count in its slot's arguments: a thread that wakes for a
// run already over finds another generation in the state word and claims nothing, so the caller never waits
// for a thread that has not started.
import { MAX_CALLS_PER_RUN } from "../thread-runner.js";

/** Calls a queued run may have at most (their index takes the state word's low 8 bits, so at most 256). */
export const MAX_QUEUE_CALLS = MAX_CALLS_PER_RUN;
/** Raw arguments of a queued call at most (fixefCg, the widest kernel, takes 19). */
const MAX_CALL_ARGS = 32;
const CALL_WORDS = 2 + MAX_CALL_ARGS;
const HEADER_BYTES = 16;
export const QUEUE_BYTES = HEADER_BYTES + MAX_QUEUE_CALLS * CALL_WORDS * 8 + MAX_QUEUE_CALLS * 8;
/** Generations wrap below 2^23, so that gen << 8 stays a positive i32. */
const GEN_LIMIT = 1 << 23;

const STATE = 0;
const FINISHED = 1;
const FAILED_SLOT = 2;

export interface ClaimQueue {
  readonly ints: Int32Array;
  readonly calls: Float64Array;
  readonly results: Float64Array;
}

/** The queue at the end of a control block (controlBlock in protocol.ts leaves QUEUE_BYTES for it). */
export function claimQueue(control: SharedArrayBuffer): ClaimQueue {
  const base = control.byteLength - QUEUE_BYTES;
  return {
    ints: new Int32Array(control, base, HEADER_BYTES / 4),
    calls: new Float64Array(control, base + HEADER_BYTES, MAX_QUEUE_CALLS * CALL_WORDS),
    results: new Float64Array(control, base + HEADER_BYTES + MAX_QUEUE_CALLS * CALL_WORDS * 8, MAX_QUEUE_CALLS),
  };
}

/** The generation after `gen`. */
export function nextGeneration(gen: number): number {
  return (gen + 1) % GEN_LIMIT;
}

/** Fills the queue with a run's raw calls (kernel index and raw arguments each) and opens it under `gen`.
 *  Only the caller writes, and only once the previous run has finished: no thread reads the records then. */
export function openRun(q: ClaimQueue, gen: number, calls: ReadonlyArray<{ kernel: number; raw: readonly number[] }>): void {
  if (calls.length > MAX_QUEUE_CALLS) throw new RangeError(`${calls.length} queued calls exceed ${MAX_QUEUE_CALLS}`);
  calls.forEach((c, i) => {
    if (c.raw.length > MAX_CALL_ARGS) throw new RangeError(`${c.raw.length} arguments exceed the queue's ${MAX_CALL_ARGS}`);
    const at = i * CALL_WORDS;
    q.calls[at] = c.kernel;
    q.calls[at + 1] = c.raw.length;
    q.calls.set(c.raw, at + 2);
  });
  Atomics.store(q.ints, FINISHED, 0);
  Atomics.store(q.ints, FAILED_SLOT, 0);
  Atomics.store(q.ints, STATE, gen << 8);
}

/** Claims the next call of run `gen` (of `count` calls): its index, or -1 when none is left or the run is over. */
export function claim(q: ClaimQueue, gen: number, count: number): number {
  for (;;) {
    const s = Atomics.load(q.ints, STATE);
    const i = s & 0xff;
    if (s >>> 8 !== gen || i >= count) return -1;
    if (Atomics.compareExchange(q.ints, STATE, s, s + 1) === s) return i;
  }
}

/** The raw call i: its kernel index and arguments. */
export function queuedCall(q: ClaimQueue, i: number): { kernel: number; args: number[] } {
  const at = i * CALL_WORDS;
  return { kernel: q.calls[at], args: Array.from(q.calls.subarray(at + 2, at + 2 + q.calls[at + 1])) };
}

/** Records call i as finished (with its result; `failedSlot` is the failing slot + 1, or 0). */
export function finish(q: ClaimQueue, i: number, result: number, failedSlot = 0): void {
  q.results[i] = result;
  if (failedSlot > 0) Atomics.compareExchange(q.ints, FAILED_SLOT, 0, failedSlot);
  Atomics.add(q.ints, FINISHED, 1);
  Atomics.notify(q.ints, FINISHED);
}

/** Blocks until all `count` calls of the open run have finished; the first failing slot + 1, or 0. */
export function awaitRun(q: ClaimQueue, count: number): number {
  for (let done = Atomics.load(q.ints, FINISHED); done < count; done = Atomics.load(q.ints, FINISHED)) Atomics.wait(q.ints, FINISHED, done);
  return Atomics.load(q.ints, FAILED_SLOT);
}

/** A kernel thread's part of run `gen`: claims and runs calls until none is left. At its first failure it
 *  reports the message (before the call counts as finished, so the caller finds it) and stops. */
export function serveRun(
  q: ClaimQueue, gen: number, count: number, slot: number, kernels: ReadonlyArray<(...a: number[]) => number | undefined>, report: (message: string) => void,
): void {
  for (let i = claim(q, gen, count); i >= 0; i = claim(q, gen, count)) {
    const c = queuedCall(q, i);
    let result: number;
    try {
      result = kernels[c.kernel](...c.args) ?? 0;
    } catch (e) {
      report(e instanceof Error ? e.message : String(e));
      finish(q, i, 0, slot + 1);
      return;
    }
    finish(q, i, result);
  }
}
