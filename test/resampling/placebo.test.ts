import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import { feols } from "../../bindings/estimators/feols.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { fakeCohortRange, fakeCohorts } from "../../bindings/resampling/fake-assignments.js";
import { drawsRepayWorkers, placebo, preparePlacebo } from "../../bindings/resampling/placebo.js";
import type { Frame } from "../../bindings/data/frame.js";

const city = fromColumns(generateSmartCity());
const wasm = createEngine({ backend: "wasm" });
const reference = createEngine({ backend: "reference" });
const CITY_FORMULA = "ire ~ did + lngdp + lnfin + upg + lnfis + fix + tra | city + year";

/** Full refit of draw r: the fake treatment as a column, the whole model estimated again. */
function refit(frame: Frame, formula: string, treat: string, unit: string, time: string, fake: Float64Array, unitIndex: Map<string, number>, vcov: string) {
  const t = frame.numeric(time);
  const values = new Float64Array(frame.nrow);
  for (let r = 0; r < frame.nrow; r++) values[r] = t[r] >= fake[unitIndex.get(frame.cellText(unit, r))!] ? 1 : 0;
  const fit = feols(frame.withColumn({ kind: "numeric", name: treat, values }), formula, { vcov, tol: 1e-13 });
  return { coef: fit.coef(treat), t: fit.tstat(treat) };
}

function unitIndexOf(frame: Frame, unit: string, rowsFilter: (r: number) => boolean): Map<string, number> {
  const m = new Map<string, number>();
  for (let r = 0; r < frame.nrow; r++) if (rowsFilter(r) && !m.has(frame.cellText(unit, r))) m.set(frame.cellText(unit, r), m.size);
  return m;
}

describe("placebo fast path equals a full refit on every draw", () => {
  it("unbalanced panel (missing values), mixed placebo, clustered t statistics", () => {
    const res = placebo(city, { formula: CITY_FORMULA, treat: "did", unit: "city", time: "year", cohort: "cohort", kind: "mixed", variant: 2, reps: 25, seed: 7, vcov: "cluster:city", tStats: true, tol: 1e-13 });
    // The sample's units in order of first appearance among complete rows: rebuild the fast path's ids.
    const needed = ["ire", "did", "lngdp", "lnfin", "upg", "lnfis", "fix", "tra"].map((c) => city.numeric(c));
    const complete = (r: number) => needed.every((v) => !Number.isNaN(v[r]));
    const idx = unitIndexOf(city, "city", complete);
    const cohorts = new Float64Array(idx.size).fill(Infinity);
    const g = city.numeric("cohort");
    for (let r = 0; r < city.nrow; r++) if (complete(r)) cohorts[idx.get(city.cellText("city", r))!] = g[r] > 0 ? g[r] : Infinity;
    const periods = [...new Set(city.numeric("year"))].sort((a, b) => a - b);
    for (let r = 0; r < 25; r++) {
      const fake = fakeCohorts(wasm, { cohorts, periods }, "mixed", 2, 7, r);
      const full = refit(city, CITY_FORMULA, "did", "city", "year", fake, idx, "cluster:city");
      expect(Math.abs(res.draws![r] - full.coef)).toBeLessThan(1e-10 * Math.max(1, Math.abs(full.coef)));
      expect(Math.abs(res.tDraws![r] - full.t)).toBeLessThan(1e-8 * Math.max(1, Math.abs(full.t)));
    }
  });

  it("balanced two-way panel (closed-form demeaning), space placebo, iid and hetero t statistics", () => {
    const data = fromColumns(generateSyntheticPanel({ units: 60, periods: 8, regressors: 2, seed: 4, staggered: { cohorts: [2003, 2005], neverShare: 0.4, effect: 1 } }));
    const formula = "y ~ treat + x1 + x2 | unit + year";
    for (const vcov of ["iid", "hetero"]) {
      const res = placebo(data, { formula, treat: "treat", unit: "unit", time: "year", cohort: "cohort", kind: "space", reps: 20, seed: 3, vcov, tStats: true, tol: 1e-13 });
      const idx = unitIndexOf(data, "unit", () => true);
      const c = data.numeric("cohort");
      const cohorts = new Float64Array(idx.size).fill(Infinity);
      for (let r = 0; r < data.nrow; r++) cohorts[idx.get(data.cellText("unit", r))!] = c[r] > 0 ? c[r] : Infinity;
      const periods = [...new Set(data.numeric("year"))].sort((a, b) => a - b);
      for (let r = 0; r < 20; r++) {
        const full = refit(data, formula, "treat", "unit", "year", fakeCohorts(wasm, { cohorts, periods }, "space", 1, 3, r), idx, vcov);
        expect(Math.abs(res.draws![r] - full.coef)).toBeLessThan(1e-10 * Math.max(1, Math.abs(full.coef)));
        expect(Math.abs(res.tDraws![r] - full.t)).toBeLessThan(1e-8 * Math.max(1, Math.abs(full.t)));
      }
    }
  });
});

