// A backend for jobs larger than one WebAssembly heap (32-bit: 4 GiB, at most 1 GiB per block): its
// buffers are ordinary typed arrays outside the heap, as the reference backend's, and each kernel call is
// streamed through an inner wasm backend's heap. A call whose buffers fit is copied in whole, run and its
// outputs copied back (bit-identical to calling the inner backend). A larger one is split: kernels whose
// columns are independent (the demeaning kernels, column moments) by blocks of columns, with every row
// of a block in the heap (column-split.ts); one-pass kernels over rows (crossproducts, residuals, meats)
// by blocks of rows whose sums are added up (row-split.ts). Any other kernel too large for the heap is
// refused with TOO_LARGE. Copying costs memory bandwidth, a small share of a demeaning's sweeps.
import type { Backend, F64Buffer, I32Buffer } from "../backend.js";
import { withCheck } from "../kernel-checks.js";
import { KERNEL_NAMES, KERNEL_SIGNATURES, kindOf, nameOf, type KernelName, type Kernels } from "../kernel-signatures.js";
import { createHostArena } from "../reference/index.js";
import { WASM_MAX_BLOCK_BYTES } from "../wasm.js";
import { COLUMN_SPLITS, runByColumnBlocks } from "./column-split.js";
import { KERNEL_OUTPUTS } from "./kernel-outputs.js";
import { ROW_SPLITS } from "./row-split.js";
import { Stage, distinctBytes, tooLargeForStaging, type HostBuffer, type StagingLimits } from "./stage.js";

export type { StagingLimits } from "./stage.js";

/** What a staged call may take of the inner heap: 3 of its 4 GiB, the rest left for the kernels' static
 *  data, the allocator's bookkeeping and the thread engine's work areas. */
export const DEFAULT_STAGING_LIMITS: StagingLimits = { heapBytes: 3 * 2 ** 30, blockBytes: WASM_MAX_BLOCK_BYTES };

/** Tests set this environment variable (bytes) to stand for a smaller WebAssembly heap, so that small jobs
 *  take the staged path end to end (ols-staging.ts) and are split into many blocks. */
const TEST_HEAP_VARIABLE = "DIDWASM_TEST_HEAP_BYTES";

/** The heap a test asked for through TEST_HEAP_VARIABLE (blocks a quarter of it), or null. */
export function testHeapLimits(): StagingLimits | null {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[TEST_HEAP_VARIABLE];
  const bytes = v ? Number(v) : NaN;
  return Number.isFinite(bytes) && bytes > 0 ? { heapBytes: bytes, blockBytes: Math.floor(bytes / 4) } : null;
}

const staged = new WeakSet<Backend>();

/** Whether a backend streams its calls through an inner heap (so wrapping it again gains nothing). */
export function isStagedBackend(b: Backend): boolean {
  return staged.has(b);
}

/** Copies the whole call in, runs it, copies its outputs back. */
function runWhole(inner: Backend, name: KernelName, args: unknown[], bufferAt: readonly number[], outputAt: readonly number[]): unknown {
  const arena = inner.arena();
  try {
    const st = new Stage(arena);
    const innerArgs = args.slice();
    for (const i of bufferAt) innerArgs[i] = st.of(args[i] as HostBuffer | null);
    const result = (inner[name] as (...a: unknown[]) => unknown)(...innerArgs);
    for (const i of outputAt) {
      const host = args[i] as F64Buffer | I32Buffer | null;
      if (host) host.view.set((innerArgs[i] as HostBuffer).view);
    }
    return result;
  } finally {
    arena.release();
  }
}

function stagedKernel(inner: Backend, limits: StagingLimits, name: KernelName): (...args: unknown[]) => unknown {
  const params = KERNEL_SIGNATURES[name].params;
  const bufferAt = params.flatMap((p, i) => (kindOf(p).includes("[]") ? [i] : []));
  const outputAt = params.flatMap((p, i) => (KERNEL_OUTPUTS[name].includes(nameOf(p)) ? [i] : []));
  const columns = COLUMN_SPLITS[name];
  const rows = ROW_SPLITS[name];
  return (...args: unknown[]) => {
    const buffers = bufferAt.map((i) => args[i] as HostBuffer | null);
    const bytes = distinctBytes(buffers);
    const widest = Math.max(0, ...buffers.map((b) => (b ? b.view.byteLength : 0)));
    if (bytes <= limits.heapBytes && widest <= limits.blockBytes) return runWhole(inner, name, args, bufferAt, outputAt);
    if (columns) return runByColumnBlocks(inner, limits, name, args, columns);
    if (rows) return rows(inner, limits, args);
    throw tooLargeForStaging(name, bytes, limits, "a call that cannot be split");
  };
}

/** The staged backend over `inner` (a wasm backend, with or without kernel threads). */
export function createStagedBackend(inner: Backend, limits: StagingLimits = DEFAULT_STAGING_LIMITS): Backend {
  const kernels = Object.fromEntries(KERNEL_NAMES.map((name) => [name, withCheck(name, stagedKernel(inner, limits, name))])) as unknown as Kernels;
  const b: Backend = { name: inner.name, simd: inner.simd, arena: createHostArena, ...kernels };
  staged.add(b);
  return b;
}
