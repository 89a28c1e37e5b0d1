// Golden numbers for etwfe(): mpdta (etwfe's README example: the event-time effects it prints, the simple
// ATT) and fixest's base_stagg against etwfe.R, which fits the regression etwfe writes with fixest and
// computes emfx's averages and delta-method standard errors by hand from fixest's model matrices.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { etwfe, type EtwfeType } from "../../bindings/estimators/did/etwfe.js";
import type { EtwfeFamily, EtwfeFe } from "../../bindings/estimators/did/etwfe-variance.js";

const here = dirname(fileURLToPath(import.meta.url));

interface Case {
  id: string; dataset: "mpdta" | "base_stagg"; y: string; cohort: string; time: string; unit: string; controls: string[];
  cgroup: "notyet" | "never"; fe: EtwfeFe; family: EtwfeFamily; type: EtwfeType; vcov: string | null;
  expect: { nobs: number; groups: number | number[]; estimate: number | number[]; std_error: number | number[]; cov: number[][];
    cells: { term: string[]; estimate: number[]; std_error: number[] } };
}
const { cases } = JSON.parse(readFileSync(join(here, "etwfe-expected.json"), "utf8")) as { cases: Case[] };
const mpdta = readCsvFile(join(here, "data", "mpdta.csv"));
// emp = round(exp(lemp)), as etwfe.R makes it (employment counts, for the Poisson cases)
const emp = Array.from(mpdta.numeric("lemp"), (v) => Math.round(Math.exp(v)));
const frames = {
  mpdta,
  base_stagg: readCsvFile(join(here, "data", "base_stagg.csv")),
};
const arr = (x: number | number[]) => (Array.isArray(x) ? x : [x]);
// Least squares: the same algebra in a different order (1e-9); Poisson: both iterate to fixest's deviance
// tolerance 1e-8, so the estimates agree to about that.
const TOL = { gaussian: 1e-8, poisson: 2e-6 };
const near = (got: number, want: number, tol: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));

describe("etwfe golden numbers (etwfe.R)", () => {
  for (const c of cases) {
    it(c.id, () => {
      const data = c.family === "poisson" ? withEmp() : frames[c.dataset];
      const r = etwfe(data, {
        y: c.y, unit: c.unit, time: c.time, cohort: c.cohort, controls: c.controls, cgroup: c.cgroup, fe: c.fe, family: c.family, aggregate: c.type,
        ...(typeof c.vcov === "string" ? { vcov: c.vcov } : {}),
      });
      const tol = TOL[c.family];
      expect(r.nobs).toBe(c.expect.nobs);
      expect(r.effects.map((e) => e.group)).toEqual(arr(c.expect.groups));
      r.effects.forEach((e, k) => {
        near(e.estimate, arr(c.expect.estimate)[k], tol);
        near(e.std_error, arr(c.expect.std_error)[k], tol * 10);
      });
      if (c.type === "event") {
        const V = r.eventVcov!.vcov;
        // relative to the scale of the two variances (an off-diagonal element can be near 0)
        const cv = c.expect.cov;
        cv.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(V[i][j] - v)).toBeLessThanOrEqual(tol * 10 * Math.max(1, Math.sqrt(cv[i][i] * cv[j][j])))));
      }
      for (const [k, term] of c.expect.cells.term.entries()) {
        const row = r.coefficients.find((x) => x.term === term);
        expect(row, term).toBeDefined();
        near(row!.estimate, c.expect.cells.estimate[k], tol);
        if (c.family === "gaussian") near(row!.std_error, c.expect.cells.std_error[k], tol * 10);
      }
    });
  }

  it("reproduces the event-time effects etwfe's README prints for mpdta (lemp ~ lpop, vcov = ~countyreal)", () => {
    const r = etwfe(mpdta, { y: "lemp", unit: "countyreal", time: "year", cohort: "first.treat", controls: ["lpop"], vcov: "cluster:countyreal", aggregate: "event" });
    const printed = [[-0.0332, 0.0134], [-0.0573, 0.0171], [-0.1379, 0.0308], [-0.1095, 0.0323]];
    expect(r.effects.map((e) => e.rel_time)).toEqual([0, 1, 2, 3]);
    r.effects.forEach((e, k) => {
      expect(e.estimate).toBeCloseTo(printed[k][0], 4);
      expect(e.std_error).toBeCloseTo(printed[k][1], 4);
    });
    // and the simple ATT without controls: -0.0477 (SE 0.0133)
    const s = etwfe(mpdta, { y: "lemp", unit: "countyreal", time: "year", cohort: "first.treat", vcov: "cluster:countyreal" });
    expect(s.att.estimate).toBeCloseTo(-0.0477, 4);
    expect(s.att.std_error).toBeCloseTo(0.0133, 4);
  });
});

function withEmp() {
  const cols: Record<string, number[]> = {};
  for (const name of ["year", "countyreal", "lpop", "first.treat"]) cols[name] = Array.from(mpdta.numeric(name));
  cols.emp = emp;
  return cols;
}
