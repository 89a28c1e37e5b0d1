// The fixed effects of a stacked regression absorbed one sub-experiment at a time. Sub-experiment x unit
// and sub-experiment x period effects never share a level across sub-experiments, so the two-way system
// is block diagonal: as one system its units and periods are disconnected, which rules out the exact
// two-way solve (model/two-way-cells.ts) and leaves slow iterations; each block on its own is connected
// and is solved exactly. The absorber runs inside the fit (OlsJob.absorber), on the columns the fit has
// already written into its backend's memory, so no column leaves that memory. The kernels want a call's
// columns contiguous: a block's rows of several columns are copied into a scratch buffer, solved, and
// copied back. A weighted block (the corrective weights) is solved directly through its ids and two-way
// cells, built once (before the fits: prepare()) for every fit and column; other blocks through absorb().
import { DEMEAN_COLUMN_BLOCK, type Arena, type Backend, type F64Buffer, type I32Buffer } from "../../engine/backend.js";
import type { KernelCall } from "../../engine/thread-runner.js";
import { twoWayCells, type TwoWayCells } from "../../model/two-way-cells.js";
import { absorb } from "../absorb.js";
import { columnRanges } from "../column-split.js";
import type { Absorber } from "../ols-core.js";
import { scaleRange, weightScaling } from "../ols-scaling.js";
import { localIds, type BlockGroups } from "./stacked-sample.js";

/** The scratch takes at most this many values (24 MB), a block's columns as many at a time as fit in it
 *  (at least a few per kernel thread). Fewer, larger calls wait less for the kernel threads to be
 *  scheduled (on a busy machine each call costs that wait); a smaller scratch touches less new memory,
 *  which the system maps page by page (about as costly as the copies into it): this is between the two. */
export const SCRATCH_LIMIT = 3 * 1024 * 1024;
export const COLUMNS_PER_THREAD = 2;

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

/** What the direct solve of a weighted block needs for every column: its fixed effects' ids in the
 *  backend's memory and their two-way cells. */
interface BlockSolve {
  readonly unit: I32Buffer;
  readonly period: I32Buffer;
  readonly cells: TwoWayCells;
}

/** A weighted block's ids and cells (in `arena`), built once for all of its columns; null where absorb()
 *  decides per call (unweighted: a balanced block takes the closed form and no cells) or the direct solve
 *  does not apply. */
function blockSolve(backend: Backend, arena: Arena, g: readonly BlockGroups[], w: F64Buffer | null): BlockSolve | null {
  if (!w || g.length !== 2 || g[0].G < g[1].G) return null;
  const unit = localBuffer(arena, g[0]);
  const period = localBuffer(arena, g[1]);
  const cells = twoWayCells(backend, arena, unit, period, g[0].G, g[1].G, w);
  return cells ? { unit, period, cells } : null;
}

/** A block's ids numbered from 0, written into the backend's memory. */
function localBuffer(arena: Arena, g: BlockGroups): I32Buffer {
  const out = arena.i32(g.ids.length, false);
  const v = out.view;
  for (let i = 0; i < v.length; i++) v[i] = g.ids[i] - g.first;
  return out;
}

/** Demeans rows lo .. lo+m-1 of every column through the block's kept ids and cells: k columns at a time
 *  copied side by side into the scratch (the kernel reads a call's columns m apart; in the data they lie n
 *  apart), solved there in one kernel call per thread (each thread a range of the columns, whose
 *  arithmetic is their own: the same numbers for any split), and copied back. One call per column in place
 *  would spare the copies but lose the kernel's sharing of each row's ids among up to
 *  DEMEAN_COLUMN_BLOCK columns, which costs more than the copies. */
