// Types of agreement.mjs (used by test/bench/fixest-data.test.ts).
export const COEF_REL_TOL: number;
export const SE_REL_TOL: number;
export function relDiff(a: unknown, b: unknown): number;
type Named = Record<string, number>;
export function compareFits(
  didwasm: { coef: Named; se: Named },
  fixest: { coef: Named; se: Named },
): {
  rows: { term: string; fixestCoef: number; didwasmCoef: number; coefRel: number; fixestSe: number; didwasmSe: number; seRel: number }[];
  coefMax: number;
  seMax: number;
  extraTerms: string[];
  ok: boolean;
};
