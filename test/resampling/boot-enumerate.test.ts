// The wild cluster bootstrap with every one of the 2^G Rademacher sign vectors equals a brute-force
// enumeration that, for each sign vector, rebuilds y* in the data, refits the whole model with feols and
// computes the clustered t statistic. The brute force shares nothing with the fast path but feols: its
// restricted residuals come from a dense least-squares fit with explicit dummies for every fixed effect.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import type { Frame } from "../../bindings/data/frame.js";
import { feols } from "../../bindings/estimators/feols.js";
import { invertSpd } from "../../bindings/linalg/small.js";
import { boot } from "../../bindings/resampling/boot.js";
import { pValues } from "../../bindings/resampling/test-inversion.js";
import { signVector } from "../../bindings/resampling/wild-enumerate.js";

/** Tight demeaning so feols's refits agree with the closed-form fast path far below the tolerances used. */
const TOL = 1e-13;
/** Brute force and fast path sum in different orders; t statistics agree to ~1e-12 relative. */
const REL_T = 1e-8;

interface Case {
  readonly formula: string;
  readonly regressors: readonly string[];
  /** Fixed effects: dummies for every level of the first, all but the first level of the others. */
  readonly fixef: readonly string[];
  /** Analytic weights column. */
  readonly weights?: string;
}

const NO_FE: Case = { formula: "y ~ x1 + x2", regressors: ["x1", "x2"], fixef: [] };
const TWO_WAY: Case = { formula: "y ~ x1 + x2 | unit + year", regressors: ["x1", "x2"], fixef: ["unit", "year"] };
const YEAR_ONLY: Case = { formula: "y ~ x1 | year", regressors: ["x1"], fixef: ["year"] };
const WEIGHTED: Case = { ...TWO_WAY, weights: "w" };

function panel(G: number, seed: number): Frame {
  // Two units per state, four years: G states (the clusters), 8G rows; unit is nested in state, year is not.
  return fromColumns(generateSyntheticPanel({ units: 2 * G, periods: 4, regressors: 2, unitsPerState: 2, seed, weights: true }));
}

/** Dense columns of the model: regressors, then fixed-effect dummies (or an intercept). */
function denseDesign(frame: Frame, c: Case): Float64Array[] {
  const cols = c.regressors.map((r) => Float64Array.from(frame.numeric(r)));
  if (c.fixef.length === 0) cols.push(new Float64Array(frame.nrow).fill(1));
  c.fixef.forEach((fe, q) => {
    const v = frame.numeric(fe);
    const levels = [...new Set(v)];
    levels.slice(q === 0 ? 0 : 1).forEach((l) => cols.push(Float64Array.from(v, (x) => (x === l ? 1 : 0))));
  });
  return cols;
}

/** Residuals of y on the columns (weighted normal equations, dense). */
function residuals(y: Float64Array, cols: readonly Float64Array[], w: Float64Array | null): Float64Array {
  const k = cols.length;
  const n = y.length;
  const XtX = new Float64Array(k * k);
  const Xty = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    for (let i = 0; i < n; i++) Xty[a] += (w ? w[i] : 1) * cols[a][i] * y[i];
    for (let b = 0; b < k; b++) for (let i = 0; i < n; i++) XtX[a * k + b] += (w ? w[i] : 1) * cols[a][i] * cols[b][i];
  }
  const inv = invertSpd(XtX, k)!;
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) beta[a] += inv[a * k + b] * Xty[b];
  return Float64Array.from(y, (v, i) => {
    let s = v;
    for (let a = 0; a < k; a++) s -= cols[a][i] * beta[a];
    return s;
  });
}

