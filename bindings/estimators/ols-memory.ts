// How much backend memory a least-squares job takes, counted before the job allocates anything, so that a
// job too large for its engine ends in an error that says what it needs, what the engine gives and what
// reduces it, instead of failing halfway through (a wasm trap or a RangeError reported as an internal
// error). The wasm backend's heap is 32-bit (4 GiB in all) and its allocator hands out blocks of at most
// 1 GiB (see engine/wasm.ts); the reference backend's buffers are ordinary typed arrays.
import { DEMEAN_COLUMN_BLOCK, cgScratchLength, demeanScratchFor, type BackendName } from "../engine/backend.js";
import { MAX_PERIODS } from "../model/two-way-cells.js";
import { WASM_MAX_BLOCK_BYTES, WASM_MAX_HEAP_BYTES } from "../engine/wasm.js";
import { DidwasmError } from "../errors.js";
import type { Groups } from "../model/groups.js";
import type { Design } from "../model/design.js";
import type { VcovSpec } from "../model/vcov-spec.js";
import { fmtBytes, fmtInt } from "../present/format.js";

export interface MemoryLimits {
  /** Largest single buffer, in bytes. */
  readonly blockBytes: number;
  /** All buffers of one job together, in bytes. */
  readonly totalBytes: number;
}

/** Room left in the wasm heap for its static data, the allocator's bookkeeping and block alignment. */
const WASM_HEAP_RESERVE = 64 * 2 ** 20;

/** What each backend can give one job. The reference backend's limit is the JavaScript engine's longest
 *  typed array (2^32 elements); beyond that only the machine's memory bounds it, which is not known here. */
export function memoryLimitsOf(backend: BackendName): MemoryLimits {
  return backend === "wasm"
    ? { blockBytes: WASM_MAX_BLOCK_BYTES, totalBytes: WASM_MAX_HEAP_BYTES - WASM_HEAP_RESERVE }
    : { blockBytes: 8 * 2 ** 32, totalBytes: Infinity };
}

/** The sizes that decide a least-squares job's memory. */
export interface OlsShape {
  readonly n: number;
  readonly outcomes: number;
  readonly regressors: number;
  /** Columns of each one-hot indicator block (their crossproducts go through codes). */
  readonly indicatorBlocks: readonly number[];
  /** Groups of each absorbed fixed effect. */
  readonly fixefGroups: readonly number[];
  readonly weighted: boolean;
  /** Groups of each clustering the variance sums over (one per set of the inclusion-exclusion). */
  readonly clusterings: readonly number[];
  /** The variance's kind (Newey-West, Driscoll-Kraay and Conley work outside the backend's memory). */
  readonly vcov: VcovSpec["type"];
}

export interface BufferNeed {
  readonly what: string;
  readonly bytes: number;
}

/** The buffers runOls (ols-core.ts) allocates on its backend, at most (it may need fewer: the solver
 *  absorb.ts picks and the sweeps it may fall back to are both counted, though a fit often uses one). */
export function olsBuffers(s: OlsShape): BufferNeed[] {
  const { n, regressors: K } = s;
  const C = s.outcomes + K;
  const out: BufferNeed[] = [{ what: `the outcome and regressor columns (${fmtInt(n)} rows x ${fmtInt(C)} columns)`, bytes: 8 * n * C }];
  const add = (what: string, bytes: number) => out.push({ what, bytes });
  if (s.weighted) add("the weights", 8 * n);
  add("column moments", 16 * C);
  const Q = s.fixefGroups.length;
  // Which solver absorb.ts takes: the direct two-way solve where a fixed effect of two has at most
  // MAX_PERIODS groups (else, or with three or more, conjugate gradient, whose unconverged columns go to the
  // sweeps one at a time); counted at most, as if each method ran (the direct solve may fall back too).
  const direct = Q === 2 && Math.min(...s.fixefGroups) <= MAX_PERIODS;
  if (direct) {
    const [U, P] = s.fixefGroups[0] >= s.fixefGroups[1] ? s.fixefGroups : [s.fixefGroups[1], s.fixefGroups[0]];
    add("unit and period ids, unit order, cells", 28 * n + 12 * U + 12 * P + 8 * Math.max(1, (P - 1) ** 2));
    add("two-way scratch", 8 * (U + P) * Math.min(C, DEMEAN_COLUMN_BLOCK));
  }
  if (Q > 0) {
    add("fixed-effect ids", 4 * Q * n);
    add("demeaning scratch", 8 * demeanScratchFor(s.fixefGroups, Q >= 2 && !direct ? 1 : C) + 4 * (Q + C));
  }
  if (Q >= 2 && !direct) {
    // ids in the solver's order, cells (each row one when Q >= 3; with two, both id columns copied for the
    // cells kernel, a row order and its per-group outputs), null-space labels, and the scratch
    const G0 = Math.max(...s.fixefGroups);
    const M = s.fixefGroups.reduce((t, g) => t + g, 0) - G0;
    const twoWay = Q === 2 ? 12 * n + 8 * G0 + 12 * M : 0;
    add("conjugate-gradient cells", 4 * Q * n + 4 * (G0 + 1) + 4 * Math.max(1, n * (Q - 1)) + 8 * n + twoWay + 4 * M + 4 * Q);
    add("conjugate-gradient scratch", 8 * cgScratchLength(G0, M, M, C) + 4 * C);
  }
  add(`the crossproduct (${fmtInt(C)} x ${fmtInt(C)})`, 8 * C * C);
  for (const P of s.indicatorBlocks) {
    add(`indicator codes`, 4 * n);
    add(`crossproducts with ${P} indicator columns`, 8 * C * P);
  }
  for (const what of ["regressor crossproduct", "Cholesky factor", "inverse"]) add(`the ${what} (${fmtInt(K)} x ${fmtInt(K)})`, 8 * K * K);
  add("solves", 36 * K);
  add("residuals", 8 * n + 8);
  for (let l = 0; l < s.outcomes; l++) {
    if (s.vcov === "hetero") add("heteroskedastic meat", 8 * n + 8 * K * K);
    if (s.vcov === "cluster") {
      add("cluster ids and meat", 4 * n + 8 * K * K);
      add("cluster score sums", 8 * K * Math.max(...s.clusterings));
    }
  }
  return out;
}

