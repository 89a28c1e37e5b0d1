// Callaway-Sant'Anna's fast paths give the bits of the general ones: a panel sorted by unit and period is
// read in place (no copy into the unit x period layout), any other row order is scattered into that layout;
// the propensity logit's Newton pass is unrolled for up to three covariates and a loop otherwise.
import { describe, expect, it } from "vitest";
import { callawaySantAnna, type CallawaySantAnnaOptions } from "../../bindings/estimators/did/callaway-santanna.js";
import { csLogitPass } from "../../bindings/engine/reference/cs-cells.js";
import type { EstMethod } from "../../bindings/estimators/did/cs-panel-2x2.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** A staggered panel (cohorts 3 and 5, never treated), rows unit by unit, with `kc` covariates that change
 *  from period to period and treatment more likely at a high first covariate. */
function simulate(units: number, kc: number, seed: number) {
  const rng = new Xoshiro128(seed, 0);
  const u01 = () => (rng.u32() + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(u01())) * Math.cos(2 * Math.PI * u01());
  const T = 6;
  const cols: Record<string, number[]> = { unit: [], t: [], g: [], y: [] };
  for (let c = 1; c <= kc; c++) cols[`x${c}`] = [];
  for (let i = 0; i < units; i++) {
    const level = normal();
    const g = u01() < 1 / (1 + Math.exp(-level)) ? (u01() < 0.5 ? 3 : 5) : 0;
    for (let t = 1; t <= T; t++) {
      const x = Array.from({ length: kc }, (_, c) => (c === 0 ? level : 0) + 0.3 * normal());
      cols.unit.push(i);
      cols.t.push(t);
      cols.g.push(g);
      x.forEach((v, c) => cols[`x${c + 1}`].push(v));
      cols.y.push(level + 0.4 * t * x[0] + (g && t >= g ? 1 : 0) + 0.5 * normal());
    }
  }
  return cols;
}

/** The same rows, period by period (units first seen in the same order, so they keep their numbers). */
function periodMajor(cols: Record<string, number[]>): Record<string, number[]> {
  const order = cols.t.map((_, r) => r).sort((a, b) => cols.t[a] - cols.t[b] || cols.unit[a] - cols.unit[b]);
  return Object.fromEntries(Object.entries(cols).map(([name, v]) => [name, order.map((r) => v[r])]));
}

describe("panel layout", () => {
  for (const kc of [1, 3, 4]) {
    it(`a panel sorted by unit gives the bits of the same panel in period order (${kc} covariate(s), every method)`, () => {
      const data = simulate(400, kc, 7 + kc);
      const controls = Array.from({ length: kc }, (_, c) => `x${c + 1}`);
      for (const estMethod of ["dr", "dr-imp", "ipw", "reg"] as EstMethod[]) {
        for (const controlGroup of ["never", "notyet"] as const) {
          const o: CallawaySantAnnaOptions = { y: "y", unit: "unit", time: "t", cohort: "g", controls, estMethod, controlGroup };
          const sorted = callawaySantAnna(data, o).toJSON();
          const scattered = callawaySantAnna(periodMajor(data), o).toJSON();
          expect(scattered).toEqual(sorted);
          expect((sorted.att_gt as unknown[]).length).toBeGreaterThan(0);
        }
      }
    });
  }

  it("a unit missing a period is dropped by the scattered layout, as before", () => {
    const data = simulate(200, 2, 3);
    const drop = 6 * 10 + 2; // unit 10, period 3
    const gapped = Object.fromEntries(Object.entries(data).map(([name, v]) => [name, v.filter((_, r) => r !== drop)]));
    const withoutUnit = Object.fromEntries(Object.entries(data).map(([name, v]) => [name, v.filter((_, r) => data.unit[r] !== 10)]));
    const o: CallawaySantAnnaOptions = { y: "y", unit: "unit", time: "t", cohort: "g", controls: ["x1", "x2"] };
    const r = callawaySantAnna(gapped, o);
    expect(r.notes.some((n) => n.message.includes("1 unit(s) not observed in every period"))).toBe(true);
    expect(r.units).toBe(199);
    const { notes: _a, ...a } = r.toJSON();
    const { notes: _b, ...b } = callawaySantAnna(withoutUnit, o).toJSON();
    expect(a).toEqual(b);
  });
});

describe("logit Newton pass", () => {
  it("the unrolled pass (k <= 4) gives the bits of the general loop (k = 5, the extra columns 0) for k = 1 to 4", () => {
    const rng = new Xoshiro128(11, 0);
    const u = () => (rng.u32() + 0.5) / 4294967296;
    const W = 5; // the general loop's width
    for (let k = 1; k <= 4; k++) {
      const n = 500;
      const x = new Float64Array(n * k);
      const padded = new Float64Array(n * W);
      const D = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        x[i * k] = 1;
        for (let a = 1; a < k; a++) x[i * k + a] = 4 * u() - 2;
        for (let a = 0; a < k; a++) padded[i * W + a] = x[i * k + a];
        D[i] = u() < 0.4 ? 1 : 0;
      }
      const b = Float64Array.from({ length: k }, () => u() - 0.5);
      const bPadded = new Float64Array(W);
      bPadded.set(b);
      const loop = { H: new Float64Array(W * W), g: new Float64Array(W) };
      const unrolled = { H: new Float64Array(k * k).fill(NaN), g: new Float64Array(k).fill(NaN) };
      csLogitPass(n, W, padded, D, bPadded, loop.H, loop.g);
      csLogitPass(n, k, x, D, b, unrolled.H, unrolled.g);
      expect(Array.from(unrolled.g)).toEqual(Array.from(loop.g.subarray(0, k)));
      for (let a = 0; a < k; a++) for (let c = 0; c <= a; c++) expect(unrolled.H[a * k + c]).toBe(loop.H[a * W + c]);
      expect(loop.g.some((v) => v !== 0)).toBe(true);
    }
  });
});
