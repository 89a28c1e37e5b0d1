// The "hard" worker x firm x year panel of issue 12: workers observed every year, who rarely change
// firm, so that the worker-firm graph is connected only through few movers and alternating projections
// converge slowly.
//
// Design (all draws from one seeded generator, in this order):
//   firm effect psi_f ~ N(0, 1) for f = 1..F; year effect gamma_t ~ N(0, 0.25) for t = 1..T;
//   then worker by worker: alpha_w ~ N(0, 1); year 1: a uniformly drawn firm; each later year: with
//   probability `moveProb` a uniformly drawn firm (possibly the same one), else last year's firm;
//   x1 = N(0, 1) + 0.5 psi_firm  (sorting: x1 is higher in better-paying firms),
//   x2 = N(0, 1) + 0.5 alpha_w    (and in better-paid workers),
//   y  = 1 x1 - 0.5 x2 + alpha_w + psi_firm + gamma_t + N(0, 1).
// x1 and x2 are normal and correlated with the fixed effects, so leaving out either effect biases the
// slopes: the fit cannot get the coefficients right without solving the fixed effects well.
import { csvRows, dec6 } from "./csv-rows.mjs";

export const WORKER_FIRM_DEFAULTS = { workers: 100_000, years: 10, firms: 5_000, moveProb: 0.02, firstYear: 2001 };

/**
 * Writes the panel to `file`; `rng` has uniform(), below(n) and normal() (the project's Xoshiro128).
 * Returns counts that describe the graph: rows, movers (worker-years that changed firm) and the
 * number of firms that ever employ anyone.
 */
export function writeWorkerFirmPanel(file, rng, options = {}) {
  const { workers, years, firms, moveProb, firstYear } = { ...WORKER_FIRM_DEFAULTS, ...options };
  const psi = Float64Array.from({ length: firms }, () => rng.normal());
  const gamma = Float64Array.from({ length: years }, () => 0.5 * rng.normal());
  const used = new Uint8Array(firms);
  const out = csvRows(file, ["worker", "firm", "year", "x1", "x2", "y"]);
  let moves = 0;
  for (let w = 0; w < workers; w++) {
    const alpha = rng.normal();
    let firm = rng.below(firms);
    for (let t = 0; t < years; t++) {
      if (t > 0 && rng.uniform() < moveProb) {
        const next = rng.below(firms);
        if (next !== firm) moves++;
        firm = next;
      }
      used[firm] = 1;
      const x1 = rng.normal() + 0.5 * psi[firm];
      const x2 = rng.normal() + 0.5 * alpha;
      const y = x1 - 0.5 * x2 + alpha + psi[firm] + gamma[t] + rng.normal();
      out.row([w + 1, firm + 1, firstYear + t, dec6(x1), dec6(x2), dec6(y)]);
    }
  }
  out.close();
  return { rows: workers * years, moves, firmsUsed: used.reduce((s, u) => s + u, 0) };
}
