// Kernels that pass over the rows once, staged a block of rows at a time: crossproducts and meats are sums
// over rows, so each block's sums are added up here; residuals are row by row. Per-row buffers and the
// rows of column-major matrices are copied in for each block; per-row outputs are copied back. Sums over
// blocks associate differently from one pass (a few ulps of each sum), so these kernels agree with an
// unstaged call to rounding, not to the bit.
import type { Backend, F64Buffer, I32Buffer } from "../backend.js";
import type { KernelName } from "../kernel-signatures.js";
import { Stage, tooLargeForStaging, type StagingLimits } from "./stage.js";

/** Rows per block are a multiple of this (the crossproduct kernel's own row block, assembly/linalg.ts), so a
 *  staged block sums whole kernel blocks. */
const ROW_QUANTUM = 512;

/** Rows per block for `bytesPerRow` bytes of staged buffers per row (`widest` doubles or ints of the
 *  widest buffer) next to `fixedBytes` of buffers of any block. */
function rowsPerBlock(kernel: string, N: number, bytesPerRow: number, widestBytesPerRow: number, fixedBytes: number, limits: StagingLimits): number {
  let R = Math.min(N, Math.floor((limits.heapBytes - fixedBytes) / bytesPerRow), Math.floor(limits.blockBytes / widestBytesPerRow));
  if (R < N && R >= ROW_QUANTUM) R -= R % ROW_QUANTUM;
  if (R < 1) throw tooLargeForStaging(kernel, fixedBytes + bytesPerRow, limits, "one row with the buffers every block needs");
  return R;
}

/** Calls `block(stage, r0, r1)` on consecutive row blocks, each in a fresh arena of the inner backend. */
function overBlocks(inner: Backend, N: number, R: number, block: (st: Stage, r0: number, r1: number) => void): void {
  for (let r0 = 0; r0 < N; r0 += R) {
    const arena = inner.arena();
    try {
      block(new Stage(arena), r0, Math.min(N, r0 + R));
    } finally {
      arena.release();
    }
  }
}

const add = (acc: Float64Array, part: Float64Array) => {
  for (let i = 0; i < acc.length; i++) acc[i] += part[i];
};

type RowKernel = (inner: Backend, limits: StagingLimits, args: unknown[]) => unknown;

