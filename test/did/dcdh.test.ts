// de Chaisemartin and D'Haultfoeuille's estimators (dcdh): identities that hold whatever the implementation
// (DID_l as hand-computed switcher-minus-control mean changes on a tiny panel, the ATE as an N-weighted mean,
// the sign flip of a reversed treatment, the scale of a doubled treatment), a seeded Monte Carlo check of the
// 95% intervals' coverage, and the errors.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { dcdh, type DcdhOptions } from "../../bindings/estimators/did/dcdh.js";
import { isDidwasmError } from "../../bindings/errors.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

// 5 groups x 4 periods: group 1 switches on at t = 3, group 2 at t = 4, groups 3-5 never.
const Yt = [
  [1.0, 2.0, 4.5, 6.0],
  [0.5, 1.2, 2.0, 4.1],
  [2.0, 2.4, 3.1, 3.3],
  [-1.0, -0.2, 0.9, 1.1],
  [0.3, 1.5, 1.7, 2.9],
];
const Dt = [[0, 0, 1, 1], [0, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
function tiny(d = Dt) {
  const cols = { g: [] as number[], t: [] as number[], y: [] as number[], d: [] as number[] };
  Yt.forEach((row, g) => row.forEach((y, t) => {
    cols.g.push(g + 1);
    cols.t.push(t + 1);
    cols.y.push(y);
    cols.d.push(d[g][t]);
  }));
  return fromColumns(cols);
}
const change = (g: number, from: number, to: number) => Yt[g][to - 1] - Yt[g][from - 1];
const meanChange = (gs: number[], from: number, to: number) => gs.reduce((s, g) => s + change(g, from, to), 0) / gs.length;
const base = { y: "y", unit: "g", time: "t", treat: "d" } as const;

describe("identities on a hand-computed panel", () => {
  const r = dcdh(tiny(), { ...base, effects: 2, placebo: 1 });
  // DID_1: group 1 from t=2 to 3 against groups 2-5 (not switched at 3); group 2 from 3 to 4 against 3-5
  const did1 = ((change(0, 2, 3) - meanChange([1, 2, 3, 4], 2, 3)) + (change(1, 3, 4) - meanChange([2, 3, 4], 3, 4))) / 2;
  // DID_2: group 1 only (group 2 has one post period), from t=2 to 4 against groups 3-5
  const did2 = change(0, 2, 4) - meanChange([2, 3, 4], 2, 4);
  // Placebo_1: the same pairs, changes from F_g - 1 back to F_g - 2
  const pl1 = ((change(0, 2, 1) - meanChange([1, 2, 3, 4], 2, 1)) + (change(1, 3, 2) - meanChange([2, 3, 4], 3, 2))) / 2;

  it("DID_l is the mean over switchers of their change minus the not-yet-switched groups' mean change", () => {
    close(r.effects[0].estimate, did1);
    close(r.effects[1].estimate, did2);
    expect(r.effects.map((e) => e.switchers)).toEqual([2, 1]);
  });
  it("the placebo compares the same switchers and controls before the switch", () => close(r.placebos[0].estimate, pl1));
  it("with a binary treatment the average total effect is the switcher-weighted mean of the effects", () => close(r.ate.estimate, (2 * did1 + did2) / 3));
  it("normalised effects divide by the cumulative treatment change (l for a binary staggered treatment)", () => {
    const n = dcdh(tiny(), { ...base, effects: 2, normalized: true });
    close(n.effects[0].estimate, did1);
    close(n.effects[1].estimate, did2 / 2);
    close(n.effects[1].std_error, r.effects[1].std_error / 2);
    expect(n.deltas).toEqual([1, 2]);
  });
  it("event rows: effects at 0..L-1, placebos before -1, with their covariance", () => {
    expect(r.event.map((e) => e.rel_time)).toEqual([-2, 0, 1]);
    expect(r.eventVcov.vcov[1][1]).toBeCloseTo(r.effects[0].std_error ** 2, 14);
  });
});

/** A staggered panel with switches up, down (on/off) and multi-valued doses; effect 1 per unit of current treatment. */
function simulated(seed: number, o: { G?: number; kind?: "binary" | "onoff" | "multi" } = {}) {
  const rng = new Xoshiro128(seed);
  const G = o.G ?? 80;
  const T = 6;
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform());
  const cols = { g: [] as number[], t: [] as number[], y: [] as number[], d: [] as number[] };
  for (let g = 0; g < G; g++) {
    const start = g % 3 === 0 ? Infinity : 3 + rng.below(3);
    const stop = o.kind === "onoff" && g % 2 === 0 ? start + 2 : Infinity;
    const a = normal();
    for (let t = 1; t <= T; t++) {
      let d = t >= start && t < stop ? 1 : 0;
      if (o.kind === "multi" && d && g % 5 === 1) d = 2;
      cols.g.push(g);
      cols.t.push(t);
      cols.d.push(d);
      cols.y.push(a + 0.4 * t + d + normal());
    }
  }
  return fromColumns(cols);
}

describe("identities of the treatment's coding", () => {
  const f = simulated(3, { kind: "onoff" });
  const d = f.numeric("d", "d");
  const flip = f.withColumn({ name: "flip", kind: "numeric", values: Float64Array.from(d, (x) => 1 - x) });
  const twice = f.withColumn({ name: "twice", kind: "numeric", values: Float64Array.from(d, (x) => 2 * x) });
  const o: DcdhOptions = { ...base, effects: 3, placebo: 2 };
  const r = dcdh(f, o);
  it("reversing the treatment (1 - D) flips the sign of every estimate and keeps the errors", () => {
    const s = dcdh(flip, { ...o, treat: "flip" });
    for (const [a, b] of [[r.effects, s.effects], [r.placebos, s.placebos], [[r.ate], [s.ate]]] as const) {
      a.forEach((e, i) => {
        close(b[i].estimate, -e.estimate, 1e-10);
        close(b[i].std_error, e.std_error, 1e-10);
      });
    }
  });
  it("doubling the treatment halves the normalised effects and the ATE, not the raw effects", () => {
    const n1 = dcdh(f, { ...o, normalized: true });
    const n2 = dcdh(twice, { ...o, treat: "twice", normalized: true });
    const r2 = dcdh(twice, { ...o, treat: "twice" });
    n1.effects.forEach((e, i) => close(n2.effects[i].estimate, e.estimate / 2, 1e-10));
    r.effects.forEach((e, i) => close(r2.effects[i].estimate, e.estimate, 1e-10));
    close(r2.ate.estimate, r.ate.estimate / 2, 1e-10);
  });
  it("switchers in and out: both directions together are their switcher-weighted combination", () => {
    // half the groups start treated and switch off (and back on)
    const g = f.numeric("g", "g");
    const mixed = f.withColumn({ name: "mixed", kind: "numeric", values: Float64Array.from(d, (x, i) => (g[i] % 2 === 1 ? 1 - x : x)) });
    const om = { ...o, treat: "mixed" };
    const r = dcdh(mixed, om);
    const up = dcdh(mixed, { ...om, switchers: "in" });
    const down = dcdh(mixed, { ...om, switchers: "out" });
    expect(up.effects[0].switchers * down.effects[0].switchers).toBeGreaterThan(0);
    r.effects.forEach((e, i) => {
      const n1 = up.effects[i]?.switchers_weighted ?? 0;
      const n0 = down.effects[i]?.switchers_weighted ?? 0;
      close(e.estimate, (n1 * (up.effects[i]?.estimate ?? 0) + n0 * (down.effects[i]?.estimate ?? 0)) / (n1 + n0), 1e-10);
    });
  });
  it("a 0/1/2 treatment: the normalised first effect is DID_1 over the mean first change", () => {
    const m = simulated(5, { kind: "multi" });
    const a = dcdh(m, { ...base, effects: 2 });
    const b = dcdh(m, { ...base, effects: 2, normalized: true });
    expect(b.deltas![0]).toBeGreaterThan(1);
    close(b.effects[0].estimate, a.effects[0].estimate / b.deltas![0], 1e-10);
  });
});

describe("Monte Carlo: 95% intervals cover the true effect", () => {
  it("one row per cell, unweighted (cells written from the rows) or weighted by ones (cells summed): the same numbers", () => {
    const sorted = simulated(77, { kind: "onoff" });
    const withMissing = fromColumns(Object.fromEntries(sorted.names.map((nm) => [nm, Array.from(sorted.numeric(nm), (v, i) => (nm === "y" && i % 11 === 3 ? NaN : v))])));
    for (const data of [sorted, withMissing]) {
      const ones = data.withColumn({ name: "one", kind: "numeric", values: new Float64Array(data.nrow).fill(1) });
      const o = { ...base, effects: 3, placebo: 2 };
      expect(dcdh(ones, o).toJSON()).toEqual(dcdh(ones, { ...o, weights: "one" }).toJSON());
    }
    // rows in another order: the groups are numbered in another order, so sums differ in rounding only
    const n = sorted.nrow;
    const order = Array.from({ length: n }, (_, i) => (i * 7) % n); // 7 is prime to 480 rows: a permutation
    const shuffled = fromColumns(Object.fromEntries(sorted.names.map((nm) => [nm, order.map((i) => sorted.numeric(nm)[i])])));
    const [a, b] = [dcdh(sorted, { ...base, effects: 2 }), dcdh(shuffled, { ...base, effects: 2 })];
    a.effects.forEach((e, k) => {
      close(b.effects[k].estimate, e.estimate);
      close(b.effects[k].std_error, e.std_error);
    });
  });

  it("200 seeded panels with a known effect (1 per unit of treatment): coverage of DID_1, DID_2 and Placebo_1", () => {
    const reps = 200;
    const hits = [0, 0, 0];
    for (let s = 0; s < reps; s++) {
      const r = dcdh(simulated(1000 + s), { ...base, effects: 2, placebo: 1, });
      // true values: a constant effect of the current treatment, so DID_1 = DID_2 = 1, placebos 0
      if (r.effects[0].conf_low <= 1 && 1 <= r.effects[0].conf_high) hits[0]++;
      if (r.effects[1].conf_low <= 1 && 1 <= r.effects[1].conf_high) hits[1]++;
      if (r.placebos[0].conf_low <= 0 && 0 <= r.placebos[0].conf_high) hits[2]++;
    }
    // clustered by group (80 groups); binomial(200, 0.95) / 200 lies in [0.91, 0.985] with probability > 0.99
    // (measured: 0.97, 0.94, 0.945)
    for (const h of hits) {
      expect(h / reps).toBeGreaterThanOrEqual(0.9);
      expect(h / reps).toBeLessThanOrEqual(0.995);
    }
  }, 60_000);
});

describe("cells used, more than eight horizons", () => {
  // The horizons mark the cells they use in bit planes, eight horizons to a byte (dcdh-used-cells.ts): with 9
  // effects the 9th effect and the placebos share the second byte; the placebos change neither the effects'
  // counts nor the average total effect. 60 groups x 14 periods, switching at 3..4 or never.
  const rng = new Xoshiro128(17);
  const cols = { g: [] as number[], t: [] as number[], y: [] as number[], d: [] as number[] };
  for (let g = 0; g < 60; g++) {
    const start = g % 3 === 0 ? Infinity : 3 + (g % 2);
    for (let t = 1; t <= 14; t++) {
      cols.g.push(g);
      cols.t.push(t);
      cols.d.push(t >= start ? 1 : 0);
      cols.y.push(0.3 * t + (t >= start ? 1 : 0) + rng.uniform());
    }
  }
  const panel = fromColumns(cols);
  const without = dcdh(panel, { ...base, effects: 9 });
  const withPlacebos = dcdh(panel, { ...base, effects: 9, placebo: 2 });

  it("every effect and placebo is estimated, each with its own cells", () => {
    expect(withPlacebos.effects.map((e) => Number.isFinite(e.estimate))).toEqual(Array(9).fill(true));
    expect(withPlacebos.placebos).toHaveLength(2);
    expect(withPlacebos.effects.map((e) => e.nobs)).toEqual(without.effects.map((e) => e.nobs));
    expect(withPlacebos.placebos.every((p) => p.nobs > 0)).toBe(true);
  });
  it("the average total effect's cells are the effects' alone, with or without placebos", () => {
    expect(withPlacebos.ate).toEqual(without.ate);
    // its cells are at least the largest effect's and at most all of theirs together
    expect(without.ate.nobs).toBeGreaterThanOrEqual(Math.max(...without.effects.map((e) => e.nobs)));
    expect(without.ate.nobs).toBeLessThanOrEqual(without.effects.reduce((s, e) => s + e.nobs, 0));
  });
});

describe("errors", () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (isDidwasmError(e)) return `${e.code}: ${e.message}`;
      throw e;
    }
    return "no error";
  };
  it("controls are refused with the reason", () => expect(code(() => dcdh(tiny(), { ...base, controls: ["y"] }))).toMatch(/BAD_OPTION.*does not support controls/));
  it("no switcher with a not-yet-switched control: nothing can be estimated", () => {
    const allAtOnce = Dt.map((row, g) => (g < 5 ? [0, 0, 1, 1] : row));
    expect(code(() => dcdh(tiny(allAtOnce), base))).toMatch(/BAD_DATA: no effect can be estimated/);
  });
  it("groups must be nested in the cluster", () => {
    const f = simulated(1);
    const bad = f.withColumn({ name: "c", kind: "numeric", values: Float64Array.from(f.numeric("t", "t"), (t) => t % 2) });
    expect(code(() => dcdh(bad, { ...base, cluster: "c" }))).toMatch(/nested within the cluster variable "c": group 0/);
  });
  it("a bad number of effects", () => expect(code(() => dcdh(tiny(), { ...base, effects: 0 }))).toMatch(/BAD_OPTION: effects must be a whole number >= 1/));
  it("more effects than estimable: a note, and as many as possible", () => {
    const r = dcdh(tiny(), { ...base, effects: 5, placebo: 3 });
    expect(r.effects).toHaveLength(2);
    expect(r.notes.map((n) => n.message).join("\n")).toMatch(/5 effects requested, but at most 2/);
  });
});
