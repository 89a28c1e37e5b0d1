// The unit x period placebo draws (two-way-placebo.ts) against the general path (fwlCoefficients: each fake
// treatment demeaned by sweeps, then crossed with [Z yZ]) on a panel that has every complication the tables
// must get right: missing cells, a duplicated cell, weights, units that are never observed after a date.
import { describe, expect, it } from "vitest";
import { createEngine } from "../../bindings/engine/engine.js";
import type { Groups } from "../../bindings/model/groups.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { buildPlaceboModel, placeboCoefficients, type PlaceboModel } from "../../bindings/resampling/fwl-placebo.js";
import { twoWayPlacebo } from "../../bindings/resampling/two-way-placebo.js";

const U = 40;
const P = 7;
const FIRST = 2001;

/** An unbalanced, weighted panel: about 15% of the cells missing, the cell (3, 2003) twice. */
function panel(seed: number) {
  const g = new Xoshiro128(seed);
  const unit: number[] = [];
  const time: number[] = [];
  for (let u = 0; u < U; u++) {
    for (let p = 0; p < P; p++) {
      if (g.uniform() < 0.15 && p > 0) continue;
      unit.push(u);
      time.push(FIRST + p);
      if (u === 3 && p === 2) {
        unit.push(u);
        time.push(FIRST + p);
      }
    }
  }
  const n = unit.length;
  const x1 = Float64Array.from({ length: n }, () => g.normal());
  const x2 = Float64Array.from({ length: n }, (_, i) => 0.3 * time[i] - 600 + g.normal());
  const y = Float64Array.from({ length: n }, (_, i) => unit[i] * 0.1 + x1[i] - 0.5 * x2[i] + g.normal());
  const weights = Float64Array.from({ length: n }, () => 0.5 + g.uniform());
  const unitOfRow = Int32Array.from(unit);
  const timeOfRow = Float64Array.from(time);
  const units: Groups = { ids: unitOfRow, G: U };
  const periods: Groups = { ids: Int32Array.from(time, (t) => t - FIRST), G: P };
  return { n, y, others: [x1, x2], weights, unitOfRow, timeOfRow, units, periods };
}

function model(seed: number, weighted: boolean, fixef: (d: ReturnType<typeof panel>) => Groups[]): PlaceboModel {
  const d = panel(seed);
  return buildPlaceboModel(createEngine({ backend: "wasm" }), {
    y: d.y, others: d.others, unitOfRow: d.unitOfRow, timeOfRow: d.timeOfRow, fixef: fixef(d), weights: weighted ? d.weights : null,
    tol: 1e-14, maxIter: 100_000,
    variance: { type: "cluster", dofK: 3, cluster: d.units, adj: true, clusterAdj: true },
  });
}

/** Fake cohorts: a third of the units treated from a random period (some from after the last period). */
function fakes(count: number, seed: number): Float64Array[] {
  const g = new Xoshiro128(seed);
  return Array.from({ length: count }, () => Float64Array.from({ length: U }, () => (g.uniform() < 0.33 ? FIRST + 1 + g.below(P) : Infinity)));
}

