// Variance matrices of feols (and of Fit.withVcov) against the ml-matrix oracle (test/oracle/
// vcov-oracle.ts): iid, hetero (HC1), cluster one-way and two-way (CRV1), each small-sample correction
// of ssc(), without fixed effects and with one and two, with and without weights, on both backends.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { feols } from "../../bindings/estimators/feols.js";
import { DEFAULT_SSC, parseVcov, type Ssc } from "../../bindings/model/vcov-spec.js";
import { backendNames } from "../helpers/backends.js";
import { randomPanel } from "./data.js";
import { equilibratedCondition, scaledMatrixError } from "./dense.js";
import { dummyDesign, regressorNorms } from "./dummy-design.js";
import { varianceTol } from "./tolerances.js";
import { oracleVcov } from "./vcov-oracle.js";

/** Exact demeaning up to rounding for one fixed effect and the unbalanced two-way panel (direct solve),
 *  so the variance tolerance is rounding only. */
const DEMEAN_TOL = 1e-13;

// 30 units in 10 states of 3, 7 years, 5 regions crossing units and years; ~15% of rows dropped.
const panel = randomPanel({ seed: 47, units: 30, periods: 7, K: 3, unitsPerState: 3, dropRate: 0.15 });
const frame = fromColumns(panel.columns);

const fixefSets: ReadonlyArray<readonly string[]> = [[], ["unit"], ["unit", "year"]];

/** unit is nested in unit and in state (fixef "nested" drops its dummies); region nests nothing. With
 *  only 5 regions, state+region's multiway sum mostly has a negative diagonal element, so it also checks
 *  the eigenvalue repair (and its note); unit+year is a multiway case that needs none. */
const specs = ["iid", "hetero", "cluster:unit", "cluster:state", "cluster:region", "cluster:state+region", "cluster:unit+year"];

const sscVariants: ReadonlyArray<{ label: string; ssc: Ssc }> = [
  { label: "default ssc", ssc: DEFAULT_SSC },
  { label: "adj false", ssc: { ...DEFAULT_SSC, adj: false } },
  { label: "fixefK full", ssc: { ...DEFAULT_SSC, fixefK: "full" } },
  { label: "fixefK none", ssc: { ...DEFAULT_SSC, fixefK: "none" } },
  { label: "clusterAdj false", ssc: { ...DEFAULT_SSC, clusterAdj: false } },
  { label: "conventional cluster df and t df", ssc: { ...DEFAULT_SSC, clusterDf: "conventional", tDf: "conventional" } },
];

describe.each(backendNames)("variances against ml-matrix (%s)", (backendName) => {
  const engine = createEngine({ backend: backendName });
  describe.each(fixefSets.map((f) => [f.length ? f.join(" + ") : "no fixed effect", f] as const))("%s", (_, fixef) => {
    const formula = `y ~ ${panel.xNames.join(" + ")}${fixef.length ? ` | ${fixef.join(" + ")}` : ""}`;
    const design = dummyDesign(panel.columns, panel.xNames, fixef);
    describe.each([
      ["unweighted", null],
      ["weighted", "w"],
    ] as const)("%s", (_w, weights) => {
      const w = weights ? panel.columns.w : null;
      const base = feols(frame, formula, { engine, weights, vcov: "iid", tol: DEMEAN_TOL });
      const d = regressorNorms(design, w);
      const tol = varianceTol(equilibratedCondition(design.Z, w));
      const cases = specs.flatMap((spec) => sscVariants.map(({ label, ssc }) => ({ spec, label, ssc })));
      it.each(cases)("$spec, $label", ({ spec, ssc }) => {
        const expected = oracleVcov({ design, y: panel.columns.y, w, columns: panel.columns, fixef }, parseVcov(spec), ssc);
        const fit = feols(frame, formula, { engine, weights, vcov: spec, ssc, tol: DEMEAN_TOL });
        const recomputed = base.withVcov(spec, ssc);
        for (const f of [fit, recomputed]) {
          expect(f.notes.some((note) => note.message.includes("negative diagonal")), "repair note").toBe(expected.repaired);
          expect(scaledMatrixError(f.vcov.flat(), expected.V, d)).toBeLessThanOrEqual(tol);
          expect(f.dfT).toBe(expected.dfT);
        }
      });
    });
  });
});
