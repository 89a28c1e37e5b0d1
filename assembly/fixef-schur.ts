// The fixed effects' normal equations with fixed effect 0 eliminated (its Schur complement), applied
// through CELLS rather than rows. Used by the conjugate-gradient solver (assembly/fixef-cg.ts).
//
// WHY ELIMINATE FIXED EFFECT 0. The normal equations D'WD a = D'Wx have a diagonal block for each fixed
// effect (the group weight sums). Solving fixed effect 0's block exactly for given coefficients b of the
// others (a_0 = W_0^-1 D_0'W (x - D_r b)) leaves, for b, the system
//     S b = D_r' W (I - P_0) x,     S = D_r' W (I - P_0) D_r,
// where D_r holds the dummies of fixed effects 1..Q-1 and P_0 is the weighted projection on fixed effect
// 0's groups (x minus its group means). S is symmetric positive semi-definite; its null space is what the
// data do not identify (one constant per connected component and fixed effect pair), and right-hand sides
// of this form are in its range, so conjugate gradient stays consistent (the residual x - D a, which is
// what demeaning returns, is unique). Eliminating the fixed effect with the most groups (workers, units)
// leaves the smallest system; it is what alternating projections iterate on too (assembly/demean.ts).
//
// CELLS. Rows grouped by their fixed-effect-0 group; rows that share every group (the same worker in the
// same firm, for two fixed effects) may be merged into one cell whose weight is their summed weight: S
// only sees cells, so an application costs one pass over the cells, not the rows. Group g's cells are
// cellStart[g] .. cellStart[g+1]-1; cell k's R = Q-1 coefficient indices are cellIds[k*R .. k*R+R-1]
// (already offset into the concatenated coefficients of fixed effects 1..Q-1, 0..M-1).
//
// LAYOUT. Coefficient vectors hold B columns side by side, [index][column] (as assembly/demean.ts), so
// that one pass over the cells serves a block of columns; the SIMD build adds two columns per
// instruction with the same IEEE operations (bit-identical to the scalar build and the reference).

import { COLUMN_BLOCK, rowAddScaled } from "./demean";
import { TL_SCHUR, threadLocal } from "./thread-local";

@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function setF64(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

/** A cell's sum of coefficients (t) and its group's weighted mean (m), one per column of a block, in this
 *  instance's own work area (thread-local.ts: on shared memory a memory.data area would be one for all
 *  threads); bound at each entry by bindWorkAreas(). */
let Lt: usize = 0;
let Lm: usize = 0;

function bindWorkAreas(): void {
  Lt = threadLocal(TL_SCHUR);
  Lm = Lt + (<usize>COLUMN_BLOCK << 3);
}

/** t[c] = p[ids[0]][c] + p[ids[1]][c] + ... (R indices, added in order), minus m[c] when `centre`. */
@inline function cellSum(t: usize, p: usize, ids: usize, R: i32, B: i32, centre: bool): void {
  const rowBytes = <usize>B << 3;
  const first = p + <usize>i32At(ids, 0) * rowBytes;
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 1 < B; c += 2) {
      const o = <usize>c << 3;
      let s = v128.load(first + o);
      for (let q = 1; q < R; q++) s = f64x2.add(s, v128.load(p + <usize>i32At(ids, q) * rowBytes + o));
      if (centre) s = f64x2.sub(s, v128.load(Lm + o));
      v128.store(t + o, s);
    }
  }
  for (; c < B; c++) {
    let s = f64At(first, c);
    for (let q = 1; q < R; q++) s += f64At(p + <usize>i32At(ids, q) * rowBytes, c);
    if (centre) s -= f64At(Lm, c);
    setF64(t, c, s);
  }
}

/** Lm[c] = (sum over group g's cells of w_k t_k[c]) / W0_g: the group's weighted mean of D_r p. */
@inline function groupMean(g: i32, R: i32, cellStart: usize, cellIds: usize, cellWeight: usize, W0: usize, p: usize, B: i32): void {
  memory.fill(Lm, 0, <usize>B << 3);
  const end = i32At(cellStart, g + 1);
  for (let k = i32At(cellStart, g); k < end; k++) {
    cellSum(Lt, p, cellIds + (<usize>(k * R) << 2), R, B, false);
    rowAddScaled(Lm, Lt, f64At(cellWeight, k), B);
  }
  const wg = f64At(W0, g);
  for (let c = 0; c < B; c++) setF64(Lm, c, f64At(Lm, c) / wg);
}

/** y = S p for B columns (p, y: [M][B]); one pass over the cells, a group's cells twice (cached). */
export function schurApply(G0: i32, R: i32, M: i32, cellStart: usize, cellIds: usize, cellWeight: usize, W0: usize, p: usize, y: usize, B: i32): void {
  bindWorkAreas();
  memory.fill(y, 0, <usize>(M * B) << 3);
  const rowBytes = <usize>B << 3;
  for (let g = 0; g < G0; g++) {
    groupMean(g, R, cellStart, cellIds, cellWeight, W0, p, B);
    const end = i32At(cellStart, g + 1);
    for (let k = i32At(cellStart, g); k < end; k++) {
      const ids = cellIds + (<usize>(k * R) << 2);
      cellSum(Lt, p, ids, R, B, true);
      const wk = f64At(cellWeight, k);
      for (let q = 0; q < R; q++) rowAddScaled(y + <usize>i32At(ids, q) * rowBytes, Lt, wk, B);
    }
  }
}

/** Fixed effect 0's coefficients given the others' (b): a_g = xbar_g - mean_g(D_r b), in place of
 *  xbar ([G0][B], the groups' weighted means of x). */
export function eliminatedCoefficients(G0: i32, R: i32, cellStart: usize, cellIds: usize, cellWeight: usize, W0: usize, b: usize, xbar: usize, B: i32): void {
  bindWorkAreas();
  for (let g = 0; g < G0; g++) {
    groupMean(g, R, cellStart, cellIds, cellWeight, W0, b, B);
    const a = xbar + (<usize>(g * B) << 3);
    for (let c = 0; c < B; c++) setF64(a, c, f64At(a, c) - f64At(Lm, c));
  }
}
