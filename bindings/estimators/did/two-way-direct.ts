// did2s's first-stage fixed effects solved directly through the period block (the method and when it
// applies: bindings/model/two-way-cells.ts). Solves take many right-hand sides at once, group-major, in one
// pass over the cells; the factor is shared by all of them.
import type { Arena, Backend, F64Buffer } from "../../engine/backend.js";
import { twoWayCells, type TwoWayCells } from "../../model/two-way-cells.js";
import { TwoWayFixef, type TwoWayEncoding } from "./two-way-fixef.js";

export class DirectTwoWay extends TwoWayFixef {
  private readonly solver: CellSolve;

  private constructor(enc: TwoWayEncoding, est: Int32Array, weights: Float64Array | null, private readonly built: TwoWayCells, backend: Backend, arena: Arena) {
    super(enc, est, weights);
    this.solver = new CellSolve(backend, arena);
  }

  override get cells(): TwoWayCells {
    return this.built;
  }

  /** The solver, or null when the direct solve does not apply (see twoWayCells). Its cells live in `arena`. */
  static create(backend: Backend, arena: Arena, enc: TwoWayEncoding, est: Int32Array, weights: Float64Array | null): DirectTwoWay | null {
    const cells = twoWayCells(
      backend, arena, arena.i32From(enc.unitId), arena.i32From(enc.timeId), enc.units, enc.periods, weights ? arena.f64From(weights) : null, est,
    );
    return cells ? new DirectTwoWay(enc, est, weights, cells, backend, arena) : null;
  }

  solve(rhs: Float64Array): Float64Array {
    return this.solveMany(rhs, 1);
  }

  /** m right-hand sides in one pass over the cells (group-major, R[g * m + j]), into `out` (may be rhs
   *  itself; see CellSolve). */
  override solveMany(rhs: Float64Array, m: number, out: Float64Array = new Float64Array((this.enc.units + this.enc.periods) * m)): Float64Array {
    return this.solver.solve(this.cells, this.enc.units, this.enc.periods, rhs, m, out);
  }
}

/** Solves D'WD C = R through two-way cells (U units, P periods) for m right-hand sides (group-major,
 *  R[g * m + j]) on the backend of the cells (its twoWayCellSolve kernel: the units eliminated, the period
 *  block solved with the cells' factor, the last period's coefficient pinned at 0, the units
 *  back-substituted). The right-hand sides are copied into a buffer of the backend, kept (and grown) from
 *  solve to solve, and solved there in place. */
export class CellSolve {
  private rhs: F64Buffer | null = null;
  private scratch: F64Buffer | null = null;

  constructor(private readonly backend: Backend, private readonly arena: Arena) {}

  /** Into `out` (may be rhs itself). With unitsWithRhsOnly, a unit whose right-hand sides are all 0 is not
   *  solved: its out entries are 0 (the callers read only the others); every period is solved. */
  solve(cells: TwoWayCells, U: number, P: number, rhs: Float64Array, m: number, out: Float64Array, unitsWithRhsOnly = false): Float64Array {
    const length = (U + P) * m;
    if (!this.rhs || this.rhs.length < length) this.rhs = this.arena.f64(length, false);
    const room = P * m + 2 * m + P;
    if (!this.scratch || this.scratch.length < room) this.scratch = this.arena.f64(room, false);
    // views taken now: the arena may have grown since the cells were made
    const buffer = this.rhs;
    buffer.view.set(rhs.subarray(0, length));
    this.backend.twoWayCellSolve(
      U, P, m, cells.cellStart, cells.cellPeriod, cells.cellWeight, cells.unitWeight, cells.factor, buffer, buffer, unitsWithRhsOnly ? 1 : 0, this.scratch,
    );
    out.set(buffer.view.subarray(0, length));
    return out;
  }
}
