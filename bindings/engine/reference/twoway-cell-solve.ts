// TypeScript twin of assembly/twoway-cell-solve.ts, operation for operation (same names, same order): the
// two-way normal equations solved through the unit-period cells for m group-major right-hand sides.
import { choleskySolveInPlace } from "./placebo-twoway.js";

export function twoWayCellSolve(
  U: number, P: number, m: number, cellStart_U1: Int32Array, cellPeriod_M: Int32Array, cellWeight_M: Float64Array, unitWeight_U: Float64Array,
  L_QQ: Float64Array, rhs_Gm: Float64Array, out_Gm: Float64Array, onlyRhsUnits: number, scratch: Float64Array,
): void {
  const ct = scratch.subarray(0, P * m);
  const ru = scratch.subarray(P * m, P * m + m);
  const col = scratch.subarray(P * m + m, P * m + m + P);
  ct.set(rhs_Gm.subarray(U * m, (U + P) * m));
  eliminateUnits(U, m, cellStart_U1, cellPeriod_M, cellWeight_M, unitWeight_U, rhs_Gm, ct, ru);
  const q = P - 1;
  for (let j = 0; j < m; j++) {
    for (let t = 0; t < q; t++) col[t] = ct[t * m + j];
    choleskySolveInPlace(L_QQ, q, col);
    for (let t = 0; t < q; t++) ct[t * m + j] = col[t];
    ct[q * m + j] = 0;
  }
  out_Gm.set(ct, U * m);
  solveUnits(U, m, cellStart_U1, cellPeriod_M, cellWeight_M, unitWeight_U, rhs_Gm, out_Gm, onlyRhsUnits, ct, ru);
}

// The two passes over the units are functions of their own (called once per solve, each a long loop: see
// engine/row-block.ts for what V8 does with a long loop followed by code).

function eliminateUnits(
  U: number, m: number, cellStart: Int32Array, cellPeriod: Int32Array, cellWeight: Float64Array, unitWeight: Float64Array, rhs: Float64Array,
  ct: Float64Array, ru: Float64Array,
): void {
  for (let u = 0; u < U; u++) {
    if (!unitRhs(rhs, u, m, 1 / unitWeight[u], ru)) continue;
    const c1 = cellStart[u + 1];
    for (let c = cellStart[u]; c < c1; c++) {
      const t = cellPeriod[c] * m;
      const p = cellWeight[c];
      for (let j = 0; j < m; j++) ct[t + j] -= p * ru[j];
    }
  }
}

function solveUnits(
  U: number, m: number, cellStart: Int32Array, cellPeriod: Int32Array, cellWeight: Float64Array, unitWeight: Float64Array, rhs: Float64Array,
  out: Float64Array, onlyRhsUnits: number, ct: Float64Array, acc: Float64Array,
): void {
  for (let u = 0; u < U; u++) {
    if (!unitRhs(rhs, u, m, 1, acc) && onlyRhsUnits !== 0) continue;
    const c1 = cellStart[u + 1];
    for (let c = cellStart[u]; c < c1; c++) {
      const t = cellPeriod[c] * m;
      const p = cellWeight[c];
      for (let j = 0; j < m; j++) acc[j] -= p * ct[t + j];
    }
    const iw = 1 / unitWeight[u];
    for (let j = 0; j < m; j++) out[u * m + j] = acc[j] * iw;
  }
}

/** Unit u's m right-hand sides times `scale` into `to` (x 1 leaves every bit); true when one is not 0. */
function unitRhs(rhs: Float64Array, u: number, m: number, scale: number, to: Float64Array): boolean {
  let any = false;
  for (let j = 0; j < m; j++) {
    const v = rhs[u * m + j] * scale;
    to[j] = v;
    if (v !== 0) any = true;
  }
  return any;
}
