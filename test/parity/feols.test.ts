// feols end to end on seeded synthetic panels: the wasm backend (SIMD and scalar builds) and the
// reference backend must give the same coefficients, standard errors and R^2.
//
// TOLERANCE. The two backends share every line of host code and differ only in the kernels, which agree
// bit for bit (see test/parity/kernels.test.ts), so the fits are expected to be bit-identical too (DESIGN:
// "OLS and demeaning are"). The contract checked first is the looser 1e-10 relative agreement
// (REL_TOL_BACKENDS); a separate test then checks the stronger bit-identity the design intends.
import { beforeAll, describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import type { Frame } from "../../bindings/data/frame.js";
import { generateSyntheticPanel, syntheticBeta } from "../../bindings/data/demo/panel.js";
import { createEngine, type Engine } from "../../bindings/engine/engine.js";
import { feols, type FeolsOptions } from "../../bindings/estimators/feols.js";
import type { Fit } from "../../bindings/estimators/fit.js";

/** Wasm and reference fits agree to this relative difference: far above the rounding noise of a
 *  differently ordered computation of these sizes (~1e-13), far below any difference that matters. */
const REL_TOL_BACKENDS = 1e-10;

const engines: Record<"simd" | "scalar" | "reference", Engine> = {
  simd: createEngine({ backend: "wasm" }),
  scalar: createEngine({ backend: "wasm", simd: false }),
  reference: createEngine({ backend: "reference" }),
};

function withCollinear(cols: ReturnType<typeof generateSyntheticPanel>) {
  const x1 = cols.x1 as Float64Array;
  const x2 = cols.x2 as Float64Array;
  // x12 = x1 + x2: exactly collinear with the first two regressors (dropped by the Cholesky).
  return { ...cols, x12: x1.map((v, i) => v + x2[i]) };
}

const panels: Record<string, Frame> = {
  // 150 units x 8 years, 15 states, weights. N = 1200 (two 512-row blocks and a tail).
  A: fromColumns(generateSyntheticPanel({ units: 150, periods: 8, regressors: 3, seed: 11, unitsPerState: 10, weights: true })),
  // String unit ids, missing values and singleton units.
  B: fromColumns(
    withCollinear(generateSyntheticPanel({ units: 90, periods: 6, regressors: 4, seed: 12, stringIds: true, missingRate: 0.03, singletons: 7 })),
  ),
  // Larger: 700 units x 9 years (N = 6300).
  C: fromColumns(generateSyntheticPanel({ units: 700, periods: 9, regressors: 2, seed: 13, unitsPerState: 35, weights: true })),
};

interface Model {
  label: string;
  panel: keyof typeof panels;
  formula: string;
  options: FeolsOptions;
}

const models: Model[] = [
  { label: "two-way FE, iid", panel: "A", formula: "y ~ x1 + x2 + x3 | unit + year", options: { vcov: "iid" } },
  { label: "two-way FE, hetero", panel: "A", formula: "y ~ x1 + x2 + x3 | unit + year", options: { vcov: "hetero" } },
  { label: "two-way FE, cluster:unit", panel: "A", formula: "y ~ x1 + x2 + x3 | unit + year", options: { vcov: "cluster:unit" } },
  { label: "two-way FE, two-way cluster state+year", panel: "A", formula: "y ~ x1 + x2 + x3 | unit + year", options: { vcov: "cluster:state+year" } },
  { label: "two-way FE, weights, cluster:state", panel: "A", formula: "y ~ x1 + x2 + x3 | unit + year", options: { vcov: "cluster:state", weights: "w" } },
  { label: "weights, hetero", panel: "A", formula: "y ~ x1 + x2 | unit + year", options: { vcov: "hetero", weights: "w" } },
  {
    label: "3 FE with a combined state^year, weights, two-way cluster",
    panel: "A",
    formula: "y ~ x1 + x2 + x3 | unit + year + state^year",
    options: { vcov: "cluster:unit+year", weights: "w" },
  },
  { label: "no fixed effects, intercept, hetero", panel: "A", formula: "y ~ x1 + x2 + x3", options: { vcov: "hetero" } },
  { label: "one FE, iid", panel: "A", formula: "y ~ x1 + x2 + x3 | unit", options: { vcov: "iid" } },
  {
    label: "string ids, missing values, singletons removed, collinear x12, two-way cluster",
    panel: "B",
    formula: "y ~ x1 + x2 + x12 + x3 + x4 | unit + year",
    options: { vcov: "cluster:unit+year", fixefRm: "singleton" },
  },
  { label: "3 FE unit + year + state^year, cluster:state", panel: "B", formula: "y ~ x1 + x3 + x4 | unit + year + state^year", options: { vcov: "cluster:state" } },
  { label: "N = 6300, weights, cluster:state", panel: "C", formula: "y ~ x1 + x2 | unit + year", options: { vcov: "cluster:state", weights: "w", tol: 1e-10 } },
  { label: "N = 6300, 3 FE, two-way cluster", panel: "C", formula: "y ~ x1 + x2 | unit + year + state^year", options: { vcov: "cluster:state+year" } },
];

function fitOn(which: keyof typeof engines, m: Model): Fit {
  return feols(panels[m.panel], m.formula, { ...m.options, engine: engines[which] });
}

/** What is compared between backends, as one flat list of named numbers. */
function summary(f: Fit) {
  return {
    coef: Array.from(f.estimates()),
    se: Array.from(f.standardErrors()),
    r2: [f.r2],
    r2Within: f.r2Within === null ? [] : [f.r2Within],
    vcov: f.vcov.flat(),
  };
}

function expectRelClose(got: number[], want: number[], rel: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) => {
    const scale = Math.max(Math.abs(g), Math.abs(want[i]));
    expect(Math.abs(g - want[i]), `${what}[${i}]: ${g} vs ${want[i]}`).toBeLessThanOrEqual(rel * scale);
  });
}

