// Mirror of assembly/placebo-twoway.ts: the unit x period tables and each draw's fake treatment
// coefficient from them (bindings/resampling/two-way-placebo.ts explains both), operation for operation.

export function placeboTwoWayTables(
  N: number, K1: number, ZY_NK: Float64Array, w_N: Float64Array | null, unit_N: Int32Array, period_N: Int32Array, U: number, P: number,
  cellWeight_UP: Float64Array, unitWeight_U: Float64Array, suffixWeight_UQ: Float64Array, suffixCross_UQK: Float64Array, periodCorrection_PK: Float64Array,
  cellCross_UPK: Float64Array,
): void {
  const Q = P + 1;
  cellWeight_UP.fill(0, 0, U * P);
  cellCross_UPK.fill(0, 0, U * P * K1);
  for (let i = 0; i < N; i++) {
    const cell = unit_N[i] * P + period_N[i];
    const wi = w_N ? w_N[i] : 1;
    cellWeight_UP[cell] += wi;
    for (let j = 0; j < K1; j++) cellCross_UPK[cell * K1 + j] += wi * ZY_NK[j * N + i];
  }
  for (let u = 0; u < U; u++) {
    const end = u * Q + P;
    suffixWeight_UQ[end] = 0;
    for (let j = 0; j < K1; j++) suffixCross_UQK[end * K1 + j] = 0;
    for (let p = P - 1; p >= 0; p--) {
      const cur = u * Q + p;
      suffixWeight_UQ[cur] = suffixWeight_UQ[cur + 1] + cellWeight_UP[u * P + p];
      for (let j = 0; j < K1; j++) suffixCross_UQK[cur * K1 + j] = suffixCross_UQK[(cur + 1) * K1 + j] + cellCross_UPK[(u * P + p) * K1 + j];
    }
    unitWeight_U[u] = suffixWeight_UQ[u * Q];
  }
  periodCorrection_PK.fill(0, 0, P * K1);
  for (let p = 0; p < P; p++) for (let u = 0; u < U; u++) for (let j = 0; j < K1; j++) periodCorrection_PK[p * K1 + j] += cellCross_UPK[(u * P + p) * K1 + j];
  for (let u = 0; u < U; u++) {
    const sums = u * Q * K1;
    for (let p = 0; p < P; p++) {
      const r = cellWeight_UP[u * P + p] / unitWeight_U[u];
      if (r !== 0) for (let j = 0; j < K1; j++) periodCorrection_PK[p * K1 + j] -= r * suffixCross_UQK[sums + j];
    }
  }
}

/** First period index at or after v (P when none). */
function firstPeriodFrom(periods: Float64Array, P: number, v: number): number {
  let lo = 0;
  let hi = P;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (periods[mid] >= v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Solves L L' x = b in place for the first K entries of b. */
export function choleskySolveInPlace(L: Float64Array, K: number, b: Float64Array): void {
  for (let i = 0; i < K; i++) {
    const row = i * K;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[row + k] * b[k];
    b[i] = s / L[row + i];
  }
  for (let i = K - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < K; k++) s -= L[k * K + i] * b[k];
    b[i] = s / L[i * K + i];
  }
}

export function placeboTwoWayDraws(
  R: number, U: number, P: number, k: number, periods_P: Float64Array, cohorts_RU: Float64Array, cellWeight_UP: Float64Array, unitWeight_U: Float64Array,
  suffixWeight_UQ: Float64Array, suffixCross_UQK: Float64Array, periodCorrection_PK: Float64Array, L_SS: Float64Array, ZtZinv_kk: Float64Array,
  scratch: Float64Array, coef_R: Float64Array,
): void {
  const K1 = k + 1;
  const gamma = scratch.subarray(0, P);
  const rhs = scratch.subarray(P, 2 * P);
  const cross = scratch.subarray(2 * P, 2 * P + K1);
  const last = periods_P[P - 1];
  for (let r = 0; r < R; r++) {
    const off = r * U;
    gamma.fill(0);
    cross.fill(0);
    let raw = 0;
    let explained = 0;
    for (let u = 0; u < U; u++) {
      const c = cohorts_RU[off + u];
      if (!(c <= last)) continue;
      const from = firstPeriodFrom(periods_P, P, c);
      const b = from < P ? suffixWeight_UQ[u * (P + 1) + from] : 0;
      if (b === 0) continue;
      const wu = unitWeight_U[u];
      const share = b / wu;
      const row = u * P;
      for (let p = 0; p < P; p++) gamma[p] -= share * cellWeight_UP[row + p];
      for (let p = from; p < P; p++) gamma[p] += cellWeight_UP[row + p];
      const fromCell = (u * (P + 1) + from) * K1;
      const unitSums = u * (P + 1) * K1;
      for (let j = 0; j < K1; j++) cross[j] += suffixCross_UQK[fromCell + j] - share * suffixCross_UQK[unitSums + j];
      raw += b;
      explained += (b * b) / wu;
    }
    for (let p = 0; p < P - 1; p++) rhs[p] = gamma[p];
    choleskySolveInPlace(L_SS, P - 1, rhs);
    for (let p = 0; p < P - 1; p++) {
      explained += rhs[p] * gamma[p];
      gamma[p] = rhs[p];
    }
    gamma[P - 1] = 0;
    for (let p = 0; p < P; p++) {
      const g = gamma[p];
      for (let j = 0; j < K1; j++) cross[j] -= g * periodCorrection_PK[p * K1 + j];
    }
    const dd = raw - explained;
    let quad = 0;
    for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) quad += cross[p] * ZtZinv_kk[p * k + q] * cross[q];
    const qd = dd - quad;
    coef_R[r] = qd > 1e-12 * dd ? cross[k] / qd : NaN;
  }
}
