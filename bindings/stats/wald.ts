// Joint Wald test that a set of coefficients are all zero: F = b' V^-1 b / q, compared with F(q, df2)
// (df2 = the fit's t degrees of freedom, as fixest's wald()). V^-1 via Cholesky on the q x q block.
import { fUpperP } from "./distributions.js";

export interface WaldTest {
  readonly statistic: number;
  readonly df1: number;
  readonly df2: number;
  readonly p_value: number;
}

export function waldTest(b: ArrayLike<number>, V: ArrayLike<number>, q: number, df2: number): WaldTest | null {
  if (q === 0) return null;
  // Cholesky of V (q x q row-major).
  const L = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    let d = V[j * q + j];
    for (let k = 0; k < j; k++) d -= L[j * q + k] ** 2;
    if (!(d > 0)) return null; // singular: the test is undefined
    L[j * q + j] = Math.sqrt(d);
    for (let i = j + 1; i < q; i++) {
      let s = V[i * q + j];
      for (let k = 0; k < j; k++) s -= L[i * q + k] * L[j * q + k];
      L[i * q + j] = s / L[j * q + j];
    }
  }
  // z = L^-1 b; b' V^-1 b = z'z
  const z = new Float64Array(q);
  let w = 0;
  for (let i = 0; i < q; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * q + k] * z[k];
    z[i] = s / L[i * q + i];
    w += z[i] * z[i];
  }
  const statistic = w / q;
  return { statistic, df1: q, df2, p_value: fUpperP(statistic, q, df2) };
}
