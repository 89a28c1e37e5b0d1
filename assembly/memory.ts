// Raw blocks for the host. The host allocates every buffer a job needs up front, builds typed-array views
// on `memory.buffer`, runs kernels on the pointers and frees the blocks when the job ends. Kernels never
// allocate, so memory can only grow between jobs, never during a kernel call.

/** A block of `bytes` bytes, 16-byte aligned (TLSF), uninitialised. */
export function allocBytes(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Returns a block from allocBytes to the heap. */
export function freeBytes(ptr: usize): void {
  heap.free(ptr);
}
