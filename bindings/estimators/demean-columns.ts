// Fixed-effect residuals of whole columns (absorb.ts on arrays), outside a regression. Used by
// estimators that need residualized variables (Goodman-Bacon, placebo fast paths).
import type { Engine } from "../engine/engine.js";
import type { Groups } from "../model/groups.js";
import { absorb } from "./absorb.js";
import { DEFAULT_MAX_ITER, DEFAULT_TOL } from "./common-options.js";

export interface DemeanedColumns {
  readonly columns: Float64Array[];
  /** Sweeps per column (0 without fixed effects). */
  readonly iterations: number[];
  readonly converged: boolean;
}

export function demeanColumns(
  engine: Engine,
  columns: readonly Float64Array[],
  fixef: readonly Groups[],
  weights: Float64Array | null = null,
  tol = DEFAULT_TOL,
  maxIter = DEFAULT_MAX_ITER,
): DemeanedColumns {
  const C = columns.length;
  if (C === 0 || fixef.length === 0) return { columns: columns.map((c) => Float64Array.from(c)), iterations: new Array(C).fill(0), converged: true };
  const n = columns[0].length;
  const b = engine.backend;
  const a = b.arena();
  try {
    const data = a.f64(C * n);
    columns.forEach((c, j) => data.view.set(c, j * n));
    const w = weights ? a.f64From(weights) : null;
    const { iterations } = absorb(b, a, n, C, data, fixef, w, tol, maxIter);
    const out = columns.map((_, j) => Float64Array.from(data.view.subarray(j * n, (j + 1) * n)));
    return { columns: out, iterations: Array.from(iterations, Math.abs), converged: iterations.every((it) => it >= 0) };
  } finally {
    a.release();
  }
}
