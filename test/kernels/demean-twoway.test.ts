// The direct two-way demeaning kernel (assembly/demean-twoway.ts) with its host setup
// (bindings/model/two-way-cells.ts): the same residuals as alternating projections, bit-identical across
// wasm SIMD, wasm scalar and the reference, exact on a hand-worked panel, and in every column block.
import { describe, expect, it } from "vitest";
import { demeanScratchLength, type Backend } from "../../bindings/engine/backend.js";
import { compiledKernels, engineFromModule } from "../../bindings/engine/engine.js";
import { absorb } from "../../bindings/estimators/absorb.js";
import { twoWayCells } from "../../bindings/model/two-way-cells.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { backendNames, freshBackend } from "../helpers/backends.js";

/** An unbalanced panel, rows in a shuffled order (units not sorted) unless `stored` says unit by unit,
 *  some unit-periods twice. */
function panel(U: number, P: number, seed: number, stored = false) {
  const g = new Xoshiro128(seed);
  const unit: number[] = [];
  const period: number[] = [];
  for (let u = 0; u < U; u++) {
    for (let t = 0; t < P; t++) {
      if (t !== u % P && g.uniform() < 0.35) continue;
      unit.push(u);
      period.push(t);
      if (g.uniform() < 0.08) (unit.push(u), period.push(t));
    }
  }
  for (let t = 0; t < P; t++) (unit.push(0), period.push(t));
  const n = unit.length;
  const order = Array.from({ length: n }, (_, i) => i);
  if (stored) order.sort((a, b) => unit[a] - unit[b]); // stable: periods stay in order within a unit
  for (let i = n - 1; i > 0 && !stored; i--) {
    const j = g.below(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return {
    n,
    unit: Int32Array.from(order, (i) => unit[i]),
    period: Int32Array.from(order, (i) => period[i]),
    weights: Float64Array.from({ length: n }, () => 0.3 + g.uniform() * 2),
    g,
  };
}

function runDirect(b: Backend, p: ReturnType<typeof panel>, U: number, P: number, x: number[], C: number, weighted: boolean): number[] {
  const a = b.arena();
  try {
    const unit = a.i32From(p.unit);
    const period = a.i32From(p.period);
    const w = weighted ? a.f64From(p.weights) : null;
    const cells = twoWayCells(b, a, unit, period, U, P, w)!;
    expect(cells).not.toBeNull();
    const data = a.f64From(x);
    b.demeanTwoWay(
      p.n, C, data, data, unit, period, U, P, w, cells.cellStart, cells.cellPeriod, cells.cellWeight, cells.unitWeight, cells.factor,
      a.f64((U + P) * Math.min(C, 8)),
    );
    return Array.from(data.view);
  } finally {
    a.release();
  }
}

function runSweeps(b: Backend, p: ReturnType<typeof panel>, U: number, P: number, x: number[], C: number, weighted: boolean): number[] {
  const a = b.arena();
  try {
    const data = a.f64From(x);
    b.demean(p.n, C, 2, data, data, a.i32From([...p.unit, ...p.period]), a.i32From([U, P]), weighted ? a.f64From(p.weights) : null,
      1e-14, 100_000, a.f64(demeanScratchLength(U + P)), a.i32(C));
    return Array.from(data.view);
  } finally {
    a.release();
  }
}

describe.each(backendNames)("demeanTwoWay (%s)", (name) => {
  it("worked by hand: a 2 x 2 panel with one cell missing leaves zero residuals", () => {
    // rows (unit, period): (0,0), (0,1), (1,0): three observations, three free parameters
    const b = freshBackend(name);
    const p = { n: 3, unit: Int32Array.from([0, 0, 1]), period: Int32Array.from([0, 1, 0]), weights: new Float64Array(3), g: new Xoshiro128(1) };
    const out = runDirect(b, p, 2, 2, [5, -1, 2], 1, false);
    out.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-14));
  });

  it("worked by hand: a balanced 2 x 2 panel gives x - unit mean - period mean + grand mean", () => {
    const b = freshBackend(name);
    const p = { n: 4, unit: Int32Array.from([0, 0, 1, 1]), period: Int32Array.from([0, 1, 0, 1]), weights: new Float64Array(4), g: new Xoshiro128(1) };
    // x = [1, 2, 3, 7]: unit means 1.5, 5; period means 2, 4.5; grand mean 3.25
    const out = runDirect(b, p, 2, 2, [1, 2, 3, 7], 1, false);
    const want = [1 - 1.5 - 2 + 3.25, 2 - 1.5 - 4.5 + 3.25, 3 - 5 - 2 + 3.25, 7 - 5 - 4.5 + 3.25];
    out.forEach((v, i) => expect(v).toBeCloseTo(want[i], 13));
  });

  it.each([false, true])("equals alternating projections run to 1e-14 on an unbalanced, unsorted panel, 19 columns (weighted: %s)", (weighted) => {
    const b = freshBackend(name);
    const U = 60;
    const P = 9;
    const p = panel(U, P, weighted ? 5 : 6);
    const C = 19; // three column blocks: 8 + 8 + 3
    const x = Array.from({ length: C * p.n }, (_, k) => p.g.normal() + 0.2 * p.unit[k % p.n] - 0.1 * p.period[k % p.n] + (k % 3 === 0 ? 100 : 0));
    const direct = runDirect(b, p, U, P, x, C, weighted);
    const sweeps = runSweeps(b, p, U, P, x, C, weighted);
    let d = 0;
    for (let k = 0; k < direct.length; k++) d = Math.max(d, Math.abs(direct[k] - sweeps[k]));
    expect(d).toBeLessThan(1e-9);
    // the residuals' weighted sums vanish within every unit and period, column by column
    for (let c = 0; c < C; c++) {
      const su = new Float64Array(U);
      const sp = new Float64Array(P);
      for (let i = 0; i < p.n; i++) {
        const v = (weighted ? p.weights[i] : 1) * direct[c * p.n + i];
        su[p.unit[i]] += v;
        sp[p.period[i]] += v;
      }
      for (const s of [...su, ...sp]) expect(Math.abs(s)).toBeLessThan(1e-9);
    }
  });
});

