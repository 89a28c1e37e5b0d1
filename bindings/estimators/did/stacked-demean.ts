// The fixed effects of a stacked regression absorbed one sub-experiment at a time. Sub-experiment x unit
// and sub-experiment x period effects never share a level across sub-experiments, so the two-way system
// is block diagonal: as one system its units and periods are disconnected, which rules out the exact
// two-way solve (model/two-way-cells.ts) and leaves slow iterations; each block on its own is connected
// and is solved exactly. The results are the columns with both fixed effects removed over the sample.
import type { Engine } from "../../engine/engine.js";
import type { Groups } from "../../model/groups.js";
import { absorb } from "../absorb.js";
import { scaleExponent, scaleRange, valueRange } from "../ols-scaling.js";

/** Dense ids of g's rows lo..hi-1, from 0. `seen` (length g.G, all -1) is left as it was found. */
function blockGroups(g: Groups, lo: number, hi: number, seen: Int32Array): Groups {
  const ids = new Int32Array(hi - lo);
  let G = 0;
  for (let i = lo; i < hi; i++) {
    const k = g.ids[i];
    if (seen[k] < 0) seen[k] = G++;
    ids[i - lo] = seen[k];
  }
  for (let i = lo; i < hi; i++) seen[g.ids[i]] = -1;
  return { ids, G };
}

/** Writes rows lo..hi-1 of every column into out, column c at out[c * (hi - lo) ..): one call per block,
 *  so one-hot dummies are written in one pass over the rows rather than one per dummy. */
export type BlockWriter = (lo: number, hi: number, out: Float64Array) => void;

/**
 * Demeans C columns (written by `write`) over the n sample rows within blocks: `block` gives each sample row's
 * sub-experiment, rows of one block contiguous. Returns the demeaned columns and, per column, the largest
 * iteration count of its blocks (negative when a block did not converge). As demeanWritten does for one
 * system (demean-columns.ts), each column is scaled by a power of two near 1 for the solve and back after;
 * the result is copied once, from the backend's buffer into the output.
 */
export function demeanByBlock(
  engine: Engine, C: number, write: BlockWriter, n: number, block: Int32Array, fixef: readonly Groups[], weights: Float64Array | null, tol: number, maxIter: number,
): { columns: Float64Array[]; iterations: number[] } {
  const columns = Array.from({ length: C }, () => new Float64Array(n));
  const iterations = new Array<number>(C).fill(0);
  const seen = fixef.map((g) => new Int32Array(g.G).fill(-1));
  const backend = engine.backend;
  for (let lo = 0; lo < n; ) {
    let hi = lo + 1;
    while (hi < n && block[hi] === block[lo]) hi++;
    const m = hi - lo;
    const groups = fixef.map((g, q) => blockGroups(g, lo, hi, seen[q]));
    const arena = backend.arena();
    try {
      const data = arena.f64(C * m, false);
      write(lo, hi, data.view);
      const exp = Array.from({ length: C }, (_, c) => scaleExponent(valueRange(data.view, c * m, (c + 1) * m).maxAbs));
      exp.forEach((e, c) => scaleRange(data.view, c * m, (c + 1) * m, e));
      const w = weights ? arena.f64From(weights.subarray(lo, hi)) : null;
      if (w) scaleRange(w.view, 0, m, scaleExponent(valueRange(w.view, 0, m).maxAbs));
      const absorbed = absorb(backend, arena, m, C, data, groups, w, tol, maxIter);
      // Views on the backend's memory are re-made after any call that may grow it (absorb).
      const view = data.view;
      for (let c = 0; c < C; c++) {
        scaleRange(view, c * m, (c + 1) * m, -exp[c]);
        columns[c].set(view.subarray(c * m, (c + 1) * m), lo);
        const it = absorbed.iterations[c];
        if (it < 0 || iterations[c] < 0) iterations[c] = -Math.max(Math.abs(it), Math.abs(iterations[c]));
        else iterations[c] = Math.max(it, iterations[c]);
      }
    } finally {
      arena.release();
    }
    lo = hi;
  }
  return { columns, iterations };
}
