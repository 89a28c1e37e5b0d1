// Exact collinearity: the regressors feols removes (fit.removed) against the ml-matrix SVD's rank, and the
// kept coefficients against QR on the kept design. The oracle walks the regressors in formula order, after
// the intercept or the fixed-effect dummies, and removes a regressor when adding it does not raise the
// SVD rank (threshold max(n, K) sigma_max eps): the same in-order rule the Cholesky applies, decided by
// an independent factorisation. (Near-collinear regressors, which the project's 1 - R^2 <= 1e-10 rule
// removes although the SVD counts them, are in feols.test.ts.)
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { feols } from "../../bindings/estimators/feols.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { backendNames } from "../helpers/backends.js";
import { randomPanel, type OraclePanel } from "./data.js";
import { matrixOfColumns, scaledVectorError, svdRank } from "./dense.js";
import { dummyDesign, fixefColumns, oracleCoefficients } from "./dummy-design.js";

/** Regressors that do not raise the SVD rank of [base, regressors kept so far], in order. */
function oracleRemoved(base: Float64Array[], xs: ReadonlyArray<{ name: string; values: Float64Array }>): string[] {
  expect(svdRank(matrixOfColumns(base))).toBe(base.length);
  const kept = [...base];
  const removed: string[] = [];
  for (const x of xs) {
    if (svdRank(matrixOfColumns([...kept, x.values])) === kept.length) removed.push(x.name);
    else kept.push(x.values);
  }
  return removed;
}

/** A value per group of `ids` (constant within the group): collinear with that fixed effect. */
function perGroup(ids: Float64Array, seed: number): Float64Array {
  const rng = new Xoshiro128(seed, 3);
  const value = new Map<number, number>();
  return ids.map((g) => value.get(g) ?? (value.set(g, rng.normal()), value.get(g)!));
}

interface Scenario {
  readonly label: string;
  readonly fixef: readonly string[];
  /** Extra columns built from the panel's. */
  readonly extra: (p: OraclePanel) => Record<string, Float64Array>;
  readonly regressors: readonly string[];
}

const combine = (a: Float64Array, ca: number, b: Float64Array, cb: number) => a.map((v, i) => ca * v + cb * b[i]);

const scenarios: Scenario[] = [
  {
    label: "no fixed effect: a sum, a multiple, a zero column and a constant",
    fixef: [],
    extra: (p) => ({
      s12: combine(p.columns.x1, 1, p.columns.x2, 1),
      x3b: p.columns.x3.map((v) => -3 * v),
      zero: new Float64Array(p.n),
      two: new Float64Array(p.n).fill(2),
    }),
    regressors: ["x1", "s12", "x2", "zero", "x3", "two", "x3b", "x4"],
  },
  {
    label: "unit + year: unit-level, year-level and unit-plus-year-level regressors",
    fixef: ["unit", "year"],
    extra: (p) => {
      const u = perGroup(p.columns.unit, 1);
      const t = perGroup(p.columns.year, 2);
      return { ulevel: u, tlevel: t, ut: combine(u, 1, t, 2), d12: combine(p.columns.x1, 2, p.columns.x2, -1) };
    },
    regressors: ["ulevel", "x1", "tlevel", "x2", "ut", "d12", "x3", "x4"],
  },
  {
    label: "unit: a regressor equal to another plus a unit-level one",
    fixef: ["unit"],
    extra: (p) => ({ xu: combine(p.columns.x2, 1, perGroup(p.columns.unit, 3), 1) }),
    regressors: ["x1", "x2", "xu", "x3"],
  },
];

/** Random patterns: each regressor after the second is, with probability 0.5, an integer combination of
 *  two earlier ones (themselves possibly combinations), and the last one always is. */
function randomPattern(seed: number, fixef: readonly string[]): Scenario {
  const rng = new Xoshiro128(seed, 11);
  const plan = Array.from({ length: 5 }, (_, j) => (j === 4 || (j >= 2 && rng.uniform() < 0.5) ? [rng.below(j), rng.below(j), 1 + rng.below(3), -1 - rng.below(2)] : null));
  return {
    label: `random pattern ${seed}${fixef.length ? ` | ${fixef.join(" + ")}` : ""}: ${plan.map((p, j) => (p ? `c${j} = ${p[2]} c${p[0]} ${p[3]} c${p[1]}` : `c${j}`)).join(", ")}`,
    fixef,
    extra: (p) => {
      const out: Record<string, Float64Array> = {};
      plan.forEach((step, j) => {
        out[`c${j}`] = step ? combine(out[`c${step[0]}`], step[2], out[`c${step[1]}`], step[3]) : p.columns[`x${j + 1}`];
      });
      return out;
    },
    regressors: ["c0", "c1", "c2", "c3", "c4"],
  };
}

const allScenarios = [...scenarios, ...[1, 2, 3, 4, 5, 6].map((s) => randomPattern(s, s % 2 ? [] : ["unit", "year"]))];

describe.each(backendNames)("removed regressors against the SVD rank (%s)", (backendName) => {
  const engine = createEngine({ backend: backendName });
  const panel = randomPanel({ seed: 61, units: 25, periods: 6, K: 5 });
  describe.each(allScenarios)("$label", ({ fixef, extra, regressors }) => {
    const columns = { ...panel.columns, ...extra(panel) };
    const expectedRemoved = oracleRemoved(
      fixefColumns(columns, fixef, columns.y.length),
      regressors.map((name) => ({ name, values: columns[name] })),
    );
    it.each([
      ["unweighted", null],
      ["weighted", "w"],
    ] as const)("%s", (_, weights) => {
      const formula = `y ~ ${regressors.join(" + ")}${fixef.length ? ` | ${fixef.join(" + ")}` : ""}`;
      const fit = feols(fromColumns(columns), formula, { engine, weights, vcov: "iid" });
      expect(fit.removed).toEqual(expectedRemoved);
      const kept = regressors.filter((x) => !expectedRemoved.includes(x));
      expect(fit.coefNames).toEqual(fixef.length ? kept : ["(Intercept)", ...kept]);
      const w = weights ? columns.w : null;
      const oracle = oracleCoefficients(dummyDesign(columns, kept, fixef), columns.y, w);
      expect(scaledVectorError(fit.estimates(), oracle.b, oracle.d)).toBeLessThanOrEqual(oracle.tol);
    });
  });
});
