// Fixed-effect residuals of whole columns (absorb.ts on arrays), outside a regression. Used by
// estimators that need residualized variables (Goodman-Bacon, placebo fast paths).
import type { Arena, F64Buffer } from "../engine/backend.js";
import type { Engine } from "../engine/engine.js";
import type { Groups } from "../model/groups.js";
import type { ColumnWriter } from "../model/lazy-columns.js";
import { absorb } from "./absorb.js";
import { DEFAULT_MAX_ITER, DEFAULT_TOL } from "./common-options.js";
import { scaleExponent, scaleRange, valueRange } from "./ols-scaling.js";

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
  const writers = columns.map((c): ColumnWriter => (out, offset) => out.set(c, offset));
  const r = demeanWritten(engine, columns[0].length, writers, fixef, weights, tol, maxIter);
  return { columns: r.columns, iterations: r.iterations.map(Math.abs), converged: r.iterations.every((it) => it >= 0) };
}

/** demeanColumns for columns written straight into the job's buffer (lazy design columns, i() dummies),
 *  never made as arrays first; iterations are signed as absorb() reports them (negative: not converged). */
export function demeanWritten(
  engine: Engine, n: number, writers: readonly ColumnWriter[], fixef: readonly Groups[], weights: Float64Array | null, tol: number, maxIter: number,
): { readonly columns: Float64Array[]; readonly iterations: number[] } {
  const a = engine.backend.arena();
  try {
    const { data, iterations } = demeanInArena(engine, a, n, writers, fixef, weights, tol, maxIter);
    // slice, not Float64Array.from: from() walks the iterator protocol, ~10x slower on a million rows.
    const out = writers.map((_, j) => data.view.slice(j * n, (j + 1) * n));
    return { columns: out, iterations };
  } finally {
    a.release();
  }
}

/** demeanWritten into a buffer of the caller's arena (n x C, column-major), left there: callers that read
 *  the columns while that arena lives (multi-fit.ts) need no copy of them in fresh memory. The weights and
 *  the solver's scratch go to an arena of their own, released here, so that later jobs reuse that memory. */
export function demeanInArena(
  engine: Engine, hold: Arena, n: number, writers: readonly ColumnWriter[], fixef: readonly Groups[], weights: Float64Array | null, tol: number, maxIter: number,
): { readonly data: F64Buffer; readonly iterations: number[] } {
  const C = writers.length;
  const b = engine.backend;
  const data = hold.f64(C * n, false);
  writers.forEach((write, j) => write(data.view, j * n));
  // Demeaning is linear in each column and invariant to the weights' scale: columns and weights far
  // from 1 are brought near it by powers of two (exact; see ols-scaling.ts), so that the stopping rule's
  // sums of squares neither under- nor overflow, and taken back after.
  const exp = writers.map((_, j) => scaleExponent(valueRange(data.view, j * n, (j + 1) * n).maxAbs));
  exp.forEach((e, j) => scaleRange(data.view, j * n, (j + 1) * n, e));
  const scratch = b.arena();
  try {
    const w = weights ? scratch.f64From(weights) : null;
    if (w) scaleRange(w.view, 0, n, scaleExponent(valueRange(weights!, 0, n).maxAbs));
    const { iterations } = absorb(b, scratch, n, C, data, fixef, w, tol, maxIter);
    exp.forEach((e, j) => scaleRange(data.view, j * n, (j + 1) * n, -e));
    return { data, iterations: Array.from(iterations) };
  } finally {
    scratch.release();
  }
}
