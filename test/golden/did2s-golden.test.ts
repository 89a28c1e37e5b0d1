// Golden numbers for did2s: twoStage on the project's generated staggered panel against a brute-force R
// computation (lm with factor dummies and the GMM variance written out with dense matrices, did2s.R).
// Every case runs on both backends and with both fixed-effect solvers of the first stage (direct through
// the period block, and the kernel's alternating sweeps).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { twoStage } from "../../bindings/estimators/did/two-stage.js";

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, "data", "staggered.csv");

interface Case {
  id: string;
  controls: string[];
  weights: string | null;
  cluster: string;
  event: boolean;
  window: [number, number] | null;
  bin: number | null;
  ref: number;
  expect: { nobs: number; coefficients: Array<{ term: string; estimate: number; std_error: number; statistic: number; p_value: number }> };
}
const { cases } = JSON.parse(readFileSync(join(here, "did2s-expected.json"), "utf8")) as { cases: Case[] };
const frame = readCsvFile(file);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
// The direct solver is exact up to rounding; the iterative one stops at the demeaning tolerance (1e-8 of
// the largest group mean), which moves a small coefficient by ~1e-8 of itself.
// Estimates: relative, or absolute for those near zero.
const TOL = { direct: { est: 1e-9, estAbs: 1e-12, se: 1e-8, p: 1e-7 }, iterative: { est: 1e-7, estAbs: 1e-8, se: 1e-6, p: 1e-5 } };

it("the generator reproduces data/staggered.csv byte for byte (options of make-golden.sh)", () => {
  const panel = generateSyntheticPanel({
    units: 60, periods: 10, regressors: 2, unitsPerState: 6, seed: 5, weights: true, missingRate: 0.03,
    staggered: { cohorts: [2004, 2006, 2008], neverShare: 0.3, effect: 1 },
  });
  expect(toCsv(panel) === readFileSync(file, "utf8")).toBe(true);
});

describe.each([
  ["wasm", true], ["wasm", false], ["reference", true], ["reference", false],
] as const)("did2s golden numbers (%s backend, direct first-stage solve: %s)", (backend, directFixef) => {
  it("has cases with controls, weights, other clusters, binned and windowed event studies", () => {
    expect(cases.length).toBe(5);
    expect(cases.some((c) => c.event && c.bin !== null)).toBe(true);
    expect(cases.some((c) => c.weights !== null && c.controls.length > 0)).toBe(true);
  });
  for (const c of cases) {
    it(c.id, () => {
      const tol = TOL[directFixef ? "direct" : "iterative"];
      const r = twoStage(frame, {
        y: "y", unit: "unit", time: "year", treat: "treat", cohort: "cohort", controls: c.controls, weights: c.weights,
        cluster: c.cluster, event: c.event, window: c.window, bin: c.bin, ref: c.ref, backend, directFixef,
      });
      const got = r.toJSON() as any;
      expect(got.nobs).toBe(c.expect.nobs);
      expect(got.coefficients.map((x: any) => x.term)).toEqual(c.expect.coefficients.map((x) => x.term));
      c.expect.coefficients.forEach((want, j) => {
        const g = got.coefficients[j];
        const dEst = Math.abs(g.estimate - want.estimate);
        expect(dEst, `${c.id} ${want.term} estimate ${g.estimate} vs ${want.estimate}`).toBeLessThan(Math.max(tol.est * Math.abs(want.estimate), tol.estAbs));
        expect(rel(g.std_error, want.std_error), `${c.id} ${want.term} std_error ${g.std_error} vs ${want.std_error}`).toBeLessThan(tol.se);
        expect(rel(g.p_value, want.p_value), `${c.id} ${want.term} p_value`).toBeLessThan(tol.p);
      });
    });
  }
});
