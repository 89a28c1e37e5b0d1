// demeanColumns (residualised variables for Goodman-Bacon and the placebo fast paths) is invariant to the
// units of its columns and weights: the demeaning's stopping rule compares coefficient changes with each
// column's standard deviation, whose sum of squares under- or overflowed at 1e-200 and 1e200 (the sweeps
// then ran to maxIter and reported non-convergence).
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { demeanColumns } from "../../bindings/estimators/demean-columns.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { groupIds } from "../../bindings/model/groups.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { backendNames } from "../helpers/backends.js";

const frame = fromColumns(generateSyntheticPanel({ units: 80, periods: 6, regressors: 2, seed: 8, weights: true }));
const rows = Int32Array.from({ length: frame.nrow }, (_, i) => i);
const g = new Xoshiro128(3);
// Three fixed effects, the third crossing the others at random: solved iteratively (conjugate gradient,
// absorb.ts) with the stopping rule.
const third = Float64Array.from(rows, () => g.below(7));
const fixef = [groupIds(frame, "unit", rows), groupIds(frame, "year", rows), groupIds(fromColumns({ third }), "third", rows)];
const x1 = frame.numeric("x1");
const y = frame.numeric("y");
const w = frame.numeric("w");

describe.each(backendNames)("demeanColumns in any units (%s)", (backend) => {
  const engine = createEngine({ backend });
  const ref = demeanColumns(engine, [x1, y], fixef, w);

  it.each([1e-200, 1e-100, 1e100, 1e200])("columns and weights times %s", (s) => {
    const got = demeanColumns(engine, [x1.map((v) => v * s), y], fixef, w.map((v) => v * s));
    expect(got.converged).toBe(true);
    expect(got.iterations).toEqual(ref.iterations);
    got.columns[0].forEach((v, i) => expect(Math.abs(v - ref.columns[0][i] * s)).toBeLessThanOrEqual(1e-10 * s));
    got.columns[1].forEach((v, i) => expect(Math.abs(v - ref.columns[1][i])).toBeLessThanOrEqual(1e-10));
  });
});
