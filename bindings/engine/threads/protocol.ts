// The control block shared by the thread that runs a fit and its kernel threads: one slot per kernel
// thread, written by the caller (a request: its kind and arguments) and by the thread (done, an error
// message), then the claim queue that kernel calls go through (claim-queue.ts). Hand-over is by Atomics on
// the slot's counters: the caller bumps SEQ and notifies; the thread serves the request, stores DONE = SEQ
// and notifies. No messages, no event loop: the caller waits synchronously (Atomics.wait), as a fit is a
// synchronous computation.

import { QUEUE_BYTES } from "./claim-queue.js";

/** Int32 words of a slot. */
export const SEQ = 0;
export const DONE = 1;
/** The request's kind: ZERO_FILL, ZERO_FILL_CLAIMED, RUN_QUEUED or TOUCH_IDLE. */
export const KERNEL = 2;
export const NARGS = 3;
export const READY = 5;
const INT_WORDS = 8;
/** A request's arguments at most (ZERO_FILL_CLAIMED takes 4; kernel calls' own go in the claim queue). */
const MAX_ARGS = 4;
/** UTF-16 code units of an error message at most. */
const MESSAGE_UNITS = 256;
const SLOT_BYTES = INT_WORDS * 4 + MAX_ARGS * 8 + MESSAGE_UNITS * 2;

/** SEQ value that tells a thread to return. */
export const SHUTDOWN = -1;
/** KERNEL value of a request to zero-fill bytes args[1] from address args[0] of the
 *  shared memory, so that their first touch (page faults) is paid on that thread (KernelThreads.touchWhile). */
export const ZERO_FILL = -1;
/** KERNEL value of a request to zero-fill chunks of a region, claimed one at a time (touchClaimedChunks):
 *  args are the region's address, its chunks, the chunk's bytes and the address of the claim counter. */
export const ZERO_FILL_CLAIMED = -2;
/** KERNEL value of a request to take calls from the claim queue (claim-queue.ts): args are the run's
 *  generation and its number of calls. */
export const RUN_QUEUED = -3;
/** KERNEL value of a request with nothing to do: it wakes an idle thread, which then touches the fresh-array
 *  region while it has no other request (touchWhileIdle). */
export const TOUCH_IDLE = -4;

/** The fresh-array region's touch descriptor (Int32 words before the claim queue): a generation, the
 *  region's address (unsigned), its chunks, and the next chunk to claim. */
const IDLE_GEN = 0;
const IDLE_BASE = 1;
const IDLE_CHUNKS = 2;
const IDLE_NEXT = 3;
const IDLE_BYTES = 16;
/** The fresh-array region is touched in chunks of this size: a thread that has a new request starts on it
 *  within one chunk's touch (well under a millisecond). */
export const IDLE_CHUNK_BYTES = 2 ** 18;
const PAGE_WORDS = 1024; // 4 KiB pages, in i32 words

export function idleTouchWords(control: SharedArrayBuffer): Int32Array {
  return new Int32Array(control, control.byteLength - QUEUE_BYTES - IDLE_BYTES, IDLE_BYTES / 4);
}

/** Has idle threads touch `chunks` chunks from `base`, in order (the calling thread's allocations from the
 *  region go in that order too). The words are written so that a thread reading them mid-update at worst
 *  touches a chunk of the previous region, which is harmless: touching changes no value. */
export function setIdleTouch(words: Int32Array, base: number, chunks: number): void {
  Atomics.store(words, IDLE_CHUNKS, 0);
  Atomics.store(words, IDLE_BASE, base | 0);
  Atomics.store(words, IDLE_NEXT, 0);
  Atomics.store(words, IDLE_CHUNKS, chunks);
  Atomics.add(words, IDLE_GEN, 1);
}

/**
 * Touches chunks of the fresh-array region, claimed one at a time, while the slot has no new request (its
 * SEQ is still `seen`). Each page gets an atomic or of 0: it is written, so mapped, and its value is
 * unchanged, because the calling thread may already be using the region's arrays. `memory` is read anew for
 * each chunk (the region may lie beyond an older buffer's end).
 */
export function touchWhileIdle(words: Int32Array, memory: WebAssembly.Memory, slotInts: Int32Array, seen: number): void {
  while (Atomics.load(slotInts, SEQ) === seen) {
    const gen = Atomics.load(words, IDLE_GEN);
    const base = Atomics.load(words, IDLE_BASE) >>> 0;
    const chunks = Atomics.load(words, IDLE_CHUNKS);
    if (Atomics.load(words, IDLE_NEXT) >= chunks) return;
    const i = Atomics.add(words, IDLE_NEXT, 1);
    if (i >= chunks || Atomics.load(words, IDLE_GEN) !== gen) continue;
    const buffer = memory.buffer;
    const at = base + i * IDLE_CHUNK_BYTES;
    if (at + IDLE_CHUNK_BYTES > buffer.byteLength) return;
    const pages = new Int32Array(buffer, at, IDLE_CHUNK_BYTES / 4);
    for (let w = 0; w < pages.length; w += PAGE_WORDS) Atomics.or(pages, w, 0);
  }
}

/** Zero-fills chunks of the region at `base` (`chunks` chunks of `chunkBytes`), each thread that runs this
 *  claiming the next chunk from the i32 counter at `counterPtr` until none is left: threads that join late
 *  (the one that reserved the region, once it is free) share what remains. */
export function touchClaimedChunks(buffer: ArrayBufferLike, base: number, chunks: number, chunkBytes: number, counterPtr: number): void {
  const counter = new Int32Array(buffer, counterPtr, 1);
  for (;;) {
    const i = Atomics.add(counter, 0, 1);
    if (i >= chunks) return;
    new Uint8Array(buffer, base + i * chunkBytes, chunkBytes).fill(0);
  }
}

export interface SlotViews {
  readonly ints: Int32Array;
  readonly args: Float64Array;
  readonly message: Uint16Array;
}

/** The slots, the fresh-array touch descriptor, then the claim queue (claim-queue.ts). */
export function controlBlock(slots: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(1, slots) * SLOT_BYTES + IDLE_BYTES + QUEUE_BYTES);
}

export function slotViews(control: SharedArrayBuffer, slot: number): SlotViews {
  const base = slot * SLOT_BYTES;
  return {
    ints: new Int32Array(control, base, INT_WORDS),
    args: new Float64Array(control, base + INT_WORDS * 4, MAX_ARGS),
    message: new Uint16Array(control, base + INT_WORDS * 4 + MAX_ARGS * 8, MESSAGE_UNITS),
  };
}

export function writeMessage(v: SlotViews, text: string): void {
  const n = Math.min(text.length, MESSAGE_UNITS - 1);
  for (let i = 0; i < n; i++) v.message[i] = text.charCodeAt(i);
  v.message[n] = 0;
}

export function readMessage(v: SlotViews): string {
  let s = "";
  for (let i = 0; i < v.message.length && v.message[i] !== 0; i++) s += String.fromCharCode(v.message[i]);
  return s;
}

/** What a kernel thread is started with (posted to it once; every field is shareable across threads). */
export interface KernelThreadInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly slot: number;
  /** Its own per-instance work area (assembly/thread-local.ts), allocated by the caller's instance. */
  readonly threadLocal: number;
}
