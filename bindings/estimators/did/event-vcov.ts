// The event-study vector and its full covariance, as every event-study estimator's JSON carries it
// (`event_vcov`), so that a saved result is enough for a sensitivity analysis (didwasm honestdid --from):
// HonestDiD needs the whole covariance of the pre- and post-period coefficients, not only their standard
// errors. Rows and columns follow `rel_time`, in increasing order; the reference period is not a row.
import type { Fit } from "../fit.js";

export interface EventVcovJson {
  readonly rel_time: readonly number[];
  readonly estimate: readonly number[];
  readonly vcov: ReadonlyArray<readonly number[]>;
}

/** Coefficients in time order with their covariance, given as a function of two positions. */
export function eventVcovJson(rows: ReadonlyArray<{ readonly rel_time: number; readonly estimate: number }>, cov: (i: number, j: number) => number): EventVcovJson {
  const order = rows.map((_, i) => i).sort((a, b) => rows[a].rel_time - rows[b].rel_time);
  return {
    rel_time: order.map((i) => rows[i].rel_time),
    estimate: order.map((i) => rows[i].estimate),
    vcov: order.map((i) => order.map((j) => cov(i, j))),
  };
}

/** For coefficients that are a fit's own terms (TWFE event study, did2s). */
export function eventVcovOfTerms(fit: Fit, rows: ReadonlyArray<{ readonly term: string; readonly rel_time: number; readonly estimate: number }>): EventVcovJson {
  const V = fit.vcov;
  const idx = rows.map((r) => fit.coefNames.indexOf(r.term));
  return eventVcovJson(rows, (a, b) => V[idx[a]][idx[b]]);
}

/** For linear combinations of a fit's terms (Sun-Abraham's per-period aggregates): w_a' V w_b. */
export function eventVcovOfCombinations(fit: Fit, rows: ReadonlyArray<{ readonly rel_time: number; readonly estimate: number; readonly weights: ReadonlyMap<string, number> }>): EventVcovJson {
  const V = fit.vcov;
  const sparse = rows.map((r) => [...r.weights].map(([name, w]) => [fit.coefNames.indexOf(name), w] as const).filter(([i]) => i >= 0));
  return eventVcovJson(rows, (a, b) => {
    let s = 0;
    for (const [i, wi] of sparse[a]) for (const [j, wj] of sparse[b]) s += wi * wj * V[i][j];
    return s;
  });
}