describe("demeanTwoWay parity", () => {
  // Stored unit by unit, the kernel sums each unit's run of rows in registers (see assembly/runs.ts).
  it.each([false, true])("wasm SIMD, wasm scalar and reference agree bit for bit (stored unit by unit: %s)", (stored) => {
    const U = 80;
    const P = 12;
    const p = panel(U, P, 9, stored);
    const C = 11;
    const x = Array.from({ length: C * p.n }, () => p.g.normal() * 3 + 1);
    const simd = engineFromModule(compiledKernels(true).module, true).backend;
    const scalar = engineFromModule(compiledKernels(false).module, false).backend;
    for (const weighted of [false, true]) {
      const ref = runDirect(freshBackend("reference"), p, U, P, x, C, weighted);
      expect(runDirect(simd, p, U, P, x, C, weighted)).toEqual(ref);
      expect(runDirect(scalar, p, U, P, x, C, weighted)).toEqual(ref);
    }
  });
});

describe("twoWayCells kernel", () => {
  it.each(backendNames)("hand-worked cells of an unsorted panel with a repeated unit-period (%s)", (name) => {
    const b = freshBackend(name);
    const a = b.arena();
    try {
      // rows: (u1,t0) (u0,t1) (u0,t0) (u1,t0) (u0,t1) with weights 1..5
      const unit = a.i32From([1, 0, 0, 1, 0]);
      const period = a.i32From([0, 1, 0, 0, 1]);
      const w = a.f64From([1, 2, 3, 4, 5]);
      const cells = twoWayCells(b, a, unit, period, 2, 2, w)!;
      expect(Array.from(cells.cellStart.view)).toEqual([0, 2, 3]);
      // unit 0 (rows 1, 2, 4 in that order): period 1 gets 2 + 5, period 0 gets 3; unit 1: period 0 gets 1 + 4
      expect(Array.from(cells.cellPeriod.view.subarray(0, 3))).toEqual([1, 0, 0]);
      expect(Array.from(cells.cellWeight.view.subarray(0, 3))).toEqual([7, 3, 5]);
      expect(Array.from(cells.unitWeight.view)).toEqual([10, 5]);
    } finally {
      a.release();
    }
  });
  it("wasm and reference build identical cells", () => {
    const p = panel(70, 8, 4);
    const run = (name: (typeof backendNames)[number]) => {
      const b = freshBackend(name);
      const a = b.arena();
      try {
        const c = twoWayCells(b, a, a.i32From(p.unit), a.i32From(p.period), 70, 8, a.f64From(p.weights))!;
        const M = c.cellStart.view[70]; // cells in use (the buffers' tails are unused)
        return [Array.from(c.cellStart.view), Array.from(c.cellPeriod.view.subarray(0, M)), Array.from(c.cellWeight.view.subarray(0, M)),
          Array.from(c.unitWeight.view), Array.from(c.factor.view)];
      } finally {
        a.release();
      }
    };
    expect(run("wasm")).toEqual(run("reference"));
  });
});

