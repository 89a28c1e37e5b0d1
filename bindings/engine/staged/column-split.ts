// Kernels whose columns are independent, staged a few columns at a time: every row of a column is in the
// heap while it is worked on (the demeaning kernels sweep all rows many times), and the buffers that are
// not per-column (fixed-effect ids, cells, weights) are copied in once for all blocks of columns. Each
// column's numbers depend on that column alone (assembly/demean.ts, fixef-cg.ts, demean-twoway.ts: a
// column meeting its stopping rule is frozen, the direct solve is exact per column; columnMoments sums
// each column on its own), so the staged result is bit-identical to one call over all columns. Blocks are
// split again over the inner backend's kernel threads, as absorb.ts splits an ordinary call.
import type { Arena, Backend, F64Buffer } from "../backend.js";
import { cgScratchLength, demeanScratchFor, DEMEAN_COLUMN_BLOCK } from "../backend.js";
import { KERNEL_SIGNATURES, nameOf, type KernelName } from "../kernel-signatures.js";
import type { KernelCall } from "../thread-runner.js";
import { Stage, distinctBytes, hostPart, tooLargeForStaging, type HostBuffer, type StagingLimits } from "./stage.js";

type Named = Record<string, unknown>;

interface ColumnSplit {
  /** The N x C column-major data (inputs and outputs; the same buffer when in place). */
  readonly data: readonly string[];
  /** Which of them the kernel writes (copied back), or null. */
  readonly dataOut: string | null;
  /** Outputs with one entry per column. */
  readonly perColumn: readonly string[];
  /** Scratch, sized for a part of `cols` columns (at most the caller's length, which was enough for all). */
  readonly scratch?: { readonly name: string; readonly length: (a: Named, cols: number) => number };
}

const ints = (a: Named, name: string) => (a[name] as HostBuffer).view;

export const COLUMN_SPLITS: { readonly [N in KernelName]?: ColumnSplit } = {
  demean: {
    data: ["in_NC", "out_NC"], dataOut: "out_NC", perColumn: ["iter_C"],
    scratch: { name: "scratch", length: (a, cols) => demeanScratchFor(Array.from(ints(a, "G_Q")), cols) },
  },
  fixefCg: {
    data: ["in_NC", "out_NC"], dataOut: "out_NC", perColumn: ["iter_C"],
    scratch: {
      name: "scratch",
      length: (a, cols) => {
        const G = ints(a, "G_Q");
        let M = 0;
        for (let q = 1; q < G.length; q++) M += G[q];
        return cgScratchLength(G[0], M, a.nNull as number, cols);
      },
    },
  },
  demeanTwoWay: {
    data: ["in_NC", "out_NC"], dataOut: "out_NC", perColumn: [],
    scratch: { name: "scratch", length: (a, cols) => ((a.U as number) + (a.P as number)) * Math.min(cols, DEMEAN_COLUMN_BLOCK) },
  },
  // Scratch is per call (each thread's part needs its own), though its length does not depend on the columns.
  demeanBalanced: {
    data: ["in_NC", "out_NC"], dataOut: "out_NC", perColumn: [],
    scratch: { name: "scratch", length: (a) => (a.U as number) + (a.T as number) },
  },
  demeanPanelOrder: {
    data: ["in_NC", "out_NC"], dataOut: "out_NC", perColumn: [],
    scratch: { name: "scratch", length: (a) => (a.U as number) + (a.T as number) },
  },
  columnMoments: { data: ["X_NC"], dataOut: null, perColumn: ["mean_C", "ss_C"] },
};

/** [c0, c1) ranges of `parts` nearly equal parts of C columns. */
function ranges(C: number, parts: number): Array<[number, number]> {
  const k = Math.max(1, Math.min(C, parts));
  return Array.from({ length: k }, (_, j) => [Math.floor((j * C) / k), Math.floor(((j + 1) * C) / k)]);
}

/** Runs a column-split kernel over blocks of columns that fit the limits; the sum of the kernel's results
 *  (demean and fixefCg return the columns that did not converge). */
