// The warm-up (bindings/engine/warmup.ts) calls kernels only: it builds its two-way panel's cells with the
// twoWayCells kernel and the period block's factor in closed form. That factor must be the one the model
// layer computes (bindings/model/two-way-cells.ts), so the warm-up's demeanTwoWay calls run the same
// path as real ones.
import { describe, expect, it } from "vitest";
import { balancedCells, warmUp } from "../../bindings/engine/warmup.js";
import { twoWayCells } from "../../bindings/model/two-way-cells.js";
import { backendNames, freshBackend } from "../helpers/backends.js";

/** Relative rounding of a Cholesky factor of a 19 x 19 matrix with entries of order 100, computed in
 *  two different orders (closed-form matrix vs one formed from cells): far above it means a wrong matrix. */
const FACTOR_TOL = 1e-12;

describe.each(backendNames)("warm-up (%s)", (name) => {
  it("its closed-form period-block factor equals the model layer's for a balanced U x T panel", () => {
    const b = freshBackend(name);
    const a = b.arena();
    try {
      const U = 30;
      const T = 20;
      const unit = a.i32From(Array.from({ length: U * T }, (_, i) => Math.floor(i / T)));
      const time = a.i32From(Array.from({ length: U * T }, (_, i) => i % T));
      const mine = balancedCells(b, a, unit, time, U, T);
      const model = twoWayCells(b, a, unit, time, U, T, null)!;
      expect(model).not.toBeNull();
      expect(Array.from(mine.cellStart.view)).toEqual(Array.from(model.cellStart.view));
      expect(Array.from(mine.unitWeight.view)).toEqual(Array.from(model.unitWeight.view));
      const f = model.factor.view;
      expect(mine.factor.length).toBe(f.length);
      mine.factor.view.forEach((v, i) => expect(Math.abs(v - f[i]), `factor[${i}]`).toBeLessThanOrEqual(FACTOR_TOL * Math.max(1, Math.abs(f[i]))));
    } finally {
      a.release();
    }
  });

  it("runs every warm-up call without error", () => {
    expect(() => warmUp(freshBackend(name))).not.toThrow();
  });
});
