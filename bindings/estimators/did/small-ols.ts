// Least squares on arrays already restricted to a sample, for estimators that run many small auxiliary
// regressions (the controlled Goodman-Bacon decomposition). Same numerical path as feols (runOls).
import type { Engine } from "../../engine/engine.js";
import { DidwasmError } from "../../errors.js";
import type { Groups } from "../../model/groups.js";
import { DEFAULT_SSC } from "../../model/vcov-spec.js";
import { DEFAULT_MAX_ITER, DEFAULT_TOL } from "../common-options.js";
import { runOls } from "../ols-core.js";

export interface SmallOls {
  /** Coefficient per regressor name (dropped collinear regressors are absent). */
  readonly coef: ReadonlyMap<string, number>;
  readonly resid: Float64Array;
  readonly fitted: Float64Array;
  readonly r2: number;
}

export function smallOls(
  engine: Engine,
  y: Float64Array,
  regressors: ReadonlyArray<{ readonly name: string; readonly values: Float64Array }>,
  fixef: ReadonlyArray<Groups & { readonly name: string }>,
): SmallOls {
  const intercept = fixef.length === 0;
  const names = [...(intercept ? ["(Intercept)"] : []), ...regressors.map((r) => r.name)];
  const columns = [...(intercept ? [new Float64Array(y.length).fill(1)] : []), ...regressors.map((r) => r.values)];
  const res = runOls({
    backend: engine.backend, outcomes: [{ name: "y", values: y }], design: { names, columns, intercept }, weights: null,
    fixef, tol: DEFAULT_TOL, maxIter: DEFAULT_MAX_ITER, vcov: { type: "iid" }, ssc: DEFAULT_SSC,
    clusterGroups: () => {
      throw new DidwasmError("BAD_OPTION", "no clustering in auxiliary regressions");
    },
  });
  const o = res.outcomes[0];
  const coef = new Map(res.keptNames.map((nm, k) => [nm, o.coef[k]]));
  return { coef, resid: o.resid, fitted: Float64Array.from(y, (v, i) => v - o.resid[i]), r2: 1 - o.rss / o.tss };
}
