// invertSpd (linalg/small.ts): its inverse phase skips the forward terms it knows are zero and reads L'
// from a transposed copy. These check that it still inverts (A A^-1 = I), returns the very bits of the
// plain column-by-column forward and back substitution written out below, and refuses a matrix that is not
// positive definite.
import { describe, expect, it } from "vitest";
import { invertSpd } from "../../bindings/linalg/small.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** X'X of a random m x K matrix (positive definite for m >= K, almost surely). */
function gram(K: number, m: number, seed: number): Float64Array {
  const g = new Xoshiro128(seed);
  const X = Float64Array.from({ length: m * K }, () => g.normal());
  const A = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += X[r * K + i] * X[r * K + j];
    A[i * K + j] = s;
  }
  return A;
}

/** Cholesky, then for every column c: L z = e_c over all rows, L' x = z reading L by columns. */
function plainInverse(a: Float64Array, K: number): Float64Array {
  const L = new Float64Array(K * K);
  for (let j = 0; j < K; j++) {
    let d = a[j * K + j];
    for (let k = 0; k < j; k++) d -= L[j * K + k] ** 2;
    L[j * K + j] = Math.sqrt(d);
    for (let i = j + 1; i < K; i++) {
      let s = a[i * K + j];
      for (let k = 0; k < j; k++) s -= L[i * K + k] * L[j * K + k];
      L[i * K + j] = s / L[j * K + j];
    }
  }
  const inv = new Float64Array(K * K);
  const z = new Float64Array(K);
  for (let c = 0; c < K; c++) {
    for (let i = 0; i < K; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i * K + k] * z[k];
      z[i] = s / L[i * K + i];
    }
    for (let i = K - 1; i >= 0; i--) {
      let s = z[i];
      for (let k = i + 1; k < K; k++) s -= L[k * K + i] * inv[k * K + c];
      inv[i * K + c] = s / L[i * K + i];
    }
  }
  return inv;
}

describe("invertSpd", () => {
  for (const K of [1, 2, 3, 7, 30, 120]) {
    it(`K = ${K}: A A^-1 = I, and the bits of the plain substitution`, () => {
      const A = gram(K, K + 5, K);
      const inv = invertSpd(A, K)!;
      expect(inv).not.toBeNull();
      for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[i * K + k] * inv[k * K + j];
        expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-9);
      }
      const plain = plainInverse(A, K);
      for (let k = 0; k < K * K; k++) expect(Object.is(inv[k], plain[k])).toBe(true);
    });
  }

  it("null for a matrix that is not positive definite", () => {
    expect(invertSpd([1, 2, 2, 1], 2)).toBeNull();
    expect(invertSpd([0, 0, 0, 1], 2)).toBeNull();
  });
});
