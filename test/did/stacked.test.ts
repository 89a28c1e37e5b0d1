// Stacked DID (bindings/estimators/did/stacked.ts): the identity (one cohort = the 2x2 DID, by
// hand from group means), the corrective weights against the paper's formula on an unbalanced stack, and a
// seeded Monte Carlo with heterogeneous, dynamic effects where two-way fixed effects is biased and the
// corrective-weighted stacked estimate recovers the trimmed aggregate ATT with nominal coverage.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { feols } from "../../bindings/estimators/feols.js";
import { stacked } from "../../bindings/estimators/did/stacked.js";
import { buildStack, experimentOfRow } from "../../bindings/estimators/did/stacked-build.js";
import { correctiveWeights } from "../../bindings/estimators/did/stacked-weights.js";
import { timingFromCohort, unitIdsOfFrame } from "../../bindings/estimators/did/cohorts.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

interface PanelSpec {
  readonly cohorts: ReadonlyArray<readonly [cohort: number, units: number]>;
  readonly years: readonly [number, number];
  /** Effect of cohort a at event time e >= 0. */
  readonly effect: (a: number, e: number) => number;
  readonly seed: number;
}

function simulate(s: PanelSpec) {
  const rng = new Xoshiro128(s.seed);
  const unit: number[] = [];
  const year: number[] = [];
  const cohort: number[] = [];
  const treat: number[] = [];
  const y: number[] = [];
  const yearEffect = new Map<number, number>();
  for (let t = s.years[0]; t <= s.years[1]; t++) yearEffect.set(t, 0.3 * (t - s.years[0]) + rng.normal() * 0.5);
  let u = 0;
  for (const [g, n] of s.cohorts) {
    for (let k = 0; k < n; k++, u++) {
      const alpha = rng.normal() + (g === 0 ? 0 : 0.05 * (g - s.years[0]));
      for (let t = s.years[0]; t <= s.years[1]; t++) {
        const on = g !== 0 && t >= g;
        unit.push(u);
        year.push(t);
        cohort.push(g);
        treat.push(on ? 1 : 0);
        y.push(alpha + yearEffect.get(t)! + (on ? s.effect(g, t - g) : 0) + rng.normal());
      }
    }
  }
  return fromColumns({ unit, year, cohort, treat, y });
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("one cohort: the stacked estimate is the 2x2 DID", () => {
  const f = simulate({ cohorts: [[2003, 6], [0, 8]], years: [2000, 2005], effect: (_, e) => 1 + e, seed: 3 });
  const y = f.numeric("y");
  const yr = f.numeric("year");
  const g = f.numeric("cohort");
  const cell = (treated: boolean, years: readonly number[]) => {
    const v: number[] = [];
    for (let r = 0; r < f.nrow; r++) if ((g[r] !== 0) === treated && years.includes(yr[r])) v.push(y[r]);
    return mean(v);
  };
  const did = (post: number[], pre: number[]) => cell(true, post) - cell(true, pre) - (cell(false, post) - cell(false, pre));

  for (const weighting of ["corrective", "none"] as const) {
    it(`window -1:0, ${weighting}: ATT = (T after - T before) - (C after - C before)`, () => {
      const r = stacked(f, { y: "y", unit: "unit", time: "year", cohort: "cohort", window: [-1, 0], weighting });
      expect(r.att.estimate).toBeCloseTo(did([2003], [2002]), 10);
      expect(r.event.map((e) => e.rel_time)).toEqual([0]);
      expect(r.event[0].estimate).toBeCloseTo(r.att.estimate, 10);
      expect(r.nobs).toBe(2 * 14);
    });
  }
  it("window -2:2: ATT is the DID of the post and pre means, each event coefficient the DID against -1", () => {
    const r = stacked(f, { y: "y", unit: "unit", time: "year", cohort: "cohort", window: [-2, 2] });
    expect(r.att.estimate).toBeCloseTo(did([2003, 2004, 2005], [2001, 2002]), 10);
    for (const e of r.event) expect(e.estimate).toBeCloseTo(did([2003 + e.rel_time], [2002]), 10);
  });
});

describe("a row without treatment", () => {
  it("leaves the stack as a missing value: the same numbers as the data without it, and counted in the note", () => {
    const f = simulate({ cohorts: [[2003, 3], [2005, 3], [0, 4]], years: [2000, 2008], effect: () => 1, seed: 9 });
    const cols = Object.fromEntries(["unit", "year", "cohort", "treat", "y"].map((c) => [c, Array.from(f.numeric(c))]));
    // unit 1 (cohort 2003) in 2004: its treatment missing
    const r = cols.unit.findIndex((u, k) => u === 1 && cols.year[k] === 2004);
    const withGap = fromColumns({ ...cols, treat: cols.treat.map((d, k) => (k === r ? NaN : d)) });
    const without = fromColumns(Object.fromEntries(Object.entries(cols).map(([c, v]) => [c, v.filter((_, k) => k !== r)])));
    const o = { y: "y", unit: "unit", time: "year", treat: "treat", window: [-2, 2] as [number, number] };
    const a = stacked(withGap, o);
    const b = stacked(without, o);
    expect(a.nobs).toBe(b.nobs);
    expect(a.att.estimate).toBe(b.att.estimate);
    expect(a.event.map((e) => e.estimate)).toEqual(b.event.map((e) => e.estimate));
    expect(a.notes.find((n) => n.kind === "missing_dropped")?.message).toMatch(/^1 observation/);
  });
});

describe("corrective weights", () => {
  it("treated 1; controls (N^D_ae / N^D_e) / (N^C_ae / N^C_e), counted per event time on an unbalanced stack", () => {
    const f = simulate({ cohorts: [[2003, 2], [2005, 3], [2007, 1], [0, 4]], years: [2000, 2008], effect: () => 1, seed: 5 });
    // Drop unit 9's (a never-treated unit) 2004: the 2003 sub-experiment has 7 controls at event time 1.
    const keep = Array.from({ length: f.nrow }, (_, r) => !(f.numeric("unit")[r] === 9 && f.numeric("year")[r] === 2004));
    const timing = timingFromCohort(f, { unit: "unit", time: "year", cohort: "cohort" });
    const stack = buildStack({
      timing, time: f.numeric("year"), unitIds: unitIdsOfFrame(f, "unit").ids, units: unitIdsOfFrame(f, "unit").G, usable: Uint8Array.from(keep, Number), window: [-2, 1], cleanControls: "notyet",
    });
    expect(stack.experiments.map((x) => [x.cohort, x.treatedUnits, x.controlUnits])).toEqual([[2003, 2, 8], [2005, 3, 5], [2007, 1, 4]]);
    const w = correctiveWeights(stack, [-2, 1]);
    const at = (a: number, e: number, treated: number) => {
      const i = Array.from(stack.source.keys()).find((k) => stack.experiments[experimentOfRow(stack, k)].cohort === a && stack.event[k] === e && stack.treated[k] === treated)!;
      return w[i];
    };
    expect(at(2005, 0, 1)).toBe(1);
    // Clean controls (not yet treated by the window's end): 2003's are 2005, 2007 and never (3 + 1 + 4),
    // 2005's are 2007 and never (1 + 4), 2007's never (4). Event time 0: treated 6, controls 17.
    expect(at(2003, 0, 0)).toBeCloseTo((2 / 6) / (8 / 17), 14);
    expect(at(2007, 0, 0)).toBeCloseTo((1 / 6) / (4 / 17), 14);
    // Event time 1 (2004 for cohort 2003): unit 9 is missing, so 2003 has 7 of 16 controls.
    expect(at(2003, 1, 0)).toBeCloseTo((2 / 6) / (7 / 16), 14);
    expect(at(2005, 1, 0)).toBeCloseTo((3 / 6) / (5 / 16), 14);
  });
});

describe("Monte Carlo: heterogeneous dynamic effects", () => {
  const cohorts = [[2004, 20], [2006, 40], [2008, 10], [0, 30]] as const;
  const L = 3;
  const REPS = 200;
  const run = (effect: (a: number, e: number) => number, rep: number, weighting: "corrective" | "none" = "corrective") => {
    const f = simulate({ cohorts, years: [2000, 2011], effect, seed: 1000 + rep });
    return { f, r: stacked(f, { y: "y", unit: "unit", time: "year", cohort: "cohort", window: [-3, L], weighting }) };
  };

  it(`effects differing by cohort and growing with time: the corrective stack recovers the trimmed ATT, TWFE and the unweighted stack do not (${REPS} reps)`, () => {
    // Cohorts of unequal size and clean-control counts, with effects that differ by cohort and grow with time
    // since adoption: TWFE's late-versus-early comparisons bias it; the unweighted stack weights cohorts by
    // treatment-control balance. The target: the trimmed aggregate ATT, sum_a N_a sum_{e=0..L} tau_ae / (N (L + 1)).
    const scale = new Map([[2004, 3], [2006, 1], [2008, 0.5]]);
    const effect = (a: number, e: number) => scale.get(a)! * (1 + e);
    let num = 0;
    let den = 0;
    for (const [a, n] of cohorts) if (a) for (let e = 0; e <= L; e++) { num += n * effect(a, e); den += n; }
    const target = num / den;
    const est: number[] = [];
    const unweighted: number[] = [];
    const twfe: number[] = [];
    let covered = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const { f, r } = run(effect, rep);
      est.push(r.att.estimate);
      if (r.att.conf_low <= target && target <= r.att.conf_high) covered++;
      if (rep < 50) {
        unweighted.push(run(effect, rep, "none").r.att.estimate);
        twfe.push(feols(f, "y ~ treat | unit + year").coef().treat);
      }
    }
    const m = mean(est);
    const sd = Math.sqrt(est.reduce((s, x) => s + (x - m) ** 2, 0) / (REPS - 1));
    expect(Math.abs(m - target)).toBeLessThan(4 * sd / Math.sqrt(REPS));
    // The static regression leaves the effects' spread around the ATT in its residuals, which the clustered
    // variance counts as noise: its intervals are conservative here, never too narrow.
    expect(covered / REPS).toBeGreaterThanOrEqual(0.93);
    expect(Math.abs(mean(twfe) - target)).toBeGreaterThan(10 * sd / Math.sqrt(50));
    expect(Math.abs(mean(unweighted) - target)).toBeGreaterThan(10 * sd / Math.sqrt(50));
  }, 120_000);

  it(`effects growing with time since adoption: each event-time interval covers its effect 95% of the time (${REPS} reps)`, () => {
    // Same effect path in every cohort, so each event-time coefficient's model is right and its clustered
    // interval should have nominal coverage.
    const effect = (_: number, e: number) => 1 + e;
    const covered = new Map<number, number>();
    for (let rep = 0; rep < REPS; rep++) {
      const { r } = run(effect, rep);
      for (const e of r.event) {
        const truth = e.rel_time < 0 ? 0 : effect(0, e.rel_time);
        if (e.conf_low <= truth && truth <= e.conf_high) covered.set(e.rel_time, (covered.get(e.rel_time) ?? 0) + 1);
      }
    }
    expect([...covered.keys()].sort((a, b) => a - b)).toEqual([-3, -2, 0, 1, 2, 3]);
    // 200 draws: the binomial standard error of a 95% coverage is 1.5 points; the band is about 3 of them.
    for (const [, c] of covered) {
      expect(c / REPS).toBeGreaterThanOrEqual(0.9);
      expect(c / REPS).toBeLessThanOrEqual(0.995);
    }
  }, 120_000);
});
