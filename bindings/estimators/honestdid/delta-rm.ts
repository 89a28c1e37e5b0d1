// Confidence sets under relative magnitudes, Delta^RM(Mbar) (Rambachan and Roth 2023, section 2.4.1): the
// union over the polyhedra of restrictions.ts, each inverted by the conditional test (test-inversion.ts)
// on HonestDiD's grid for theta, [-20, 20] standard errors of l'beta_post around 0 (the identified set
// under parallel trends), 1,000 points by default.
import { quad } from "./dense.js";
import { relativeMagnitudeUnion } from "./restrictions.js";
import { invertTests, thetaGrid, type CvCache, type EventStudy, type GridSet } from "./test-inversion.js";
import { postCovariance } from "./event-study-input.js";

export interface GridOptions {
  readonly alpha: number;
  readonly hybrid: "lf" | "arp";
  readonly kappa: number;
  readonly gridPoints: number;
  /** Ends of the theta grid (default: HonestDiD's). */
  readonly gridLb?: number;
  readonly gridUb?: number;
}

/** The standard error of l'beta_post. */
export const targetStdError = (es: EventStudy) => Math.sqrt(quad(postCovariance(es), es.l));

export function relativeMagnitudeSet(es: EventStudy, Mbar: number, o: GridOptions, cache: CvCache): GridSet {
  const sd = targetStdError(es);
  const grid = thetaGrid(o.gridLb ?? -20 * sd, o.gridUb ?? 20 * sd, o.gridPoints);
  return invertTests(es, relativeMagnitudeUnion(es.numPre, es.numPost, Mbar), { alpha: o.alpha, hybrid: o.hybrid, kappa: o.kappa, grid }, cache);
}
