// A model of the fixed effects alone (y ~ 1 | fe), which fixest estimates and which the empty step of
// sw0()/csw0() with fixed effects asks for: no coefficient, but the sample, the fixed effects' sizes and
// the fit statistics of a column in the table (R²; no within R², as fixest: nothing is left to explain
// within). The residuals are the demeaned outcome; the variance of no coefficient is empty, with its
// degrees of freedom and clusters as usual.
import { DidwasmError } from "../errors.js";
import { warning } from "../notes.js";
import { demeanWritten } from "./demean-columns.js";
import { Fit, clusterEncoder } from "./fit.js";
import { sampleNotes, type DesignFit } from "./fit-design.js";
import { computeVcov } from "./vcov/index.js";

export function fixefOnlyFits(req: DesignFit): Fit[] {
  const { sample, common } = req;
  const n = sample.rows.length;
  const w = sample.weights;
  const backend = common.engine.backend;
  return req.outcomes.map((o) => {
    const y = o.values;
    const done = req.absorbed?.get(o.name);
    // The shared column is a view on memory that outlives this call only briefly: the residuals are a copy.
    const absorbed = done ? { values: done.read().slice(), iterations: done.iterations } : (() => {
      const r = demeanWritten(common.engine, n, [(out, offset) => out.set(y, offset)], sample.fixef, w, common.tol, common.maxIter);
      return { values: r.columns[0], iterations: r.iterations[0] };
    })();
    let sumW = 0;
    let sumWy = 0;
    for (let i = 0; i < n; i++) {
      sumW += w ? w[i] : 1;
      sumWy += (w ? w[i] : 1) * y[i];
    }
    const mean = sumWy / sumW;
    let tss = 0;
    let rss = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      tss += wi * (y[i] - mean) ** 2;
      rss += wi * absorbed.values[i] ** 2;
    }
    if (!(tss > 0)) {
      throw new DidwasmError("NO_VARIANCE", `outcome "${o.name}" is constant (every observation of the sample is ${y[0]}): there is nothing to estimate`, { column: o.name });
    }
    const arena = backend.arena();
    try {
      const variance = computeVcov(common.vcov, {
        backend, arena, n, K: 0, X: arena.f64(1), resid: arena.f64From(absorbed.values), weights: w ? arena.f64From(w) : null,
        bread: new Float64Array(0), rss, fixef: sample.fixef, clusterGroups: clusterEncoder(req.frame, sample.rows, sample.fixef), ssc: common.ssc,
      });
      const notes = [...sampleNotes(sample), ...(sample.notes ?? [])];
      const converged = absorbed.iterations >= 0;
      if (!converged) notes.push(warning("not_converged", `demeaning did not converge within ${common.maxIter} sweeps (tol ${common.tol}) for: ${o.name}`));
      const fixefSizes: Record<string, number> = {};
      sample.fixef.forEach((fe) => (fixefSizes[fe.name] = fe.G));
      return new Fit({
        formula: req.label, outcome: o.name, coefNames: [], coef: new Float64Array(0), vcovSpec: common.vcov, ssc: common.ssc, variance,
        nobs: n, rss, tss, tssWithin: null, constant: mean, intercept: false, removed: [], nobsMissing: sample.dropped.missing,
        singletonsRemoved: sample.dropped.singletons, fixefSizes, iterations: Math.abs(absorbed.iterations), converged, notes, weights: common.weights,
        internals: {
          frame: req.frame, rows: sample.rows, X: new Float64Array(0), demeanedX: () => new Float64Array(0), resid: absorbed.values, weights: w,
          bread: new Float64Array(0), fixef: sample.fixef, engine: common.engineGiven ? common.engine : null, backendName: backend.name,
        },
      });
    } finally {
      arena.release();
    }
  });
}
