// One Newton pass of the propensity logit over a cell's rows: at coefficients b, the linear predictor, the
// weights p (1 - p), the Hessian X' diag(p (1 - p)) X (lower triangle) and the score X'(D - p). Each cell's
// logit takes a few passes over tens of thousands of rows, so this loop is the largest single cost of a
// covariate-adjusted Callaway-Sant'Anna fit. With the intercept and up to three covariates (k <= 4, the usual case) the sums
// are kept in local variables rather than in arrays: over twice as fast in V8, and every sum adds the same
// products in the same order as the general loop, so the two give identical bits.
import { expFast } from "../../stats/libm.js";
import type { Design } from "./cs-design.js";

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
 *  and only to sums that are not written back. */
export function narrowLogitPass(d: Design, D: Float64Array, b: Float64Array, H: Float64Array, g: Float64Array): void {
  const { x, n, k } = d;
  const b0 = b[0], b1 = k > 1 ? b[1] : 0, b2 = k > 2 ? b[2] : 0, b3 = k > 3 ? b[3] : 0;
  let h00 = 0, h10 = 0, h11 = 0, h20 = 0, h21 = 0, h22 = 0, h30 = 0, h31 = 0, h32 = 0, h33 = 0;
  let g0 = 0, g1 = 0, g2 = 0, g3 = 0;
  for (let i = 0; i < n; i++) {
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
  const lower = [[h00], [h10, h11], [h20, h21, h22], [h30, h31, h32, h33]];
  const score = [g0, g1, g2, g3];
  for (let a = 0; a < k; a++) {
    g[a] = score[a];
    for (let c = 0; c <= a; c++) H[a * k + c] = lower[a][c];
  }
}
