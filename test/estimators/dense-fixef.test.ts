// The dense exact solve for fixed effects with few groups in all (bindings/estimators/dense-fixef.ts):
// exact residuals known by construction (test/helpers/fixef-graphs.ts), with and without weights, on
// connected and disconnected graphs (one pin per component), and its hand-over to CG when the normal
// equations are singular beyond the pinned null space.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { absorb, type AbsorbMethod } from "../../bindings/estimators/absorb.js";
import { DEFAULT_MAX_ITER, DEFAULT_TOL } from "../../bindings/estimators/common-options.js";
import { absorbDense, denseApplies, DENSE_MAX_GROUPS } from "../../bindings/estimators/dense-fixef.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { errorInScale, graphFromCells, randomCells, type FixefGraph } from "../helpers/fixef-graphs.js";
import { backendNames, freshBackend } from "../helpers/backends.js";

function run(b: Backend, G: FixefGraph, method: AbsorbMethod) {
  const a = b.arena();
  try {
    const data = a.f64(G.x.length * G.n);
    G.x.forEach((c, j) => data.view.set(c, j * G.n));
    const w = G.w ? a.f64From(G.w) : null;
    const r = absorb(b, a, G.n, G.x.length, data, G.fixef, w, DEFAULT_TOL, DEFAULT_MAX_ITER, method);
    return { method: r.method, iterations: Array.from(r.iterations), err: errorInScale(data.view, G, G.e), out: data.view.slice() };
  } finally {
    a.release();
  }
}

describe.each(backendNames)("dense exact solve (%s)", (name) => {
  const b = freshBackend(name);
  it.each([false, true])("gives the exact residuals on four fixed effects with few groups (weighted: %s)", (weighted) => {
    const G = graphFromCells(new Xoshiro128(31), randomCells(new Xoshiro128(32), 400, [20, 15, 15, 10]), 3, 2, weighted, 5);
    const r = run(b, G, "dense");
    expect(r.method).toBe("dense");
    expect(r.iterations.every((k) => k >= 1 && k <= 3)).toBe(true);
    expect(r.err).toBeLessThan(1e-9);
    // CG to its tolerance gives the same residuals.
    const cg = run(b, G, "cg");
    for (let i = 0; i < r.out.length; i++) expect(Math.abs(r.out[i] - cg.out[i])).toBeLessThan(1e-6);
  });

  it("pins one coefficient per connected component: two disconnected blocks", () => {
    // Groups of the second block never meet the first's: each fixed effect has two components.
    const g = new Xoshiro128(33);
    const cells = [...randomCells(g, 150, [8, 6, 5]), ...randomCells(g, 150, [8, 6, 5]).map((c) => c.map((v) => v + 100))];
    const G = graphFromCells(new Xoshiro128(34), cells, 2, 1, true);
    const r = run(b, G, "dense");
    expect(r.method).toBe("dense");
    expect(r.err).toBeLessThan(1e-9);
  });

  it("hands over to CG when a dependency is left after pinning (data untouched)", () => {
    // Three patterns (a, c, d) = (0,0,0), (0,1,1), (1,0,1): six dummies of rank 3, a null space of three
    // dimensions, but one component per pair with fixed effect 0 (two pins), and none nested in another.
    const n = 30;
    const patterns = [[0, 0, 0], [0, 1, 1], [1, 0, 1]];
    const [a, c, d] = [0, 1, 2].map((q) => Int32Array.from({ length: n }, (_, i) => patterns[i % 3][q]));
    const fixef = [{ ids: a, G: 2 }, { ids: c, G: 2 }, { ids: d, G: 2 }];
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i) + a[i] - 2 * c[i]);
    const arena = b.arena();
    try {
      const data = arena.f64From(x);
      expect(absorbDense(b, arena, n, 1, data, fixef, null, DEFAULT_TOL)).toBeNull();
      expect(Array.from(data.view)).toEqual(Array.from(x));
      const r = absorb(b, arena, n, 1, data, fixef, null, DEFAULT_TOL, DEFAULT_MAX_ITER, "dense");
      expect(r.method).not.toBe("dense");
      // The residual is orthogonal to every dummy.
      for (const f of fixef) {
        for (let h = 0; h < f.G; h++) {
          let s = 0;
          for (let i = 0; i < n; i++) if (f.ids[i] === h) s += data.view[i];
          expect(Math.abs(s)).toBeLessThan(1e-8);
        }
      }
    } finally {
      arena.release();
    }
  });
});

describe("denseApplies", () => {
  it("takes two or more fixed effects with at most DENSE_MAX_GROUPS groups in all", () => {
    const f = (G: number) => ({ ids: new Int32Array(1), G });
    expect(denseApplies([f(100), f(100)])).toBe(true);
    expect(denseApplies([f(DENSE_MAX_GROUPS - 10), f(10)])).toBe(true);
    expect(denseApplies([f(DENSE_MAX_GROUPS), f(1)])).toBe(false);
    expect(denseApplies([f(5)])).toBe(false);
  });
});