export function runByColumnBlocks(inner: Backend, limits: StagingLimits, name: KernelName, args: unknown[], split: ColumnSplit): number | undefined {
  const names = KERNEL_SIGNATURES[name].params.map(nameOf);
  const a: Named = Object.fromEntries(names.map((nm, i) => [nm, args[i]]));
  const N = a.N as number;
  const C = a.C as number;
  const threads = inner.threads?.threads ?? 1;
  const special = new Set([...split.data, ...split.perColumn, ...(split.scratch ? [split.scratch.name] : [])]);
  const shared = names.filter((nm) => !special.has(nm) && args[names.indexOf(nm)] !== null && typeof args[names.indexOf(nm)] === "object");
  const fixedBytes = distinctBytes(shared.map((nm) => a[nm] as HostBuffer));
  const dataCopies = new Set(split.data.map((nm) => (a[nm] as HostBuffer).view)).size === 1 ? 1 : split.data.length;
  const scratchLength = (cols: number) => (split.scratch ? Math.min((a[split.scratch.name] as F64Buffer).length, split.scratch.length(a, cols)) : 0);
  const bytesFor = (cols: number) =>
    fixedBytes + cols * (8 * N * dataCopies + 8 * split.perColumn.length) + Math.min(threads, cols) * 8 * scratchLength(Math.ceil(cols / Math.min(threads, cols)));
  let cols = C;
  while (cols > 1 && (bytesFor(cols) > limits.heapBytes || 8 * N * cols > limits.blockBytes)) cols--;
  if (bytesFor(cols) > limits.heapBytes || 8 * N * cols > limits.blockBytes) throw tooLargeForStaging(name, bytesFor(1), limits, "one column with the buffers every column needs");

  // The buffers every block needs are copied in once; each block's columns go to an arena of their own.
  const sharedArena = inner.arena();
  try {
    const shared0 = new Stage(sharedArena);
    const sharedStaged: Named = {};
    for (const nm of shared) sharedStaged[nm] = shared0.of(a[nm] as HostBuffer);
    let total: number | undefined;
    for (let c0 = 0; c0 < C; c0 += cols) {
      const c1 = Math.min(C, c0 + cols);
      const arena = inner.arena();
      try {
        const st = new Stage(arena);
        const staged: Named = { ...sharedStaged };
        for (const nm of split.data) staged[nm] = st.of(hostPart((a[nm] as HostBuffer).view, c0 * N, c1 * N));
        const result = runParts(inner, arena, name, names, a, staged, split, N, c1 - c0, scratchLength, threads);
        if (split.dataOut) (a[split.dataOut] as HostBuffer).view.set((staged[split.dataOut] as HostBuffer).view, c0 * N);
        for (const [nm, parts] of result.perColumn) {
          const host = (a[nm] as HostBuffer).view;
          for (const p of parts) host.set(p.values, c0 + p.c0);
        }
        if (result.value !== undefined) total = (total ?? 0) + result.value;
      } finally {
        arena.release();
      }
    }
    return total;
  } finally {
    sharedArena.release();
  }
}

/** One block's columns split over the inner backend's threads (one call when it has none). */
function runParts(
  inner: Backend, arena: Arena, name: KernelName, names: readonly string[], a: Named, staged: Named, split: ColumnSplit, N: number, cols: number,
  scratchLength: (cols: number) => number, threads: number,
): { value: number | undefined; perColumn: Map<string, Array<{ c0: number; values: ArrayLike<number> }>> } {
  const parts = ranges(cols, inner.threads ? threads : 1);
  const perColumn = new Map<string, Array<{ c0: number; values: ArrayLike<number> }>>(split.perColumn.map((nm) => [nm, []]));
  const outputs: Array<() => void> = [];
  const calls: KernelCall[] = parts.map(([p0, p1]) => {
    const pc = p1 - p0;
    const partArgs = names.map((nm) => {
      if (nm === "C") return pc;
      if (split.data.includes(nm)) return arena.f64Part(staged[nm] as F64Buffer, p0 * N, pc * N);
      if (split.scratch?.name === nm) return arena.f64(Math.max(1, scratchLength(pc)), false);
      if (split.perColumn.includes(nm)) {
        const out = (a[nm] as HostBuffer).view instanceof Float64Array ? arena.f64(pc) : arena.i32(pc);
        outputs.push(() => perColumn.get(nm)!.push({ c0: p0, values: out.view.slice() }));
        return out;
      }
      return nm in staged ? staged[nm] : a[nm];
    });
    return { kernel: name, args: partArgs };
  });
  let results: Array<number | undefined>;
  if (calls.length === 1 || !inner.threads) results = calls.map((c) => (inner[c.kernel] as (...x: unknown[]) => number | undefined)(...c.args));
  else results = inner.threads.run(calls);
  outputs.forEach((f) => f());
  const numeric = results.filter((r): r is number => typeof r === "number");
  return { value: numeric.length ? numeric.reduce((s, r) => s + r, 0) : undefined, perColumn };
}
