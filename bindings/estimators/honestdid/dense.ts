// Small dense matrices for the sensitivity analysis (event studies have a few dozen coefficients, its
// restriction matrices a few dozen rows): row-major Float64Array with their shape, and the handful of
// operations the ARP test and the FLCI need. Nothing here is a hot loop of the estimators.

export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export const mat = (rows: number, cols: number, data = new Float64Array(rows * cols)): Mat => ({ rows, cols, data });

export function fromRows(rows: ReadonlyArray<ArrayLike<number>>, cols = rows[0]?.length ?? 0): Mat {
  const m = mat(rows.length, cols);
  rows.forEach((r, i) => {
    for (let j = 0; j < cols; j++) m.data[i * cols + j] = r[j];
  });
  return m;
}

export const at = (m: Mat, i: number, j: number) => m.data[i * m.cols + j];

export function mul(a: Mat, b: Mat): Mat {
  const out = mat(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const v = a.data[i * a.cols + k];
      if (v === 0) continue;
      for (let j = 0; j < b.cols; j++) out.data[i * b.cols + j] += v * b.data[k * b.cols + j];
    }
  }
  return out;
}

export function mulVec(a: Mat, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j] * x[j];
    out[i] = s;
  }
  return out;
}

export function transpose(a: Mat): Mat {
  const out = mat(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = a.data[i * a.cols + j];
  return out;
}

/** A S A' (a quadratic form of a symmetric S), symmetrised against rounding. */
export function sandwichOf(a: Mat, s: Mat): Mat {
  const out = mul(mul(a, s), transpose(a));
  symmetrise(out);
  return out;
}

export function symmetrise(m: Mat): void {
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < i; j++) {
      const v = (m.data[i * m.cols + j] + m.data[j * m.cols + i]) / 2;
      m.data[i * m.cols + j] = v;
      m.data[j * m.cols + i] = v;
    }
  }
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** x' S x. */
export function quad(s: Mat, x: ArrayLike<number>): number {
  return dot(x, mulVec(s, x));
}

/** The rows (and, for a square S, the same columns) listed. */
export function pickRows(a: Mat, rows: readonly number[]): Mat {
  const out = mat(rows.length, a.cols);
  rows.forEach((r, i) => out.data.set(a.data.subarray(r * a.cols, (r + 1) * a.cols), i * a.cols));
  return out;
}

export function pickCols(a: Mat, cols: readonly number[]): Mat {
  const out = mat(a.rows, cols.length);
  for (let i = 0; i < a.rows; i++) cols.forEach((c, j) => (out.data[i * cols.length + j] = a.data[i * a.cols + c]));
  return out;
}

export const principal = (s: Mat, idx: readonly number[]): Mat => pickCols(pickRows(s, idx), idx);

/** The inverse of a square matrix by Gauss-Jordan elimination with partial pivoting; null when singular
 *  (a pivot below 1e-13 of the largest entry). */
export function inverse(a: Mat): Mat | null {
  const n = a.rows;
  const w = 2 * n;
  const t = new Float64Array(n * w);
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      t[i * w + j] = a.data[i * n + j];
      scale = Math.max(scale, Math.abs(a.data[i * n + j]));
    }
    t[i * w + n + i] = 1;
  }
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(t[r * w + c]) > Math.abs(t[p * w + c])) p = r;
    if (!(Math.abs(t[p * w + c]) > 1e-13 * scale)) return null;
    if (p !== c) for (let j = 0; j < w; j++) [t[p * w + j], t[c * w + j]] = [t[c * w + j], t[p * w + j]];
    const d = t[c * w + c];
    for (let j = 0; j < w; j++) t[c * w + j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = t[r * w + c];
      if (f === 0) continue;
      for (let j = 0; j < w; j++) t[r * w + j] -= f * t[c * w + j];
    }
  }
  const out = mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[i * n + j] = t[i * w + n + j];
  return out;
}

/** The rank of a matrix by Gaussian elimination with full pivoting, entries below `tol` x the largest
 *  counted as zero (as Matrix::rankMatrix counts singular values against its largest). */
export function rank(a: Mat, tol = 1e-10): number {
  const t = Float64Array.from(a.data);
  const { rows, cols } = a;
  let scale = 0;
  for (const v of t) scale = Math.max(scale, Math.abs(v));
  if (scale === 0) return 0;
  const used = new Uint8Array(cols);
  let r = 0;
  for (; r < rows; r++) {
    let bi = -1;
    let bj = -1;
    let best = tol * scale;
    for (let i = r; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        if (used[j]) continue;
        const v = Math.abs(t[i * cols + j]);
        if (v > best) {
          best = v;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) break;
    if (bi !== r) for (let j = 0; j < cols; j++) [t[bi * cols + j], t[r * cols + j]] = [t[r * cols + j], t[bi * cols + j]];
    used[bj] = 1;
    const p = t[r * cols + bj];
    for (let i = r + 1; i < rows; i++) {
      const f = t[i * cols + bj] / p;
      if (f === 0) continue;
      for (let j = 0; j < cols; j++) t[i * cols + j] -= f * t[r * cols + j];
    }
  }
  return r;
}
