// Golden numbers for synthetic DID: synthdid() against test/golden/synthdid/synthdid.R, a base-R
// implementation of the synthdid package's solver and estimators (and Stata sdid's staggered aggregation
// and fixed-weights jackknife), on California's Proposition 99 (the package's README example) and on a
// generated staggered panel. The README's published point estimates are checked to their printed digits.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { synthdid } from "../../bindings/estimators/did/synthdid.js";

const here = dirname(fileURLToPath(import.meta.url));
const expected = JSON.parse(readFileSync(join(here, "synthdid/expected.json"), "utf8"));
const prop99 = readCsvFile(join(here, "data/california_prop99.csv"));
const stagger = readCsvFile(join(here, "data/synthdid_stagger.csv"));
const P99 = { y: "PacksPerCapita", unit: "State", time: "Year", treat: "treated", vcov: "placebo", reps: 20, seed: 1 } as const;
/** The solver keeps A x and A'A x by updates instead of recomputing them: the weights agree with R's to
 *  rounding accumulated over 10,000 iterations. */
const TOL = 1e-8;

describe("synthdid on California's Proposition 99 (synthdid README)", () => {
  it.each([["sdid", "-15.60"], ["sc", "-19.62"], ["did", "-27.35"]] as const)("%s: %s as published, and R's estimate", (method, printed) => {
    const r = synthdid(prop99, { ...P99, method });
    expect(r.estimate.toFixed(2)).toBe(printed);
    expect(r.estimate).toBeCloseTo(expected[`prop99_${method}`].estimate, 8);
    expect(r.cohorts[0].noise_level).toBeCloseTo(expected[`prop99_${method}`].noise, 12);
  });

  it("unit and time weights equal R's", () => {
    const r = synthdid(prop99, P99);
    const e = expected.prop99_sdid;
    const omega = Object.fromEntries(r.cohorts[0].unit_weights.map((w) => [w.unit, w.weight]));
    expect(Object.keys(omega).sort()).toEqual(Object.keys(e.omega).sort());
    for (const [unit, w] of Object.entries(e.omega as Record<string, number>)) expect(Math.abs(omega[unit] - w), unit).toBeLessThan(TOL);
    r.cohorts[0].time_weights.forEach((w, t) => expect(Math.abs(w.weight - e.lambda[t])).toBeLessThan(TOL));
    expect(r.cohorts[0].time_weights.at(-1)!.period).toBe(1988);
  });

  it("the trajectory's post-period gap averages to the estimate", () => {
    const r = synthdid(prop99, P99);
    const post = r.cohorts[0].trajectory.filter((p) => p.period >= 1989);
    expect(post.reduce((s, p) => s + p.treated - p.synthetic, 0) / post.length).toBeCloseTo(r.estimate, 10);
  });
});

describe("synthdid on a generated staggered panel (Stata sdid's aggregation)", () => {
  it.each(["sdid", "sc", "did"] as const)("%s: ATT, cohort estimates and fixed-weights jackknife SE equal R's", (method) => {
    const r = synthdid(stagger, { y: "y", unit: "unit", time: "year", treat: "treat", method, vcov: "jackknife" });
    const e = expected[`stagger_${method}`];
    expect(r.estimate).toBeCloseTo(e.estimate, 9);
    expect(r.cohorts.map((c) => c.adoption)).toEqual([2007, 2009]);
    r.cohorts.forEach((c, k) => expect(c.estimate).toBeCloseTo(e.cohorts[k], 9));
    expect(r.std_error).toBeCloseTo(e.jackknife_se, 9);
  });
});