function demeanBlock(
  backend: Backend, arena: Arena, data: F64Buffer, n: number, C: number, lo: number, m: number, s: BlockSolve, w: F64Buffer, scratch: F64Buffer, K: number,
): void {
  const { cells } = s;
  const threads = backend.threads?.threads ?? 1;
  // The kernel's scratch, one per thread, for its widest range of columns.
  const widest = Math.min(Math.ceil(K / threads), DEMEAN_COLUMN_BLOCK);
  const sums = Array.from({ length: Math.min(K, threads) }, () => arena.f64((cells.units + cells.periods) * widest, false));
  for (let c0 = 0; c0 < C; c0 += K) {
    const k = Math.min(K, C - c0);
    // Views are taken again after each step (a view of memory that has grown reads as empty).
    toScratch(data.view, n, c0, k, lo, m, scratch.view);
    const calls: KernelCall[] = columnRanges(k, threads).map(([a, b], t) => {
      const part = arena.f64Part(scratch, a * m, (b - a) * m);
      const args: Parameters<Backend["demeanTwoWay"]> = [
        m, b - a, part, part, s.unit, s.period, cells.units, cells.periods, w, cells.cellStart, cells.cellPeriod, cells.cellWeight, cells.unitWeight, cells.factor, sums[t],
      ];
      return { kernel: "demeanTwoWay", args };
    });
    if (calls.length === 1 || !backend.threads) {
      for (const call of calls) backend.demeanTwoWay(...(call.args as Parameters<Backend["demeanTwoWay"]>));
    } else {
      backend.threads.run(calls);
    }
    fromScratch(scratch.view, m, k, data.view, n, c0, lo);
  }
}

/** A column's iteration count over blocks: the largest, negative when any block did not converge. */
function merged(prev: number, it: number): number {
  return it < 0 || prev < 0 ? -Math.max(Math.abs(it), Math.abs(prev)) : Math.max(it, prev);
}

/** The absorber, prepare() to build the weighted blocks' cells before the fits, and release() to free the
 *  cells it keeps for the fits run before it (later calls, e.g. a variance recomputed from a fit, build
 *  their cells each time). */
export interface BlockAbsorber {
  readonly absorber: Absorber;
  /**
   * Builds the cells of every weighted block for fits on `backend` with the sample's `weights`, before the
   * fits allocate anything. Built inside the first fit, they would sit between that fit's buffers and the
   * unused end of the heap, where the allocator would then place the second fit's buffers: in new memory,
   * which the system maps page by page (about 3 ms per MB on a virtual machine), instead of the first
   * fit's. The weights are scaled as the fits scale theirs (ols-core.ts); a fit whose weights turn out
   * different builds its own cells.
   */
  prepare(backend: Backend, weights: Float64Array | null): void;
  /** Block b's two-way cells as prepare() built them (a weighted block solved directly), or null: its
   *  sub-experiment x unit levels are the cells' units, its sub-experiment x period levels their periods. */
  keptCells(b: number): TwoWayCells | null;
  release(): void;
}

/** Weighted blocks' ids and cells kept between fits on one backend: both models share the sample and its
 *  weights. `weights` times `factor`: the weights they were built from, when prepare() built them. */
interface KeptCells {
  readonly backend: Backend;
  readonly arena: Arena;
  readonly solves: Array<BlockSolve | null | undefined>;
  readonly weights: Float64Array | null;
  readonly factor: number;
}

/** Whether a block's weights in the fit (rows lo .. lo+m-1) are those its kept cells were built from. */
function sameWeights(kept: KeptCells, w: F64Buffer | null, lo: number, m: number): boolean {
  if (!kept.weights || !w) return !kept.weights === !w;
  const v = w.view;
  const { weights, factor } = kept;
  for (let i = 0; i < m; i++) if (v[i] !== weights[lo + i] * factor) return false;
  return true;
}

/**
 * An absorber for fixed effects within blocks: block b holds rows blocks[b] .. blocks[b + 1] - 1 (one
 * sub-experiment) and its fixed effects blockFixef[b] (stacked-sample.ts).
 * A column's iteration count is the largest of its blocks' (negative when a block did not converge). Tests
 * lower `scratchLimit` to solve an unweighted block's columns in several calls. Every fit that uses the
 * absorber (the event-time and the static model) shares, until release(), the weighted blocks' cells.
 */
