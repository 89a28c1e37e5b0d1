// The oracle's version of a fixed-effects model: the dummy-variable regression with every dummy written
// out, [X D_1 D_2 ...] (all levels of the first fixed effect, all but one of each further one; an
// intercept column instead when there is no fixed effect). By Frisch-Waugh-Lovell its first K
// coefficients, and the leading K x K block of any sandwich built on it, are those of the within
// regression the project runs after absorbing the fixed effects.
import type { Matrix } from "ml-matrix";
import { dummies } from "./data.js";
import { columnNorms, equilibratedCondition, leastSquares, matrixOfColumns } from "./dense.js";
import { normalEquationsTol } from "./tolerances.js";

export interface DummyDesign {
  readonly Z: Matrix;
  /** Leading columns that are regressors (the intercept included when there is no fixed effect). */
  readonly K: number;
  /** Dummy columns: the fixed-effect parameters (sum of group counts minus one per further effect). */
  readonly fixefParams: number;
}

/** The columns a model has besides its regressors: an intercept without fixed effects, else the dummies
 *  (all levels of the first fixed effect, all but one of each further one). */
export function fixefColumns(columns: Record<string, Float64Array>, fixef: readonly string[], n: number): Float64Array[] {
  if (fixef.length === 0) return [new Float64Array(n).fill(1)];
  return fixef.flatMap((f, q) => dummies(columns[f], q === 0 ? 0 : 1));
}

export function dummyDesign(columns: Record<string, Float64Array>, xNames: readonly string[], fixef: readonly string[]): DummyDesign {
  const xs = xNames.map((x) => columns[x]);
  const base = fixefColumns(columns, fixef, xs[0].length);
  if (fixef.length === 0) return { Z: matrixOfColumns([...base, ...xs]), K: xs.length + 1, fixefParams: 0 };
  return { Z: matrixOfColumns([...xs, ...base]), K: xs.length, fixefParams: base.length };
}

/** Norms of the regressors' columns of sqrt(W) Z: the scaling D of scaledVectorError and scaledMatrixError. */
export function regressorNorms(design: DummyDesign, w: ArrayLike<number> | null): Float64Array {
  return columnNorms(design.Z.subMatrixColumn(Array.from({ length: design.K }, (_, k) => k)), w);
}

/** The regressors' coefficients by QR of the dummy design, their norms D, and the coefficients' tolerance
 *  at the design's (equilibrated) kappa: what a fit's estimates are compared with. */
export function oracleCoefficients(design: DummyDesign, y: Float64Array, w: ArrayLike<number> | null): { b: Float64Array; d: Float64Array; tol: number } {
  return {
    b: leastSquares(design.Z, y, w).subarray(0, design.K),
    d: regressorNorms(design, w),
    tol: normalEquationsTol(equilibratedCondition(design.Z, w)),
  };
}
