// Placebo draws on a model whose fixed effects are exactly the unit and the period: the unit x period
// tables (one pass over the rows), then each draw's fake treatment coefficient from them without touching
// the rows. The method and the tables are explained in bindings/resampling/two-way-placebo.ts (twoWayDraw
// there is the same arithmetic for one draw, operation for operation, so the draws do not depend on the
// backend or on which path computed them). The reference twin is bindings/engine/reference/placebo-twoway.ts.
//
//   cohorts_RU        : f64 [R][U] fake cohort per unit and draw (Infinity: not treated).
//   periods_P         : f64 sorted distinct periods.
//   cellWeight_UP     : f64 [U][P] N_up.            unitWeight_U : f64 W_u.
//   suffixWeight_UQ   : f64 [U][P+1] sum over p' >= p of N_up'.
//   suffixCross_UQK   : f64 [U][P+1][K1] sum over p' >= p of w [Z yZ] (K1 = k + 1).
//   periodCorrection_PK : f64 [P][K1].   L_SS : f64 [P-1][P-1] the period block's Cholesky factor.
//   ZtZinv_kk         : f64 [k][k].      scratch : f64 [2P + K1].      coef_R : f64 out (NaN: collinear).

@inline function at(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function idAt(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

/**
 * The tables the draws share (twoWayPlacebo's loops, in the same order): from ZY_NK ([Z yZ], N x K1
 * column-major), the optional weights and each row's unit and period index. cellCross_UPK (U x P x K1) is
 * scratch: the sums of w [Z yZ] per cell.
 */
export function placeboTwoWayTables(
  N: i32, K1: i32, ZY_NK: usize, w_N: usize, unit_N: usize, period_N: usize, U: i32, P: i32, cellWeight_UP: usize, unitWeight_U: usize,
  suffixWeight_UQ: usize, suffixCross_UQK: usize, periodCorrection_PK: usize, cellCross_UPK: usize,
): void {
  const Q = P + 1;
  memory.fill(cellWeight_UP, 0, <usize>U * <usize>P << 3);
  memory.fill(cellCross_UPK, 0, <usize>U * <usize>P * <usize>K1 << 3);
  for (let i = 0; i < N; i++) {
    const cell = idAt(unit_N, i) * P + idAt(period_N, i);
    const wi = w_N != 0 ? at(w_N, i) : 1.0;
    put(cellWeight_UP, cell, at(cellWeight_UP, cell) + wi);
    for (let j = 0; j < K1; j++) {
      const c = cell * K1 + j;
      put(cellCross_UPK, c, at(cellCross_UPK, c) + wi * load<f64>(ZY_NK + ((<usize>j * <usize>N + <usize>i) << 3)));
    }
  }
  for (let u = 0; u < U; u++) {
    const end = u * Q + P;
    put(suffixWeight_UQ, end, 0);
    for (let j = 0; j < K1; j++) put(suffixCross_UQK, end * K1 + j, 0);
    for (let p = P - 1; p >= 0; p--) {
      const cur = u * Q + p;
      put(suffixWeight_UQ, cur, at(suffixWeight_UQ, cur + 1) + at(cellWeight_UP, u * P + p));
      for (let j = 0; j < K1; j++) put(suffixCross_UQK, cur * K1 + j, at(suffixCross_UQK, (cur + 1) * K1 + j) + at(cellCross_UPK, (u * P + p) * K1 + j));
    }
    put(unitWeight_U, u, at(suffixWeight_UQ, u * Q));
  }
  memory.fill(periodCorrection_PK, 0, <usize>P * <usize>K1 << 3);
  for (let p = 0; p < P; p++) {
    for (let u = 0; u < U; u++) {
      for (let j = 0; j < K1; j++) put(periodCorrection_PK, p * K1 + j, at(periodCorrection_PK, p * K1 + j) + at(cellCross_UPK, (u * P + p) * K1 + j));
    }
  }
  for (let u = 0; u < U; u++) {
    const sums = u * Q * K1;
    for (let p = 0; p < P; p++) {
      const r = at(cellWeight_UP, u * P + p) / at(unitWeight_U, u);
      if (r != 0) for (let j = 0; j < K1; j++) put(periodCorrection_PK, p * K1 + j, at(periodCorrection_PK, p * K1 + j) - r * at(suffixCross_UQK, sums + j));
    }
  }
}

/** First period index at or after v (P when none). */
function firstPeriodFrom(periods_P: usize, P: i32, v: f64): i32 {
  let lo = 0;
  let hi = P;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(periods_P, mid) >= v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Solves L L' x = b in place (b becomes x), L lower-triangular K x K row-major. */
export function choleskySolveInPlace(L: usize, K: i32, b: usize): void {
  for (let i = 0; i < K; i++) {
    const row = i * K;
    let s = at(b, i);
    for (let k = 0; k < i; k++) s -= at(L, row + k) * at(b, k);
    put(b, i, s / at(L, row + i));
  }
  for (let i = K - 1; i >= 0; i--) {
    let s = at(b, i);
    for (let k = i + 1; k < K; k++) s -= at(L, k * K + i) * at(b, k);
    put(b, i, s / at(L, i * K + i));
  }
}

export function placeboTwoWayDraws(
  R: i32, U: i32, P: i32, k: i32, periods_P: usize, cohorts_RU: usize, cellWeight_UP: usize, unitWeight_U: usize, suffixWeight_UQ: usize,
  suffixCross_UQK: usize, periodCorrection_PK: usize, L_SS: usize, ZtZinv_kk: usize, scratch: usize, coef_R: usize,
): void {
  const K1 = k + 1;
  const gamma = scratch;
  const rhs = scratch + (<usize>P << 3);
  const cross = rhs + (<usize>P << 3);
  const last = at(periods_P, P - 1);
  for (let r = 0; r < R; r++) {
    const cohorts = cohorts_RU + (<usize>r * <usize>U << 3);
    memory.fill(gamma, 0, <usize>P << 3);
    memory.fill(cross, 0, <usize>K1 << 3);
    let raw: f64 = 0;
    let explained: f64 = 0;
    for (let u = 0; u < U; u++) {
      const c = at(cohorts, u);
      // Most units are not treated in a draw (cohort Infinity): skipped before the search.
      if (!(c <= last)) continue;
      const from = firstPeriodFrom(periods_P, P, c);
      const b = from < P ? at(suffixWeight_UQ, u * (P + 1) + from) : 0;
      if (b == 0) continue;
      // the unit's share of c~ (its cells from `from` on, less N_up b_u / W_u) and of [Z yZ]'W d
      const wu = at(unitWeight_U, u);
      const share = b / wu;
      const row = u * P;
      for (let p = 0; p < P; p++) put(gamma, p, at(gamma, p) - share * at(cellWeight_UP, row + p));
      for (let p = from; p < P; p++) put(gamma, p, at(gamma, p) + at(cellWeight_UP, row + p));
      const fromCell = (u * (P + 1) + from) * K1;
      const unitSums = u * (P + 1) * K1;
      for (let j = 0; j < K1; j++) put(cross, j, at(cross, j) + (at(suffixCross_UQK, fromCell + j) - share * at(suffixCross_UQK, unitSums + j)));
      raw += b;
      explained += (b * b) / wu;
    }
    // gamma holds c~: solve the period block for the first P - 1 periods, the last pinned at 0.
    memory.copy(rhs, gamma, <usize>(P - 1) << 3);
    choleskySolveInPlace(L_SS, P - 1, rhs);
    for (let p = 0; p < P - 1; p++) {
      explained += at(rhs, p) * at(gamma, p);
      put(gamma, p, at(rhs, p));
    }
    put(gamma, P - 1, 0);
    for (let p = 0; p < P; p++) {
      const g = at(gamma, p);
      for (let j = 0; j < K1; j++) put(cross, j, at(cross, j) - g * at(periodCorrection_PK, p * K1 + j));
    }
    const dd = raw - explained;
    let quad: f64 = 0;
    for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) quad += at(cross, p) * at(ZtZinv_kk, p * k + q) * at(cross, q);
    const qd = dd - quad;
    put(coef_R, r, qd > 1e-12 * dd ? at(cross, k) / qd : NaN);
  }
}
