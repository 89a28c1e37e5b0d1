// Each column's demeaning depends on that column alone: a column that meets its stopping rule is frozen
// (assembly/demean.ts, fixef-cg.ts), a column that hits maxIter stops on its own count, and the direct
// two-way solve is exact per column. That is what lets a fit split its columns over threads and still give
// the same bits for any thread count (estimators/column-split.ts). Here: every column demeaned alone equals
// the same column demeaned with the others, bit for bit, with the same iteration count, on every solver.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { absorb, type AbsorbMethod } from "../../bindings/estimators/absorb.js";
import { columnRanges } from "../../bindings/estimators/column-split.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { graphFromCells, randomCells, workerFirmCells, type FixefGraph } from "../helpers/fixef-graphs.js";
import { backendNames, freshBackend } from "../helpers/backends.js";

function demean(b: Backend, G: FixefGraph, cols: readonly number[], method: AbsorbMethod, maxIter: number) {
  const a = b.arena();
  try {
    const data = a.f64(cols.length * G.n);
    cols.forEach((c, k) => data.view.set(G.x[c], k * G.n));
    const w = G.w ? a.f64From(G.w) : null;
    const r = absorb(b, a, G.n, cols.length, data, G.fixef, w, 1e-8, maxIter, method);
    return { method: r.method, iterations: Array.from(r.iterations), out: cols.map((_, k) => data.view.slice(k * G.n, (k + 1) * G.n)) };
  } finally {
    a.release();
  }
}

const g = new Xoshiro128(12, 1);
// Columns of very different difficulty, so that they stop after different counts: a column with fixed
// effects and noise, its exact residual (already free of them), pure noise, pure fixed effects, and another.
function spread(G: FixefGraph): FixefGraph {
  const noise = Float64Array.from({ length: G.n }, () => g.normal());
  const pure = G.x[0].map((v, i) => v - G.e[0][i]);
  return { ...G, x: [G.x[0], G.e[0], noise, pure, G.x[1]] };
}
const graphs: Array<[string, FixefGraph, AbsorbMethod]> = [
  ["worker x firm x year, CG", spread(graphFromCells(g, workerFirmCells(g, 300, 6, 60, 0.05, true), 2, 5, true)), "cg"],
  ["worker x firm, CG", spread(graphFromCells(g, workerFirmCells(g, 300, 6, 60, 0.05, false), 2, 5, false)), "cg"],
  ["three random fixed effects, sweeps", spread(graphFromCells(g, randomCells(g, 400, [60, 30, 8]), 2, 5, true)), "sweeps"],
  ["two fixed effects, direct", spread(graphFromCells(g, randomCells(g, 400, [100, 12]), 2, 5, true)), "direct"],
];

describe.each(backendNames)("a column's demeaning does not depend on the other columns (%s)", (name) => {
  const b = freshBackend(name);
  it.each(graphs)("%s", (_label, G, method) => {
    for (const maxIter of [10_000, 3]) {
      const together = demean(b, G, [0, 1, 2, 3, 4], method, maxIter);
      expect(together.method).toBe(method);
      if (method !== "direct") expect(new Set(together.iterations.map(Math.abs)).size, "the columns take different counts").toBeGreaterThan(maxIter === 3 ? 0 : 1);
      for (let c = 0; c < 5; c++) {
        const alone = demean(b, G, [c], method, maxIter);
        expect(alone.iterations[0], `column ${c}, maxIter ${maxIter}`).toBe(together.iterations[c]);
        expect(Array.from(alone.out[0]), `column ${c}, maxIter ${maxIter}`).toEqual(Array.from(together.out[c]));
      }
      // Uneven splits, as the thread pool makes them (columnRanges), give the same bits too.
      for (const [c0, c1] of columnRanges(5, 3)) {
        const part = demean(b, G, [c0, c1 - 1].filter((c, k, a) => k === 0 || c !== a[0]), method, maxIter);
        expect(Array.from(part.out[0])).toEqual(Array.from(together.out[c0]));
      }
    }
    // maxIter 3 leaves the CG and sweeps columns unconverged: reported as negative counts.
    if (method !== "direct") expect(demean(b, G, [0], method, 3).iterations[0]).toBeLessThan(0);
  });
});

describe("columnRanges", () => {
  it("splits C columns into contiguous, even, ordered ranges, never more than C", () => {
    expect(columnRanges(5, 2)).toEqual([[0, 2], [2, 5]]);
    expect(columnRanges(5, 3)).toEqual([[0, 1], [1, 3], [3, 5]]);
    expect(columnRanges(2, 8)).toEqual([[0, 1], [1, 2]]);
    expect(columnRanges(1, 1)).toEqual([[0, 1]]);
  });
});
