// The extended TWFE meat sum_g s_g s_g' over the kept columns (clusters g, or every row its own group),
// where s_g = sum over rows i of g of X_i e_i and X_i = (a_e . z_i)_e: per group, the rows' z_i e_i are
// summed per cell (W_gc); the meat is M R M' with R = sum_g W_g W_g' over stacked cells (D = cells x (k + 1))
// and M the entries' a vectors.
//
// R's outer products are most of the work (a unit of a 20-period panel with 3 controls: 80 entries, 3,240
// products). With an engine they run in the blockOuterUpper kernel (assembly/block-outer.ts), in chunks of
// groups, split by rows of R over the kernel threads: a group whose cells increase (gaps filled with zeros,
// which add nothing) is one run of R's positions. Other groups are added here, in their turn, after the
// chunk before them. Every element of R gets its groups' products in group order either way: the same
// numbers for any thread count, and as without an engine.
import type { Backend, F64Buffer, I32Buffer } from "../../engine/backend.js";
import { MAX_CALLS_PER_RUN, type KernelCall } from "../../engine/thread-runner.js";
import { DidwasmError } from "../../errors.js";
import { freshI32 } from "../../engine/fresh-arrays.js";
import type { EtwfeRows } from "./etwfe-compressed.js";
import type { EtwfeLayout } from "./etwfe-layout.js";

export interface MeatChunking {
  /** Doubles of group runs per kernel chunk (1 MiB by default: reused, so touched once). */
  readonly doubles: number;
  /** Groups per kernel chunk at most. */
  readonly groups: number;
  /** Products per thread below which more threads are not worth waking (one call on this thread). */
  readonly minProductsPerThread: number;
}

/** The chunking (tests take smaller ones, to reach many chunks and thread splits on small data). */
export const DEFAULT_CHUNKING: MeatChunking = { doubles: 1 << 17, groups: 8192, minProductsPerThread: 1 << 20 };

/**
 * The meat over the kept columns, row-major. `group` null: every row its own group (heteroskedasticity-
 * robust). `backend` null: R's products in TypeScript, else in the kernel (and its threads, if any).
 */
export function cellMeat(
  L: EtwfeLayout, rows: EtwfeRows, resid: Float64Array, kept: Int32Array, group: { ids: Int32Array; G: number } | null, backend: Backend | null,
  chunking: MeatChunking = DEFAULT_CHUNKING,
): Float64Array {
  const m = L.k + 1;
  const C = L.entries.length;
  const D = C * m;
  if (D > 4000) {
    throw new DidwasmError("TOO_LARGE", `robust standard errors here need a ${D} x ${D} matrix (cohort x period cells times controls + 1); use fewer controls or periods, or --vcov iid`);
  }
  const arena = backend?.arena() ?? null;
  try {
    const runs = backend && arena ? new RunChunks(backend, arena, D, chunking) : null;
    const R = runs ? runs.R : new Float64Array(D * D);
    const n = resid.length;
    const order = group ? rowsByGroup(group) : null;
    // Per group: the cells it touches (slot per cell, -1 when untouched) and their summed z e, flat.
    const slot = new Int32Array(C).fill(-1);
    const touched = new Int32Array(C);
    let nTouched = 0;
    const W = new Float64Array(C * m);
    const pos = new Int32Array(C * m);
    const flush = () => {
      const len = nTouched * m;
      if (runs && runs.add(W, touched, nTouched, m)) {
        // queued for the kernel
      } else if (consecutive(touched, nTouched)) {
        runs?.run();
        // Each unordered pair once (local order a <= b, into U[pos a, pos b]); R = U + U' off the diagonal,
        // below: half the work of the full outer product.
        addUpperOuterAt(R, D, W, len, touched[0] * m);
      } else {
        runs?.run();
        for (let a = 0; a < nTouched; a++) for (let q = 0; q < m; q++) pos[a * m + q] = touched[a] * m + q;
        addUpperOuter(R, D, W, len, pos);
      }
      for (let a = 0; a < nTouched; a++) slot[touched[a]] = -1;
      W.fill(0, 0, len);
      nTouched = 0;
    };
    const addRow = (i: number) => {
      const c = rows.cell[i];
      if (slot[c] < 0) {
        slot[c] = nTouched;
        touched[nTouched++] = c;
      }
      const at = slot[c] * m;
      const e = resid[i];
      W[at] += e;
      for (let l = 1; l < m; l++) W[at + l] += rows.xs[l - 1][i] * e;
    };
    if (!order) {
      for (let i = 0; i < n; i++) {
        addRow(i);
        flush();
      }
    } else {
      for (let g = 0; g < order.start.length - 1; g++) {
        const orderRows = order.rows;
        for (let t = order.start[g]; t < order.start[g + 1]; t++) addRow(orderRows ? orderRows[t] : t);
        flush();
      }
    }
    runs?.run();
    for (let a = 0; a < D; a++) {
      for (let b = 0; b < a; b++) {
        const v = R[a * D + b] + R[b * D + a];
        R[a * D + b] = v;
        R[b * D + a] = v;
      }
    }
    return sandwichMeat(L, R, kept);
  } finally {
    arena?.release();
  }
}

