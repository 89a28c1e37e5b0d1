// absorb()'s choice of solver, and the conjugate-gradient solver on the graphs where alternating
// projections stall: long chains of firms linked by few movers (issue 12: the sweeps stopped at their cap
// with errors of 1.6e-4..4.5e-4). Exact residuals are known by construction (test/helpers/fixef-graphs.ts).
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { absorb, type AbsorbMethod } from "../../bindings/estimators/absorb.js";
import { DEFAULT_MAX_ITER, DEFAULT_TOL } from "../../bindings/estimators/common-options.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { densify, errorInScale, firmChainCells, graphFromCells, randomCells, type FixefGraph } from "../helpers/fixef-graphs.js";
import { backendNames, freshBackend } from "../helpers/backends.js";
import { withoutNested } from "../../bindings/estimators/nested-fixef.js";
import { isNested } from "../../bindings/model/groups.js";

function run(b: Backend, G: FixefGraph, method: AbsorbMethod = "auto", maxIter = DEFAULT_MAX_ITER) {
  const a = b.arena();
  try {
    const data = a.f64(G.x.length * G.n);
    G.x.forEach((c, j) => data.view.set(c, j * G.n));
    const w = G.w ? a.f64From(G.w) : null;
    const r = absorb(b, a, G.n, G.x.length, data, G.fixef, w, DEFAULT_TOL, maxIter, method);
    return { method: r.method, iterations: Array.from(r.iterations), err: errorInScale(data.view, G, G.e) };
  } finally {
    a.release();
  }
}

const wasm = createEngine({ backend: "wasm" }).backend;

describe("absorb chooses the solver", () => {
  const g = new Xoshiro128(3, 4);
  it("two fixed effects, one with few groups: the direct solve", () => {
    expect(run(wasm, graphFromCells(g, randomCells(g, 400, [100, 12]), 2, 1, false)).method).toBe("direct");
  });
  it("two fixed effects, both with more than 500 groups: CG", () => {
    const r = run(wasm, graphFromCells(g, randomCells(g, 3000, [900, 600]), 2, 1, false));
    expect(r.method).toBe("cg");
    expect(r.err).toBeLessThan(10 * DEFAULT_TOL);
  });
  it("a balanced unweighted two-way panel: the closed form, equal to the sweeps", () => {
    const n = 60;
    const fixef = [
      { ids: Int32Array.from({ length: n }, (_, k) => Math.floor(k / 6)), G: 10 },
      { ids: Int32Array.from({ length: n }, (_, k) => k % 6), G: 6 },
    ];
    const x = Float64Array.from({ length: n }, () => g.normal());
    const demeaned = (method: AbsorbMethod) => {
      const a = wasm.arena();
      try {
        const data = a.f64From(x);
        const r = absorb(wasm, a, n, 1, data, fixef, null, DEFAULT_TOL, DEFAULT_MAX_ITER, method);
        return { method: r.method, iterations: Array.from(r.iterations), values: Array.from(data.view) };
      } finally {
        a.release();
      }
    };
    const closed = demeaned("auto");
    const sweeps = demeaned("sweeps");
    expect([closed.method, closed.iterations]).toEqual(["balanced", [1]]);
    expect(sweeps.method).toBe("sweeps");
    closed.values.forEach((v, i) => expect(v).toBeCloseTo(sweeps.values[i], 12));
  });
  it.each([3, 54])("as many rows as unit x period cells but cell %i twice (another missing): not balanced, the direct solve", (twice) => {
    const n = 60;
    // rows in cell order; the last row of unit 9 (cell 59) repeats cell `twice` instead
    const cell = Int32Array.from({ length: n }, (_, k) => (k === n - 1 ? twice : k));
    const fixef = [
      { ids: Int32Array.from(cell, (c) => Math.floor(c / 6)), G: 10 },
      { ids: Int32Array.from(cell, (c) => c % 6), G: 6 },
    ];
    const a = wasm.arena();
    try {
      const data = a.f64From(Float64Array.from({ length: n }, () => g.normal()));
      expect(absorb(wasm, a, n, 1, data, fixef, null, DEFAULT_TOL, DEFAULT_MAX_ITER, "auto").method).toBe("direct");
    } finally {
      a.release();
    }
  });
  it("three or more fixed effects: CG; one: a single sweep", () => {
    expect(run(wasm, graphFromCells(g, randomCells(g, 300, [30, 20, 5]), 2, 1, false)).method).toBe("cg");
    expect(run(wasm, graphFromCells(g, randomCells(g, 300, [30]), 2, 1, false)).method).toBe("sweeps");
  });
});

