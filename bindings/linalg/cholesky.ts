// Cholesky factorisation of a dense symmetric matrix (row-major, K x K) and solves with its factor, for
// systems too large to invert but small enough to hold (a panel's period block, K up to a few thousand).

/**
 * Lower-triangular L with L L' = a, or null when a pivot falls to `relTol` times its diagonal entry or
 * below, i.e. the matrix is singular or nearly so (for a period block: units and periods not connected).
 */
export function choleskyFactor(a: Float64Array, K: number, relTol = 1e-10): Float64Array | null {
  const L = new Float64Array(K * K);
  for (let j = 0; j < K; j++) {
    const rowJ = j * K;
    let d = a[rowJ + j];
    for (let k = 0; k < j; k++) d -= L[rowJ + k] * L[rowJ + k];
    if (!(d > relTol * a[rowJ + j])) return null;
    const ljj = Math.sqrt(d);
    L[rowJ + j] = ljj;
    for (let i = j + 1; i < K; i++) {
      const rowI = i * K;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) s -= L[rowI + k] * L[rowJ + k];
      L[rowI + j] = s / ljj;
    }
  }
  return L;
}

/** Solves L L' x = b in place (b becomes x). */
export function choleskySolveInPlace(L: Float64Array, K: number, b: Float64Array): void {
  for (let i = 0; i < K; i++) {
    const row = i * K;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[row + k] * b[k];
    b[i] = s / L[row + i];
  }
  for (let i = K - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < K; k++) s -= L[k * K + i] * b[k];
    b[i] = s / L[i * K + i];
  }
}