/** Groups' runs waiting for the kernel, and R in the engine's memory. */
class RunChunks {
  readonly R: Float64Array;
  private readonly Rbuf: F64Buffer;
  private readonly Sbuf: F64Buffer;
  private readonly offBuf: I32Buffer;
  private readonly startBuf: I32Buffer;
  private readonly S: Float64Array;
  private readonly off: Int32Array;
  private readonly start: Int32Array;
  /** Per row of R: the products the pending chunk adds to it (to split the rows evenly over threads). */
  private readonly rowWork: Float64Array;
  private groups = 0;
  private products = 0;

  constructor(private readonly backend: Backend, arena: ReturnType<Backend["arena"]>, private readonly D: number, private readonly chunking: MeatChunking) {
    this.Rbuf = arena.f64(D * D);
    this.Sbuf = arena.f64(chunking.doubles);
    this.offBuf = arena.i32(chunking.groups + 1);
    this.startBuf = arena.i32(chunking.groups);
    // views once every buffer exists (an allocation may grow the memory, which detaches older views)
    this.R = this.Rbuf.view;
    this.S = this.Sbuf.view;
    this.off = this.offBuf.view;
    this.start = this.startBuf.view;
    this.rowWork = new Float64Array(D);
  }

  /** Queues a group whose touched cells increase, as one run from its first cell's position to its last's
   *  (zeros in between: their products add nothing). False, leaving the group to the caller, otherwise, or
   *  when its run is more than twice its entries (zeros would then cost more than they save). */
  add(W: Float64Array, touched: Int32Array, count: number, m: number): boolean {
    const first = touched[0];
    for (let a = 1; a < count; a++) if (touched[a] <= touched[a - 1]) return false;
    const span = (touched[count - 1] - first + 1) * m;
    if (span > 2 * count * m || span > this.chunking.doubles) return false;
    if (this.groups === this.chunking.groups || this.off[this.groups] + span > this.chunking.doubles) this.run();
    const g = this.groups;
    const at = this.off[g];
    const S = this.S;
    if (span !== count * m) S.fill(0, at, at + span);
    for (let a = 0; a < count; a++) {
      const to = at + (touched[a] - first) * m;
      for (let q = 0; q < m; q++) S[to + q] = W[a * m + q];
    }
    const start = first * m;
    this.start[g] = start;
    this.off[g + 1] = at + span;
    this.groups = g + 1;
    for (let a = 0; a < span; a++) this.rowWork[start + a] += span - a;
    this.products += (span * (span + 1)) / 2;
    return true;
  }

  /** Adds the queued groups' products to R and empties the queue. */
  run(): void {
    const G = this.groups;
    if (G === 0) return;
    const threads = this.backend.threads;
    const parts = threads ? Math.min(threads.threads, MAX_CALLS_PER_RUN, Math.floor(this.products / this.chunking.minProductsPerThread)) : 1;
    if (parts <= 1 || !threads) this.backend.blockOuterUpper(G, this.Sbuf, this.offBuf, this.startBuf, this.D, 0, this.D, this.Rbuf);
    else {
      const calls: KernelCall[] = evenRowRanges(this.rowWork, this.products, parts).map(([r0, r1]) => ({
        kernel: "blockOuterUpper",
        args: [G, this.Sbuf, this.offBuf, this.startBuf, this.D, r0, r1, this.Rbuf],
      }));
      threads.run(calls);
    }
    this.groups = 0;
    this.products = 0;
    this.rowWork.fill(0);
  }
}

/** Row ranges [r0, r1) covering every row, `parts` of them with about equal work each. */
function evenRowRanges(rowWork: Float64Array, total: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let r0 = 0;
  let sum = 0;
  for (let r = 0; r < rowWork.length && out.length < parts - 1; r++) {
    sum += rowWork[r];
    if (sum >= (total * (out.length + 1)) / parts) {
      out.push([r0, r + 1]);
      r0 = r + 1;
    }
  }
  out.push([r0, rowWork.length]);
  return out;
}