describe.each(backendNames)("long firm chains converge to the tolerance (%s)", (name) => {
  const b = freshBackend(name);
  // Firms in a line, each linked to the next by one mover; 5 stayers per firm, 4 periods per worker.
  it.each([
    { firms: 500, period: false },
    { firms: 500, period: true },
    { firms: 3000, period: false },
  ])("$firms firms, period fixed effect $period", ({ firms, period }) => {
    const G = graphFromCells(new Xoshiro128(5, firms), firmChainCells(firms, 5, 1, 4, period), 2, 2, false, 1);
    // auto: two fixed effects with 500 firms still take the direct solve (at most 500 groups)
    const auto = run(b, G);
    expect(auto.method).toBe(firms <= 500 && !period ? "direct" : "cg");
    const cg = firms <= 500 && !period ? run(b, G, "cg") : auto;
    for (const r of [auto, cg]) {
      expect(r.iterations.every((it) => it > 0)).toBe(true);
      expect(r.err).toBeLessThan(10 * DEFAULT_TOL);
    }
  });
});

it("on a 500-firm chain the sweeps stall where CG converges", () => {
  const G = graphFromCells(new Xoshiro128(5, 500), firmChainCells(500, 5, 1, 4, false), 2, 1, false, 1);
  const sweeps = run(wasm, G, "sweeps", 2000);
  const cg = run(wasm, G, "cg", 2000);
  expect(sweeps.iterations[0]).toBe(-2000);
  expect(sweeps.err).toBeGreaterThan(1e-5);
  expect(cg.iterations[0]).toBeGreaterThan(0);
  expect(cg.err).toBeLessThan(10 * DEFAULT_TOL);
});

describe("nested fixed effects and the sweeps' fallback", () => {
  const g = new Xoshiro128(9, 9);
  // 60 units in 6 states, 8 years, state^year: year is nested in state^year, state in unit
  const n = 60 * 8;
  const unit = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 8));
  const year = Int32Array.from({ length: n }, (_, i) => i % 8);
  const state = Int32Array.from(unit, (u) => u % 6);
  const stateYear = Int32Array.from({ length: n }, (_, i) => state[i] * 8 + year[i]);
  // drop a few rows so that the panel is unbalanced
  const keep = Array.from({ length: n }, (_, i) => i).filter(() => g.uniform() > 0.2);
  const pick = (v: Int32Array) => Int32Array.from(keep, (i) => v[i]);
  const groupsOf = (v: Int32Array) => densify(pick(v));
  const fixef = [groupsOf(unit), groupsOf(year), groupsOf(stateYear)];
  const x = Float64Array.from(keep, () => g.normal());

  it("withoutNested drops a fixed effect nested in a finer one, and keeps unrelated ones", () => {
    expect(isNested(fixef[2], fixef[1])).toBe(true); // every state^year lies within one year
    expect(isNested(fixef[1], fixef[2])).toBe(false);
    expect(withoutNested(fixef)).toEqual([fixef[0], fixef[2]]);
    expect(withoutNested([fixef[0], groupsOf(state)])).toEqual([fixef[0]]);
    expect(withoutNested([fixef[0], fixef[1]])).toEqual([fixef[0], fixef[1]]);
  });

  it.each(backendNames)("unit + year + state^year by CG equals unit + state^year by the sweeps (%s)", (name) => {
    const b = freshBackend(name);
    const G: FixefGraph = { n: keep.length, fixef, w: null, x: [x], e: [] };
    const cg = absorbed(b, G, fixef, "cg");
    const ref = absorbed(b, G, [fixef[0], fixef[2]], "sweeps", 1e-13);
    expect(cg.iterations[0]).toBeGreaterThan(0);
    for (let i = 0; i < G.n; i++) expect(Math.abs(cg.out[i] - ref.out[i])).toBeLessThan(1e-7);
  });

  it("columns CG leaves unconverged are finished by the sweeps, their iterations added", () => {
    const G = graphFromCells(new Xoshiro128(5, 301), randomCells(new Xoshiro128(6, 301), 400, [60, 40, 9]), 2, 2, false);
    const cgOnly = run(wasm, G, "cg");
    expect(cgOnly.iterations.every((it) => it > 2)).toBe(true);
    // capped at 2 iterations neither CG nor the sweeps after it (up to 2 more) converge: reported as 4
    expect(run(wasm, G, "cg", 2).iterations).toEqual([-4, -4]);
    // capped below what CG needs, the sweeps finish from where CG stopped
    const cap = cgOnly.iterations[0] - 6;
    const finished = run(wasm, G, "cg", cap);
    expect(finished.iterations.every((it) => it > cap)).toBe(true);
    expect(finished.err).toBeLessThan(10 * DEFAULT_TOL);
  });
});

function absorbed(b: Backend, G: FixefGraph, fixef: FixefGraph["fixef"], method: AbsorbMethod, tol = DEFAULT_TOL) {
  const a = b.arena();
  try {
    const data = a.f64From(G.x[0]);
    const r = absorb(b, a, G.n, 1, data, fixef, null, tol, DEFAULT_MAX_ITER, method);
    return { out: Float64Array.from(data.view), iterations: Array.from(r.iterations) };
  } finally {
    a.release();
  }
}