/** t* of every sign vector, by rebuilding y* and refitting with feols. */
function bruteForce(frame: Frame, c: Case, coef: string, imposeNull: boolean, r0: number): { t: Float64Array; tObs: number } {
  const vcov = "cluster:state";
  const weights = c.weights ?? null;
  const w = weights ? frame.numeric(weights) : null;
  const fit = feols(frame, c.formula, { vcov, tol: TOL, weights });
  const y = frame.numeric("y");
  const cols = denseDesign(frame, c);
  const ci = c.regressors.indexOf(coef);
  const u = imposeNull
    ? residuals(Float64Array.from(y, (v, i) => v - r0 * cols[ci][i]), cols.filter((_, j) => j !== ci), w)
    : residuals(Float64Array.from(y), cols, w);
  const centre = imposeNull ? r0 : fit.coef(coef);
  const states = frame.numeric("state");
  const ids = new Map<number, number>();
  const cl = Int32Array.from(states, (s) => {
    if (!ids.has(s)) ids.set(s, ids.size);
    return ids.get(s)!;
  });
  const G = ids.size;
  const t = new Float64Array(2 ** G);
  for (let j = 0; j < 2 ** G; j++) {
    const v = signVector(j, G);
    // y* = (fitted values of the bootstrap DGP) + v_g u_g = y - u + v_g u.
    const ystar = Float64Array.from(y, (yi, i) => yi - u[i] + v[cl[i]] * u[i]);
    const f = feols(frame.withColumn({ kind: "numeric", name: "y", values: ystar }), c.formula, { vcov, tol: TOL, weights });
    t[j] = (f.coef(coef) - centre) / f.se(coef);
  }
  return { t, tObs: (fit.coef(coef) - r0) / fit.se(coef) };
}

function expectClose(fast: ArrayLike<number>, brute: ArrayLike<number>): void {
  expect(fast.length).toBe(brute.length);
  let worst = 0;
  for (let i = 0; i < fast.length; i++) worst = Math.max(worst, Math.abs(fast[i] - brute[i]) / Math.max(1, Math.abs(brute[i])));
  expect(worst).toBeLessThan(REL_T);
}

describe("wild cluster bootstrap: full enumeration equals brute force", () => {
  const cases: Array<[number, Case, string]> = [
    [6, NO_FE, "no fixed effects"],
    [7, TWO_WAY, "unit (nested) + year (not nested) fixed effects"],
    [8, YEAR_ONLY, "a fixed effect not nested in the clusters only"],
    [9, NO_FE, "no fixed effects"],
    [10, TWO_WAY, "unit + year fixed effects"],
    [8, WEIGHTED, "unit + year fixed effects, analytic weights"],
  ];
  for (const [G, c, label] of cases) {
    for (const imposeNull of [true, false]) {
      it(`G = ${G}, ${imposeNull ? "restricted (WCR)" : "unrestricted (WCU)"}, ${label}`, () => {
        const frame = panel(G, 100 + G);
        const r0 = imposeNull ? 0.25 : 0;
        const res = boot(frame, { formula: c.formula, coef: "x1", cluster: "state", method: "wild", imposeNull, null: r0, reps: 9999, seed: 1, tol: TOL, weights: c.weights ?? null });
        expect(res.enumerated).toBe(true);
        expect(res.reps).toBe(2 ** G);
        const brute = bruteForce(frame, c, "x1", imposeNull, r0);
        expect(Math.abs(res.tObs - brute.tObs)).toBeLessThan(1e-10 * Math.abs(brute.tObs));
        expectClose(res.draws, brute.t);
        const p = pValues(brute.t, brute.tObs);
        expect(res.pValue).toBe(p.symmetric);
        expect(res.pEqualTailed).toBe(p.equalTailed);
      });
    }
  }

  it("the same holds with a second tested coefficient and the model's default null", () => {
    const frame = panel(6, 7);
    const res = boot(frame, { formula: TWO_WAY.formula, coef: "x2", cluster: "state", reps: 64, seed: 3, tol: TOL });
    const brute = bruteForce(frame, TWO_WAY, "x2", true, 0);
    expectClose(res.draws, brute.t);
    expect(res.pValue).toBe(pValues(brute.t, brute.tObs).symmetric);
  });
});