/** Whether cells touched[0 .. count) follow one another (c, c + 1, ...): a unit seen in consecutive periods
 *  of its cohort, in period order, the usual panel. */
function consecutive(touched: Int32Array, count: number): boolean {
  const first = touched[0];
  for (let a = 1; a < count; a++) if (touched[a] !== first + a) return false;
  return true;
}

/** R[pos[a], pos[b]] += W[a] W[b] for a <= b < len. The meat's hot loop (one call per cluster), a function
 *  of its own so that it is compiled with its arrays as locals. */
function addUpperOuter(R: Float64Array, D: number, W: Float64Array, len: number, pos: Int32Array): void {
  for (let a = 0; a < len; a++) {
    const wa = W[a];
    if (wa === 0) continue;
    const row = pos[a] * D;
    for (let b = a; b < len; b++) R[row + pos[b]] += wa * W[b];
  }
}

/** addUpperOuter where pos[a] = start + a: the same sums, without reading the positions. Two rows at a
 *  time, each W[b] read once for both (a third faster); every element still gets its one addition. */
function addUpperOuterAt(R: Float64Array, D: number, W: Float64Array, len: number, start: number): void {
  let a = 0;
  for (; a + 1 < len; a += 2) {
    const wa = W[a];
    const wb = W[a + 1];
    if (wa === 0 || wb === 0) {
      addUpperRowAt(R, D, W, len, start, a);
      addUpperRowAt(R, D, W, len, start, a + 1);
      continue;
    }
    const ra = (start + a) * D + start;
    const rb = ra + D;
    R[ra + a] += wa * wa;
    for (let b = a + 1; b < len; b++) {
      const w = W[b];
      R[ra + b] += wa * w;
      R[rb + b] += wb * w;
    }
  }
  if (a < len) addUpperRowAt(R, D, W, len, start, a);
}

/** Row a of addUpperOuterAt (none when W[a] is 0). */
function addUpperRowAt(R: Float64Array, D: number, W: Float64Array, len: number, start: number, a: number): void {
  const wa = W[a];
  if (wa === 0) return;
  const row = (start + a) * D + start;
  for (let b = a; b < len; b++) R[row + b] += wa * W[b];
}

/** The rows of each group, in row order within it (a counting sort): rows[start[g] .. start[g + 1]). When
 *  the ids never decrease (clusters stored one after another, the usual panel) that order is the identity:
 *  `rows` is then null, and no n-long array is written (its first touch costs more than the sort). */
function rowsByGroup(group: { ids: Int32Array; G: number }): { rows: Int32Array | null; start: Int32Array } {
  const ids = group.ids;
  const start = new Int32Array(group.G + 1);
  let sorted = true;
  for (let i = 0; i < ids.length; i++) {
    start[ids[i] + 1]++;
    if (i > 0 && ids[i] < ids[i - 1]) sorted = false;
  }
  for (let g = 0; g < group.G; g++) start[g + 1] += start[g];
  if (sorted) return { rows: null, start };
  const pos = start.slice(0, group.G);
  const rows = freshI32(ids.length);
  for (let i = 0; i < ids.length; i++) rows[pos[ids[i]]++] = i;
  return { rows, start };
}

/** M R M' restricted to the kept columns. */
function sandwichMeat(L: EtwfeLayout, R: Float64Array, kept: Int32Array): Float64Array {
  const m = L.k + 1;
  const D = L.entries.length * m;
  const p = L.names.length;
  const MR = new Float64Array(p * D);
  L.entries.forEach(({ cols, a }, c) => {
    for (let e = 0; e < cols.length; e++) {
      const out = cols[e] * D;
      for (let t = 0; t < m; t++) {
        const at = a[e * m + t];
        if (at === 0) continue;
        const row = (c * m + t) * D;
        for (let d = 0; d < D; d++) MR[out + d] += at * R[row + d];
      }
    }
  });
  const full = new Float64Array(p * p);
  L.entries.forEach(({ cols, a }, c) => {
    for (let f = 0; f < cols.length; f++) {
      for (let t = 0; t < m; t++) {
        const at = a[f * m + t];
        if (at === 0) continue;
        const d = c * m + t;
        for (let j = 0; j < p; j++) full[j * p + cols[f]] += MR[j * D + d] * at;
      }
    }
  });
  const K = kept.length;
  const out = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) out[i * K + j] = full[kept[i] * p + kept[j]];
  return out;
}
