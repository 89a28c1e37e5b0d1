// The two solvers of did2s's first-stage fixed effects: the direct one (period block by Cholesky) must give
// the fitted values of the kernel's alternating sweeps, and must step aside where it does not apply.
import { describe, expect, it } from "vitest";
import { createEngine } from "../../bindings/engine/engine.js";
import { DirectTwoWay } from "../../bindings/estimators/did/two-way-direct.js";
import { IterativeTwoWay, twoWayFixef, type TwoWayEncoding } from "../../bindings/estimators/did/fixef-solver.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** An unbalanced panel: each unit observed in a random subset of periods, some unit-periods twice. */
function panel(units: number, periods: number, seed: number) {
  const g = new Xoshiro128(seed);
  const unitId: number[] = [];
  const timeId: number[] = [];
  for (let u = 0; u < units; u++) {
    for (let t = 0; t < periods; t++) {
      if (g.uniform() < 0.3) continue;
      unitId.push(u);
      timeId.push(t);
      if (g.uniform() < 0.1) {
        unitId.push(u);
        timeId.push(t);
      }
    }
  }
  // every unit and period must occur: add one row for each
  for (let u = 0; u < units; u++) (unitId.push(u), timeId.push(u % periods));
  for (let t = 0; t < periods; t++) (unitId.push(0), timeId.push(t));
  const enc: TwoWayEncoding = { unitId: Int32Array.from(unitId), timeId: Int32Array.from(timeId), units, periods };
  const n = unitId.length;
  const weights = Float64Array.from({ length: n }, () => 0.5 + g.uniform());
  const v = Float64Array.from({ length: n }, (_, i) => g.normal() + 0.3 * unitId[i] - 0.2 * timeId[i]);
  return { enc, n, weights, v, g };
}

describe("two-way fixed effects of the first stage", () => {
  const engine = createEngine({ backend: "wasm" });
  it.each([false, true])("direct and iterative solvers give the same fitted values (weighted: %s)", (weighted) => {
    const { enc, n, weights, v } = panel(40, 9, 3);
    const est = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 7 !== 3 || enc.unitId[i] === 0);
    const w = weighted ? weights : null;
    const arena = engine.backend.arena();
    try {
      const direct = DirectTwoWay.create(engine.backend, arena, enc, est, w);
      expect(direct).not.toBeNull();
      const iter = new IterativeTwoWay(engine.backend, arena, enc, est, w, 1e-13, 100_000);
      // fitted values compared through the residuals v - fitted on every row
      const a = direct!.minusFitted(v, direct!.fitOf(v));
      const b = iter.minusFitted(v, iter.fitOf(v));
      let dmax = 0;
      for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(a[i] - b[i]));
      expect(dmax).toBeLessThan(1e-9);
      // and the direct fit satisfies the normal equations: residual group sums vanish
      const r = direct!.minusFitted(v, direct!.fitOf(v));
      const sums = direct!.groupSums(r);
      for (const s of sums) expect(Math.abs(s)).toBeLessThan(1e-9);
    } finally {
      arena.release();
    }
  });

  it("solves many right-hand sides in place (out = rhs) exactly as into a new array, both solvers", () => {
    const { enc, n, weights, g } = panel(30, 7, 5);
    const est = Int32Array.from({ length: n }, (_, i) => i);
    const m = 3;
    const rhs = Float64Array.from({ length: (enc.units + enc.periods) * m }, () => g.normal());
    const arena = engine.backend.arena();
    try {
      for (const solver of [DirectTwoWay.create(engine.backend, arena, enc, est, weights)!, new IterativeTwoWay(engine.backend, arena, enc, est, weights, 1e-13, 100_000)]) {
        const fresh = solver.solveMany(rhs, m);
        const inPlace = Float64Array.from(rhs);
        expect(solver.solveMany(inPlace, m, inPlace)).toBe(inPlace);
        expect(inPlace).toEqual(fresh);
        const minus = Float64Array.from(weights);
        const c = solver.fitOf(weights);
        expect(solver.minusFitted(minus, c, minus)).toEqual(solver.minusFitted(weights, c));
      }
    } finally {
      arena.release();
    }
  });

  it("steps aside when units and periods are not connected", () => {
    // units 0-1 only in periods 0-1, units 2-3 only in periods 2-3: two separate blocks
    const enc: TwoWayEncoding = {
      unitId: Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3]), timeId: Int32Array.from([0, 1, 0, 1, 2, 3, 2, 3]), units: 4, periods: 4,
    };
    const est = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const arena = engine.backend.arena();
    try {
      expect(DirectTwoWay.create(engine.backend, arena, enc, est, null)).toBeNull();
      expect(twoWayFixef(engine.backend, arena, enc, est, null, 1e-8, 1000)).toBeInstanceOf(IterativeTwoWay);
    } finally {
      arena.release();
    }
  });

  it("steps aside for a unit of zero total weight and for panels with hundreds of periods (over MAX_PERIODS)", () => {
    const arena = engine.backend.arena();
    try {
      const enc: TwoWayEncoding = { unitId: Int32Array.from([0, 0, 1, 1]), timeId: Int32Array.from([0, 1, 0, 1]), units: 2, periods: 2 };
      const est = Int32Array.from([0, 1, 2, 3]);
      expect(DirectTwoWay.create(engine.backend, arena, enc, est, Float64Array.from([1, 1, 0, 0]))).toBeNull();
      expect(DirectTwoWay.create(engine.backend, arena, enc, est, null)).not.toBeNull();
      const P = 600;
      const many: TwoWayEncoding = { unitId: new Int32Array(P), timeId: Int32Array.from({ length: P }, (_, t) => t), units: 1, periods: P };
      expect(DirectTwoWay.create(engine.backend, arena, many, Int32Array.from({ length: P }, (_, i) => i), null)).toBeNull();
    } finally {
      arena.release();
    }
  });
});
