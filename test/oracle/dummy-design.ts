// The oracle's version of a fixed-effects model: the dummy-variable regression with every dummy written
// out, [X D_1 D_2 ...] (all levels of the first fixed effect, all but one of each further one; an
// intercept column instead when there is no fixed effect). By Frisch-Waugh-Lovell its first K
// coefficients, and the leading K x K block of any sandwich built on it, are those of the within
// regression the project runs after absorbing the fixed effects.
import type { Matrix } from "ml-matrix";
import { dummies } from "./data.js";
import { matrixOfColumns } from "./dense.js";

export interface DummyDesign {
  readonly Z: Matrix;
  /** Leading columns that are regressors (the intercept included when there is no fixed effect). */
  readonly K: number;
  /** Dummy columns: the fixed-effect parameters (sum of group counts minus one per further effect). */
  readonly fixefParams: number;
}

export function dummyDesign(columns: Record<string, Float64Array>, xNames: readonly string[], fixef: readonly string[]): DummyDesign {
  const n = columns[xNames[0]].length;
  const xs = xNames.map((x) => columns[x]);
  if (fixef.length === 0) {
    return { Z: matrixOfColumns([new Float64Array(n).fill(1), ...xs]), K: xs.length + 1, fixefParams: 0 };
  }
  const d = fixef.flatMap((f, q) => dummies(columns[f], q === 0 ? 0 : 1));
  return { Z: matrixOfColumns([...xs, ...d]), K: xs.length, fixefParams: d.length };
}