export function blockAbsorber(
  blocks: Int32Array, blockFixef: ReadonlyArray<readonly BlockGroups[]>, tol: number, maxIter: number, scratchLimit = SCRATCH_LIMIT,
): BlockAbsorber {
  let largest = 0;
  for (let b = 0; b + 1 < blocks.length; b++) largest = Math.max(largest, blocks[b + 1] - blocks[b]);
  let kept: KeptCells | null = null;
  let keeping = true;
  const forget = () => {
    kept?.arena.release();
    kept = null;
  };
  const solveOf = (backend: Backend, blockArena: Arena, b: number, lo: number, m: number, w: F64Buffer | null): BlockSolve | null => {
    const g = blockFixef[b];
    if (!keeping) return blockSolve(backend, blockArena, g, w);
    if (kept && kept.backend !== backend) forget();
    if (kept?.weights && !sameWeights(kept, w, lo, m)) return blockSolve(backend, blockArena, g, w);
    kept ??= { backend, arena: backend.arena(), solves: [], weights: null, factor: 1 };
    let s = kept.solves[b];
    if (s === undefined) s = kept.solves[b] = blockSolve(backend, kept.arena, g, w);
    return s;
  };
  const prepare = (backend: Backend, weights: Float64Array | null) => {
    forget();
    if (!weights || !keeping) return;
    const exp = weightScaling(weights, "the weights").exp;
    const arena = backend.arena();
    const solves: Array<BlockSolve | null> = [];
    try {
      for (let b = 0; b + 1 < blocks.length; b++) {
        const lo = blocks[b];
        const m = blocks[b + 1] - lo;
        // The block's weights only, and freed at once: a buffer of all of them would leave its hole below
        // the cells, too large for the small buffers that fill such holes and too small for the fits' own.
        const scaled = backend.arena();
        try {
          const w = scaled.f64From(weights.subarray(lo, lo + m));
          scaleRange(w.view, 0, m, exp);
          solves.push(m === 0 ? null : blockSolve(backend, arena, blockFixef[b], w));
        } finally {
          scaled.release();
        }
      }
    } catch (e) {
      arena.release();
      throw e;
    }
    kept = { backend, arena, solves, weights, factor: 2 ** -exp };
  };
  const absorber: Absorber = (backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, w: F64Buffer | null) => {
    const iterations = new Int32Array(C);
    const K = Math.min(C, Math.max(COLUMNS_PER_THREAD * (backend.threads?.threads ?? 1), Math.floor(scratchLimit / Math.max(1, largest))));
    let scratch: F64Buffer | null = null;
    for (let b = 0; b + 1 < blocks.length; b++) {
      const g = blockFixef[b];
      const lo = blocks[b];
      const m = blocks[b + 1] - lo;
      if (m === 0) continue;
      const blockArena = backend.arena();
      try {
        const wb = w ? blockArena.f64Part(w, lo, m) : null;
        const solve = solveOf(backend, blockArena, b, lo, m, wb);
        scratch ??= arena.f64(K * largest, false);
        if (solve && wb) {
          demeanBlock(backend, blockArena, data, n, C, lo, m, solve, wb, scratch, K);
          // The direct solve counts one iteration.
          for (let c = 0; c < C; c++) iterations[c] = merged(iterations[c], 1);
          continue;
        }
        const local = g.map((f) => ({ ids: localIds(f), G: f.G }));
        for (let c0 = 0; c0 < C; c0 += K) {
          const k = Math.min(K, C - c0);
          // Views are taken again after absorb, which may grow the memory (old views then read as empty).
          toScratch(data.view, n, c0, k, lo, m, scratch.view);
          const callArena = backend.arena();
          try {
            const done = absorb(backend, callArena, m, k, callArena.f64Part(scratch, 0, k * m), local, wb, tol, maxIter, "auto");
            for (let j = 0; j < k; j++) iterations[c0 + j] = merged(iterations[c0 + j], done.iterations[j]);
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
    prepare,
    keptCells: (b) => (keeping ? (kept?.solves[b]?.cells ?? null) : null),
    release() {
      keeping = false;
      forget();
    },
  };
}
