// The fixed effects of a stacked regression absorbed one sub-experiment at a time. Sub-experiment x unit
// and sub-experiment x period effects never share a level across sub-experiments, so the two-way system
// is block diagonal: as one system its units and periods are disconnected, which rules out the exact
// two-way solve (model/two-way-cells.ts) and leaves slow iterations; each block on its own is connected
// and is solved exactly. The absorber runs inside the fit (OlsJob.absorber), on the columns the fit has
// already written into its backend's memory: a block's rows are copied into a scratch buffer there (the
// kernels want a column's rows contiguous), solved, and copied back, so no column leaves that memory.
import type { Arena, Backend, F64Buffer } from "../../engine/backend.js";
import type { Groups } from "../../model/groups.js";
import { twoWayCells, type TwoWayCells } from "../../model/two-way-cells.js";
import { absorb } from "../absorb.js";
import type { Absorber } from "../ols-core.js";

/** The scratch takes at most this many values (24 MB), a block's columns as many at a time as fit in it
 *  (at least a few per kernel thread). Fewer, larger calls wait less for the kernel threads to be scheduled
 *  (on a busy machine each call costs that wait); a smaller scratch touches less new memory, which the
 *  system maps page by page (about as costly as the copies into it): this is between the two. */
const SCRATCH_LIMIT = 3 * 1024 * 1024;
const COLUMNS_PER_THREAD = 2;

/** to[toStart ..) = from[fromStart ..), `length` values. Two views on one memory (the wasm backend's buffers)
 *  are copied with copyWithin on a view of the whole memory: TypedArray.set between views of one buffer
 *  first clones the source into a new buffer (the spec's rule for overlapping views), which on a million
 *  rows costs more than the copy. */
function copyValues(from: Float64Array, fromStart: number, to: Float64Array, toStart: number, length: number): void {
  if (from.buffer !== to.buffer) {
    to.set(from.subarray(fromStart, fromStart + length), toStart);
    return;
  }
  const whole = new Float64Array(from.buffer, 0, from.buffer.byteLength >> 3);
  const src = (from.byteOffset >> 3) + fromStart;
  whole.copyWithin((to.byteOffset >> 3) + toStart, src, src + length);
}

/** Copies rows lo..lo+m-1 of columns c0..c0+k-1 of `data` (n rows per column) into scratch (m per column). */
function toScratch(data: Float64Array, n: number, c0: number, k: number, lo: number, m: number, scratch: Float64Array): void {
  for (let j = 0; j < k; j++) copyValues(data, (c0 + j) * n + lo, scratch, j * m, m);
}

function fromScratch(scratch: Float64Array, m: number, k: number, data: Float64Array, n: number, c0: number, lo: number): void {
  for (let j = 0; j < k; j++) copyValues(scratch, j * m, data, (c0 + j) * n + lo, m);
}

/** A weighted block's two-way cells (in `arena`), built once for all of its column calls; null where absorb()
 *  decides per call (unweighted: a balanced block takes one sweep and no cells) or the direct solve does not
 *  apply. The ids they are built from go in `scratch`: the cells do not keep them. */
function blockCells(backend: Backend, arena: Arena, scratch: Arena, g: readonly Groups[], w: F64Buffer | null): TwoWayCells | null {
  if (!w || g.length !== 2 || g[0].G < g[1].G) return null;
  return twoWayCells(backend, arena, scratch.i32From(g[0].ids), scratch.i32From(g[1].ids), g[0].G, g[1].G, w);
}

/** The absorber, and release() to free the cells it keeps for the fits run before it (later calls, e.g. a
 *  variance recomputed from a fit, build their cells each time). */
export interface BlockAbsorber {
  readonly absorber: Absorber;
  release(): void;
}

/** A weighted block's cells kept between fits on one backend: both models share the sample and its weights. */
interface KeptCells {
  readonly backend: Backend;
  readonly arena: Arena;
  readonly cells: Array<TwoWayCells | null | undefined>;
}

/**
 * An absorber for fixed effects within blocks: block b holds rows blocks[b] .. blocks[b + 1] - 1 (one
 * sub-experiment) and its fixed effects blockFixef[b], numbered from 0 within the block (stacked-sample.ts).
 * A column's iteration count is the largest of its blocks' (negative when a block did not converge). Tests
 * lower `scratchLimit` to solve a block's columns in several calls. Every
 * fit that uses the absorber (the event-time and the static model) shares, until release(), the blocks'
 * two-way cells.
 */
export function blockAbsorber(
  blocks: Int32Array, blockFixef: ReadonlyArray<readonly Groups[]>, tol: number, maxIter: number, scratchLimit = SCRATCH_LIMIT,
): BlockAbsorber {
  let largest = 0;
  for (let b = 0; b + 1 < blocks.length; b++) largest = Math.max(largest, blocks[b + 1] - blocks[b]);
  let kept: KeptCells | null = null;
  let keeping = true;
  const cellsOf = (backend: Backend, blockArena: Arena, b: number, g: readonly Groups[], w: F64Buffer | null): TwoWayCells | null => {
    if (!keeping) return blockCells(backend, blockArena, blockArena, g, w);
    if (kept && kept.backend !== backend) {
      kept.arena.release();
      kept = null;
    }
    kept ??= { backend, arena: backend.arena(), cells: [] };
    let c = kept.cells[b];
    if (c === undefined) c = kept.cells[b] = blockCells(backend, kept.arena, blockArena, g, w);
    return c;
  };
  const absorber: Absorber = (backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, w: F64Buffer | null) => {
    const iterations = new Int32Array(C);
    const K = Math.min(C, Math.max(COLUMNS_PER_THREAD * (backend.threads?.threads ?? 1), Math.floor(scratchLimit / Math.max(1, largest))));
    const scratch = arena.f64(K * largest, false);
    for (let b = 0; b + 1 < blocks.length; b++) {
      const g = blockFixef[b];
      const lo = blocks[b];
      const m = blocks[b + 1] - lo;
      if (m === 0) continue;
      const blockArena = backend.arena();
      try {
        const wb = w ? blockArena.f64Part(w, lo, m) : null;
        const cells = cellsOf(backend, blockArena, b, g, wb);
        for (let c0 = 0; c0 < C; c0 += K) {
          const k = Math.min(K, C - c0);
          // Views are taken again after absorb, which may grow the memory (old views then read as empty).
          toScratch(data.view, n, c0, k, lo, m, scratch.view);
          const callArena = backend.arena();
          try {
            const done = absorb(backend, callArena, m, k, callArena.f64Part(scratch, 0, k * m), g, wb, tol, maxIter, "auto", cells);
            for (let j = 0; j < k; j++) {
              const it = done.iterations[j];
              const prev = iterations[c0 + j];
              iterations[c0 + j] = it < 0 || prev < 0 ? -Math.max(Math.abs(it), Math.abs(prev)) : Math.max(it, prev);
            }
          } finally {
            callArena.release();
          }
          fromScratch(scratch.view, m, k, data.view, n, c0, lo);
        }
      } finally {
        blockArena.release();
      }
    }
    return iterations;
  };
  return {
    absorber,
    release() {
      keeping = false;
      kept?.arena.release();
      kept = null;
    },
  };
}
