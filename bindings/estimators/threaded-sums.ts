// The crossproduct and the one-way cluster meat on every kernel thread, with the one-thread numbers. Sums
// over rows usually change in their last bits when split (the parts associate differently), which would
// make results depend on the thread count. These splits keep every addition of the one-thread kernel in
// its place:
// - crossprod adds up fixed blocks of CROSSPROD_BLOCK rows one after the other (assembly/linalg.ts): the
//   threads each compute a range of blocks' sums, kept apart (crossprodBlocks), and this thread adds them in
//   block order, exactly as the kernel does;
// - meatCluster sums each cluster's scores over its rows in row order, then the clusters in id order
//   (assembly/vcov.ts): the threads each take a range of clusters (every thread reads all rows but adds
//   only its own clusters', clusterScores), and this thread adds the clusters up (clusterMeat).
// - for clusters stored in runs of rows (a panel stored unit by unit, clustered by unit), clusterScoresRuns
//   sums a range of clusters over their own rows only, in the same order.
// So the results are the same bits for any number of threads, and the same as the one-call kernels.
import type { Arena, Backend, F64Buffer, I32Buffer } from "../engine/backend.js";
import { MAX_CALLS_PER_RUN, type KernelCall } from "../engine/thread-runner.js";
import { columnRanges } from "./column-split.js";

/** Rows per crossprod block, as CROSSPROD_BLOCK in assembly/linalg.ts (reference/linalg.ts mirrors it). */
const BLOCK_ROWS = 512;
/** Below this many rows per thread, handing the work over costs more than it saves: one call. */
const MIN_ROWS_PER_THREAD = 65_536;
/** Block ranges per thread in a threaded crossprod (more balance the threads better, each costs a hand-over). */
const CALLS_PER_THREAD = 4;
/** The blocks' separate sums take blocks x C(C+1)/2 doubles; past this, one call (a wide design is rare,
 *  and its C^2 work per row already dwarfs the sums' memory). */
const MAX_BLOCK_SUMS_BYTES = 32 * 2 ** 20;

/** Threads worth using for a pass over n rows (1: call the kernel once on this thread). */
export function threadsFor(backend: Backend, n: number): number {
  const threads = backend.threads?.threads ?? 1;
  return Math.max(1, Math.min(threads, Math.floor(n / MIN_ROWS_PER_THREAD)));
}

/** out_KK = X' diag(w) X (both triangles, row-major), as backend.crossprod, on the kernel threads. */
export function crossprodOnThreads(backend: Backend, arena: Arena, n: number, K: number, X: F64Buffer, w: F64Buffer | null, out: F64Buffer): void {
  const parts = threadsFor(backend, n);
  const blocks = Math.ceil(n / BLOCK_ROWS);
  const T = (K * (K + 1)) / 2;
  if (parts === 1 || !backend.threads || blocks * T * 8 > MAX_BLOCK_SUMS_BYTES) {
    backend.crossprod(n, K, X, w, out);
    return;
  }
  const sums = arena.f64(blocks * T, false);
  // Several ranges per thread, claimed as threads get free: one that starts late takes fewer.
  const calls: KernelCall[] = columnRanges(blocks, Math.min(MAX_CALLS_PER_RUN, CALLS_PER_THREAD * parts)).map(([b0, b1]) => ({
    kernel: "crossprodBlocks",
    args: [n, K, X, w, b0, b1, arena.f64Part(sums, b0 * T, (b1 - b0) * T)],
  }));
  backend.threads.run(calls);
  // Block by block into the total, from 0 as the kernel starts: the kernel's additions in its order.
  const s = sums.view;
  const total = new Float64Array(T);
  for (let b = 0; b < blocks; b++) {
    const at = b * T;
    for (let t = 0; t < T; t++) total[t] += s[at + t];
  }
  const o = out.view;
  for (let j = 0; j < K; j++) {
    for (let k = 0; k <= j; k++) {
      o[j * K + k] = total[(j * (j + 1)) / 2 + k];
      o[k * K + j] = total[(j * (j + 1)) / 2 + k];
    }
  }
}

/** The one-way cluster meat sum_g s_g s_g' (S: G x K scratch), as backend.meatCluster, on the kernel threads. */
export function meatClusterOnThreads(
  backend: Backend, n: number, K: number, X: F64Buffer, e: F64Buffer, w: F64Buffer | null, cl: I32Buffer, G: number, S: F64Buffer, out: F64Buffer,
): void {
  const parts = Math.min(threadsFor(backend, n), G);
  if (parts <= 1 || !backend.threads) {
    backend.meatCluster(n, K, X, e, w, cl, G, S, out);
    return;
  }
  backend.threads.run(columnRanges(G, parts).map(([g0, g1]) => ({ kernel: "clusterScores", args: [n, K, X, e, w, cl, g0, g1, S] })));
  backend.clusterMeat(G, K, S, out);
}

/** meatClusterOnThreads for clusters stored in runs of R rows (cluster g: rows g R .. (g + 1) R - 1; groups.ts
 *  IdLayout): no ids to write or read, and each call reads only its own clusters' rows, so the threads split
 *  the pass instead of each making it whole. Several ranges per thread, claimed as threads get free. */
export function meatClusterRunsOnThreads(
  backend: Backend, n: number, K: number, X: F64Buffer, e: F64Buffer, w: F64Buffer | null, R: number, G: number, S: F64Buffer, out: F64Buffer,
): void {
  const parts = Math.min(threadsFor(backend, n), G);
  if (parts <= 1 || !backend.threads) backend.clusterScoresRuns(n, K, X, e, w, R, 0, G, S);
  else {
    const calls: KernelCall[] = columnRanges(G, Math.min(G, MAX_CALLS_PER_RUN, CALLS_PER_THREAD * parts)).map(([g0, g1]) => ({
      kernel: "clusterScoresRuns",
      args: [n, K, X, e, w, R, g0, g1, S],
    }));
    backend.threads.run(calls);
  }
  backend.clusterMeat(G, K, S, out);
}
