// On a staggered panel with one constant, homogeneous effect, every estimator recovers it; and did2s's
// static estimate equals the imputation estimator (mean of the imputed effects on treated observations).
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { bacon } from "../../bindings/estimators/did/bacon.js";
import { callawaySantAnna } from "../../bindings/estimators/did/callaway-santanna.js";
import { eventStudy } from "../../bindings/estimators/did/event-study.js";
import { sunAbraham } from "../../bindings/estimators/did/sun-abraham.js";
import { twoStage } from "../../bindings/estimators/did/two-stage.js";
import { feols } from "../../bindings/estimators/feols.js";

const EFFECT = 2;
const data = fromColumns(
  generateSyntheticPanel({ units: 300, periods: 10, regressors: 1, seed: 11, staggered: { cohorts: [2003, 2005, 2007], neverShare: 0.3, effect: EFFECT } }),
);
const base = { y: "y", unit: "unit", time: "year" };

/** |estimate - truth| within 4 standard errors (and the standard error itself sensible). */
function recovers(estimate: number, se: number) {
  expect(se).toBeGreaterThan(0);
  expect(se).toBeLessThan(0.5);
  expect(Math.abs(estimate - EFFECT)).toBeLessThan(4 * se);
}

describe("a homogeneous constant effect is recovered by every estimator", () => {
  it("TWFE and Goodman-Bacon (every 2x2 comparison is unbiased here)", () => {
    const fit = feols(data, "y ~ treat + x1 | unit + year", { vcov: "cluster:unit" });
    recovers(fit.coef("treat"), fit.se("treat"));
    const b = bacon(data, { ...base, treat: "treat" });
    expect(Math.abs(b.twfe - feols(data, "y ~ treat | unit + year").coef("treat"))).toBeLessThan(1e-10);
    recovers(b.twfe, fit.se("treat"));
    for (const t of b.byType) expect(Math.abs(t.estimate - EFFECT)).toBeLessThan(0.5);
  });
  it("event study: post coefficients near the effect, pre coefficients near zero", () => {
    const es = eventStudy(data, { ...base, cohort: "cohort", controls: ["x1"] });
    for (const e of es.events) {
      const truth = e.rel_time >= 0 ? EFFECT : 0;
      expect(Math.abs(e.estimate - truth)).toBeLessThan(4 * e.std_error);
    }
    expect(es.pretrend!.p_value).toBeGreaterThan(0.001);
  });
  it("did2s static and event study", () => {
    const s = twoStage(data, { ...base, treat: "treat", controls: ["x1"] });
    recovers(s.coefficients[0].estimate, s.coefficients[0].std_error);
    const ev = twoStage(data, { ...base, treat: "treat", event: true, cohort: "cohort" });
    for (const c of ev.coefficients) if ((c as any).rel_time >= 0) expect(Math.abs(c.estimate - EFFECT)).toBeLessThan(4 * c.std_error);
  });
  it("Sun-Abraham ATT", () => {
    const sa = sunAbraham(data, { ...base, cohort: "cohort", controls: ["x1"] });
    recovers(sa.att.estimate, sa.att.std_error);
  });
  it("Callaway-Sant'Anna, never-treated and not-yet-treated controls", () => {
    for (const controlGroup of ["never", "notyet"] as const) {
      const cs = callawaySantAnna(data, { ...base, cohort: "cohort", controlGroup });
      recovers(cs.overall.simple.att, cs.overall.simple.std_error);
      recovers(cs.overall.dynamic.att, cs.overall.dynamic.std_error);
      recovers(cs.overall.group.att, cs.overall.group.std_error);
      recovers(cs.overall.calendar.att, cs.overall.calendar.std_error);
    }
  });
});

describe("did2s", () => {
  it("static estimate equals the imputation estimator's point estimate", () => {
    const s = twoStage(data, { ...base, treat: "treat" });
    const imputed = imputationEstimate();
    expect(Math.abs(s.coefficients[0].estimate - imputed)).toBeLessThan(1e-8);
  });
});

/** Borusyak-Jaravel-Spiess imputation by brute force: least squares of y on unit and year dummies over the
 *  untreated rows (normal equations solved densely), then mean of y - fitted over treated rows. */
function imputationEstimate(): number {
  const n = data.nrow;
  const unit = data.numeric("unit");
  const year = data.numeric("year");
  const y = data.numeric("y");
  const treat = data.numeric("treat");
  const units = [...new Set(unit)];
  const years = [...new Set(year)].slice(1); // drop one year: unit dummies span the constant
  const p = units.length + years.length;
  const col = (i: number) => {
    const v = new Float64Array(p);
    v[units.indexOf(unit[i])] = 1;
    const k = years.indexOf(year[i]);
    if (k >= 0) v[units.length + k] = 1;
    return v;
  };
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    if (treat[i] !== 0) continue;
    const x = col(i);
    for (let a = 0; a < p; a++) {
      if (!x[a]) continue;
      b[a] += y[i];
      for (let c = 0; c < p; c++) A[a * p + c] += x[c];
    }
  }
  // Gaussian elimination with partial pivoting.
  const M = Array.from({ length: p }, (_, r) => [...A.slice(r * p, r * p + p), b[r]]);
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= p; k++) M[r][k] -= f * M[c][k];
    }
  }
  const coef = M.map((row, r) => row[p] / row[r]);
  let s = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (treat[i] !== 1) continue;
    const x = col(i);
    let fitted = 0;
    for (let a = 0; a < p; a++) fitted += x[a] * coef[a];
    s += y[i] - fitted;
    m++;
  }
  return s / m;
}
