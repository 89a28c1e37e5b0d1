// The imputation estimator (Borusyak, Jaravel and Spiess 2024) against did2s on the same model: both impute
// Y(0) from the untreated observations' unit and period effects (and controls), so the overall ATT equals
// did2s's static coefficient and tau_h its event-study coefficient of horizon h, whatever the effects'
// heterogeneity, weights, controls or missing rows. Also: the options' contracts.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { imputation } from "../../bindings/estimators/did/imputation.js";
import { twoStage } from "../../bindings/estimators/did/two-stage.js";
import { isDidwasmError } from "../../bindings/errors.js";

/** A staggered panel with effects that differ by cohort and grow with time since treatment, a control,
 *  weights, and a few missing outcomes (unbalanced). Deterministic: a small LCG. */
function staggered(o: { units?: number; loneCohort?: boolean } = {}) {
  const units = o.units ?? 120;
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const cohorts = [2004, 2006, 2008, 0];
  const cols = { unit: [] as number[], year: [] as number[], y: [] as number[], treat: [] as number[], cohort: [] as number[], x: [] as number[], w: [] as number[], st: [] as number[], wtr: [] as number[] };
  for (let u = 0; u < units; u++) {
    const g = o.loneCohort && u === 0 ? 2009 : o.loneCohort && u < 4 ? 0 : cohorts[u % 4];
    const a = rnd() * 2;
    const wu = 0.5 + rnd();
    for (let t = 2000; t <= 2010; t++) {
      const d = g !== 0 && t >= g ? 1 : 0;
      const x = rnd() + 0.1 * (t - 2000);
      const effect = d ? 1 + 0.3 * (t - g) + (g === 2006 ? 0.5 : 0) : 0;
      const y = a + 0.2 * (t - 2000) + 0.7 * x + effect + (rnd() - 0.5);
      cols.unit.push(u + 1);
      cols.year.push(t);
      cols.y.push((u * 11 + t) % 97 === 0 ? NaN : y);
      cols.treat.push(d);
      cols.cohort.push(g);
      cols.x.push(x);
      cols.w.push(wu);
      cols.st.push(u % 15);
      cols.wtr.push(1 + ((u + t) % 3));
    }
  }
  return fromColumns(cols);
}

const data = staggered();
const base = { y: "y", unit: "unit", time: "year", treat: "treat" };
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-9 * Math.max(1, Math.abs(b)));

