// TypeScript twin of assembly/cs-cells.ts, operation for operation (same names, same order): the passes
// over a Callaway-Sant'Anna cell's units. exp is the library's expFast, which the kernel reproduces, so
// both backends give the same bits. Each loop runs on blocks of rows (estimators/row-block.ts says why:
// V8 would otherwise run most of every pass unoptimised); the sums carry over from block to block in row
// order, so the blocks change no bit.
import { expFast } from "../../stats/libm.js";
import { forRowBlocks } from "../row-block.js";

export function csLogitPass(N: number, K: number, x_NK: Float64Array, D_N: Float64Array, b_K: Float64Array, H_KK: Float64Array, g_K: Float64Array): void {
  H_KK.fill(0, 0, K * K);
  g_K.fill(0, 0, K);
  if (K <= 4) {
    const b0 = b_K[0], b1 = K > 1 ? b_K[1] : 0, b2 = K > 2 ? b_K[2] : 0, b3 = K > 3 ? b_K[3] : 0;
    const sums = new Float64Array(NARROW_SUMS);
    forRowBlocks(N, (from, to) => narrowSums(x_NK, D_N, K, from, to, b0, b1, b2, b3, sums));
    for (let a = 0; a < K; a++) {
      g_K[a] = sums[NARROW_G + a];
      for (let c = 0; c <= a; c++) H_KK[a * K + c] = sums[(a * (a + 1)) / 2 + c];
    }
    return;
  }
  forRowBlocks(N, (from, to) => wideSums(x_NK, D_N, K, from, to, b_K, H_KK, g_K));
}

function wideSums(x: Float64Array, D: Float64Array, K: number, from: number, to: number, b: Float64Array, H: Float64Array, g: Float64Array): void {
  for (let i = from; i < to; i++) {
    const row = i * K;
    let eta = 0;
    for (let a = 0; a < K; a++) eta += x[row + a] * b[a];
    const p = 1 / (1 + expFast(-eta));
    const w = p * (1 - p);
    const r = D[i] - p;
    for (let a = 0; a < K; a++) {
      const xa = x[row + a];
      g[a] += r * xa;
      const wxa = w * xa;
      for (let c = 0; c <= a; c++) H[a * K + c] += wxa * x[row + c];
    }
  }
}

/** Slots of narrowSums' running sums: H's lower triangle row by row (h00, h10, h11, h20, ...), then g. */
const NARROW_G = 10;
const NARROW_SUMS = 14;

/** K <= 4, the sums in locals (over twice as fast in V8): columns past K read as 0 with coefficient 0,
 *  which adds exact zeros to eta and only to sums that are not written back (the general loop's bits). */
