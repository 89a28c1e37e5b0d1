// Mirror of assembly/crossprod-blocks.ts, operation for operation.
import { dotTwoLane, dotWeightedTwoLane } from "./dot.js";
import { CROSSPROD_BLOCK } from "./linalg.js";

export function crossprodBlocks(N: number, K: number, X_NK: Float64Array, w_N: Float64Array | null, b0: number, b1: number, out_BT: Float64Array): void {
  const T = (K * (K + 1)) / 2;
  for (let b = b0; b < b1; b++) {
    const r0 = b * CROSSPROD_BLOCK;
    const len = Math.min(CROSSPROD_BLOCK, N - r0);
    const out = (b - b0) * T;
    for (let j = 0; j < K; j++) {
      const xj = j * N + r0;
      for (let k = 0; k <= j; k++) {
        const xk = k * N + r0;
        out_BT[out + (j * (j + 1)) / 2 + k] = w_N === null ? dotTwoLane(X_NK, xj, X_NK, xk, len) : dotWeightedTwoLane(X_NK, xj, X_NK, xk, w_N, r0, len);
      }
    }
  }
}