export const ROW_SPLITS: { readonly [N in KernelName]?: RowKernel } = {
  crossprod: (inner, limits, args) => {
    const [N, K, X, w, out] = args as [number, number, F64Buffer, F64Buffer | null, F64Buffer];
    const acc = new Float64Array(K * K);
    const R = rowsPerBlock("crossprod", N, 8 * K + (w ? 8 : 0), 8 * K, 16 * K * K, limits);
    overBlocks(inner, N, R, (st, r0, r1) => {
      const o = st.arena.f64(K * K, false);
      inner.crossprod(r1 - r0, K, st.rows(X, N, K, r0, r1), st.rows(w, N, 1, r0, r1), o);
      add(acc, o.view);
    });
    out.view.set(acc);
  },

  crossprodAB: (inner, limits, args) => {
    const [N, Ka, A, Kb, B, w, out] = args as [number, number, F64Buffer, number, F64Buffer, F64Buffer | null, F64Buffer];
    const same = A.view === B.view || (A.view.buffer === B.view.buffer && A.view.byteOffset === B.view.byteOffset && Ka === Kb);
    const acc = new Float64Array(Ka * Kb);
    const R = rowsPerBlock("crossprodAB", N, 8 * (Ka + (same ? 0 : Kb)) + (w ? 8 : 0), 8 * Math.max(Ka, Kb), 16 * Ka * Kb, limits);
    overBlocks(inner, N, R, (st, r0, r1) => {
      const a = st.rows(A, N, Ka, r0, r1);
      const o = st.arena.f64(Ka * Kb, false);
      inner.crossprodAB(r1 - r0, Ka, a, Kb, same ? a : st.rows(B, N, Kb, r0, r1), st.rows(w, N, 1, r0, r1), o);
      add(acc, o.view);
    });
    out.view.set(acc);
  },

  crossprodIndicators: (inner, limits, args) => {
    const [N, C, A, w, code, P, out] = args as [number, number, F64Buffer, F64Buffer | null, I32Buffer, number, F64Buffer];
    const acc = new Float64Array(C * P);
    const R = rowsPerBlock("crossprodIndicators", N, 8 * C + 4 + (w ? 8 : 0), 8 * C, 16 * C * P, limits);
    overBlocks(inner, N, R, (st, r0, r1) => {
      const o = st.arena.f64(C * P, false);
      inner.crossprodIndicators(r1 - r0, C, st.rows(A, N, C, r0, r1), st.rows(w, N, 1, r0, r1), st.rows(code, N, 1, r0, r1), P, o);
      add(acc, o.view);
    });
    out.view.set(acc);
  },

  residuals: (inner, limits, args) => {
    const [N, K, X, b, y, e] = args as [number, number, F64Buffer, F64Buffer, F64Buffer, F64Buffer];
    const R = rowsPerBlock("residuals", N, 8 * K + 16, 8 * K, b.view.byteLength, limits);
    overBlocks(inner, N, R, (st, r0, r1) => {
      const out = st.arena.f64(r1 - r0, false);
      inner.residuals(r1 - r0, K, st.rows(X, N, K, r0, r1), st.of(b), st.rows(y, N, 1, r0, r1), out);
      e.view.set(out.view, r0);
    });
  },

  meatHetero: (inner, limits, args) => {
    const [N, K, X, e, w, v, out] = args as [number, number, F64Buffer, F64Buffer, F64Buffer | null, F64Buffer, F64Buffer];
    const acc = new Float64Array(K * K);
    const R = rowsPerBlock("meatHetero", N, 8 * K + 16 + (w ? 8 : 0), 8 * K, 16 * K * K, limits);
    overBlocks(inner, N, R, (st, r0, r1) => {
      const vs = st.arena.f64(r1 - r0, false);
      const o = st.arena.f64(K * K, false);
      inner.meatHetero(r1 - r0, K, st.rows(X, N, K, r0, r1), st.rows(e, N, 1, r0, r1), st.rows(w, N, 1, r0, r1), vs, o);
      v.view.set(vs.view, r0);
      add(acc, o.view);
    });
    out.view.set(acc);
  },

  // Clusters in runs of Rc rows: blocks of whole runs, so each cluster's sum is made in one block, in row
  // order, as one call makes it (the same bits); the blocks' clusters go to their own rows of S.
  clusterScoresRuns: (inner, limits, args) => {
    const [N, K, X, e, w, Rc, g0, g1, S] = args as [number, number, F64Buffer, F64Buffer, F64Buffer | null, number, number, number, F64Buffer];
    const perRun = Math.floor(rowsPerBlock("clusterScoresRuns", (g1 - g0) * Rc, 8 * K + 8 + (w ? 8 : 0), 8 * K, 0, limits) / Rc);
    if (perRun < 1) throw tooLargeForStaging("clusterScoresRuns", Rc * (8 * K + 16), limits, "one cluster's rows");
    // the kernel is given the rows of clusters g0..g1-1 only: its row count and column stride are the block's
    for (let a = g0; a < g1; a += perRun) {
      const b = Math.min(g1, a + perRun);
      const arena = inner.arena();
      try {
        const st = new Stage(arena);
        const r0 = a * Rc;
        const r1 = b * Rc;
        const s = st.arena.f64((b - a) * K, false);
        inner.clusterScoresRuns(r1 - r0, K, st.rows(X, N, K, r0, r1), st.rows(e, N, 1, r0, r1), st.rows(w, N, 1, r0, r1), Rc, 0, b - a, s);
        S.view.set(s.view.subarray(0, (b - a) * K), a * K);
      } finally {
        arena.release();
      }
    }
  },

  // The clusters' score sums S (G x K) are added up over blocks; the meat S'S is then formed here in the
  // kernel's order (clusters in id order, lower triangle, then mirrored).
  meatCluster: (inner, limits, args) => {
    const [N, K, X, e, w, cl, G, S, out] = args as [number, number, F64Buffer, F64Buffer, F64Buffer | null, I32Buffer, number, F64Buffer, F64Buffer];
    const sums = new Float64Array(G * K);
    const R = rowsPerBlock("meatCluster", N, 8 * K + 12 + (w ? 8 : 0), 8 * K, 8 * G * K + 8 * K * K, limits);
    overBlocks(inner, N, R, (st, r0, r1) => {
      const s = st.arena.f64(G * K, false);
      inner.meatCluster(r1 - r0, K, st.rows(X, N, K, r0, r1), st.rows(e, N, 1, r0, r1), st.rows(w, N, 1, r0, r1), st.rows(cl, N, 1, r0, r1), G, s, st.arena.f64(K * K, false));
      add(sums, s.view.subarray(0, G * K));
    });
    const m = new Float64Array(K * K);
    for (let g = 0; g < G; g++) {
      const base = g * K;
      for (let j = 0; j < K; j++) {
        const a = sums[base + j];
        for (let k = 0; k <= j; k++) m[j * K + k] += a * sums[base + k];
      }
    }
    for (let j = 0; j < K; j++) for (let k = 0; k < j; k++) m[k * K + j] = m[j * K + k];
    S.view.set(sums.subarray(0, Math.min(S.length, G * K)));
    out.view.set(m);
  },
};
