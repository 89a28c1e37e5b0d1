// The imputation's pre-trend test (imputation-pretrend-fit.ts computes its regression from the first
// stage's pieces) against the regression written out for feols: y on dummies pre1..preL for 1..L periods
// before the unit's treatment, the controls, unit and period fixed effects, on the untreated rows,
// clustered; then the joint Wald test. Coefficients, covariance, F, p-value, degrees of freedom and the
// regressors dropped as collinear must agree, with weights, another cluster variable, a control collinear
// with the fixed effects, leads without observations, both backends and both first-stage solvers.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { imputation } from "../../bindings/estimators/did/imputation.js";
import { feols } from "../../bindings/estimators/feols.js";
import { isDidwasmError } from "../../bindings/errors.js";
import { waldTest } from "../../bindings/stats/wald.js";

/** 90 units over 2000-2011 in 9 states, cohorts 2003/2005/2008/2010 or never, unbalanced (some early rows
 *  and some outcomes missing), two controls (x2 constant within units: collinear with the unit effects),
 *  weights. Deterministic: a small LCG. `gap`: treated units from 2006 only, unobserved 2003-2005. */
function panel(o: { gap?: boolean } = {}) {
  let s = 987654;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const cohorts = o.gap ? [2006, 0] : [2003, 2005, 2008, 2010, 0];
  const cols: Record<string, number[]> = { unit: [], state: [], year: [], cohort: [], treat: [], y: [], x1: [], x2: [], w: [] };
  for (let u = 0; u < 90; u++) {
    const g = cohorts[u % cohorts.length];
    const a = rnd();
    const x2 = rnd();
    const wu = 0.5 + rnd();
    for (let t = 2000; t <= 2011; t++) {
      if (t <= 2001 && (u * 7 + t) % 5 === 0) continue; // a missing row
      if (o.gap && g !== 0 && t >= 2003 && t < g) continue;
      const d = g !== 0 && t >= g ? 1 : 0;
      const x1 = rnd() + 0.05 * (t - 2000);
      // a pre-trend one period ahead of treatment, so that the coefficients are not all near 0
      const pre = g !== 0 && t === g - 1 ? 0.4 : 0;
      const y = a + 0.1 * (t - 2000) + 0.6 * x1 + 0.3 * x2 + d * (1 + 0.2 * (t - g)) + pre + (rnd() - 0.5);
      cols.unit.push(u + 1);
      cols.state.push(1 + (u % 9));
      cols.year.push(t);
      cols.cohort.push(g);
      cols.treat.push(d);
      cols.y.push(g === 0 && (u * 5 + t) % 7 === 0 ? NaN : y);
      cols.x1.push(x1);
      cols.x2.push(x2);
      cols.w.push(wu + 0.1 * rnd());
    }
  }
  return cols;
}

interface Case {
  readonly controls: string[];
  readonly weights: string | null;
  readonly cluster: string;
  readonly periods: number;
}

/** The pre-trend regression written out for feols, and its joint test. */
function byFeols(cols: Record<string, number[]>, c: Case, backend: "wasm" | "reference") {
  const leads: Record<string, number[]> = {};
  for (let h = 1; h <= c.periods; h++) leads[`pre${h}`] = cols.year.map((t, r) => (cols.cohort[r] !== 0 && t - cols.cohort[r] === -h ? 1 : 0));
  const names = Object.keys(leads);
  const fit = feols(fromColumns({ ...cols, ...leads }), `y ~ ${[...names, ...c.controls].join(" + ")} | unit + year`, {
    vcov: { type: "cluster", vars: [c.cluster] }, weights: c.weights, backend,
    rowFilter: Uint8Array.from(cols.treat, (d) => (d === 0 ? 1 : 0)),
  });
  const kept = names.map((nm) => fit.coefNames.indexOf(nm)).filter((i) => i >= 0);
  const V = kept.map((i) => kept.map((j) => fit.vcov[i][j]));
  const coef = kept.map((i) => fit.coef(fit.coefNames[i]));
  const w = waldTest(coef, V.flat(), kept.length, fit.dfT)!;
  return { terms: kept.map((i) => fit.coefNames[i]), coef, V, w, nobs: fit.nobs, removed: fit.removed };
}

const near = (got: number, want: number, tol: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));

const CASES: ReadonlyArray<readonly [string, Case]> = [
  ["no controls, clustered by unit", { controls: [], weights: null, cluster: "unit", periods: 3 }],
  ["controls (one collinear with the unit effects), weights, clustered by state", { controls: ["x1", "x2"], weights: "w", cluster: "state", periods: 2 }],
  ["more leads than some cohorts have pre-periods, some with no observation", { controls: ["x1"], weights: null, cluster: "unit", periods: 12 }],
];

describe.each([
  ["wasm", true], ["wasm", false], ["reference", true],
] as const)("pre-trend test equals the feols regression (%s backend, direct first-stage solve: %s)", (backend, directFixef) => {
  // The direct solve is exact up to rounding; sweeps stop at the (tightened) tolerance.
  const tol = directFixef ? 1e-9 : 1e-6;
  const cols = panel();
  it.each(CASES)("%s", (_name, c) => {
    const r = imputation(fromColumns(cols), {
      y: "y", unit: "unit", time: "year", treat: "treat", controls: c.controls, weights: c.weights, cluster: c.cluster,
      pretrends: c.periods, backend, directFixef, ...(directFixef ? {} : { tol: 1e-12 }), avgEffectsBy: "cohort",
    });
    const p = r.pretrends!;
    const want = byFeols(cols, c, backend);
    expect(p.coefficients.map((x) => x.term)).toEqual(want.terms);
    expect(p.nobs).toBe(want.nobs);
    p.coefficients.forEach((x, a) => {
      near(x.estimate, want.coef[a], tol);
      near(x.std_error, Math.sqrt(want.V[a][a]), tol);
      expect(x.rel_time).toBe(-Number(x.term.slice(3)));
      p.vcov[a].forEach((v, b) => near(v, want.V[a][b], tol));
    });
    near(p.statistic, want.w.statistic, tol);
    near(p.p_value, want.w.p_value, tol);
    expect([p.df1, p.df2]).toEqual([want.w.df1, want.w.df2]);
    const note = r.notes.find((n) => n.message.startsWith("pre-trend regression: collinear regressor(s) removed"));
    expect(note ? note.message.split(": ").at(-1)!.split(", ") : []).toEqual(want.removed);
  });
  it("the case with leads beyond the data drops them, as feols does", () => {
    expect(byFeols(cols, CASES[2][1], backend).removed.length).toBeGreaterThan(0);
    expect(byFeols(cols, CASES[1][1], backend).removed).toEqual(["x2"]);
  });
});

it("no untreated observation before treatment: a typed error that says there is nothing to test", () => {
  let err: unknown = null;
  try {
    imputation(fromColumns(panel({ gap: true })), { y: "y", unit: "unit", time: "year", treat: "treat", pretrends: 2 });
  } catch (e) {
    err = e;
  }
  expect(isDidwasmError(err)).toBe(true);
  expect((err as Error).message).toMatch(/pretrends 2: no untreated observation lies 1 to 2 period\(s\) before its unit's treatment/);
});
