// Large typed arrays whose first touch is paid on another thread. On a virtual machine the first write to
// memory the process has never touched costs ~3 ms per MB (the system maps each page then), against ~0.04
// ms per MB for memory already touched: an estimator's per-row arrays (ids, masks, residuals) cost more to
// touch than to fill. With kernel threads, an estimator reserves a region of the WebAssembly memory (shared
// memory: its views stay valid when it grows) that idle kernel threads touch in order, without changing a
// value (threads/protocol.ts, touchWhileIdle), while this thread builds its arrays from it in that same order.
//
// The region is never freed or reused: arrays taken from it may live in results for as long as the caller
// keeps them. So the regions of a process are capped (FRESH_CAP_BYTES); past the cap, and without kernel
// threads, arrays are ordinary ones. Arrays are zero-filled as `new` ones are (a region may be memory the
// heap had freed). Only arrays of FRESH_MIN_BYTES or more come from the region: small ones cost nothing to
// touch.
// Callers use these arrays as they use any typed array; only do not transfer them to a worker (a view of
// shared memory is shared by postMessage, not copied).

/** Arrays of at least this many bytes come from the region. */
export const FRESH_MIN_BYTES = 2 ** 16;
/** Regions of a process at most, all reservations together. */
export const FRESH_CAP_BYTES = 384 * 2 ** 20;

interface Region {
  readonly memory: WebAssembly.Memory;
  top: number;
  readonly end: number;
}

let region: Region | null = null;
let reservedBytes = 0;

/** Bytes a new region may still take (the cap less what regions took). */
export function freshRoomLeft(): number {
  return FRESH_CAP_BYTES - reservedBytes;
}

/** Makes [ptr, ptr + bytes) of `memory` the region arrays come from (the last one's remainder is dropped). */
export function useFreshRegion(memory: WebAssembly.Memory, ptr: number, bytes: number): void {
  region = { memory, top: ptr, end: ptr + bytes };
  reservedBytes += bytes;
}

/** Stops taking arrays from `memory` (its kernel threads are shutting down). */
export function dropFreshRegion(memory: WebAssembly.Memory): void {
  if (region?.memory === memory) region = null;
}

/** The address of `bytes` (8-aligned) taken from the region, or -1 (too small to bother, or no room). */
function take(bytes: number): number {
  const r = region;
  if (!r || bytes < FRESH_MIN_BYTES) return -1;
  const at = Math.ceil(r.top / 8) * 8; // addresses reach 4 GiB: no 32-bit bit operations
  if (at + bytes > r.end) return -1;
  r.top = at + bytes;
  return at;
}

export function freshF64(n: number): Float64Array {
  const at = take(n * 8);
  return at < 0 ? new Float64Array(n) : new Float64Array(region!.memory.buffer, at, n).fill(0);
}

export function freshI32(n: number): Int32Array {
  const at = take(n * 4);
  return at < 0 ? new Int32Array(n) : new Int32Array(region!.memory.buffer, at, n).fill(0);
}

export function freshU8(n: number): Uint8Array {
  const at = take(n);
  return at < 0 ? new Uint8Array(n) : new Uint8Array(region!.memory.buffer, at, n).fill(0);
}

/** A fresh copy of `x` (as x.slice(), from the region when it can). */
export function freshCopy(x: Float64Array): Float64Array {
  const out = freshF64(x.length);
  out.set(x);
  return out;
}
