// Each kernel instance's own small work areas. On shared memory (the threads build: one instance per
// thread, all on one memory) an area reserved with memory.data would be the same bytes for every instance,
// and two threads running the same kernel would overwrite each other's per-column numbers. So kernels take
// such areas from a per-instance base: the static block below until the host points the instance at a
// block of its own with setThreadLocal (globals, unlike memory, are per instance). Offsets are fixed here.

/** Bytes of per-instance work area: demean's run flags, the two-way solve's unit means, CG's per-column
 *  numbers (see fixef-cg.ts). */
export const THREAD_LOCAL_BYTES: i32 = 4096;

const STATIC_BLOCK: usize = memory.data(THREAD_LOCAL_BYTES, 16);
let base: usize = STATIC_BLOCK;

/** Points this instance's work areas at `ptr` (THREAD_LOCAL_BYTES bytes, 16-byte aligned, owned by the host). */
export function setThreadLocal(ptr: usize): void {
  base = ptr;
}

/** The address of byte `offset` of this instance's work area. */
@inline export function threadLocal(offset: i32): usize {
  return base + <usize>offset;
}

// Offsets (bytes) of each kernel's areas; they do not overlap, so kernels may nest (demean inside CG's
// fallback runs from the host, never nested in wasm, but keeping them apart costs nothing).
export const TL_DEMEAN_RUNS: i32 = 0; // u8 [MAX_FIXEF = 64]
export const TL_TWOWAY_UNIT_MEANS: i32 = 64; // f64 [COLUMN_BLOCK = 8]
export const TL_CG: i32 = 128; // fixef-cg.ts's per-column numbers, 1,344 bytes
export const TL_SCHUR: i32 = 2304; // fixef-schur.ts's cell sums and group means, f64 [2][COLUMN_BLOCK = 8]
