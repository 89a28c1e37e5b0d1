// Mirror of assembly/fixef-schur.ts, operation for operation (read that file for the method: the normal
// equations with fixed effect 0 eliminated, applied through cells grouped by fixed effect 0). Vectors are
// [index][column] with B columns; results are bit-identical to the wasm kernels.

/** The cells and the eliminated fixed effect's group weights, as the kernels receive them. */
export interface SchurCells {
  readonly G0: number;
  /** Indices per cell (Q - 1). */
  readonly R: number;
  readonly M: number;
  readonly cellStart: Int32Array;
  readonly cellIds: Int32Array;
  readonly cellWeight: Float64Array;
  readonly W0: Float64Array;
}

/** t[c] = p[ids[0]][c] + ... (in order), minus m[c] when `centre`. */
function cellSum(t: Float64Array, p: Float64Array, ids: Int32Array, at: number, R: number, B: number, m: Float64Array | null): void {
  for (let c = 0; c < B; c++) {
    let s = p[ids[at] * B + c];
    for (let q = 1; q < R; q++) s += p[ids[at + q] * B + c];
    if (m !== null) s -= m[c];
    t[c] = s;
  }
}

/** m[c] = (sum over group g's cells of w_k t_k[c]) / W0_g. */
function groupMean(g: number, S: SchurCells, p: Float64Array, B: number, t: Float64Array, m: Float64Array): void {
  m.fill(0, 0, B);
  for (let k = S.cellStart[g]; k < S.cellStart[g + 1]; k++) {
    cellSum(t, p, S.cellIds, k * S.R, S.R, B, null);
    const wk = S.cellWeight[k];
    for (let c = 0; c < B; c++) m[c] = m[c] + wk * t[c];
  }
  const wg = S.W0[g];
  for (let c = 0; c < B; c++) m[c] = m[c] / wg;
}

/** Mirror of schurApply(): y = S p. */
export function schurApply(S: SchurCells, p: Float64Array, y: Float64Array, B: number): void {
  y.fill(0, 0, S.M * B);
  const t = new Float64Array(B);
  const m = new Float64Array(B);
  for (let g = 0; g < S.G0; g++) {
    groupMean(g, S, p, B, t, m);
    for (let k = S.cellStart[g]; k < S.cellStart[g + 1]; k++) {
      const at = k * S.R;
      cellSum(t, p, S.cellIds, at, S.R, B, m);
      const wk = S.cellWeight[k];
      for (let q = 0; q < S.R; q++) {
        const d = S.cellIds[at + q] * B;
        for (let c = 0; c < B; c++) y[d + c] = y[d + c] + wk * t[c];
      }
    }
  }
}

/** Mirror of eliminatedCoefficients(): xbar (the groups' means of x) becomes fixed effect 0's coefficients. */
export function eliminatedCoefficients(S: SchurCells, b: Float64Array, xbar: Float64Array, B: number): void {
  const t = new Float64Array(B);
  const m = new Float64Array(B);
  for (let g = 0; g < S.G0; g++) {
    groupMean(g, S, b, B, t, m);
    for (let c = 0; c < B; c++) xbar[g * B + c] = xbar[g * B + c] - m[c];
  }
}
