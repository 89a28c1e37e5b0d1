// One-hot indicator blocks anywhere in a design (not only after the dense regressors, as in event
// studies) go through their codes in the crossproduct (ols-crossproduct.ts): the same fit as the dense
// columns, and the same bits on both backends.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { runOls, type OlsJob } from "../../bindings/estimators/ols-core.js";
import { createEngine } from "../../bindings/engine/engine.js";
import type { Design } from "../../bindings/model/design.js";
import { groupIds } from "../../bindings/model/groups.js";
import { designColumns, indicatorColumn } from "../../bindings/model/lazy-columns.js";
import { DEFAULT_SSC } from "../../bindings/model/vcov-spec.js";
import { backendNames } from "../helpers/backends.js";

const frame = fromColumns(generateSyntheticPanel({ units: 90, periods: 7, regressors: 2, seed: 4, weights: true, unitsPerState: 9 }));
const n = frame.nrow;
const rows = Int32Array.from({ length: n }, (_, i) => i);
const unit = { name: "unit", ...groupIds(frame, "unit", rows) };
const state = groupIds(frame, "state", rows);
const year = groupIds(frame, "year", rows);
// state::2..10 (state 1 left out) and year::1..6 (year 0 left out): two blocks, neither at the end.
const stateCode = Int32Array.from(state.ids, (s) => s - 1);
const yearCode = Int32Array.from(year.ids, (t) => t - 1);
const stateNames = Array.from({ length: state.G - 1 }, (_, j) => `state::${j + 2}`);
const yearNames = Array.from({ length: year.G - 1 }, (_, j) => `year::${j + 1}`);

function design(declared: boolean): Design {
  const names = ["(Intercept)", "x1", ...stateNames, "x2", ...yearNames];
  const columns = designColumns([
    new Float64Array(n).fill(1),
    frame.numeric("x1"),
    ...stateNames.map((_, j) => indicatorColumn(stateCode, j)),
    frame.numeric("x2"),
    ...yearNames.map((_, j) => indicatorColumn(yearCode, j)),
  ]);
  const indicators = [
    { start: 2, count: stateNames.length, code: stateCode },
    { start: 3 + stateNames.length, count: yearNames.length, code: yearCode },
  ];
  return declared ? { names, columns, intercept: true, indicators } : { names, columns, intercept: true };
}

function fit(backend: (typeof backendNames)[number], declared: boolean) {
  const job: OlsJob = {
    backend: createEngine({ backend }).backend, outcomes: [{ name: "y", values: frame.numeric("y") }], design: design(declared), weights: frame.numeric("w"),
    fixef: [], tol: 1e-10, maxIter: 10_000, vcov: { type: "cluster", vars: ["unit"] }, ssc: DEFAULT_SSC, clusterGroups: () => unit,
  };
  return runOls(job);
}

describe("indicator blocks between dense regressors", () => {
  it.each(backendNames)("give the dense design's fit (%s)", (backend) => {
    const dense = fit(backend, false);
    const blocks = fit(backend, true);
    expect(blocks.removed).toEqual([]);
    expect(dense.removed).toEqual([]);
    expect(blocks.keptNames).toEqual(dense.keptNames);
    const close = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      Array.from(a).forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(b[i]))));
    close(blocks.outcomes[0].coef, dense.outcomes[0].coef);
    close(blocks.outcomes[0].vcov.vcov, dense.outcomes[0].vcov.vcov);
  });

  it("give the same bits on both backends", () => {
    const [w, r] = backendNames.map((b) => fit(b, true));
    expect(Array.from(w.outcomes[0].coef)).toEqual(Array.from(r.outcomes[0].coef));
    expect(Array.from(w.outcomes[0].vcov.vcov)).toEqual(Array.from(r.outcomes[0].vcov.vcov));
  });
});
