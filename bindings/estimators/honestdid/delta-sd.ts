// Smoothness, Delta^SD(M): the identified set of theta = l'tau (two linear programs, solved by HiGHS) and
// the conditional confidence sets (ARP, and the C-LF hybrid), inverted on HonestDiD's grid: the
// identified set under parallel trends (beta = 0) widened by 20 standard errors of l'beta_post on each
// side. The default confidence set for Delta^SD, the FLCI, is in flci.ts.
import type { Highs } from "highs";
import { mat } from "./dense.js";
import { targetStdError, type GridOptions } from "./delta-rm.js";
import { createProgram } from "./highs-solver.js";
import { smoothnessRestriction } from "./restrictions.js";
import { invertTests, thetaGrid, type CvCache, type EventStudy, type GridSet } from "./test-inversion.js";

/** The identified set of l'tau when the coefficients' means are `beta`: l'beta_post minus the largest and
 *  the smallest l'delta_post over delta in Delta^SD(M) with delta_pre = beta_pre. */
export function smoothnessIdentifiedSet(highs: Highs, es: EventStudy, M: number, beta: Float64Array): { lb: number; ub: number } {
  const { numPre: p, numPost: q, l } = es;
  const r = smoothnessRestriction(p, q, M);
  const n = p + q;
  // Rows: A delta <= d, then delta_pre = beta_pre.
  const A = mat(r.A.rows + p, n);
  A.data.set(r.A.data);
  for (let j = 0; j < p; j++) A.data[(r.A.rows + j) * n + j] = 1;
  const rowLower = [...new Array(r.A.rows).fill(-Infinity), ...beta.subarray(0, p)];
  const rowUpper = [...r.d, ...beta.subarray(0, p)];
  const cost = [...new Array(p).fill(0), ...l];
  const model = createProgram(highs, { cost, colLower: new Array(n).fill(-Infinity), colUpper: new Array(n).fill(Infinity), A, rowLower, rowUpper });
  try {
    const min = model.solve();
    model.setCost(cost.map((v) => -v));
    const max = model.solve();
    let center = 0;
    l.forEach((v, k) => (center += v * beta[p + k]));
    if (!min.optimal || !max.optimal) return { lb: center, ub: center };
    return { lb: center + max.objective, ub: center - min.objective };
  } finally {
    model.dispose();
  }
}

export function smoothnessConditionalSet(highs: Highs, es: EventStudy, M: number, o: GridOptions, cache: CvCache): GridSet {
  const sd = targetStdError(es);
  let lo = o.gridLb;
  let hi = o.gridUb;
  if (lo === undefined || hi === undefined) {
    const id = smoothnessIdentifiedSet(highs, es, M, new Float64Array(es.numPre + es.numPost));
    lo ??= id.lb - 20 * sd;
    hi ??= id.ub + 20 * sd;
  }
  const full = smoothnessRestriction(es.numPre, es.numPost, M);
  // HonestDiD tests the post-period moments only when there are several post-periods.
  const restriction = es.numPost > 1 ? full : { ...full, testRows: Array.from({ length: full.A.rows }, (_, i) => i) };
  return invertTests(es, [restriction], { alpha: o.alpha, hybrid: o.hybrid, kappa: o.kappa, grid: thetaGrid(lo, hi, o.gridPoints) }, cache);
}
