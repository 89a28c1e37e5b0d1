// The fixed effects' normal equations D'WD c = r of a two-way panel solved through its unit-period cells, for
// m right-hand sides at once (did2s's and the imputation's variance, stacked DID's dummies): the method of
// demean-twoway.ts (eliminate the units, solve the period block with its Cholesky factor, last period
// pinned at 0, back-substitute the units) applied to group-level right-hand sides instead of rows.
// bindings/engine/reference/twoway-cell-solve.ts mirrors it operation for operation (the same bits).
//
// BUFFERS (names carry their length; see assembly/demean.ts)
//   cellStart_U1, cellPeriod_M, cellWeight_M, unitWeight_U, L_QQ : the cells and factor of demean-twoway.ts.
//   rhs_Gm : f64 [U + P][m] right-hand sides, group-major (units first), r[g * m + j].
//   out_Gm : f64 [U + P][m] out: the coefficients; may be rhs_Gm itself (a unit's right-hand sides are
//            read before its coefficients are written, the periods' are copied first).
//   onlyRhsUnits : 1 = a unit whose right-hand sides are all 0 keeps its out untouched (its caller does not
//            read it); 0 = every unit is solved.
//   scratch : f64 [P m + 2 m + P] work area.

import { choleskySolveInPlace } from "./placebo-twoway";

@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

/** Unit u's m right-hand sides times `scale` into to_m (x 1 leaves every bit); true when one is not 0. */
@inline function unitRhs(rhs_Gm: usize, u: i32, m: i32, scale: f64, to_m: usize): bool {
  let any = false;
  for (let j = 0; j < m; j++) {
    const v = f64At(rhs_Gm, u * m + j) * scale;
    put(to_m, j, v);
    if (v != 0) any = true;
  }
  return any;
}

export function twoWayCellSolve(
  U: i32, P: i32, m: i32, cellStart_U1: usize, cellPeriod_M: usize, cellWeight_M: usize, unitWeight_U: usize, L_QQ: usize, rhs_Gm: usize,
  out_Gm: usize, onlyRhsUnits: i32, scratch: usize,
): void {
  const ct = scratch; // P m: the periods' right-hand sides, then coefficients
  const ru = ct + (<usize>(P * m) << 3); // m: a unit's right-hand sides over its weight, then its running sums
  const col = ru + (<usize>m << 3); // P: one column of the period block
  memory.copy(ct, rhs_Gm + (<usize>(U * m) << 3), <usize>(P * m) << 3);
  // Eliminate the units: r_t -= sum_u p_ut r_u / w_u (a unit without right-hand side subtracts only zeros).
  for (let u = 0; u < U; u++) {
    if (!unitRhs(rhs_Gm, u, m, 1 / f64At(unitWeight_U, u), ru)) continue;
    const c1 = i32At(cellStart_U1, u + 1);
    for (let c = i32At(cellStart_U1, u); c < c1; c++) {
      const t = i32At(cellPeriod_M, c) * m;
      const p = f64At(cellWeight_M, c);
      for (let j = 0; j < m; j++) put(ct, t + j, f64At(ct, t + j) - p * f64At(ru, j));
    }
  }
  // The period block, one right-hand side at a time: L L' c = r (forward, then back), the last period 0.
  const q = P - 1;
  for (let j = 0; j < m; j++) {
    for (let t = 0; t < q; t++) put(col, t, f64At(ct, t * m + j));
    choleskySolveInPlace(L_QQ, q, col);
    for (let t = 0; t < q; t++) put(ct, t * m + j, f64At(col, t));
    put(ct, q * m + j, 0);
  }
  memory.copy(out_Gm + (<usize>(U * m) << 3), ct, <usize>(P * m) << 3);
  // The units: c_u = (r_u - sum_t p_ut c_t) / w_u.
  const acc = ru;
  for (let u = 0; u < U; u++) {
    if (!unitRhs(rhs_Gm, u, m, 1, acc) && onlyRhsUnits != 0) continue;
    const c1 = i32At(cellStart_U1, u + 1);
    for (let c = i32At(cellStart_U1, u); c < c1; c++) {
      const t = i32At(cellPeriod_M, c) * m;
      const p = f64At(cellWeight_M, c);
      for (let j = 0; j < m; j++) put(acc, j, f64At(acc, j) - p * f64At(ct, t + j));
    }
    const iw = 1 / f64At(unitWeight_U, u);
    for (let j = 0; j < m; j++) put(out_Gm, u * m + j, f64At(acc, j) * iw);
  }
}
