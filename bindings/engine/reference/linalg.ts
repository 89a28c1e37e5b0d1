// Mirror of assembly/linalg.ts, operation for operation (same loops, same summation order).

/** Rows per block, as CROSSPROD_BLOCK in assembly/linalg.ts. */
export const CROSSPROD_BLOCK = 512;
import { dotTwoLane, dotWeightedTwoLane } from "./dot.js";

export function crossprod(N: number, K: number, X_NK: Float64Array, w_N: Float64Array | null, out_KK: Float64Array): void {
  out_KK.fill(0, 0, K * K);
  for (let b0 = 0; b0 < N; b0 += CROSSPROD_BLOCK) {
    const len = Math.min(CROSSPROD_BLOCK, N - b0);
    for (let j = 0; j < K; j++) {
      const xj = j * N + b0;
      for (let k = 0; k <= j; k++) {
        const xk = k * N + b0;
        const s = w_N === null ? dotTwoLane(X_NK, xj, X_NK, xk, len) : dotWeightedTwoLane(X_NK, xj, X_NK, xk, w_N, b0, len);
        out_KK[j * K + k] += s;
      }
    }
  }
  for (let j = 0; j < K; j++) for (let k = 0; k < j; k++) out_KK[k * K + j] = out_KK[j * K + k];
}

export function cholesky(K: number, A_KK: Float64Array, L_KK: Float64Array, keep_K: Int32Array, tol: number): number {
  L_KK.fill(0, 0, K * K);
  let rank = 0;
  for (let j = 0; j < K; j++) {
    if (keep_K[j] === 0) continue;
    const ajj = A_KK[j * K + j];
    let d = ajj;
    for (let k = 0; k < j; k++) {
      const l = L_KK[j * K + k];
      d -= l * l;
    }
    if (!(ajj > 0) || !(d > tol * ajj)) {
      keep_K[j] = 0;
      for (let k = 0; k < j; k++) L_KK[j * K + k] = 0;
      continue;
    }
    const ljj = Math.sqrt(d);
    L_KK[j * K + j] = ljj;
    rank++;
    for (let i = j + 1; i < K; i++) {
      if (keep_K[i] === 0) continue;
      let s = A_KK[i * K + j];
      for (let k = 0; k < j; k++) s -= L_KK[i * K + k] * L_KK[j * K + k];
      L_KK[i * K + j] = s / ljj;
    }
  }
  return rank;
}

export function cholSolve(K: number, L_KK: Float64Array, keep_K: Int32Array, b_K: Float64Array, x_K: Float64Array): void {
  for (let j = 0; j < K; j++) {
    if (keep_K[j] === 0) {
      x_K[j] = 0;
      continue;
    }
    let s = b_K[j];
    for (let k = 0; k < j; k++) s -= L_KK[j * K + k] * x_K[k];
    x_K[j] = s / L_KK[j * K + j];
  }
  for (let j = K - 1; j >= 0; j--) {
    if (keep_K[j] === 0) continue;
    let s = x_K[j];
    for (let k = j + 1; k < K; k++) s -= L_KK[k * K + j] * x_K[k];
    x_K[j] = s / L_KK[j * K + j];
  }
}

export function cholInverse(K: number, L_KK: Float64Array, keep_K: Int32Array, inv_KK: Float64Array, work_K: Float64Array): void {
  for (let c = 0; c < K; c++) {
    for (let j = 0; j < K; j++) work_K[j] = j === c ? 1 : 0;
    if (keep_K[c] === 0) {
      for (let j = 0; j < K; j++) inv_KK[j * K + c] = 0;
      continue;
    }
    cholSolve(K, L_KK, keep_K, work_K, work_K);
    for (let j = 0; j < K; j++) inv_KK[j * K + c] = work_K[j];
  }
}

export function crossprodAB(N: number, Ka: number, A_NK: Float64Array, Kb: number, B_NK: Float64Array, w_N: Float64Array | null, out_AB: Float64Array): void {
  for (let a = 0; a < Ka; a++) {
    for (let b = 0; b < Kb; b++) {
      out_AB[a * Kb + b] = w_N === null ? dotTwoLane(A_NK, a * N, B_NK, b * N, N) : dotWeightedTwoLane(A_NK, a * N, B_NK, b * N, w_N, 0, N);
    }
  }
}

/** Mirror of columnMoments() in assembly/linalg.ts. */
export function columnMoments(N: number, C: number, X_NC: Float64Array, w_N: Float64Array | null, mean_C: Float64Array, ss_C: Float64Array): void {
  let sw = 0;
  if (w_N === null) sw = N;
  else for (let i = 0; i < N; i++) sw += w_N[i];
  for (let c = 0; c < C; c++) {
    const x = c * N;
    let s = 0;
    if (w_N === null) for (let i = 0; i < N; i++) s += X_NC[x + i];
    else for (let i = 0; i < N; i++) s += w_N[i] * X_NC[x + i];
    const m = s / sw;
    let ss = 0;
    if (w_N === null) {
      for (let i = 0; i < N; i++) {
        const d = X_NC[x + i] - m;
        ss += d * d;
      }
    } else {
      for (let i = 0; i < N; i++) {
        const d = X_NC[x + i] - m;
        ss += w_N[i] * d * d;
      }
    }
    mean_C[c] = m;
    ss_C[c] = ss;
  }
}

/** Mirror of residuals() in assembly/linalg.ts. */
export function residuals(N: number, K: number, X_NK: Float64Array, b_K: Float64Array, y_N: Float64Array, e_N: Float64Array): void {
  e_N.set(y_N.subarray(0, N));
  for (let k = 0; k < K; k++) {
    const b = b_K[k];
    const xk = k * N;
    for (let i = 0; i < N; i++) e_N[i] = e_N[i] - X_NK[xk + i] * b;
  }
}

/** Mirror of crossprodIndicators() in assembly/linalg.ts. */
export function crossprodIndicators(N: number, C: number, A_NC: Float64Array, w_N: Float64Array | null, code_N: Int32Array, P: number, out_CP: Float64Array): void {
  out_CP.fill(0, 0, C * P);
  for (let c = 0; c < C; c++) {
    const a = c * N;
    const o = c * P;
    for (let i = 0; i < N; i++) {
      const k = code_N[i];
      if (k < 0) continue;
      out_CP[o + k] += w_N === null ? A_NC[a + i] : w_N[i] * A_NC[a + i];
    }
  }
}
