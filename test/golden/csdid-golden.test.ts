// Golden numbers for csdid with covariates: callawaySantAnna() against csdid/covariates.R, an R computation
// of Sant'Anna and Zhao's 2x2 estimators and Callaway and Sant'Anna's aggregations from their formulas (glm
// logit, lm.wfit, Newton for the tilting propensity), on the did package's public mpdta (lpop as covariate)
// and on a generated panel with a time-varying and a time-invariant covariate. Also the did package's own
// printed output for att_gt(xformla = ~lpop) on mpdta (its att_gt reference page), to its four digits.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { callawaySantAnna, type CallawaySantAnnaOptions } from "../../bindings/estimators/did/callaway-santanna.js";
import type { EstMethod } from "../../bindings/estimators/did/cs-panel-2x2.js";

const here = dirname(fileURLToPath(import.meta.url));
const golden = JSON.parse(readFileSync(join(here, "csdid", "covariates.json"), "utf8"));
const mpdta = readCsvFile(join(here, "data", "mpdta.csv"));
const generated = readCsvFile(join(here, "data", "csdid_covariates.csv"));

interface Est { att: number; se: number }
interface Expected {
  att_gt: Array<Est & { group: number; time: number }>;
  dynamic: Array<Est & { e: number }>;
  group: Array<Est & { group: number }>;
  calendar: Array<Est & { time: number }>;
  overall: Record<"simple" | "dynamic" | "group" | "calendar", Est>;
}

/** R and TypeScript sum in different orders and the propensity fits stop at slightly different points
 *  (both far inside 1e-10 of the optimum): agreement to 1e-8 is exact for every printed digit. */
const TOL = 1e-8;

function compare(r: ReturnType<typeof callawaySantAnna>, e: Expected) {
  const close = (got: { att: number; std_error: number }, want: Est, what: string) => {
    expect(Math.abs(got.att - want.att), `${what} att`).toBeLessThan(TOL);
    expect(Math.abs(got.std_error - want.se), `${what} se`).toBeLessThan(TOL);
  };
  expect(r.attGt.length).toBe(e.att_gt.length);
  e.att_gt.forEach((c, i) => {
    expect([r.attGt[i].group, r.attGt[i].time]).toEqual([c.group, c.time]);
    close(r.attGt[i], c, `ATT(${c.group},${c.time})`);
  });
  expect(r.dynamic.map((d) => d.e)).toEqual(e.dynamic.map((d) => d.e));
  e.dynamic.forEach((d, i) => close(r.dynamic[i], d, `dynamic ${d.e}`));
  e.group.forEach((g, i) => close(r.group[i], g, `group ${g.group}`));
  e.calendar.forEach((c, i) => close(r.calendar[i], c, `calendar ${c.time}`));
  for (const k of ["simple", "dynamic", "group", "calendar"] as const) close(r.overall[k], e.overall[k], `overall ${k}`);
}

const METHODS: EstMethod[] = ["dr", "dr-imp", "ipw", "reg"];
const M: CallawaySantAnnaOptions = { y: "lemp", unit: "countyreal", time: "year", cohort: "first.treat", controls: ["lpop"] };
const GEN: CallawaySantAnnaOptions = { y: "y", unit: "unit", time: "period", cohort: "cohort", controls: ["x1", "x2"] };

describe("csdid with covariates against the R computation", () => {
  for (const m of METHODS) {
    it(`mpdta, ~lpop, ${m}, never-treated and not-yet-treated controls`, () => {
      compare(callawaySantAnna(mpdta, { ...M, estMethod: m }), golden.mpdta[m].never);
      compare(callawaySantAnna(mpdta, { ...M, estMethod: m, controlGroup: "notyet" }), golden.mpdta[m].notyet);
    });
    it(`generated panel, x1 (time-varying) + x2, ${m}: never, not-yet with anticipation 1, universal base`, () => {
      compare(callawaySantAnna(generated, { ...GEN, estMethod: m }), golden.generated[m].never);
      compare(callawaySantAnna(generated, { ...GEN, estMethod: m, controlGroup: "notyet", anticipation: 1 }), golden.generated[m].notyet_anticipation1);
      compare(callawaySantAnna(generated, { ...GEN, estMethod: m, basePeriod: "universal" }), golden.generated[m].universal);
    });
  }
  it("without covariates every method is the unconditional estimator (cell means)", () => {
    for (const m of METHODS) compare(callawaySantAnna(mpdta, { ...M, controls: [], estMethod: m }), golden.mpdta_unconditional);
  });
  for (const m of METHODS) {
    it(`repeated cross sections (--panel false), ${m}: mpdta ~lpop, generated panel with not-yet-treated controls`, () => {
      compare(callawaySantAnna(mpdta, { ...M, estMethod: m, panel: false }), golden.rc[m].mpdta);
      compare(callawaySantAnna(generated, { ...GEN, estMethod: m, panel: false, controlGroup: "notyet" }), golden.rc[m].generated_notyet);
    });
  }
  it("repeated cross sections without covariates: every method is the same difference of four means", () => {
    for (const m of METHODS) compare(callawaySantAnna(mpdta, { ...M, controls: [], estMethod: m, panel: false }), golden.rc_unconditional);
  });
});

describe("the did package's printed att_gt(xformla = ~lpop) on mpdta (doubly robust, its default)", () => {
  // From did's reference page for att_gt (summary(out2) and summary(out3)), Group / Time / ATT(g,t).
  const never = [-0.0145, -0.0764, -0.1404, -0.1069, -0.0005, -0.0062, 0.001, -0.0413, 0.0267, -0.0046, -0.0284, -0.0288];
  const notyet = [-0.0212, -0.0816, -0.1382, -0.1069, -0.0075, -0.0046, 0.0087, -0.0413, 0.0269, -0.0042, -0.0284, -0.0288];
  const cells = [2004, 2006, 2007].flatMap((g) => [2004, 2005, 2006, 2007].map((t) => [g, t]));
  it("never-treated controls: all 12 ATT(g,t) to the printed digits", () => {
    const r = callawaySantAnna(mpdta, M);
    expect(r.attGt.map((c) => [c.group, c.time])).toEqual(cells);
    r.attGt.forEach((c, i) => expect(Math.abs(c.att - never[i]), `ATT(${c.group},${c.time})`).toBeLessThanOrEqual(0.00005));
  });
  it("not-yet-treated controls: all 12 ATT(g,t) to the printed digits", () => {
    const r = callawaySantAnna(mpdta, { ...M, controlGroup: "notyet" });
    r.attGt.forEach((c, i) => expect(Math.abs(c.att - notyet[i]), `ATT(${c.group},${c.time})`).toBeLessThanOrEqual(0.00005));
  });
  it("the multiplier-bootstrap standard errors land near the printed ones (999 random draws there)", () => {
    const printed = [0.0222, 0.0303, 0.0382, 0.0358, 0.0231, 0.0188, 0.0204, 0.021, 0.014, 0.017, 0.0187, 0.0161];
    const r = callawaySantAnna(mpdta, { ...M, bootstrap: 999, seed: 1 });
    // Two independent bootstraps of 999 draws: their IQR-based standard errors differ by about 10%.
    r.attGt.forEach((c, i) => expect(Math.abs(c.std_error / printed[i] - 1), `ATT(${c.group},${c.time})`).toBeLessThan(0.2));
  });
});
