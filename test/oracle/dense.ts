// The independent dense-algebra oracle: least squares, ranks, (X'WX)^-1 and meat matrices computed with
// ml-matrix (Householder QR and the SVD), which shares no code with either backend. Nothing here forms
// X'WX and factors it: the oracle works on the (row-weighted) design itself, so an error the Cholesky
// path shares between wasm and reference cannot hide in the oracle too.
import { Matrix, QrDecomposition, SingularValueDecomposition } from "ml-matrix";

/** An n x K matrix from K columns of length n. */
export function matrixOfColumns(cols: ReadonlyArray<ArrayLike<number>>): Matrix {
  const n = cols[0].length;
  const m = new Matrix(n, cols.length);
  cols.forEach((c, k) => {
    for (let i = 0; i < n; i++) m.set(i, k, c[i]);
  });
  return m;
}

/** diag(s) X: each row i multiplied by s[i]. */
function rowScaled(X: Matrix, s: ArrayLike<number>): Matrix {
  const out = X.clone();
  for (let i = 0; i < X.rows; i++) for (let k = 0; k < X.columns; k++) out.set(i, k, X.get(i, k) * s[i]);
  return out;
}

/** sqrt(W) X, the design whose plain least squares is X's weighted least squares. */
export function weighted(X: Matrix, w: ArrayLike<number> | null): Matrix {
  return w ? rowScaled(X, Array.from(w, Math.sqrt)) : X;
}

/** argmin_b sum_i w_i (y_i - x_i'b)^2 by Householder QR of sqrt(W) X (X of full column rank). */
export function leastSquares(X: Matrix, y: ArrayLike<number>, w: ArrayLike<number> | null): Float64Array {
  const qr = new QrDecomposition(weighted(X, w));
  if (!qr.isFullRank()) throw new Error("oracle: leastSquares needs a design of full column rank");
  const rhs = weighted(Matrix.columnVector(Array.from(y)), w);
  return Float64Array.from(qr.solve(rhs).getColumn(0));
}

/** Residuals y - X b (unweighted). */
export function residualsOf(X: Matrix, y: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const fitted = X.mmul(Matrix.columnVector(Array.from(b)));
  return Float64Array.from(y, (v, i) => v - fitted.get(i, 0));
}