describe.each(models)("feols parity: $label", (m) => {
  let ref: Fit;
  let simd: Fit;
  let scalar: Fit;
  beforeAll(() => {
    ref = fitOn("reference", m);
    simd = fitOn("simd", m);
    scalar = fitOn("scalar", m);
  });

  it("the fit is sane: all coefficients finite, converged, near the true beta = 1/j when unit effects are absorbed", () => {
    for (const f of [ref, simd, scalar]) {
      expect(f.converged).toBe(true);
      for (const v of [...f.estimates(), ...f.standardErrors()]) expect(Number.isFinite(v)).toBe(true);
    }
    // The regressors are correlated with the unit effect (panel.ts's DGP): only with unit fixed effects is
    // the estimate unbiased.
    if (!/\|.*\bunit\b/.test(m.formula)) return;
    simd.coefNames.forEach((name) => {
      const j = /^x(\d)$/.exec(name);
      // True coefficients 1, 1/2, 1/3, 1/4; the estimates are within a few standard errors of them.
      if (j) expect(Math.abs(simd.coef(name) - syntheticBeta(Number(j[1])))).toBeLessThan(6 * simd.se(name));
    });
  });

  it(`wasm (SIMD) and reference agree to ${REL_TOL_BACKENDS} relative on coefficients, SEs, r2`, () => {
    expect(simd.coefNames).toEqual(ref.coefNames);
    expect(simd.removed).toEqual(ref.removed);
    expect(simd.nobs).toBe(ref.nobs);
    expect(simd.iterations).toBe(ref.iterations);
    const a = summary(simd);
    const b = summary(ref);
    for (const key of Object.keys(a) as Array<keyof typeof a>) expectRelClose(a[key], b[key], REL_TOL_BACKENDS, key);
  });

  it("wasm scalar and wasm SIMD agree likewise", () => {
    const a = summary(scalar);
    const b = summary(simd);
    for (const key of Object.keys(a) as Array<keyof typeof a>) expectRelClose(a[key], b[key], REL_TOL_BACKENDS, key);
  });

  it("in fact all three are bit-identical (the kernels are)", () => {
    expect(summary(simd)).toEqual(summary(ref));
    expect(summary(scalar)).toEqual(summary(simd));
    expect(simd.tidy()).toEqual(ref.tidy()); // t statistics, p-values, confidence intervals
  });
});

describe("feols parity: model features are really exercised", () => {
  it("panel B drops singletons and rows with missing values, and removes the collinear x12", () => {
    const f = fitOn("simd", models.find((m) => m.panel === "B" && m.formula.includes("x12"))!);
    expect(f.singletonsRemoved).toBeGreaterThan(0);
    expect(f.nobsMissing).toBeGreaterThan(0);
    expect(f.removed).toEqual(["x12"]);
  });

  it("the combined fixed effect state^year is absorbed as its own fixed effect", () => {
    const f = fitOn("reference", models.find((m) => m.formula.includes("state^year") && m.panel === "A")!);
    // 15 states x 8 years, every cell observed.
    expect(f.fixefSizes["state^year"]).toBe(120);
    expect(Object.keys(f.fixefSizes)).toEqual(["unit", "year", "state^year"]);
  });

  it("withVcov recomputes identically on both backends", () => {
    const m = models[0];
    const a = fitOn("simd", m).withVcov("cluster:state+year");
    const b = fitOn("reference", m).withVcov("cluster:state+year");
    expect(Array.from(a.standardErrors())).toEqual(Array.from(b.standardErrors()));
  });
});
