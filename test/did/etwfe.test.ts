// Extended TWFE (etwfe()): the identity the issue asks for (no controls, never-treated controls: the cells
// are Sun and Abraham's cohort x relative-period coefficients), the fe modes' shared estimates, and a seeded
// Monte Carlo check that the simple ATT's 95% interval covers the true average effect about 95% of the time.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { etwfe } from "../../bindings/estimators/did/etwfe.js";
import { sunAbraham } from "../../bindings/estimators/did/sun-abraham.js";

const base = readCsvFile("test/golden/data/base_stagg.csv");

describe("etwfe", () => {
  it("without controls and with never-treated controls, its cells equal Sun-Abraham's cohort x relative-period coefficients", () => {
    const sa = sunAbraham(base, { y: "y", unit: "id", time: "year", cohort: "year_treated" });
    const et = etwfe(base, { y: "y", unit: "id", time: "year", cohort: "year_treated", cgroup: "never", aggregate: "event" });
    const saCells = sa.fit.tidy().filter((r) => r.term.startsWith("cohort::"));
    expect(saCells.length).toBeGreaterThan(40);
    const etCells = new Map(et.coefficients.map((r) => [r.term, r.estimate]));
    for (const c of saCells) {
      const [, g, e] = /^cohort::(\d+):rel::(-?\d+)$/.exec(c.term)!.map(Number);
      const mine = etCells.get(`.Dtreat:year_treated::${g}:year::${g + e}`);
      expect(mine, c.term).toBeDefined();
      expect(Math.abs(mine! - c.estimate)).toBeLessThan(1e-9 * Math.max(1, Math.abs(c.estimate)));
    }
    expect(etCells.size).toBe(saCells.length);
    // and the event-time averages are Sun-Abraham's per-period aggregates (the same observation-count weights)
    for (const p of sa.periods) {
      const e = et.effects.find((x) => x.rel_time === p.rel_time)!;
      expect(Math.abs(e.estimate - p.estimate)).toBeLessThan(1e-9);
    }
  });

  it("fe feo, vs and none give the same effects; only the parameter count of the small-sample factor differs", () => {
    const o = { y: "y", unit: "id", time: "year", cohort: "year_treated", controls: ["x1"], vcov: "cluster:id", aggregate: "group" } as const;
    const [feo, vs, none] = (["feo", "vs", "none"] as const).map((fe) => etwfe(base, { ...o, fe }));
    feo.effects.forEach((e, k) => {
      expect(Math.abs(vs.effects[k].estimate - e.estimate)).toBeLessThan(1e-9);
      expect(Math.abs(none.effects[k].estimate - e.estimate)).toBeLessThan(1e-9);
      // vs counts one more slope parameter per control than feo: (n - K) shrinks by one
      const n = feo.nobs;
      expect(vs.effects[k].std_error / e.std_error).toBeGreaterThan(1);
      expect(vs.effects[k].std_error / e.std_error).toBeLessThan(Math.sqrt((n - 1) / (n - 100)));
    });
    expect(feo.coefficients.some((r) => r.term === "x1")).toBe(true);
    expect(vs.coefficients.some((r) => r.term === "x1")).toBe(false);
  });

  /** The event-time effects and clustered errors on the panel's rows in another order equal the stored
   *  order's, to rounding. */
  function sameAsStored(rowOrder: readonly number[]): void {
    const reordered = fromColumns(Object.fromEntries(base.names.map((nm) => [nm, rowOrder.map((i) => base.numeric(nm)[i])])));
    const o = { y: "y", unit: "id", time: "year", cohort: "year_treated", controls: ["x1"], vcov: "cluster:id", aggregate: "event" } as const;
    const [a, b] = [etwfe(base, o), etwfe(reordered, o)];
    expect(a.effects.length).toBeGreaterThan(5);
    a.effects.forEach((e, k) => {
      expect(Math.abs(b.effects[k].std_error - e.std_error)).toBeLessThan(1e-10 * e.std_error);
      expect(Math.abs(b.effects[k].estimate - e.estimate)).toBeLessThan(1e-10 * Math.max(1, Math.abs(e.estimate)));
    });
  }

  it("the clustered variance does not depend on the order of a unit's rows (consecutive cells or not)", () => {
    // Rows in period order give each unit's cells one after another (the meat's direct path); reversed,
    // they come in the other order (the path through positions).
    sameAsStored(Array.from({ length: base.nrow }, (_, i) => base.nrow - 1 - i));
  });

  it("clusters whose rows are interleaved (not stored one after another) give the same clustered variance", () => {
    // Stored unit by unit, the meat reads each cluster's rows in place; interleaved, it sorts them by
    // cluster first. Both read a cluster's rows in row order.
    const n = base.nrow;
    const stride = [7919, 7927, 7933].find((p) => n % p !== 0)!; // a prime to the row count: a permutation
    sameAsStored(Array.from({ length: n }, (_, i) => (i * stride) % n));
  });

  it("covers the true ATT about 95% of the time (seeded Monte Carlo, 200 panels of 40 units x 6 periods)", () => {
    let s = 20261206;
    const unif = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const normal = () => Math.sqrt(-2 * Math.log(unif() + 1e-300)) * Math.cos(2 * Math.PI * unif());
    const reps = 200;
    let covered = 0;
    for (let rep = 0; rep < reps; rep++) {
      const cols = { unit: [] as number[], t: [] as number[], g: [] as number[], x: [] as number[], y: [] as number[] };
      let truth = 0;
      let treated = 0;
      for (let u = 0; u < 40; u++) {
        const g = [3, 5, 0, 0][u % 4];
        const a = normal();
        for (let t = 1; t <= 6; t++) {
          const x = normal() + 0.3 * a;
          const effect = g && t >= g ? 1 + 0.5 * (t - g) : 0;
          if (effect) {
            truth += effect;
            treated++;
          }
          cols.unit.push(u);
          cols.t.push(t);
          cols.g.push(g);
          cols.x.push(x);
          cols.y.push(a + 0.2 * t + 0.5 * x + effect + normal());
        }
      }
      const r = etwfe(fromColumns(cols), { y: "y", unit: "unit", time: "t", cohort: "g", controls: ["x"], vcov: "cluster:unit" });
      if (r.att.conf_low <= truth / treated && truth / treated <= r.att.conf_high) covered++;
    }
    // Binomial(200, 0.95) has standard deviation 1.5 percentage points; 40 clusters run slightly under.
    expect(covered / reps).toBeGreaterThan(0.88);
    expect(covered / reps).toBeLessThan(0.995);
  });
});