describe("placebo draws from the unit x period tables", () => {
  for (const weighted of [false, true]) {
    it(`equal the general path's draws and t statistics (${weighted ? "weighted" : "unweighted"}, unbalanced, a duplicated cell)`, () => {
      const engine = createEngine({ backend: "wasm" });
      const m = model(5, weighted, (d) => [d.units, d.periods]);
      expect(twoWayPlacebo(engine, m)).not.toBeNull();
      // The same model with a redundant third fixed effect (one group: the constant) takes the general path.
      const general: PlaceboModel = { ...m, fixef: [...m.fixef, { ids: new Int32Array(m.n), G: 1 }] };
      expect(twoWayPlacebo(engine, general)).toBeNull();
      const draws = fakes(40, 9);
      const fast = placeboCoefficients(engine, m, draws, true);
      const slow = placeboCoefficients(engine, general, draws, true);
      let finite = 0;
      for (let r = 0; r < draws.length; r++) {
        if (Number.isNaN(slow.coef[r])) {
          expect(fast.coef[r]).toBeNaN();
          continue;
        }
        finite++;
        expect(Math.abs(fast.coef[r] - slow.coef[r])).toBeLessThan(1e-9 * Math.max(1e-3, Math.abs(slow.coef[r])));
        expect(Math.abs(fast.t![r] - slow.t![r])).toBeLessThan(1e-8 * Math.max(1, Math.abs(slow.t![r])));
      }
      expect(finite).toBeGreaterThan(30);
    });
  }

  it("cross the exact demeaned treatment with Z even where Z keeps a fixed-effect component (a column demeaned to a tolerance)", () => {
    const engine = createEngine({ backend: "wasm" });
    const m = model(7, true, (d) => [d.units, d.periods]);
    // Unit and period effects added to Z and yZ: Z'W(M d) does not change (F'W M d = 0), Z'W d does.
    const shift = (x: Float64Array, scale: number) => Float64Array.from(x, (v, i) => v + scale * (Math.sin(m.unitOfRow[i]) + 0.1 * (m.timeOfRow[i] - FIRST)));
    const Z = new Float64Array(m.Z.length);
    for (let j = 0; j < m.k; j++) Z.set(shift(m.Z.subarray(j * m.n, (j + 1) * m.n), j + 1), j * m.n);
    const shifted: PlaceboModel = { ...m, Z, yZ: shift(m.yZ, -2) };
    const general: PlaceboModel = { ...shifted, fixef: [...m.fixef, { ids: new Int32Array(m.n), G: 1 }] };
    const draws = fakes(20, 11);
    const plain = placeboCoefficients(engine, m, draws, false).coef;
    const fast = placeboCoefficients(engine, shifted, draws, false).coef;
    const slow = placeboCoefficients(engine, general, draws, false).coef;
    for (let r = 0; r < draws.length; r++) {
      if (Number.isNaN(plain[r])) continue;
      expect(Math.abs(fast[r] - plain[r])).toBeLessThan(1e-9 * Math.max(1e-3, Math.abs(plain[r])));
      expect(Math.abs(slow[r] - plain[r])).toBeLessThan(1e-9 * Math.max(1e-3, Math.abs(plain[r])));
    }
  });

  it("apply only when the fixed effects are exactly the unit and the period", () => {
    const engine = createEngine({ backend: "wasm" });
    expect(twoWayPlacebo(engine, model(6, false, (d) => [d.periods, d.units]))).not.toBeNull();
    expect(twoWayPlacebo(engine, model(6, false, (d) => [d.units]))).toBeNull();
    // Periods grouped in pairs: not the period fixed effect.
    expect(twoWayPlacebo(engine, model(6, false, (d) => [d.units, { ids: d.periods.ids.map((p) => p >> 1), G: (P + 1) >> 1 }]))).toBeNull();
  });
});

describe("the placeboTwoWayDraws kernel", () => {
  it("gives twoWayDraw's coefficients bit for bit, on both backends (weighted and unweighted)", () => {
    for (const weighted of [false, true]) {
      const m = model(5, weighted, (d) => [d.units, d.periods]);
      const draws = fakes(40, 13);
      // With t statistics the draws take twoWayDraw in TypeScript; without, the kernel.
      const viaDraw = placeboCoefficients(createEngine({ backend: "wasm" }), m, draws, true).coef;
      for (const backend of ["wasm", "reference"] as const) {
        const kernel = placeboCoefficients(createEngine({ backend }), m, draws, false).coef;
        expect(Array.from(kernel), `${backend}, ${weighted ? "weighted" : "unweighted"}`).toEqual(Array.from(viaDraw));
      }
      expect(viaDraw.filter(Number.isFinite).length).toBeGreaterThan(30);
    }
  });
});

describe("the placeboTwoWayTables kernel", () => {
  it("builds the same tables, bit for bit, on both backends (weighted, unbalanced, a duplicated cell)", () => {
    const m = model(5, true, (d) => [d.units, d.periods]);
    const wasm = twoWayPlacebo(createEngine({ backend: "wasm" }), m)!;
    const reference = twoWayPlacebo(createEngine({ backend: "reference" }), m)!;
    expect(wasm).toEqual(reference);
    // Worked: the unit weights are the sums of the panel's weights by unit, and each unit's suffix at the
    // first period is its whole weight.
    const byUnit = new Float64Array(U);
    m.unitOfRow.forEach((u, i) => (byUnit[u] += m.weights![i]));
    for (let u = 0; u < U; u++) {
      expect(wasm.unitWeight[u]).toBeCloseTo(byUnit[u], 12);
      expect(wasm.suffixWeight[u * (P + 1)]).toBe(wasm.unitWeight[u]);
      expect(wasm.suffixWeight[u * (P + 1) + P]).toBe(0);
    }
  });
});
