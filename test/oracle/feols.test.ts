// The whole feols path (sample, design, demeaning, crossproduct, Cholesky, solve: feols.ts, ols-core.ts)
// against the ml-matrix oracle: least squares by Householder QR of the dummy-variable design
// (test/oracle/dummy-design.ts), on random unbalanced panels, with and without weights, without fixed
// effects and with one, two and three, and with a regressor that is another plus noise of several scales.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { COLLINEAR_TOL } from "../../bindings/estimators/ols-core.js";
import { feols } from "../../bindings/estimators/feols.js";
import { backendNames } from "../helpers/backends.js";
import { nearCopy, randomPanel } from "./data.js";
import { scaledVectorError, unexplainedShare } from "./dense.js";
import { dummyDesign, oracleCoefficients } from "./dummy-design.js";
import { DECISION_MARGIN } from "./tolerances.js";

/** Demeaning tolerance for these fits. One fixed effect and the direct two-way solve are exact up to
 *  rounding: there the tolerance is normalEquationsTol of the equilibrated dummy design's kappa (at
 *  least the within design's here; measured errors: 0.006 to 1.02 times eps kappa^2). Alternating
 *  projections (three fixed effects, balanced unweighted two-way panels) stop when a sweep moves no
 *  fixed-effect coefficient by more than DEMEAN_TOL times the column's scale, so their coefficients may
 *  also differ from the exact ones by a few times that, which SWEEP_ALLOWANCE covers. */
const DEMEAN_TOL = 1e-13;
/** Relative coefficient error allowed on top of rounding for iterative demeaning: the stopping rule
 *  bounds the last sweep's change, and the remaining error is that change over (1 - convergence rate),
 *  a factor of at most ~100 on these well-connected panels. */
const SWEEP_ALLOWANCE = 100 * DEMEAN_TOL;

interface Case {
  readonly label: string;
  readonly dropRate: number;
  readonly fixef: readonly string[];
  /** Whether feols absorbs these fixed effects by alternating projections (absorb.ts "auto"): always
   *  for three, for two only on balanced unweighted panels; one fixed effect is exact in one sweep. */
  readonly sweeps: boolean | "unweighted";
}

const models: Case[] = [
  { label: "no fixed effect (intercept)", dropRate: 0.15, fixef: [], sweeps: false },
  { label: "unit", dropRate: 0.15, fixef: ["unit"], sweeps: false },
  { label: "unit + year, unbalanced (direct two-way solve)", dropRate: 0.15, fixef: ["unit", "year"], sweeps: false },
  { label: "unit + year, balanced (sweeps when unweighted)", dropRate: 0, fixef: ["unit", "year"], sweeps: "unweighted" },
  { label: "unit + year + region (sweeps)", dropRate: 0.15, fixef: ["unit", "year", "region"], sweeps: true },
];

/** Noise scales of the near-copy of x2: 1 - R^2 of it on the rest is about scale^2, so the first two are
 *  kept (1e-4, 1e-8 > 1e-10) and the last two dropped by the project's collinearity rule (1e-12, 1e-18). */
const noiseScales = [1e-2, 1e-4, 1e-6, 1e-9];

describe.each(backendNames)("feols coefficients against ml-matrix QR (%s)", (backendName) => {
  const engine = createEngine({ backend: backendName });

  describe.each(models)("$label", ({ dropRate, fixef, sweeps }) => {
    const panel = randomPanel({ seed: 31, units: 30, periods: 7, K: 3, dropRate });
    const allowance = (weights: string | null) => (sweeps === true || (sweeps === "unweighted" && !weights) ? SWEEP_ALLOWANCE : 0);
    const rhs = (xs: readonly string[]) => `y ~ ${xs.join(" + ")}${fixef.length ? ` | ${fixef.join(" + ")}` : ""}`;

    it.each([
      ["unweighted", null],
      ["weighted", "w"],
    ] as const)("%s: random regressors", (_, weights) => {
      const fit = feols(fromColumns(panel.columns), rhs(panel.xNames), { engine, weights, vcov: "iid", tol: DEMEAN_TOL });
      const w = weights ? panel.columns.w : null;
      const oracle = oracleCoefficients(dummyDesign(panel.columns, panel.xNames, fixef), panel.columns.y, w);
      expect(fit.removed).toEqual([]);
      expect(fit.coefNames).toEqual(fixef.length ? panel.xNames : ["(Intercept)", ...panel.xNames]);
      expect(scaledVectorError(fit.estimates(), oracle.b, oracle.d)).toBeLessThanOrEqual(oracle.tol + allowance(weights));
    });

    it.each(noiseScales.flatMap((s) => [[s, null] as const, [s, "w"] as const]))("x2 plus %s noise, weights %s", (scale, weights) => {
      const cols: Record<string, Float64Array> = { ...panel.columns, xn: nearCopy(panel.columns.x2, scale, 17) };
      const names = ["x1", "x2", "xn", "x3"];
      const fit = feols(fromColumns(cols), rhs(names), { engine, weights, vcov: "iid", tol: DEMEAN_TOL });
      const w = weights ? cols.w : null;
      const full = dummyDesign(cols, names, fixef);
      // The project's rule: drop xn when 1 - R^2 of its within (demeaned) part on the earlier kept
      // columns' is <= COLLINEAR_TOL. In the dummy design that is xn on x1, x2 and the dummies.
      const xn = full.K - 2;
      const earlier = Array.from({ length: full.Z.columns }, (_, j) => j).filter((j) => j !== xn && (j < xn || j >= full.K));
      const share = unexplainedShare(full.Z, xn, earlier, w);
      expect(share > COLLINEAR_TOL * DECISION_MARGIN || share < COLLINEAR_TOL / DECISION_MARGIN, `1 - R^2 = ${share} is too near the threshold to test`).toBe(true);
      const dropped = share < COLLINEAR_TOL;
      expect(fit.removed).toEqual(dropped ? ["xn"] : []);
      const keptNames = dropped ? names.filter((x) => x !== "xn") : names;
      const oracle = oracleCoefficients(dummyDesign(cols, keptNames, fixef), cols.y, w);
      expect(scaledVectorError(fit.estimates(), oracle.b, oracle.d)).toBeLessThanOrEqual(oracle.tol + allowance(weights));
    });
  });
});
