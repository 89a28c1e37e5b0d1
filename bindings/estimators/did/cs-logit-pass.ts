// One Newton pass of the propensity logit over a cell's rows: at coefficients b, the linear predictor, the
// weights p (1 - p), the Hessian X' diag(p (1 - p)) X (lower triangle) and the score X'(D - p). Each cell's
// logit takes a few passes over tens of thousands of rows, so this loop is the largest single cost of a
// covariate-adjusted Callaway-Sant'Anna fit. With the intercept and up to three covariates (k <= 4, the usual case) the sums
// are kept in local variables rather than in arrays: over twice as fast in V8, and every sum adds the same
// products in the same order as the general loop, so the two give identical bits.
import { expFast } from "../../stats/libm.js";
import type { Design } from "./cs-design.js";
import { ROW_BLOCK } from "../row-block.js";

/** Widest design the unrolled pass handles. */
const NARROW_K = 4;

/** Fills the lower triangle of H (k x k) and g (length k) at b. */
export function logitPass(d: Design, D: Float64Array, b: Float64Array, H: Float64Array, g: Float64Array): void {
  if (d.k <= NARROW_K) narrowLogitPass(d, D, b, H, g);
  else wideLogitPass(d, D, b, H, g);
}

/** Any k: the sums in arrays. */
export function wideLogitPass(d: Design, D: Float64Array, b: Float64Array, H: Float64Array, g: Float64Array): void {
  const { x, n, k } = d;
  H.fill(0);
  g.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let eta = 0;
    for (let a = 0; a < k; a++) eta += x[row + a] * b[a];
    const p = 1 / (1 + expFast(-eta));
    const w = p * (1 - p);
    const r = D[i] - p;
    for (let a = 0; a < k; a++) {
      const xa = x[row + a];
      g[a] += r * xa;
      const wxa = w * xa;
      for (let c = 0; c <= a; c++) H[a * k + c] += wxa * x[row + c];
    }
  }
}

/** k <= 4: columns past k read as 0 with coefficient 0, which adds exact zeros to eta (so p is unchanged)
 *  and only to sums that are not written back. In blocks of rows (row-block.ts says why). */
export function narrowLogitPass(d: Design, D: Float64Array, b: Float64Array, H: Float64Array, g: Float64Array): void {
  const { x, n, k } = d;
  const b0 = b[0], b1 = k > 1 ? b[1] : 0, b2 = k > 2 ? b[2] : 0, b3 = k > 3 ? b[3] : 0;
  const sums = new Float64Array(SUMS);
  for (let from = 0; from < n; from += ROW_BLOCK) narrowSums(x, D, k, from, Math.min(n, from + ROW_BLOCK), b0, b1, b2, b3, sums);
  for (let a = 0; a < k; a++) {
    g[a] = sums[G_AT + a];
    for (let c = 0; c <= a; c++) H[a * k + c] = sums[(a * (a + 1)) / 2 + c];
  }
}

/** Slots of narrowSums' running sums: H's lower triangle row by row (h00, h10, h11, h20, ...), then g. */
const G_AT = 10;
const SUMS = 14;

/** Adds rows [from, to) to the running sums. */
function narrowSums(x: Float64Array, D: Float64Array, k: number, from: number, to: number, b0: number, b1: number, b2: number, b3: number, sums: Float64Array): void {
  let h00 = sums[0], h10 = sums[1], h11 = sums[2], h20 = sums[3], h21 = sums[4], h22 = sums[5];
  let h30 = sums[6], h31 = sums[7], h32 = sums[8], h33 = sums[9];
  let g0 = sums[10], g1 = sums[11], g2 = sums[12], g3 = sums[13];
  for (let i = from; i < to; i++) {
    const row = i * k;
    const x0 = x[row], x1 = k > 1 ? x[row + 1] : 0, x2 = k > 2 ? x[row + 2] : 0, x3 = k > 3 ? x[row + 3] : 0;
    let eta = 0;
    eta += x0 * b0;
    eta += x1 * b1;
    eta += x2 * b2;
    eta += x3 * b3;
    const p = 1 / (1 + expFast(-eta));
    const w = p * (1 - p);
    const r = D[i] - p;
    g0 += r * x0;
    let wx = w * x0;
    h00 += wx * x0;
    g1 += r * x1;
    wx = w * x1;
    h10 += wx * x0;
    h11 += wx * x1;
    g2 += r * x2;
    wx = w * x2;
    h20 += wx * x0;
    h21 += wx * x1;
    h22 += wx * x2;
    g3 += r * x3;
    wx = w * x3;
    h30 += wx * x0;
    h31 += wx * x1;
    h32 += wx * x2;
    h33 += wx * x3;
  }
  sums[0] = h00; sums[1] = h10; sums[2] = h11; sums[3] = h20; sums[4] = h21; sums[5] = h22;
  sums[6] = h30; sums[7] = h31; sums[8] = h32; sums[9] = h33;
  sums[10] = g0; sums[11] = g1; sums[12] = g2; sums[13] = g3;
}
