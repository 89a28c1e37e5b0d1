// Where rescaling cannot save precision, the least-squares core says so (OlsResult.precisionNotes, kind
// "precision_loss", severity "warning"): a column whose values span more than one f64 exponent range, a
// result beyond f64's range in the data's units. Columns whose values overflow f64 are refused.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { runOls, type OlsJob } from "../../bindings/estimators/ols-core.js";
import { standardErrorsOf } from "../../bindings/estimators/vcov/index.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { groupIds } from "../../bindings/model/groups.js";
import { DEFAULT_SSC } from "../../bindings/model/vcov-spec.js";
import { backendNames } from "../helpers/backends.js";

const panel = generateSyntheticPanel({ units: 60, periods: 6, regressors: 2, seed: 3 });
const frame = fromColumns(panel);
const rows = Int32Array.from({ length: frame.nrow }, (_, i) => i);
const unit = { name: "unit", ...groupIds(frame, "unit", rows) };
const year = { name: "year", ...groupIds(frame, "year", rows) };
const y0 = frame.numeric("y");
const x1 = frame.numeric("x1");
const x2 = frame.numeric("x2");

function job(backend: (typeof backendNames)[number], y: Float64Array, xs: Record<string, Float64Array>): OlsJob {
  const names = Object.keys(xs);
  return {
    backend: createEngine({ backend }).backend, outcomes: [{ name: "y", values: y }], design: { names, columns: names.map((k) => xs[k]), intercept: false },
    weights: null, fixef: [unit, year], tol: 1e-8, maxIter: 1000, vcov: { type: "cluster", vars: ["unit"] }, ssc: DEFAULT_SSC, clusterGroups: () => unit,
  };
}

const times = (v: Float64Array, s: number) => v.map((x) => x * s);
const precision = (notes: readonly { kind: string; severity: string; message: string }[]) => notes.filter((n) => n.kind === "precision_loss");

describe.each(backendNames)("precision notes of the least-squares core (%s)", (backend) => {
  it("none at ordinary scales, and the fit runs in the data's units", () => {
    const res = runOls(job(backend, y0, { x1, x2 }));
    expect(res.precisionNotes).toEqual([]);
    expect(res.outcomes[0].varianceUnits).toBeNull();
  });

  it("a regressor spanning 1e308 to ordinary values: fitted, with a note naming it", () => {
    const wide = Float64Array.from(x1);
    wide[7] = 1e308;
    const res = runOls(job(backend, y0, { x1: wide, x2 }));
    const span = precision(res.precisionNotes).filter((n) => /span/.test(n.message));
    expect(span).toHaveLength(1);
    expect(span[0].severity).toBe("warning");
    expect(span[0].message).toMatch(/regressor "x1" span .*largest \|value\| 1\.00e\+308/);
    expect(Array.from(res.outcomes[0].coef).every(Number.isFinite)).toBe(true);
  });

  it("an outcome at 1e300: coefficients and SEs exact, its sums of squares overflow and say so", () => {
    const ref = runOls(job(backend, y0, { x1, x2 }));
    const res = runOls(job(backend, times(y0, 1e300), { x1, x2 }));
    const o = res.outcomes[0];
    o.coef.forEach((b, k) => expect(Math.abs(b - ref.outcomes[0].coef[k] * 1e300)).toBeLessThan(1e-10 * Math.abs(b)));
    expect(o.rss).toBe(Infinity);
    // The variance matrix (SE^2 ~ 1e+598) is beyond f64 too; the standard errors are not.
    const messages = precision(res.precisionNotes).map((n) => n.message);
    expect(messages).toEqual([
      expect.stringMatching(/variance of "x1" .* about 1e\+59\d.*standard error is exact/),
      expect.stringMatching(/variance of "x2" .* about 1e\+59\d/),
      expect.stringMatching(/residual sum of squares of outcome "y" is about 1e\+60\d .*R² is not available/),
    ]);
    ref.outcomes[0].vcov.vcov.forEach((v, i) => {
      if (i % 3 === 0) expect(Math.abs(Math.sqrt(v) * 1e300 - standardErrorsOf(o.vcov, 2)[i / 3])).toBeLessThan(1e-10 * Math.sqrt(v) * 1e300);
    });
  });

  it("an outcome at 1e-300: the sums of squares underflow and say so", () => {
    const res = runOls(job(backend, times(y0, 1e-300), { x1, x2 }));
    expect(precision(res.precisionNotes).map((n) => n.message)).toContainEqual(expect.stringMatching(/residual sum of squares of outcome "y" is about 1e-59\d/));
    expect(res.outcomes[0].rss).toBe(0);
  });

  it("a coefficient beyond f64 (y at 1e300 on x2 at 1e-300) is noted by name", () => {
    const res = runOls(job(backend, times(y0, 1e300), { x1, x2: times(x2, 1e-300) }));
    const messages = precision(res.precisionNotes).map((n) => n.message);
    expect(messages).toContainEqual(expect.stringMatching(/coefficient of "x2" \(outcome "y"\) is about 1e\+5\d\d/));
    expect(messages).toContainEqual(expect.stringMatching(/standard error of "x2"/));
    expect(res.outcomes[0].coef[1]).toBe(Infinity * Math.sign(res.outcomes[0].coef[1]));
  });

  it("a regressor whose values overflow (a product of large values) is refused by name", () => {
    const inf = Float64Array.from(x1);
    inf[3] = Infinity;
    expect(() => runOls(job(backend, y0, { "x1:x2": inf, x2 }))).toThrow(/regressor "x1:x2" is too large/);
  });
});