describe("imputation point estimates equal did2s's on the same model", () => {
  for (const [label, extra] of [
    ["plain", {}],
    ["controls and weights", { controls: ["x"], weights: "w" }],
  ] as const) {
    it(`static ATT (${label})`, () => {
      const bjs = imputation(data, { ...base, ...extra });
      const d2 = twoStage(data, { ...base, ...extra });
      close(bjs.overall.estimate, d2.fit.coef("treat"));
      expect(bjs.overall.nobs).toBe(bjs.treatedObs);
    });
    it(`event-time effects (${label})`, () => {
      const bjs = imputation(data, { ...base, ...extra, horizons: "all" });
      const d2 = twoStage(data, { ...base, ...extra, event: true, cohort: "cohort" });
      expect(bjs.event.map((e) => e.rel_time)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      for (const e of bjs.event) close(e.estimate, d2.fit.coef(`rel::${e.rel_time}`));
      expect(bjs.eventVcov!.rel_time).toEqual([0, 1, 2, 3, 4, 5, 6]);
      bjs.event.forEach((e, j) => close(bjs.eventVcov!.vcov[j][j], e.std_error ** 2));
    });
  }
});

describe("imputation options", () => {
  it("horizons pick a subset; the overall ATT is the treated-count weighted mean of all horizons", () => {
    const all = imputation(data, { ...base, horizons: "all" });
    const some = imputation(data, { ...base, horizons: "1:2" });
    expect(some.event.map((e) => e.term)).toEqual(["tau1", "tau2"]);
    close(some.event[1].estimate, all.event[2].estimate);
    close(some.event[1].std_error, all.event[2].std_error);
    const mean = all.event.reduce((s, e) => s + e.estimate * e.nobs, 0) / all.event.reduce((s, e) => s + e.nobs, 0);
    close(all.overall.estimate, mean);
  });
  it("with every horizon, the overall ATT (from the horizons' effects and covariance) equals the one estimated alone", () => {
    for (const extra of [{}, { avgEffectsBy: "horizon" as const, weights: "w", wtr: "wtr", controls: ["x"] }, { leaveOut: false, cluster: "st" }]) {
      const alone = imputation(data, { ...base, ...extra }).overall;
      const fromHorizons = imputation(data, { ...base, ...extra, horizons: "all" }).overall;
      close(fromHorizons.estimate, alone.estimate);
      close(fromHorizons.std_error, alone.std_error);
      expect(fromHorizons.nobs).toBe(alone.nobs);
    }
  });
  it("wtr reweights the estimand (a constant wtr changes nothing)", () => {
    const plain = imputation(data, base);
    const framed = fromColumns({ ...Object.fromEntries(data.columns.map((c) => [c.name, c.kind === "numeric" ? c.values : []])), one: new Float64Array(data.nrow).fill(3) });
    close(imputation(framed, { ...base, wtr: "one" }).overall.estimate, plain.overall.estimate);
    expect(Math.abs(imputation(data, { ...base, wtr: "wtr" }).overall.estimate - plain.overall.estimate)).toBeGreaterThan(1e-4);
  });
  it("leave-out standard errors are larger than the plain Theorem 3 ones; coarser groups change them", () => {
    const lo = imputation(data, { ...base, horizons: "all" });
    const plain = imputation(data, { ...base, horizons: "all", leaveOut: false });
    lo.event.forEach((e, j) => expect(e.std_error).toBeGreaterThan(plain.event[j].std_error));
    const pooled = imputation(data, { ...base, avgEffectsBy: "treated" });
    expect(Math.abs(pooled.overall.std_error - lo.overall.std_error)).toBeGreaterThan(1e-6);
  });
  it("the iterative fixed-effect solver gives the same estimates and standard errors", () => {
    const a = imputation(data, { ...base, controls: ["x"], horizons: "0:3" });
    const b = imputation(data, { ...base, controls: ["x"], horizons: "0:3", directFixef: false, tol: 1e-12 });
    a.event.forEach((e, j) => {
      expect(Math.abs(e.estimate - b.event[j].estimate)).toBeLessThan(1e-7);
      expect(Math.abs(e.std_error - b.event[j].std_error)).toBeLessThan(1e-7);
    });
  });
  it("rows in any order (clusters not contiguous) give the same results, and the data are left as they were", () => {
    // every outcome present: the sample is every row, so the first stage is handed the frame's own columns
    const cols = Object.fromEntries(data.columns.map((c) => [c.name, Float64Array.from(c.kind === "numeric" ? c.values : [], (v) => (Number.isNaN(v) ? 0 : v))]));
    const sorted = fromColumns(cols);
    const shuffle = Array.from({ length: sorted.nrow }, (_, i) => (i * 7919) % sorted.nrow); // 7919 is prime to the row count
    const shuffled = fromColumns(Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Float64Array.from(shuffle, (i) => v[i])])));
    for (const cluster of ["unit", "st"]) {
      const o = { ...base, controls: ["x"], weights: "w", cluster, horizons: "all", pretrends: 2 };
      const y = Float64Array.from(sorted.numeric("y"));
      const a = imputation(sorted, o);
      expect(sorted.numeric("y")).toEqual(y);
      const b = imputation(shuffled, o);
      for (const [ea, eb] of [[a.overall, b.overall], ...a.event.map((e, j) => [e, b.event[j]])]) {
        close(eb.estimate, ea.estimate);
        close(eb.std_error, ea.std_error);
      }
      close(b.pretrends!.statistic, a.pretrends!.statistic);
    }
  });
  it("pretrends: K pre-period coefficients and a joint F test", () => {
    const r = imputation(data, { ...base, pretrends: 3 });
    expect(r.pretrends!.coefficients.map((c) => c.term)).toEqual(["pre1", "pre2", "pre3"]);
    expect(r.pretrends!.df1).toBe(3);
    expect(r.pretrends!.p_value).toBeGreaterThan(0);
    expect(r.pretrends!.p_value).toBeLessThanOrEqual(1);
  });
});

describe("imputation bad input", () => {
  const error = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(isDidwasmError(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error("no error");
  };
  it("treatment that switches off: the unit and period are named and dcdh suggested", () => {
    const cols = Object.fromEntries(data.columns.map((c) => [c.name, c.kind === "numeric" ? Float64Array.from(c.values) : []]));
    // unit 1 (cohort 2004) untreated again in 2007
    const r = Array.from({ length: data.nrow }, (_, i) => i).find((i) => cols.unit[i] === 1 && cols.year[i] === 2007)!;
    (cols.treat as Float64Array)[r] = 0;
    const msg = error(() => imputation(fromColumns(cols), base));
    expect(msg).toMatch(/unit 1 is treated from 2004 but untreated in 2007/);
    expect(msg).toMatch(/dcdh/);
  });
  it("a cohort with one unit: leave-out errors name it and the way out; without leave-out a warning", () => {
    const lone = staggered({ loneCohort: true });
    expect(error(() => imputation(lone, base))).toMatch(/cohort 2009, period 2009 is in one cluster \(unit 1\).*--avg-effects-by/);
    const r = imputation(lone, { ...base, leaveOut: false });
    expect(r.notes.some((n) => n.severity === "warning" && /single cluster/.test(n.message))).toBe(true);
    expect(imputation(lone, { ...base, avgEffectsBy: "horizon" }).overall.std_error).toBeGreaterThan(0);
  });
  it("bad horizons and pretrends are refused", () => {
    expect(error(() => imputation(data, { ...base, horizons: "-1:2" }))).toMatch(/negative/);
    expect(error(() => imputation(data, { ...base, horizons: "0,40" }))).toMatch(/no treated observation is 40/);
    expect(error(() => imputation(data, { ...base, horizons: "soon" }))).toMatch(/not a whole number/);
  });
});