/** What of a least-squares job (ols-core.ts's OlsJob) decides its memory. */
export interface JobShape {
  readonly backend: { readonly name: BackendName };
  readonly design: Design;
  readonly outcomes: readonly unknown[];
  readonly fixef: ReadonlyArray<{ readonly G: number }>;
  readonly weights: Float64Array | null;
  readonly vcov: VcovSpec;
  readonly memoryLimits?: MemoryLimits;
}

/** Group counts of every clustering a clustered variance sums over: each cluster variable and, for
 *  multiway clustering, each intersection (at most the product of the counts, and at most n). */
function clusterings(job: JobShape, groupsOf: (name: string) => Groups, n: number): number[] {
  // twoway (threeway, fourway) clusters by the first fixed effects, whose counts the job has.
  const v = job.vcov;
  if (v.type !== "cluster" && v.type !== "fixefCluster") return [];
  const G = v.type === "cluster" ? v.vars.map((name) => groupsOf(name).G) : job.fixef.slice(0, v.ways).map((f) => f.G);
  const out: number[] = [];
  for (let mask = 1; mask < 1 << G.length; mask++) out.push(Math.min(n, G.reduce((p, g, j) => (mask & (1 << j) ? p * g : p), 1)));
  return out;
}

/** Refuses a least-squares job (ols-core.ts) larger than its backend can hold, before it allocates
 *  anything, naming what the job's options can change. */
export function checkJobMemory(job: JobShape, n: number, groupsOf: (name: string) => Groups): number {
  const { design, backend } = job;
  const blocks = design.indicators ?? [];
  const shape = {
    n, outcomes: job.outcomes.length, regressors: design.columns.length, indicatorBlocks: blocks.map((b) => b.count),
    fixefGroups: job.fixef.map((f) => f.G), weighted: job.weights !== null, clusterings: clusterings(job, groupsOf, n),
    vcov: job.vcov.type === "fixefCluster" ? "cluster" : job.vcov.type,
  };
  const needs = olsBuffers(shape);
  const remedies: string[] = [];
  const indicatorColumns = blocks.reduce((s, b) => s + b.count, 0);
  if (blocks.length) remedies.push(`fewer i() levels or event-time cells (${blocks.map((b) => fmtInt(b.count)).join(" + ")} indicator columns)`);
  if (design.columns.length - indicatorColumns > 1) remedies.push(`fewer regressors (${design.columns.length - indicatorColumns})`);
  if (job.outcomes.length > 1) remedies.push(`fewer outcomes at once (${job.outcomes.length})`);
  remedies.push(`a subset of the ${fmtInt(n)} rows (subset)`);
  if (backend.name === "wasm") {
    const ref = memoryLimitsOf("reference");
    if (needs.every((b) => b.bytes <= ref.blockBytes)) {
      remedies.push("the reference backend (--backend reference), which keeps its buffers outside the WebAssembly heap (slower)");
    }
  }
  const engine = backend.name === "wasm" ? "WebAssembly engine" : "reference engine";
  return checkMemory(needs, job.memoryLimits ?? memoryLimitsOf(backend.name), engine, remedies);
}

/** Bytes the allocator adds to each block at most (header and 16-byte alignment). */
const BLOCK_OVERHEAD = 32;

/**
 * Throws TOO_LARGE when the buffers exceed the limits: the message names the largest buffer, the total,
 * the limits and `remedies` (what the caller's options can change). Returns the total, in bytes.
 */
export function checkMemory(needs: readonly BufferNeed[], limits: MemoryLimits, engine: string, remedies: readonly string[]): number {
  const total = needs.reduce((s, b) => s + b.bytes + BLOCK_OVERHEAD, 0);
  const largest = needs.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  if (largest.bytes <= limits.blockBytes && total <= limits.totalBytes) return total;
  const tooBig = largest.bytes > limits.blockBytes;
  throw new DidwasmError(
    "TOO_LARGE",
    `the job is too large for the ${engine}: it needs ${fmtBytes(total)} in all, ${fmtBytes(largest.bytes)} of it in one buffer for ${largest.what}, ` +
      `but the ${engine} gives at most ${fmtBytes(limits.blockBytes)} per buffer` +
      (Number.isFinite(limits.totalBytes) ? ` and ${fmtBytes(limits.totalBytes)} in all` : "") +
      ` (${tooBig ? "the one buffer" : "the total"} is over). To reduce it: ${remedies.join("; ")}`,
    { neededBytes: total, largestBufferBytes: largest.bytes, blockLimitBytes: limits.blockBytes, totalLimitBytes: limits.totalBytes },
  );
}