describe("placebo inference", () => {
  it("draws centre on zero when the true effect is zero, and the p-values are uniform-ish", () => {
    const data = fromColumns(generateSyntheticPanel({ units: 120, periods: 10, regressors: 1, seed: 21, staggered: { cohorts: [2004, 2006], neverShare: 0.5, effect: 0 } }));
    const res = placebo(data, { formula: "y ~ treat + x1 | unit + year", treat: "treat", unit: "unit", time: "year", cohort: "cohort", kind: "mixed", variant: 3, reps: 400, seed: 1 });
    const draws = res.draws!;
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((s, v) => s + (v - mean) ** 2, 0) / (draws.length - 1));
    expect(Math.abs(mean)).toBeLessThan(4 * sd / Math.sqrt(draws.length));
    expect(res.p_two!).toBeGreaterThan(0.01);
  });
  it("a large true effect lies in the right tail of the placebo distribution", () => {
    const res = placebo(city, { formula: CITY_FORMULA, treat: "did", unit: "city", time: "year", cohort: "cohort", kind: "mixed", variant: 1, reps: 200, seed: 2 });
    expect(res.p_right).toBeLessThan(0.01);
    expect(res.p_left).toBeGreaterThan(0.99);
  });
  it("the same seed gives the same draws on both backends; another seed gives others", () => {
    const a = placebo(city, { formula: CITY_FORMULA, treat: "did", unit: "city", time: "year", kind: "space", reps: 30, seed: 5, backend: "wasm" });
    const b = placebo(city, { formula: CITY_FORMULA, treat: "did", unit: "city", time: "year", kind: "space", reps: 30, seed: 5, backend: "reference" });
    const c = placebo(city, { formula: CITY_FORMULA, treat: "did", unit: "city", time: "year", kind: "space", reps: 30, seed: 6 });
    expect(Array.from(a.draws!)).toEqual(Array.from(b.draws!));
    expect(Array.from(a.draws!)).not.toEqual(Array.from(c.draws!));
  });
  it("in-time placebo: one refit per shift on pre-treatment data", () => {
    const res = placebo(city, { formula: CITY_FORMULA, treat: "did", unit: "city", time: "year", cohort: "cohort", kind: "time", shifts: [1, 2], seed: 1 });
    expect(res.shifts!.map((s) => s.shift)).toEqual([1, 2]);
    // Treated cities' post-adoption rows (about 100 cities x 7-9 years) are dropped.
    expect(res.shifts![0].nobs).toBeLessThan(3976 - 600);
    for (const s of res.shifts!) expect(Math.abs(s.estimate)).toBeLessThan(4 * s.std_error);
  });
});

