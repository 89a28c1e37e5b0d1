// fixest's "difficult" benchmark data (its _BENCHMARK data-generation script, itself adapted from
// FixedEffectModels.jl's benchmark), rebuilt here from its formulas with the project's own generator:
// the same design, not the same draws (fixest draws with R's set.seed(1)).
//
// For n rows: individuals I = n / 20, firms F = round(n / 160), years Y = round(n^0.3);
//   indiv ~ uniform on 1..I;  year ~ uniform on 1..Y;
//   firm  = min(u + max(1, floor(indiv / 8) - 10), F) with u uniform on 0..20, so that neighbouring
//           individuals share a narrow band of firms: a long, thin individual-firm graph;
//   x1 = 5 cos(indiv) + 5 sin(firm) + 5 sin(year) + U(0, 1);
//   x2 = cos(indiv) + sin(firm) + sin(year) + N(0, 1);
//   y  = 3 x1 + 5 x2 + cos(indiv) + cos(firm)^2 + sin(year) + N(0, 1).
// Drawn row by row: indiv, u, year, the uniform of x1, the normal of x2, the normal of y.
import { csvRows, dec6 } from "./csv-rows.mjs";

/** The group counts of fixest's design for n rows. */
export function difficultSizes(n) {
  return { indiv: n / 20, firms: Math.round(n / 160), years: Math.round(n ** 0.3) };
}

/** Writes n rows to `file`; `rng` has uniform(), below(k) and normal(). */
export function writeDifficult(file, rng, n = 1_000_000) {
  const { indiv: I, firms: F, years: Y } = difficultSizes(n);
  const out = csvRows(file, ["id_indiv", "id_firm", "id_year", "x1", "x2", "y"]);
  for (let i = 0; i < n; i++) {
    const indiv = 1 + rng.below(I);
    const firm = Math.min(rng.below(21) + Math.max(1, Math.floor(indiv / 8) - 10), F);
    const year = 1 + rng.below(Y);
    const common = Math.sin(firm) + Math.sin(year);
    const x1 = 5 * Math.cos(indiv) + 5 * common + rng.uniform();
    const x2 = Math.cos(indiv) + common + rng.normal();
    const y = 3 * x1 + 5 * x2 + Math.cos(indiv) + Math.cos(firm) ** 2 + Math.sin(year) + rng.normal();
    out.row([indiv, firm, year, dec6(x1), dec6(x2), dec6(y)]);
  }
  out.close();
  return { rows: n, I, F, Y };
}
