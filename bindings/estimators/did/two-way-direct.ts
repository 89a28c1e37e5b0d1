// did2s's first-stage fixed effects solved directly through the period block (the method and when it
// applies: bindings/model/two-way-cells.ts). Solves take many right-hand sides at once, group-major, in one
// pass over the cells; the factor is shared by all of them.
import type { Arena, Backend } from "../../engine/backend.js";
import { choleskySolveInPlace } from "../../linalg/cholesky.js";
import { twoWayCells, type TwoWayCells } from "../../model/two-way-cells.js";
import { TwoWayFixef, type TwoWayEncoding } from "./two-way-fixef.js";

export class DirectTwoWay extends TwoWayFixef {
  private constructor(enc: TwoWayEncoding, est: Int32Array, weights: Float64Array | null, private readonly built: TwoWayCells) {
    super(enc, est, weights);
  }

  override get cells(): TwoWayCells {
    return this.built;
  }

  /** The solver, or null when the direct solve does not apply (see twoWayCells). Its cells live in `arena`. */
  static create(backend: Backend, arena: Arena, enc: TwoWayEncoding, est: Int32Array, weights: Float64Array | null): DirectTwoWay | null {
    const cells = twoWayCells(
      backend, arena, arena.i32From(enc.unitId), arena.i32From(enc.timeId), enc.units, enc.periods, weights ? arena.f64From(weights) : null, est,
    );
    return cells ? new DirectTwoWay(enc, est, weights, cells) : null;
  }

  solve(rhs: Float64Array): Float64Array {
    return this.solveMany(rhs, 1);
  }

  /** m right-hand sides in one pass over the cells (group-major, R[g * m + j]), into `out` (may be rhs
   *  itself; see solveThroughCells). */
  override solveMany(rhs: Float64Array, m: number, out: Float64Array = new Float64Array((this.enc.units + this.enc.periods) * m)): Float64Array {
    return solveThroughCells(this.cells, this.enc.units, this.enc.periods, rhs, m, out);
  }
}

/** Solves D'WD C = R through two-way cells (U units, P periods) for m right-hand sides (group-major,
 *  R[g * m + j]), into `out` (may be rhs itself: the periods' part is copied first, and each unit's rows are
 *  read before they are written). The last period's coefficient is pinned at 0. With unitsWithRhsOnly, only
 *  the units whose right-hand sides are not all 0 get their coefficients (every period does). */
export function solveThroughCells(cells: TwoWayCells, U: number, P: number, rhs: Float64Array, m: number, out: Float64Array, unitsWithRhsOnly = false): Float64Array {
  // views taken now: the arena may have grown since the cells were made
  const cellStart = cells.cellStart.view;
  const cellPeriod = cells.cellPeriod.view;
  const cellWeight = cells.cellWeight.view;
  const unitWeight = cells.unitWeight.view;
  const factor = cells.factor.view;
  // Period right-hand sides after eliminating the units.
  const ct = rhs.slice(U * m, (U + P) * m);
  const ru = new Float64Array(m);
  for (let u = 0; u < U; u++) {
    const iw = 1 / unitWeight[u];
    let any = false;
    for (let j = 0; j < m; j++) {
      ru[j] = rhs[u * m + j] * iw;
      if (ru[j] !== 0) any = true;
    }
    // A unit without right-hand side subtracts only zeros (stacked DID's dummies are 0 on most units).
    if (!any) continue;
    for (let c = cellStart[u]; c < cellStart[u + 1]; c++) {
      const t = cellPeriod[c] * m;
      const p = cellWeight[c];
      for (let j = 0; j < m; j++) ct[t + j] -= p * ru[j];
    }
  }
  // The period block (last period pinned at 0), one right-hand side at a time.
  const q = P - 1;
  const col = new Float64Array(q);
  for (let j = 0; j < m; j++) {
    for (let t = 0; t < q; t++) col[t] = ct[t * m + j];
    choleskySolveInPlace(factor, q, col);
    for (let t = 0; t < q; t++) ct[t * m + j] = col[t];
    ct[q * m + j] = 0;
  }
  out.set(ct, U * m);
  const acc = new Float64Array(m);
  for (let u = 0; u < U; u++) {
    // unitsWithRhsOnly: the caller reads only the units with a right-hand side (the others' out is left as is).
    let any = !unitsWithRhsOnly;
    for (let j = 0; j < m; j++) {
      acc[j] = rhs[u * m + j];
      if (acc[j] !== 0) any = true;
    }
    if (!any) continue;
    for (let c = cellStart[u]; c < cellStart[u + 1]; c++) {
      const t = cellPeriod[c] * m;
      const p = cellWeight[c];
      for (let j = 0; j < m; j++) acc[j] -= p * ct[t + j];
    }
    const iw = 1 / unitWeight[u];
    for (let j = 0; j < m; j++) out[u * m + j] = acc[j] * iw;
  }
  return out;
}
