// Splitting a demeaning over threads by columns. Each column's numbers in the demeaning kernels depend on
// that column alone (a column that meets its stopping rule is frozen: assembly/demean.ts, fixef-cg.ts; the
// direct two-way solve is exact per column), so any split gives the same bits as one call: results are the
// same for any thread count. Contiguous ranges, in order, as even as they can be.
import type { Arena, Backend, F64Buffer, I32Buffer } from "../engine/backend.js";
import { MAX_CALLS_PER_RUN, type KernelCall } from "../engine/thread-runner.js";

/** [c0, c1) column ranges for `parts` parts of C columns (fewer when there are fewer columns). */
export function columnRanges(C: number, parts: number): Array<readonly [number, number]> {
  const k = Math.max(1, Math.min(C, parts));
  return Array.from({ length: k }, (_, j) => [Math.floor((j * C) / k), Math.floor(((j + 1) * C) / k)] as const);
}

/** What one part's kernel call needs: its columns' slice of the data, its own iteration counts. */
export interface ColumnPart {
  readonly c0: number;
  readonly columns: number;
  readonly data: F64Buffer;
  readonly iter: I32Buffer;
}

/** Runs `call` on column ranges of data (n rows x C columns, column-major), one range per thread of the
 *  backend's kernel threads (one call when it has none or C is 1), and gathers per-column iteration
 *  counts into one array. `perColumn`: one call per column instead, for kernels that gain nothing from
 *  taking columns together: the threads then claim columns as they get free (a thread that starts late
 *  takes fewer), where ranges would wait for the slowest. */
export function runByColumns(
  backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, call: (part: ColumnPart) => KernelCall, perColumn = false,
): Int32Array {
  const threads = backend.threads?.threads ?? 1;
  const parts = columnRanges(C, threads > 1 && perColumn ? Math.min(C, MAX_CALLS_PER_RUN) : threads).map(([c0, c1]): ColumnPart => ({
    c0, columns: c1 - c0, data: arena.f64Part(data, c0 * n, (c1 - c0) * n), iter: arena.i32(c1 - c0),
  }));
  const calls = parts.map(call);
  if (calls.length === 1 || !backend.threads) {
    for (const c of calls) (backend[c.kernel] as (...a: unknown[]) => unknown)(...c.args);
  } else {
    backend.threads.run(calls);
  }
  const iterations = new Int32Array(C);
  for (const p of parts) iterations.set(p.iter.view, p.c0);
  return iterations;
}

/** columnMoments column by column on the threads (claimed as threads get free): each column's sums are its
 *  own (assembly/linalg.ts), so the means and sums of squares are the one-call numbers for any thread count. */
export function columnMomentsByColumns(
  backend: Backend, arena: Arena, n: number, C: number, data: F64Buffer, w: F64Buffer | null, mean: F64Buffer, ss: F64Buffer,
): void {
  const threads = backend.threads?.threads ?? 1;
  const calls: KernelCall[] = columnRanges(C, threads > 1 ? Math.min(C, MAX_CALLS_PER_RUN) : 1).map(([c0, c1]) => ({
    kernel: "columnMoments",
    args: [n, c1 - c0, arena.f64Part(data, c0 * n, (c1 - c0) * n), w, arena.f64Part(mean, c0, c1 - c0), arena.f64Part(ss, c0, c1 - c0)],
  }));
  if (calls.length === 1 || !backend.threads) backend.columnMoments(n, C, data, w, mean, ss);
  else backend.threads.run(calls);
}
