// The crossproduct X' diag(w) X block by block, each row block's sums kept apart, so that kernel threads
// can each take a range of blocks and the caller adds them up in block order: the same additions, in the
// same order, as crossprod() in linalg.ts, whatever the number of threads.
//
// CONVENTION (as linalg.ts)
//   X_NK   : f64 [K][N] column-major (column k starts at k*N).   w_N : f64 [N] weights, or 0 for none.
//   out_BT : f64 [b1 - b0][T], T = K(K+1)/2: block b's sum of columns j >= k at (b - b0)*T + j(j+1)/2 + k.
import { dotTwoLane, dotWeightedTwoLane } from "./dot";
import { CROSSPROD_BLOCK } from "./linalg";

/** Block b (rows b*CROSSPROD_BLOCK onwards) of [b0, b1): each pair's sum over the block's rows, exactly the
 *  value crossprod() adds to its total for that block. */
export function crossprodBlocks(N: i32, K: i32, X_NK: usize, w_N: usize, b0: i32, b1: i32, out_BT: usize): void {
  const T = K * (K + 1) / 2;
  for (let b = b0; b < b1; b++) {
    const r0 = b * CROSSPROD_BLOCK;
    const len = min<i32>(CROSSPROD_BLOCK, N - r0);
    const rowOffset = <usize>r0 << 3;
    const out = out_BT + (<usize>((b - b0) * T) << 3);
    for (let j = 0; j < K; j++) {
      const xj = X_NK + (<usize>j * <usize>N << 3) + rowOffset;
      for (let k = 0; k <= j; k++) {
        const xk = X_NK + (<usize>k * <usize>N << 3) + rowOffset;
        const s = w_N == 0 ? dotTwoLane(xj, xk, len) : dotWeightedTwoLane(xj, xk, w_N + rowOffset, len);
        store<f64>(out + (<usize>(j * (j + 1) / 2 + k) << 3), s);
      }
    }
  }
}