describe("absorb chooses the method", () => {
  const b = freshBackend("wasm");
  const groups = (ids: Int32Array, G: number) => ({ ids, G });
  it("direct on an unbalanced two-way panel, conjugate gradient on three fixed effects, the closed form on a balanced unweighted panel", () => {
    const p = panel(30, 6, 2);
    const a = b.arena();
    try {
      const x = a.f64From(Array.from({ length: p.n }, () => p.g.normal()));
      const two = [groups(p.unit, 30), groups(p.period, 6)];
      expect(absorb(b, a, p.n, 1, x, two, null, 1e-8, 1000).method).toBe("direct");
      const third = groups(Int32Array.from({ length: p.n }, (_, i) => i % 3), 3);
      expect(absorb(b, a, p.n, 1, x, [...two, third], null, 1e-8, 1000).method).toBe("cg");
      const U = 10;
      const T = 4;
      const bal = [groups(Int32Array.from({ length: U * T }, (_, i) => i % U), U), groups(Int32Array.from({ length: U * T }, (_, i) => Math.floor(i / U)), T)];
      const y = a.f64From(Array.from({ length: U * T }, () => p.g.normal()));
      expect(absorb(b, a, U * T, 1, y, bal, null, 1e-8, 1000).method).toBe("balanced");
      expect(absorb(b, a, U * T, 1, y, bal, null, 1e-8, 1000, "direct").method).toBe("direct");
    } finally {
      a.release();
    }
  });
  it("the closed form on balanced panels stored unit by unit, period by period or in any order; direct when a cell is doubled", () => {
    const U = 6;
    const T = 4;
    const n = U * T;
    const a = b.arena();
    try {
      const methodFor = (unit: number[], period: number[]) =>
        absorb(b, a, n, 1, a.f64From(Array.from({ length: n }, (_, i) => Math.sin(i))), [groups(Int32Array.from(unit), U), groups(Int32Array.from(period), T)], null, 1e-8, 1000).method;
      const byUnit = { unit: Array.from({ length: n }, (_, i) => Math.floor(i / T)), period: Array.from({ length: n }, (_, i) => i % T) };
      expect(methodFor(byUnit.unit, byUnit.period)).toBe("balanced");
      expect(methodFor(byUnit.period.map((_, i) => i % U), byUnit.unit.map((_, i) => Math.floor(i / U)))).toBe("balanced");
      // Two rows swapped: balanced, not in either stored order (the check by cells answers).
      const swapped = (v: number[]) => v.map((x, i) => (i === 1 ? v[T + 1] : i === T + 1 ? v[1] : x));
      expect(methodFor(swapped(byUnit.unit), swapped(byUnit.period))).toBe("balanced");
      // Unit 1 observed twice in period 0 and never in period 1: U x T rows, yet not balanced.
      const doubled = byUnit.period.map((t, i) => (i === T + 1 ? 0 : t));
      expect(methodFor(byUnit.unit, doubled)).toBe("direct");
    } finally {
      a.release();
    }
  });
  it("reuses cells it is given (did2s's first stage): the same residuals as building them, bit for bit", () => {
    const p = panel(40, 7, 5, true);
    const a = b.arena();
    try {
      const xs = Array.from({ length: 3 * p.n }, () => p.g.normal());
      const w = a.f64From(p.weights);
      const two = [groups(p.unit, 40), groups(p.period, 7)];
      const own = a.f64From(xs);
      expect(absorb(b, a, p.n, 3, own, two, w, 1e-8, 1000).method).toBe("direct");
      const cells = twoWayCells(b, a, a.i32From(p.unit), a.i32From(p.period), 40, 7, w)!;
      const given = a.f64From(xs);
      let built = 0;
      const counting = { ...b, twoWayCells: (...args: Parameters<typeof b.twoWayCells>) => (built++, b.twoWayCells(...args)) };
      expect(absorb(counting, a, p.n, 3, given, two, w, 1e-8, 1000, "auto", cells).method).toBe("direct");
      expect(built).toBe(0); // the given cells were used, none built
      expect(Array.from(given.view)).toEqual(Array.from(own.view));
      // Cells of other dimensions are not used.
      const wrong = twoWayCells(b, a, a.i32From(p.unit.map((u) => u % 20)), a.i32From(p.period), 20, 7, w)!;
      const again = a.f64From(xs);
      absorb(counting, a, p.n, 3, again, two, w, 1e-8, 1000, "auto", wrong);
      expect(built).toBe(1);
      expect(Array.from(again.view)).toEqual(Array.from(own.view));
    } finally {
      a.release();
    }
  });
  it("conjugate gradient when units and periods are disconnected", () => {
    // units 0-1 in periods 0-1 only, units 2-3 in periods 2-3 only
    const unit = Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3]);
    const period = Int32Array.from([0, 1, 0, 1, 2, 3, 2, 3]);
    const a = b.arena();
    try {
      expect(twoWayCells(b, a, a.i32From(unit), a.i32From(period), 4, 4, null)).toBeNull();
      const x = a.f64From([1, 2, 3, 4, 5, 6, 7, 9]);
      expect(absorb(b, a, 8, 1, x, [groups(unit, 4), groups(period, 4)], null, 1e-8, 1000).method).toBe("cg");
    } finally {
      a.release();
    }
  });
});
