// Results do not depend on the data's units (bindings/estimators/ols-scaling.ts). Multiplying y and x1 by
// s leaves x1's coefficient and standard error as they are and multiplies every other coefficient and
// standard error by s. Before the columns were rescaled internally, s = 1e-120 gave a clustered SE of x1
// of 0.0027 instead of 0.029, s = 1e-90 NaN, s >= 1e80 NaN for every robust SE, and s = 1e-300 dropped x1
// as collinear. Checked for every variance type, with and without weights, on both backends, through
// feols and the event study (which reaches the same least-squares core).
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { eventStudy } from "../../bindings/estimators/did/event-study.js";
import { feols } from "../../bindings/estimators/feols.js";
import type { Fit } from "../../bindings/estimators/fit.js";
import { createEngine, type Engine } from "../../bindings/engine/engine.js";
import { backendNames } from "../helpers/backends.js";

/** Decimal scales: the scaled data are rounded, so results agree to rounding (condition number x 1e-16). */
const REL = 1e-10;
const DECIMAL_SCALES = [1e-300, 1e-120, 1e-90, 1e80, 1e150, 1e300];
const VCOVS = ["iid", "hetero", "cluster:unit", "cluster:unit+year"];
const FORMULA = "y ~ x1 + x2 + treat | unit + year";

const base = generateSyntheticPanel({
  units: 240, periods: 10, regressors: 2, seed: 5, weights: true, staggered: { cohorts: [2004, 2007], neverShare: 0.3, effect: 1 },
});

/** The panel with y and x1 multiplied by s. */
function scaled(s: number) {
  const times = (v: unknown) => Float64Array.from(v as ArrayLike<number>, (x) => x * s);
  return fromColumns({ ...base, y: times(base.y), x1: times(base.x1) });
}

/** How a term scales with s: x1 (y over x1) not at all, everything else as y. */
const power = (term: string) => (term === "x1" ? 0 : 1);

function expectScaled(got: Fit, ref: Fit, s: number, exact: boolean): void {
  expect(got.coefNames).toEqual(ref.coefNames);
  expect(got.removed).toEqual([]);
  for (const term of ref.coefNames) {
    const f = s ** power(term);
    for (const [g, r] of [
      [got.coef(term), ref.coef(term) * f],
      [got.se(term), ref.se(term) * f],
    ]) {
      if (exact) expect(g).toBe(r);
      else expect(Math.abs(g - r), `${term}: ${g} vs ${r}`).toBeLessThanOrEqual(REL * Math.abs(r));
    }
  }
}

describe.each(backendNames)("fits are invariant to the units of y and x (%s)", (backend) => {
  const engine: Engine = createEngine({ backend });
  const fit = (s: number, vcov: string, weights: string | undefined) => feols(scaled(s), FORMULA, { vcov, weights, engine });

  for (const weights of [undefined, "w"]) {
    for (const vcov of VCOVS) {
      it(`feols, ${vcov}${weights ? ", weighted" : ""}: decimal scales 1e-300 .. 1e300`, () => {
        const ref = fit(1, vcov, weights);
        for (const s of DECIMAL_SCALES) expectScaled(fit(s, vcov, weights), ref, s, false);
      });
    }
  }

  it("powers of two, inside and outside the range kept as it is, give the same bits", () => {
    // Scaling by 2^k is exact and every operation of a fit commutes with it: bit-identical results,
    // whether the fit rescales internally (2^+-200, 2^+-900) or not (2^40).
    for (const vcov of ["hetero", "cluster:unit+year"]) {
      const ref = fit(1, vcov, "w");
      for (const k of [-900, -200, 40, 200, 900]) expectScaled(fit(2 ** k, vcov, "w"), ref, 2 ** k, true);
    }
  });

  it("the event study (same least-squares core): decimal scales", () => {
    const es = (s: number) => eventStudy(scaled(s), { y: "y", unit: "unit", time: "year", cohort: "cohort", controls: ["x1"], engine }).fit;
    const ref = es(1);
    for (const s of DECIMAL_SCALES) expectScaled(es(s), ref, s, false);
  });

  it("withVcov recomputes the variance of a rescaled fit in the data's units", () => {
    for (const s of [1e-300, 1e300]) {
      const got = fit(s, "iid", "w").withVcov("cluster:unit");
      expectScaled(got, fit(1, "cluster:unit", "w"), s, false);
    }
  });
});

describe("rescaled fits are bit-identical on both backends", () => {
  it.each([1e-300, 1e-90, 1e150, 1e300])("y and x1 times %s", (s) => {
    const [w, r] = backendNames.map((backend) => feols(scaled(s), FORMULA, { vcov: "cluster:unit+year", weights: "w", engine: createEngine({ backend }) }));
    expect(Array.from(w.estimates())).toEqual(Array.from(r.estimates()));
    expect(Array.from(w.standardErrors())).toEqual(Array.from(r.standardErrors()));
  });
});
