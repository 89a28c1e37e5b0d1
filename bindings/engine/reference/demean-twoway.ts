// Mirror of assembly/demean-twoway.ts, operation for operation (same order of every floating-point
// operation, so the two backends agree bit for bit).
import { DEMEAN_COLUMN_BLOCK as COLUMN_BLOCK } from "../backend.js";

export function demeanTwoWay(
  N: number, C: number, in_NC: Float64Array, out_NC: Float64Array, unit_N: Int32Array, period_N: Int32Array, U: number, P: number,
  w_N: Float64Array | null, cellStart_U1: Int32Array, cellPeriod_M: Int32Array, cellWeight_M: Float64Array, unitWeight_U: Float64Array,
  L_QQ: Float64Array, scratch: Float64Array,
): void {
  const Q = P - 1;
  for (let c0 = 0; c0 < C; c0 += COLUMN_BLOCK) {
    const B = Math.min(COLUMN_BLOCK, C - c0);
    const sp0 = U * B;
    scratch.fill(0, 0, (U + P) * B);
    const x0 = c0 * N;

    // 1. group sums
    for (let i = 0; i < N; i++) {
      const wi = w_N ? w_N[i] : 1.0;
      const pu = unit_N[i] * B;
      const pt = sp0 + period_N[i] * B;
      for (let c = 0; c < B; c++) {
        const v = wi * in_NC[x0 + c * N + i];
        scratch[pu + c] += v;
        scratch[pt + c] += v;
      }
    }
    // 2. eliminate the units from the period sums
    for (let u = 0; u < U; u++) {
      const wu = unitWeight_U[u];
      const ru = u * B;
      for (let k = cellStart_U1[u]; k < cellStart_U1[u + 1]; k++) {
        const p = cellWeight_M[k];
        const rt = sp0 + cellPeriod_M[k] * B;
        for (let c = 0; c < B; c++) scratch[rt + c] = scratch[rt + c] - p * (scratch[ru + c] / wu);
      }
    }
    // 3. the period block, one column at a time
    for (let c = 0; c < B; c++) {
      const col = sp0 + c;
      for (let t = 0; t < Q; t++) {
        let s = scratch[col + t * B];
        for (let k = 0; k < t; k++) s -= L_QQ[t * Q + k] * scratch[col + k * B];
        scratch[col + t * B] = s / L_QQ[t * Q + t];
      }
      for (let t = Q - 1; t >= 0; t--) {
        let s = scratch[col + t * B];
        for (let k = t + 1; k < Q; k++) s -= L_QQ[k * Q + t] * scratch[col + k * B];
        scratch[col + t * B] = s / L_QQ[t * Q + t];
      }
      scratch[col + Q * B] = 0.0;
    }
    // 4. unit coefficients
    for (let u = 0; u < U; u++) {
      const ru = u * B;
      for (let k = cellStart_U1[u]; k < cellStart_U1[u + 1]; k++) {
        const p = cellWeight_M[k];
        const ct = sp0 + cellPeriod_M[k] * B;
        for (let c = 0; c < B; c++) scratch[ru + c] = scratch[ru + c] - p * scratch[ct + c];
      }
      const wu = unitWeight_U[u];
      for (let c = 0; c < B; c++) scratch[ru + c] = scratch[ru + c] / wu;
    }
    // 5. residuals
    for (let i = 0; i < N; i++) {
      const pu = unit_N[i] * B;
      const pt = sp0 + period_N[i] * B;
      for (let c = 0; c < B; c++) out_NC[x0 + c * N + i] = in_NC[x0 + c * N + i] - (scratch[pu + c] + scratch[pt + c]);
    }
  }
}
