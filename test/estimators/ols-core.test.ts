// Large fits do not keep a copy of their demeaned regressors: withVcov recomputes them through the same
// demeaning call. That recomputation must give exactly the stored values.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { runOls } from "../../bindings/estimators/ols-core.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { groupIds } from "../../bindings/model/groups.js";
import { DEFAULT_SSC } from "../../bindings/model/vcov-spec.js";

describe("runOls", () => {
  it.each(["wasm", "reference"] as const)("recomputes the demeaned design bit for bit (%s)", (backend) => {
    const f = fromColumns(generateSyntheticPanel({ units: 300, periods: 7, regressors: 10, seed: 2, weights: true }));
    const rows = Int32Array.from({ length: f.nrow }, (_, i) => i);
    const unit = { name: "unit", ...groupIds(f, "unit", rows) };
    const year = { name: "year", ...groupIds(f, "year", rows) };
    const names = Array.from({ length: 10 }, (_, j) => `x${j + 1}`);
    const res = runOls({
      backend: createEngine({ backend }).backend,
      outcomes: [{ name: "y", values: f.numeric("y") }],
      design: { names, columns: names.map((nm) => f.numeric(nm)), intercept: false },
      weights: f.numeric("w"), fixef: [unit, year], tol: 1e-8, maxIter: 1000, vcov: { type: "iid" }, ssc: DEFAULT_SSC,
      clusterGroups: () => unit,
    });
    expect(res.X).not.toBeNull();
    expect(Array.from(res.demeanedX())).toEqual(Array.from(res.X!));
  });
});
