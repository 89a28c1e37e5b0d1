// TypeScript twin of assembly/etwfe-cells.ts, operation for operation (same names, same order): the extended
// TWFE regression's per-cell sums and its rows' linear predictors or residuals.

function loadZ(N: number, m: number, xs_KN: Float64Array | null, i: number, z_m: Float64Array): void {
  z_m[0] = 1;
  for (let l = 1; l < m; l++) z_m[l] = xs_KN![(l - 1) * N + i];
}

export function etwfeCellSums(
  N: number, m: number, cell_N: Int32Array, xs_KN: Float64Array | null, w_N: Float64Array | null, u_N: Float64Array, S_CMM: Float64Array, r_CM: Float64Array,
  z_m: Float64Array,
): void {
  let C = 0;
  for (let i = 0; i < N; i++) {
    const c = cell_N[i];
    if (c >= C) C = c + 1;
    loadZ(N, m, xs_KN, i, z_m);
    const base = c * m * m;
    const ui = u_N[i];
    if (w_N) {
      const wi = w_N[i];
      for (let p = 0; p < m; p++) {
        const wz = wi * z_m[p];
        r_CM[c * m + p] += wz * ui;
        for (let q = 0; q < m; q++) S_CMM[base + p * m + q] += wz * z_m[q];
      }
    } else {
      for (let p = 0; p < m; p++) {
        const zp = z_m[p];
        r_CM[c * m + p] += zp * ui;
        for (let q = 0; q <= p; q++) S_CMM[base + p * m + q] += zp * z_m[q];
      }
    }
  }
  if (w_N) return;
  for (let c = 0; c < C; c++) {
    const base = c * m * m;
    for (let p = 0; p < m; p++) for (let q = 0; q < p; q++) S_CMM[base + q * m + p] = S_CMM[base + p * m + q];
  }
}

export function etwfePredict(
  N: number, m: number, cell_N: Int32Array, xs_KN: Float64Array | null, b_CM: Float64Array, y_N: Float64Array | null, out_N: Float64Array,
): number {
  let rss = 0;
  for (let i = 0; i < N; i++) {
    const base = cell_N[i] * m;
    let s = b_CM[base];
    for (let l = 1; l < m; l++) s += xs_KN![(l - 1) * N + i] * b_CM[base + l];
    if (y_N) {
      const e = y_N[i] - s;
      out_N[i] = e;
      rss += e * e;
    } else out_N[i] = s;
  }
  return rss;
}
