// How closely didwasm's estimates match fixest's: the largest relative difference over the coefficients
// of a model, for the estimates and for the clustered standard errors, against the tolerances.

/** Issue 12: "same coefficient to 1e-6 relative and same clustered SE to 1e-5 relative". */
export const COEF_REL_TOL = 1e-6;
export const SE_REL_TOL = 1e-5;

/** |a - b| / |b|; a missing or non-finite value on either side is Infinity (a disagreement, not a pass). */
export function relDiff(a, b) {
  if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  if (a === b) return 0;
  return Math.abs(a - b) / Math.abs(b);
}

/**
 * Compares named values (term -> number) of didwasm with fixest's, over fixest's terms (a term that
 * didwasm lacks counts as a disagreement). Returns each term's relative differences and the largest.
 */
export function compareFits(didwasm, fixest) {
  const terms = Object.keys(fixest.coef);
  const rows = terms.map((term) => ({
    term,
    fixestCoef: fixest.coef[term],
    didwasmCoef: didwasm.coef[term],
    coefRel: relDiff(didwasm.coef[term], fixest.coef[term]),
    fixestSe: fixest.se[term],
    didwasmSe: didwasm.se[term],
    seRel: relDiff(didwasm.se[term], fixest.se[term]),
  }));
  const coefMax = Math.max(0, ...rows.map((r) => r.coefRel));
  const seMax = Math.max(0, ...rows.map((r) => r.seRel));
  const missing = Object.keys(didwasm.coef).filter((t) => !(t in fixest.coef));
  return { rows, coefMax, seMax, extraTerms: missing, ok: coefMax <= COEF_REL_TOL && seMax <= SE_REL_TOL && missing.length === 0 && terms.length > 0 };
}
