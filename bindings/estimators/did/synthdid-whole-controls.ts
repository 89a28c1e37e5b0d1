// The unit weights of placebo replicates, solved over the whole set of controls. A placebo replicate's
// controls are the original controls less the pseudo-treated ones, so its weight problem is the whole
// controls' problem with some units left out: the columns and the Gram matrix A'A are the whole controls'
// ones (each unit's column is demeaned over its own pre-periods, whatever the other units are), and only
// the target b (the pseudo-treated mean) and A'b change. The units left out get A'b = -MAX_VALUE, so their
// half gradient is never the smallest and Frank-Wolfe never moves their weight off 0: the iterates are the
// subset problem's, with the units in the controls' order instead of the replicate's (which only matters
// for exact ties). No n x n submatrix is gathered per replicate, and the whole controls' Gram matrix stays
// in the engine's memory from the first replicate to the last.
import type { GramWorkspace } from "./synthdid-gram-fw.js";
import { MAX_ITER, PRE_SPARSIFY_ITER, unitColumns, type Matrix, type OmegaSolver } from "./synthdid-block.js";
import { crossOf, gramOf, solveSparse } from "./synthdid-solver.js";

/** A'b of a unit left out of the replicate: its gradient is then about +MAX_VALUE (or +Infinity), above
 *  every kept unit's, and finite so that 0 * A'b stays 0 in the solver's sums. */
const LEFT_OUT = -Number.MAX_VALUE;

export class WholeControls {
  private readonly columns = new Map<number, Float64Array>();

  /** maxT0: the most pre-periods of any cohort (the workspace's room is reserved up front, so that no
   *  allocation voids the Gram matrix's view between a replicate's two Frank-Wolfe rounds). */
  constructor(
    private readonly m: Matrix,
    private readonly controls: Int32Array,
    private readonly intercept: boolean,
    private readonly ws: GramWorkspace,
    maxT0: number,
  ) {
    ws.reserve(maxT0, controls.length);
  }

  private columnsOf(T0: number): Float64Array {
    let A = this.columns.get(T0);
    if (!A) {
      A = unitColumns(this.m, this.controls, T0, this.intercept);
      this.columns.set(T0, A);
    }
    return A;
  }

  /** The unit weights of a replicate whose controls are the whole controls at `positions` (distinct), in
   *  that order. */
  solver(T0: number, positions: Int32Array): OmegaSolver {
    return (target, tuning, start) => {
      const N0 = this.controls.length;
      const A = this.columnsOf(T0);
      const gram = this.ws.residentGram(T0, N0, (G) => G.set(gramOf(A, T0, N0)));
      const Atb = crossOf(A, T0, N0, target);
      const kept = new Uint8Array(N0);
      const x0 = new Float64Array(N0);
      positions.forEach((p, j) => {
        kept[p] = 1;
        x0[p] = start[j];
      });
      for (let j = 0; j < N0; j++) if (!kept[j]) Atb[j] = LEFT_OUT;
      const zeta2 = tuning.zetaOmega * tuning.zetaOmega;
      const sol = solveSparse({ m: T0, n: N0, A, b: target, gram, Atb, zeta2 }, x0, tuning.minDecrease, MAX_ITER, PRE_SPARSIFY_ITER, this.ws);
      return { x: Float64Array.from(positions, (p) => sol.x[p]), iterations: sol.iterations, converged: sol.converged };
    };
  }
}
