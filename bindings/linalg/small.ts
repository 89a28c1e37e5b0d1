// Small dense helpers in TypeScript for K x K matrices (K = number of coefficients, rarely over a few
// hundred): products for the sandwich and a symmetric eigen-decomposition (cyclic Jacobi) used to repair a
// multiway-clustered variance that is not positive semi-definite.

/** A B for row-major K x K matrices. */
export function matMul(a: Float64Array, b: Float64Array, K: number): Float64Array {
  const out = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let k = 0; k < K; k++) {
      const aik = a[i * K + k];
      if (aik === 0) continue;
      for (let j = 0; j < K; j++) out[i * K + j] += aik * b[k * K + j];
    }
  }
  return out;
}

/** bread * meat * bread (bread symmetric), symmetrised to remove rounding asymmetry. */
export function sandwich(bread: Float64Array, meat: Float64Array, K: number): Float64Array {
  const v = matMul(matMul(bread, meat, K), bread, K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < i; j++) {
      const s = (v[i * K + j] + v[j * K + i]) / 2;
      v[i * K + j] = s;
      v[j * K + i] = s;
    }
  }
  return v;
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major) of a symmetric matrix. */
export function symmetricEigen(a: Float64Array, K: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(K * K);
  for (let i = 0; i < K; i++) v[i * K + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) off += m[i * K + j] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < K; p++) {
      for (let q = p + 1; q < K; q++) {
        const apq = m[p * K + q];
        if (apq === 0) continue;
        const theta = (m[q * K + q] - m[p * K + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < K; k++) {
          const mkp = m[k * K + p];
          const mkq = m[k * K + q];
          m[k * K + p] = c * mkp - s * mkq;
          m[k * K + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < K; k++) {
          const mpk = m[p * K + k];
          const mqk = m[q * K + k];
          m[p * K + k] = c * mpk - s * mqk;
          m[q * K + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < K; k++) {
          const vkp = v[k * K + p];
          const vkq = v[k * K + q];
          v[k * K + p] = c * vkp - s * vkq;
          v[k * K + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(K);
  for (let i = 0; i < K; i++) values[i] = m[i * K + i];
  return { values, vectors: v };
}

/** The matrix with its eigenvalues below `floor` raised to `floor` (default 0: negative eigenvalues set to
 *  zero, Cameron, Gelbach and Miller 2011). `clipped` counts the eigenvalues that were raised. */
export function clipNegativeEigenvalues(a: Float64Array, K: number, floor = 0): { matrix: Float64Array; clipped: number } {
  const { values, vectors } = symmetricEigen(a, K);
  let clipped = 0;
  const out = new Float64Array(K * K);
  for (let e = 0; e < K; e++) {
    let lambda = values[e];
    if (lambda < floor) {
      clipped++;
      lambda = floor;
      if (lambda === 0) continue;
    }
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) out[i * K + j] += lambda * vectors[i * K + e] * vectors[j * K + e];
  }
  return { matrix: clipped ? out : a, clipped };
}

/** Inverse of a small symmetric positive-definite matrix by Cholesky; null when it is not positive definite. */
export function invertSpd(a: ArrayLike<number>, K: number): Float64Array | null {
  const L = new Float64Array(K * K);
  for (let j = 0; j < K; j++) {
    let d = a[j * K + j];
    for (let k = 0; k < j; k++) d -= L[j * K + k] ** 2;
    if (!(d > 0)) return null;
    L[j * K + j] = Math.sqrt(d);
    for (let i = j + 1; i < K; i++) {
      let s = a[i * K + j];
      for (let k = 0; k < j; k++) s -= L[i * K + k] * L[j * K + k];
      L[i * K + j] = s / L[j * K + j];
    }
  }
  return inverseFromCholesky(L, K);
}

/** (L L')^-1 column by column: L z = e_c forward, then L' x = z back. z is 0 above c (each of its entries
 *  there is 0 / L_ii), so the forward pass starts at c: the terms it skips subtract L_ik x 0, which leaves
 *  every sum as it was. The back pass reads L' from a transposed copy and builds the column in a
 *  contiguous vector (both read row by row, not K apart): the same operations in the same order. */
function inverseFromCholesky(L: Float64Array, K: number): Float64Array {
  const LT = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let k = 0; k <= i; k++) LT[k * K + i] = L[i * K + k];
  const inv = new Float64Array(K * K);
  const z = new Float64Array(K);
  const x = new Float64Array(K);
  for (let c = 0; c < K; c++) {
    for (let i = 0; i < c; i++) z[i] = 0;
    for (let i = c; i < K; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= L[i * K + k] * z[k];
      z[i] = s / L[i * K + i];
    }
    for (let i = K - 1; i >= 0; i--) {
      let s = z[i];
      const row = i * K;
      for (let k = i + 1; k < K; k++) s -= LT[row + k] * x[k];
      x[i] = s / L[i * K + i];
    }
    for (let i = 0; i < K; i++) inv[i * K + c] = x[i];
  }
  return inv;
}