function narrowSums(x: Float64Array, D: Float64Array, K: number, from: number, to: number, b0: number, b1: number, b2: number, b3: number, sums: Float64Array): void {
  let h00 = sums[0], h10 = sums[1], h11 = sums[2], h20 = sums[3], h21 = sums[4], h22 = sums[5];
  let h30 = sums[6], h31 = sums[7], h32 = sums[8], h33 = sums[9];
  let g0 = sums[10], g1 = sums[11], g2 = sums[12], g3 = sums[13];
  for (let i = from; i < to; i++) {
    const row = i * K;
    const x0 = x[row], x1 = K > 1 ? x[row + 1] : 0, x2 = K > 2 ? x[row + 2] : 0, x3 = K > 3 ? x[row + 3] : 0;
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

export function csPropensity(
  N: number, K: number, x_NK: Float64Array, coef_K: Float64Array, D_N: Float64Array, psCap: number, trimLevel: number, ps_N: Float64Array, trim_N: Float64Array,
): void {
  forRowBlocks(N, (from, to) => propensityRows(x_NK, K, coef_K, D_N, psCap, trimLevel, from, to, ps_N, trim_N));
}

function propensityRows(
  x: Float64Array, K: number, coef: Float64Array, D: Float64Array, psCap: number, trimLevel: number, from: number, to: number, ps: Float64Array, trim: Float64Array,
): void {
  for (let i = from; i < to; i++) {
    let eta = 0;
    for (let a = 0; a < K; a++) eta += x[i * K + a] * coef[a];
    const p = Math.min(1 / (1 + expFast(-eta)), psCap);
    ps[i] = p;
    trim[i] = D[i] === 1 || p < trimLevel ? 1 : 0;
  }
}

export function csControlCross(N: number, K: number, x_NK: Float64Array, D_N: Float64Array, out_KK: Float64Array): void {
  out_KK.fill(0, 0, K * K);
  forRowBlocks(N, (from, to) => controlCrossRows(x_NK, K, D_N, from, to, out_KK));
}

function controlCrossRows(x: Float64Array, K: number, D: Float64Array, from: number, to: number, out: Float64Array): void {
  for (let i = from; i < to; i++) {
    if (D[i] !== 0) continue;
    const r = i * K;
    for (let a = 0; a < K; a++) {
      const xa = x[r + a];
      for (let b = 0; b <= a; b++) out[a * K + b] += xa * x[r + b];
    }
  }
}

export function csDrMoments(N: number, K: number, x_NK: Float64Array, D_N: Float64Array, dy_N: Float64Array, xty_K: Float64Array): void {
  xty_K.fill(0, 0, K);
  forRowBlocks(N, (from, to) => drMomentRows(x_NK, K, D_N, dy_N, from, to, xty_K));
}

function drMomentRows(x: Float64Array, K: number, D: Float64Array, dy: Float64Array, from: number, to: number, xty: Float64Array): void {
  for (let i = from; i < to; i++) {
    if (D[i] === 1) continue;
    const d = dy[i];
    for (let a = 0; a < K; a++) xty[a] += x[i * K + a] * d;
  }
}

export function csDrSums(
  N: number, K: number, x_NK: Float64Array, dy_N: Float64Array, D_N: Float64Array, ps_N: Float64Array, trim_N: Float64Array, b_K: Float64Array,
  r_N: Float64Array, wc_N: Float64Array, sums_4: Float64Array, M1_K: Float64Array, M3_K: Float64Array, Mr_K: Float64Array,
): void {
  M1_K.fill(0, 0, K);
  M3_K.fill(0, 0, K);
  Mr_K.fill(0, 0, K);
  sums_4.fill(0, 0, 4);
  forRowBlocks(N, (from, to) => drSumRows(x_NK, K, dy_N, D_N, ps_N, trim_N, b_K, from, to, r_N, wc_N, sums_4, M1_K, M3_K, Mr_K));
}

function drSumRows(
  x: Float64Array, K: number, dy: Float64Array, D: Float64Array, ps: Float64Array, trim: Float64Array, b: Float64Array, from: number, to: number,
  r: Float64Array, wc: Float64Array, sums: Float64Array, M1: Float64Array, M3: Float64Array, Mr: Float64Array,
): void {
  let swt = sums[0], swc = sums[1], swtr = sums[2], swcr = sums[3];
  for (let i = from; i < to; i++) {
    const row = i * K;
    let fit = 0;
    for (let a = 0; a < K; a++) fit += x[row + a] * b[a];
    const ri = dy[i] - fit;
    r[i] = ri;
    const Di = D[i];
    const ti = trim[i];
    const pi = ps[i];
    const wti = ti * Di;
    const wci = (ti * (1 - Di) * pi) / (1 - pi);
    wc[i] = wci;
    swt += wti;
    swc += wci;
    swtr += wti * ri;
    swcr += wci * ri;
    for (let a = 0; a < K; a++) {
      const xa = x[row + a];
      M1[a] += wti * xa;
      M3[a] += wci * xa;
      Mr[a] += wci * ri * xa;
    }
  }
  sums[0] = swt;
  sums[1] = swc;
  sums[2] = swtr;
  sums[3] = swcr;
}

export function csDrInfluence(
  N: number, K: number, x_NK: Float64Array, D_N: Float64Array, ps_N: Float64Array, trim_N: Float64Array, wc_N: Float64Array, v1_K: Float64Array,
  v2_K: Float64Array, v3_K: Float64Array, et: number, ec: number, mwt: number, mwc: number, r_N: Float64Array,
): void {
  const at = { et, ec, mwt, mwc };
  forRowBlocks(N, (from, to) => drInfluenceRows(x_NK, K, D_N, ps_N, trim_N, wc_N, v1_K, v2_K, v3_K, at, from, to, r_N));
}

function drInfluenceRows(
  x: Float64Array, K: number, D: Float64Array, ps: Float64Array, trim: Float64Array, wc: Float64Array, v1: Float64Array, v2: Float64Array,
  v3: Float64Array, at: { readonly et: number; readonly ec: number; readonly mwt: number; readonly mwc: number }, from: number, to: number, r: Float64Array,
): void {
  const { et, ec, mwt, mwc } = at;
  for (let i = from; i < to; i++) {
    const row = i * K;
    let x1 = 0, x2 = 0, x3 = 0;
    for (let a = 0; a < K; a++) {
      const xa = x[row + a];
      x1 += xa * v1[a];
      x2 += xa * v2[a];
      x3 += xa * v3[a];
    }
    const Di = D[i];
    const ri = r[i];
    const wti = trim[i] * Di;
    const olsRep = (1 - Di) * ri;
    const infT = (wti * (ri - et) - olsRep * x1) / mwt;
    const infC = (wc[i] * (ri - ec) + (Di - ps[i]) * x2 - olsRep * x3) / mwc;
    r[i] = infT - infC;
  }
}
