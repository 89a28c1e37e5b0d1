// A constant outcome, or one constant within the fixed effects, has nothing left to explain: it used to
// give every coefficient 0 with a standard error of 0 and no note. fixest refuses it ("The dependent
// variable is a constant"); so does didwasm, with NO_VARIANCE naming the outcome, in feols and in the
// estimators that share its least-squares core (the event study here).
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { eventStudy } from "../../bindings/estimators/did/event-study.js";
import { feols, feolsMulti } from "../../bindings/estimators/feols.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { backendNames } from "../helpers/backends.js";
import { errorOf } from "../helpers/frames.js";

const panel = generateSyntheticPanel({ units: 40, periods: 6, regressors: 2, seed: 9, staggered: { cohorts: [2002, 2004], neverShare: 0.3, effect: 1 } });
const unitIds = panel.unit as ArrayLike<number>;
const frame = fromColumns({
  ...panel,
  flat: new Float64Array(unitIds.length).fill(0.1),
  // Constant within each unit, different between units: unit fixed effects explain all of it.
  byUnit: Float64Array.from(unitIds, (u) => Math.sqrt(u)),
});

describe.each(backendNames)("constant outcomes are refused (%s)", (backend) => {
  const engine = createEngine({ backend });

  it("a constant outcome with fixed effects", () => {
    const e = errorOf(() => feols(frame, "flat ~ x1 + x2 | unit + year", { engine }));
    expect(e.code).toBe("NO_VARIANCE");
    expect(e.message).toMatch(/outcome "flat" is constant/);
    expect(e.details.column).toBe("flat");
  });

  it("a constant outcome with an intercept", () => {
    const e = errorOf(() => feols(frame, "flat ~ x1 + x2", { engine, vcov: "hetero" }));
    expect(e.code).toBe("NO_VARIANCE");
    expect(e.message).toMatch(/outcome "flat" is constant/);
  });

  it("without intercept or fixed effects a constant outcome is an ordinary regression (as in fixest)", () => {
    const fit = feols(frame, "flat ~ x1 + x2 - 1", { engine });
    expect(fit.coef("x1")).not.toBe(0);
  });

  it("an outcome constant within units, with unit fixed effects", () => {
    const e = errorOf(() => feols(frame, "byUnit ~ x1 + x2 | unit", { engine }));
    expect(e.code).toBe("NO_VARIANCE");
    expect(e.message).toMatch(/outcome "byUnit" is constant within the fixed effects \(unit\)/);
    // Year fixed effects alone leave its variation between units: an ordinary fit.
    expect(feols(frame, "byUnit ~ x1 + x2 | year", { engine }).nobs).toBe(frame.nrow);
  });

  it("one constant outcome among several names that outcome", () => {
    expect(() => feolsMulti(frame, "c(y, byUnit) ~ x1 | unit + year", { engine })).toThrow(/outcome "byUnit" is constant within/);
  });

  it("the event study, whose outcome is constant within units", () => {
    const e = errorOf(() => eventStudy(frame, { y: "byUnit", unit: "unit", time: "year", cohort: "cohort", engine }));
    expect(e.code).toBe("NO_VARIANCE");
    expect(e.message).toMatch(/outcome "byUnit"/);
  });
});
