// Linear combinations of a fit's coefficients, with standard errors by the delta method (w' V w) and
// t-based p-values and intervals on the fit's degrees of freedom.
import { tQuantile } from "../../stats/distributions.js";
import { tidyRow, type Fit, type TidyRow } from "../fit.js";

/** sum_j w_j b_j for coefficients named in `weights` (missing names contribute nothing). */
export function combine(fit: Fit, term: string, weights: ReadonlyMap<string, number>, level = 0.95): TidyRow {
  const names = fit.coefNames;
  const b = fit.estimates();
  const V = fit.vcov;
  const idx: number[] = [];
  const w: number[] = [];
  for (const [name, wt] of weights) {
    const i = names.indexOf(name);
    if (i >= 0) {
      idx.push(i);
      w.push(wt);
    }
  }
  let est = 0;
  let v = 0;
  idx.forEach((i, a) => {
    est += w[a] * b[i];
    idx.forEach((j, c) => (v += w[a] * w[c] * V[i][j]));
  });
  return tidyRow(term, est, Math.sqrt(v), fit.dfT, tQuantile(1 - (1 - level) / 2, fit.dfT));
}
