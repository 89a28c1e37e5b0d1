// The passes over a Callaway-Sant'Anna group-time cell's units with covariates (bindings/estimators/did/
// cs-panel-2x2.ts says what each estimates, as the DRDID package does): the propensity logit's Newton pass,
// the capped and trimmed propensity score, the controls' crossproduct, and the three passes of the doubly
// robust 2x2 (outcome moments, weights and sums, influence function).
//
// WHY HERE. A covariate-adjusted csdid on a 50,000-unit panel runs some 100 logit passes and 60 cells over
// tens of thousands of units each: in V8 about 35-65 ns a row per logit pass; a kernel runs compiled
// from its first call, without bounds checks.
//
// CONVENTION
//   x_NK   : f64 [N][K] the cell's design, row-major, intercept first.
//   D_N    : f64 [N] 1 for the cohort's units, 0 for its controls.
//   dy_N   : f64 [N] the outcome's change between the cell's two periods.
//   ps_N, trim_N : f64 [N] the propensity score (capped) and 1 for a kept unit, 0 for a trimmed control.
// Every sum runs over the rows in order, with the products in the order of the TypeScript twin
// (bindings/engine/reference/cs-cells.ts): both backends give the same bits. exp is exp-fast.ts's.
import { expFast } from "./exp-fast";