describe("fake assignments", () => {
  const cohorts = Float64Array.from([2012, 2012, 2013, Infinity, Infinity, 2014, Infinity, Infinity, Infinity, Infinity]);
  const periods = [2010, 2011, 2012, 2013, 2014, 2015];
  const space = { cohorts, periods };
  const finite = (a: Float64Array) => Array.from(a).filter(Number.isFinite).sort();
  it("space keeps the multiset of treatment paths", () => {
    for (let r = 0; r < 20; r++) expect(finite(fakeCohorts(wasm, space, "space", 1, 9, r))).toEqual(finite(cohorts));
  });
  it("mixed: m fake units; variant 1 one date in 2nd..last period, 2 dates within the true range, 3 the true dates", () => {
    for (let r = 0; r < 50; r++) {
      const v1 = finite(fakeCohorts(wasm, space, "mixed", 1, 9, r));
      expect(v1.length).toBe(4);
      expect(new Set(v1).size).toBe(1);
      expect(v1[0]).toBeGreaterThanOrEqual(2011);
      const v2 = finite(fakeCohorts(wasm, space, "mixed", 2, 9, r));
      expect(v2.length).toBe(4);
      expect(v2.every((d) => d >= 2012 && d <= 2014)).toBe(true);
      expect(finite(fakeCohorts(wasm, space, "mixed", 3, 9, r))).toEqual(finite(cohorts));
    }
  });
  it("a block of replicates equals its replicates drawn one at a time, in any order, on both backends (replicate r alone decides)", () => {
    const kinds = [["space", 1], ["mixed", 1], ["mixed", 2], ["mixed", 3]] as const;
    for (const [kind, variant] of kinds) {
      const block = fakeCohortRange(wasm, space, kind, variant, 11, 0, 30);
      expect(fakeCohortRange(reference, space, kind, variant, 11, 0, 30), `${kind} ${variant}`).toEqual(block);
      // Replicates in reverse order, each alone, and a block starting in the middle.
      for (let r = 29; r >= 0; r--) expect(fakeCohorts(reference, space, kind, variant, 11, r), `${kind} ${variant} r=${r}`).toEqual(block[r]);
      expect(fakeCohortRange(wasm, space, kind, variant, 11, 17, 5)).toEqual(block.slice(17, 22));
    }
    // Draws of one kind differ between replicates (the comparisons above are not vacuous).
    expect(new Set(fakeCohortRange(wasm, space, "mixed", 2, 11, 0, 30).map((a) => Array.from(a).join())).size).toBeGreaterThan(10);
  });
  it("draw exactly the assignments the specification gives (pinned: a placebo run's draws do not change)", () => {
    // Replicates 0 and 7 of seed 11 (null: not treated), as the specification's first implementation drew them.
    const pinned = {
      "space 1": [[null, 2012, null, 2013, 2014, null, null, null, null, 2012], [null, 2012, 2014, null, null, 2012, null, null, null, 2013]],
      "mixed 1": [[2013, 2013, 2013, null, null, null, null, null, null, 2013], [2011, null, 2011, 2011, null, 2011, null, null, null, null]],
      "mixed 2": [[2013, 2014, 2012, null, null, null, null, null, null, 2012], [2013, null, 2013, 2012, null, 2013, null, null, null, null]],
      "mixed 3": [[2012, 2013, 2012, null, null, null, null, null, null, 2014], [2012, null, 2014, 2013, null, 2012, null, null, null, null]],
    } as const;
    for (const [key, [r0, r7]] of Object.entries(pinned)) {
      const [kind, variant] = key.split(" ") as ["space" | "mixed", string];
      for (const engine of [wasm, reference]) {
        const got = [0, 7].map((r) => Array.from(fakeCohorts(engine, space, kind, Number(variant) as 1 | 2 | 3, 11, r), (v) => (Number.isFinite(v) ? v : null)));
        expect(got, key).toEqual([r0, r7]);
      }
    }
  });
});

describe("worker threads for the draws, by the size of the work", () => {
  const base = { formula: CITY_FORMULA, treat: "did", unit: "city", time: "year", cohort: "cohort", kind: "mixed" as const, variant: 1 as const, seed: 1 };
  it("not for the bundled panel's draws on the unit x period tables (a millisecond of work), even many of them", () => {
    const p = preparePlacebo(city, { ...base, reps: 500 });
    expect(p.twoWay).not.toBeNull();
    expect(drawsRepayWorkers(p)).toBe(false);
    expect(drawsRepayWorkers(preparePlacebo(city, { ...base, reps: 20_000 }))).toBe(false);
  });
  it("left to the rows x draws rule when the draws pass over the rows (t statistics, other fixed effects)", () => {
    expect(drawsRepayWorkers(preparePlacebo(city, { ...base, reps: 500, tStats: true }))).toBe(true);
    const oneWay = preparePlacebo(city, { ...base, formula: "ire ~ did + lngdp | city", reps: 500 });
    expect(oneWay.twoWay).toBeNull();
    expect(drawsRepayWorkers(oneWay)).toBe(true);
  });
  it("for many draws with many treated units on the tables", () => {
    const data = fromColumns(generateSyntheticPanel({ units: 2000, periods: 10, regressors: 1, seed: 2, staggered: { cohorts: [2004, 2006], neverShare: 0.4, effect: 0 } }));
    const o = { formula: "y ~ treat + x1 | unit + year", treat: "treat", unit: "unit", time: "year", cohort: "cohort", kind: "mixed" as const, variant: 1 as const, seed: 1 };
    expect(drawsRepayWorkers(preparePlacebo(data, { ...o, reps: 20_000 }))).toBe(true);
    expect(drawsRepayWorkers(preparePlacebo(data, { ...o, reps: 500 }))).toBe(false);
  });
});
