// The extended TWFE regression's passes over its rows (bindings/estimators/did/etwfe-compressed.ts says what
// they estimate): per-cell sufficient statistics of z = (1, controls), and each row's linear predictor or
// residual from per-cell coefficients. bindings/engine/reference/etwfe-cells.ts mirrors them operation for
// operation (the same bits).
//
// WHY HERE. A million-row fit makes one pass of each (a Poisson fit one per Newton step): in V8 about 90 ms
// for the cell sums and 30 ms for the predictor on the 2-core VM, run once and mostly unoptimised.
//
// BUFFERS (names carry their length; m = k + 1, C cells)
//   cell_N : i32 [N] each row's cell.
//   xs_KN  : f64 [k][N] the controls, column-major (0 when k = 0).
//   w_N    : f64 [N] weights, or 0 (address): unweighted.
//   u_N    : f64 [N] the response summed against z.
//   S_CMM  : f64 [C][m][m] out: sum over a cell's rows of w z z' (added to: the caller zeroes it).
//   r_CM   : f64 [C][m]    out: sum over a cell's rows of w u z (added to).
//   z_m    : f64 [m] scratch.
//   b_CM   : f64 [C][m] per-cell coefficients of z.

@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

/** Row i's z (1, then its controls) into z_m. */
@inline function loadZ(N: i32, m: i32, xs_KN: usize, i: i32, z_m: usize): void {
  put(z_m, 0, 1);
  for (let l = 1; l < m; l++) put(z_m, l, f64At(xs_KN, (l - 1) * N + i));
}

/** Per-cell sums of w z z' and w u z. Unweighted, each pair's product z_p z_q = z_q z_p is summed once
 *  (q <= p) and copied to its mirror at the end: the same bits as summing both. */
export function etwfeCellSums(N: i32, m: i32, cell_N: usize, xs_KN: usize, w_N: usize, u_N: usize, S_CMM: usize, r_CM: usize, z_m: usize): void {
  let C = 0;
  for (let i = 0; i < N; i++) {
    const c = i32At(cell_N, i);
    if (c >= C) C = c + 1;
    loadZ(N, m, xs_KN, i, z_m);
    const base = c * m * m;
    const ui = f64At(u_N, i);
    if (w_N != 0) {
      const wi = f64At(w_N, i);
      for (let p = 0; p < m; p++) {
        const wz = wi * f64At(z_m, p);
        put(r_CM, c * m + p, f64At(r_CM, c * m + p) + wz * ui);
        for (let q = 0; q < m; q++) put(S_CMM, base + p * m + q, f64At(S_CMM, base + p * m + q) + wz * f64At(z_m, q));
      }
    } else {
      for (let p = 0; p < m; p++) {
        const zp = f64At(z_m, p);
        put(r_CM, c * m + p, f64At(r_CM, c * m + p) + zp * ui);
        for (let q = 0; q <= p; q++) put(S_CMM, base + p * m + q, f64At(S_CMM, base + p * m + q) + zp * f64At(z_m, q));
      }
    }
  }
  if (w_N != 0) return;
  for (let c = 0; c < C; c++) {
    const base = c * m * m;
    for (let p = 0; p < m; p++) for (let q = 0; q < p; q++) put(S_CMM, base + q * m + p, f64At(S_CMM, base + p * m + q));
  }
}

/** out_N = z_i . b_cell(i) per row; with y_N, out_N = y - that instead, and the sum of its squares (in row
 *  order) is returned (0 without y_N). */
export function etwfePredict(N: i32, m: i32, cell_N: usize, xs_KN: usize, b_CM: usize, y_N: usize, out_N: usize): f64 {
  let rss: f64 = 0;
  for (let i = 0; i < N; i++) {
    const base = i32At(cell_N, i) * m;
    let s = f64At(b_CM, base);
    for (let l = 1; l < m; l++) s += f64At(xs_KN, (l - 1) * N + i) * f64At(b_CM, base + l);
    if (y_N != 0) {
      const e = f64At(y_N, i) - s;
      put(out_N, i, e);
      rss += e * e;
    } else put(out_N, i, s);
  }
  return rss;
}