@inline function at(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function add(base: usize, i: i32, v: f64): void { put(base, i, at(base, i) + v); }

/** The logit's Newton pass at b_K: the lower triangle of H_KK = X' diag(p (1 - p)) X (the upper is set to
 *  0) and g_K = X'(D - p), with p = 1 / (1 + e^-x'b). */
export function csLogitPass(N: i32, K: i32, x_NK: usize, D_N: usize, b_K: usize, H_KK: usize, g_K: usize): void {
  memory.fill(H_KK, 0, <usize>(K * K) << 3);
  memory.fill(g_K, 0, <usize>K << 3);
  if (K <= 4) {
    narrowLogitPass(N, K, x_NK, D_N, b_K, H_KK, g_K);
    return;
  }
  for (let i = 0; i < N; i++) {
    const row = x_NK + (<usize>(i * K) << 3);
    let eta: f64 = 0;
    for (let a = 0; a < K; a++) eta += at(row, a) * at(b_K, a);
    const p = 1 / (1 + expFast(-eta));
    const w = p * (1 - p);
    const r = at(D_N, i) - p;
    for (let a = 0; a < K; a++) {
      const xa = at(row, a);
      add(g_K, a, r * xa);
      const wxa = w * xa;
      for (let c = 0; c <= a; c++) add(H_KK, a * K + c, wxa * at(row, c));
    }
  }
}

/** K <= 4 with the sums in locals: columns past K read as 0 with coefficient 0, which adds exact zeros to
 *  eta and only to sums that are not written back (the general loop's bits). */
function narrowLogitPass(N: i32, K: i32, x_NK: usize, D_N: usize, b_K: usize, H_KK: usize, g_K: usize): void {
  const b0 = at(b_K, 0), b1 = K > 1 ? at(b_K, 1) : 0.0, b2 = K > 2 ? at(b_K, 2) : 0.0, b3 = K > 3 ? at(b_K, 3) : 0.0;
  let h00: f64 = 0, h10: f64 = 0, h11: f64 = 0, h20: f64 = 0, h21: f64 = 0, h22: f64 = 0, h30: f64 = 0, h31: f64 = 0, h32: f64 = 0, h33: f64 = 0;
  let g0: f64 = 0, g1: f64 = 0, g2: f64 = 0, g3: f64 = 0;
  for (let i = 0; i < N; i++) {
    const row = x_NK + (<usize>(i * K) << 3);
    const x0 = at(row, 0), x1 = K > 1 ? at(row, 1) : 0.0, x2 = K > 2 ? at(row, 2) : 0.0, x3 = K > 3 ? at(row, 3) : 0.0;
    let eta: f64 = 0;
    eta += x0 * b0;
    eta += x1 * b1;
    eta += x2 * b2;
    eta += x3 * b3;
    const p = 1 / (1 + expFast(-eta));
    const w = p * (1 - p);
    const r = at(D_N, i) - p;
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
  put(g_K, 0, g0);
  put(H_KK, 0, h00);
  if (K > 1) {
    put(g_K, 1, g1);
    put(H_KK, K, h10);
    put(H_KK, K + 1, h11);
  }
  if (K > 2) {
    put(g_K, 2, g2);
    put(H_KK, 2 * K, h20);
    put(H_KK, 2 * K + 1, h21);
    put(H_KK, 2 * K + 2, h22);
  }
  if (K > 3) {
    put(g_K, 3, g3);
    put(H_KK, 3 * K, h30);
    put(H_KK, 3 * K + 1, h31);
    put(H_KK, 3 * K + 2, h32);
    put(H_KK, 3 * K + 3, h33);
  }
}

/** ps = min(1 / (1 + e^-x'coef), psCap) and trim = 1 for a cohort unit or ps < trimLevel, else 0. */
export function csPropensity(N: i32, K: i32, x_NK: usize, coef_K: usize, D_N: usize, psCap: f64, trimLevel: f64, ps_N: usize, trim_N: usize): void {
  for (let i = 0; i < N; i++) {
    const row = x_NK + (<usize>(i * K) << 3);
    let eta: f64 = 0;
    for (let a = 0; a < K; a++) eta += at(row, a) * at(coef_K, a);
    const p = min<f64>(1 / (1 + expFast(-eta)), psCap);
    put(ps_N, i, p);
    put(trim_N, i, at(D_N, i) == 1 || p < trimLevel ? 1.0 : 0.0);
  }
}

/** The lower triangle of X'X over the controls (D = 0) into out_KK (the upper set to 0). */
export function csControlCross(N: i32, K: i32, x_NK: usize, D_N: usize, out_KK: usize): void {
  memory.fill(out_KK, 0, <usize>(K * K) << 3);
  for (let i = 0; i < N; i++) {
    if (at(D_N, i) != 0) continue;
    const row = x_NK + (<usize>(i * K) << 3);
    for (let a = 0; a < K; a++) {
      const xa = at(row, a);
      for (let b = 0; b <= a; b++) add(out_KK, a * K + b, xa * at(row, b));
    }
  }
}

/** xty_K = X'dY over the controls (D != 1): the right-hand side of the outcome regression. */
export function csDrMoments(N: i32, K: i32, x_NK: usize, D_N: usize, dy_N: usize, xty_K: usize): void {
  memory.fill(xty_K, 0, <usize>K << 3);
  for (let i = 0; i < N; i++) {
    if (at(D_N, i) == 1) continue;
    const row = x_NK + (<usize>(i * K) << 3);
    const d = at(dy_N, i);
    for (let a = 0; a < K; a++) add(xty_K, a, at(row, a) * d);
  }
}

/** dr's first pass at the outcome coefficients b_K: r_N = dY - x'b, wc_N = trim (1 - D) ps / (1 - ps);
 *  sums_4 = [sum wt, sum wc, sum wt r, sum wc r] (wt = trim D); M1_K = sum wt x, M3_K = sum wc x,
 *  Mr_K = sum wc r x. */
export function csDrSums(
  N: i32, K: i32, x_NK: usize, dy_N: usize, D_N: usize, ps_N: usize, trim_N: usize, b_K: usize, r_N: usize, wc_N: usize, sums_4: usize,
  M1_K: usize, M3_K: usize, Mr_K: usize,
): void {
  memory.fill(M1_K, 0, <usize>K << 3);
  memory.fill(M3_K, 0, <usize>K << 3);
  memory.fill(Mr_K, 0, <usize>K << 3);
  let swt: f64 = 0, swc: f64 = 0, swtr: f64 = 0, swcr: f64 = 0;
  for (let i = 0; i < N; i++) {
    const row = x_NK + (<usize>(i * K) << 3);
    let fit: f64 = 0;
    for (let a = 0; a < K; a++) fit += at(row, a) * at(b_K, a);
    const ri = at(dy_N, i) - fit;
    put(r_N, i, ri);
    const Di = at(D_N, i);
    const ti = at(trim_N, i);
    const pi = at(ps_N, i);
    const wti = ti * Di;
    const wci = (ti * (1 - Di) * pi) / (1 - pi);
    put(wc_N, i, wci);
    swt += wti;
    swc += wci;
    swtr += wti * ri;
    swcr += wci * ri;
    for (let a = 0; a < K; a++) {
      const xa = at(row, a);
      add(M1_K, a, wti * xa);
      add(M3_K, a, wci * xa);
      add(Mr_K, a, wci * ri * xa);
    }
  }
  put(sums_4, 0, swt);
  put(sums_4, 1, swc);
  put(sums_4, 2, swtr);
  put(sums_4, 3, swcr);
}

/** dr's influence function, written over the residuals r_N (each row's r is read before it is written). */
export function csDrInfluence(
  N: i32, K: i32, x_NK: usize, D_N: usize, ps_N: usize, trim_N: usize, wc_N: usize, v1_K: usize, v2_K: usize, v3_K: usize, et: f64, ec: f64,
  mwt: f64, mwc: f64, r_N: usize,
): void {
  for (let i = 0; i < N; i++) {
    const row = x_NK + (<usize>(i * K) << 3);
    let x1: f64 = 0, x2: f64 = 0, x3: f64 = 0;
    for (let a = 0; a < K; a++) {
      const xa = at(row, a);
      x1 += xa * at(v1_K, a);
      x2 += xa * at(v2_K, a);
      x3 += xa * at(v3_K, a);
    }
    const Di = at(D_N, i);
    const ri = at(r_N, i);
    const wti = at(trim_N, i) * Di;
    const olsRep = (1 - Di) * ri;
    const infT = (wti * (ri - et) - olsRep * x1) / mwt;
    const infC = (at(wc_N, i) * (ri - ec) + (Di - at(ps_N, i)) * x2 - olsRep * x3) / mwc;
    put(r_N, i, infT - infC);
  }
}