/** Singular values of sqrt(W) X, largest first. */
function singularValues(X: Matrix, w: ArrayLike<number> | null = null): number[] {
  return new SingularValueDecomposition(weighted(X, w), { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal;
}

/** 2-norm condition number of sqrt(W) X. */
function conditionNumber(X: Matrix, w: ArrayLike<number> | null = null): number {
  const s = singularValues(X, w);
  return s[0] / s[s.length - 1];
}

/** Numerical rank by the SVD's default threshold (max(n, K) * sigma_max * eps, as MATLAB and NumPy). */
export function svdRank(X: Matrix): number {
  return new SingularValueDecomposition(X, { computeLeftSingularVectors: false }).rank;
}

/** (X'WX)^-1 = D^-1 V diag(1/s^2) V' D^-1 from the SVD sqrt(W) X D^-1 = U diag(s) V', D the column norms,
 *  without forming X'WX. The columns are equilibrated first because the SVD, unlike Cholesky, is not
 *  indifferent to their scales: on regressors scaled by 1e6 and 1e-6 the unequilibrated SVD's inverse
 *  errs by ~1e-10 while the equilibrated one agrees with the Cholesky to ~1e-15. */
export function inverseGram(X: Matrix, w: ArrayLike<number> | null): Matrix {
  const { Xs, d } = equilibrated(X, w);
  const svd = new SingularValueDecomposition(Xs, { computeLeftSingularVectors: false });
  const V = svd.rightSingularVectors;
  const s = svd.diagonal;
  const left = V.clone();
  for (let i = 0; i < V.rows; i++) for (let k = 0; k < V.columns; k++) left.set(i, k, V.get(i, k) / (s[k] * s[k] * d[i]));
  const right = V.transpose();
  for (let k = 0; k < right.rows; k++) for (let j = 0; j < right.columns; j++) right.set(k, j, right.get(k, j) / d[j]);
  return left.mmul(right);
}

/** X'WX by a plain matrix product (for checking the crossproduct kernel, not used by the variances). */
export function gram(X: Matrix, w: ArrayLike<number> | null): Matrix {
  return X.transpose().mmul(w ? rowScaled(X, w) : X);
}

/** Scores s_i = w_i e_i x_i as an n x K matrix: the rows whose outer products make every meat. */
export function scores(X: Matrix, e: ArrayLike<number>, w: ArrayLike<number> | null): Matrix {
  return rowScaled(X, Array.from(e, (v, i) => (w ? w[i] : 1) * v));
}

/** Heteroskedasticity meat sum_i s_i s_i' = S'S. */
export function heteroMeat(S: Matrix): Matrix {
  return S.transpose().mmul(S);
}

/** Cluster meat sum_g (sum_{i in g} s_i)(sum_{i in g} s_i)': the cluster sums are C'S with C the dense
 *  n x G indicator matrix of the clusters (labels may be any strings or numbers). */
export function clusterMeat(S: Matrix, labels: ReadonlyArray<string | number>): { meat: Matrix; G: number } {
  const ids = new Map<string | number, number>();
  labels.forEach((l) => ids.has(l) || ids.set(l, ids.size));
  const C = Matrix.zeros(labels.length, ids.size);
  labels.forEach((l, i) => C.set(i, ids.get(l)!, 1));
  const sums = C.transpose().mmul(S);
  return { meat: sums.transpose().mmul(sums), G: ids.size };
}

/** B M B. */
export function sandwich(bread: Matrix, meat: Matrix): Matrix {
  return bread.mmul(meat).mmul(bread);
}

/** The leading k x k block. */
export function leadingBlock(m: Matrix, k: number): Matrix {
  return m.subMatrix(0, k - 1, 0, k - 1);
}

/** Column norms of sqrt(W) X: the diagonal scaling D that equilibrates the design. */
export function columnNorms(X: Matrix, w: ArrayLike<number> | null = null): Float64Array {
  const Xw = weighted(X, w);
  return Float64Array.from({ length: X.columns }, (_, k) => Math.hypot(...Xw.getColumn(k)));
}

/** kappa(sqrt(W) X D^-1), the condition number of the design with unit-norm columns. Cholesky's error is
 *  unchanged by rescaling columns (its backward error is componentwise), so this is the kappa that
 *  bounds it, however differently the regressors are scaled (van der Sluis 1969). */
export function equilibratedCondition(X: Matrix, w: ArrayLike<number> | null = null): number {
  return conditionNumber(equilibrated(X, w).Xs);
}

/** sqrt(W) X D^-1 (unit-norm columns) and D, the column norms of sqrt(W) X. */
function equilibrated(X: Matrix, w: ArrayLike<number> | null): { Xs: Matrix; d: Float64Array } {
  const d = columnNorms(X, w);
  const Xs = weighted(X, w).clone();
  for (let i = 0; i < Xs.rows; i++) for (let k = 0; k < Xs.columns; k++) Xs.set(i, k, Xs.get(i, k) / d[k]);
  return { Xs, d };
}

/** ||D (a - b)|| / ||D b|| for coefficient vectors: the error in the equilibrated coordinates D b. */
export function scaledVectorError(a: ArrayLike<number>, b: ArrayLike<number>, d: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (d[i] * (a[i] - b[i])) ** 2;
    den += (d[i] * b[i]) ** 2;
  }
  return Math.sqrt(num / den);
}

/** ||D (a - b) D||_F / ||D b D||_F for a row-major K x K array a and matrix b (variances, inverses). */
export function scaledMatrixError(a: ArrayLike<number>, b: Matrix, d: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.rows; i++) {
    for (let j = 0; j < b.columns; j++) {
      const s = d[i] * d[j];
      num += (s * (a[i * b.columns + j] - b.get(i, j))) ** 2;
      den += (s * b.get(i, j)) ** 2;
    }
  }
  return Math.sqrt(num / den);
}

/** 1 - R^2 of the uncentred weighted regression of column j on the columns `on`: ||M x_j||^2 / ||x_j||^2,
 *  the quantity the project's Cholesky compares with its collinearity tolerance, here by QR. */
export function unexplainedShare(X: Matrix, j: number, on: readonly number[], w: ArrayLike<number> | null): number {
  const xj = X.getColumn(j);
  const total = xj.reduce((s, v, i) => s + (w ? w[i] : 1) * v * v, 0);
  if (on.length === 0) return total > 0 ? 1 : 0;
  const sub = X.subMatrixColumn(on);
  const e = residualsOf(sub, xj, leastSquares(sub, xj, w));
  return e.reduce((s, v, i) => s + (w ? w[i] : 1) * v * v, 0) / total;
}
