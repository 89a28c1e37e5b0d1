// The scores of a least-squares fit, s_i = w_i e_i x_i (x_i the demeaned regressors), as rows of an n x K
// matrix: what the Newey-West, Driscoll-Kraay and Conley meats sum over pairs of observations. The
// clustered and robust meats run in the kernels instead (they never need the scores one by one).
import type { VcovInputs } from "./types.js";

/** n x K row-major: row i is observation i's score. */
export function scoresOf(inp: VcovInputs): Float64Array {
  const { n, K } = inp;
  // Views read at once: a later allocation in the arena may move wasm memory and empty them.
  const X = inp.X.view;
  const e = inp.resid.view;
  const w = inp.weights ? inp.weights.view : null;
  const S = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const u = w ? w[i] * e[i] : e[i];
    for (let k = 0; k < K; k++) S[i * K + k] = u * X[k * n + i];
  }
  return S;
}

/** M += c a b' for rows a and b of K values (a at S[ia * K], b at T[ib * K]). */
export function addOuter(M: Float64Array, K: number, c: number, S: Float64Array, ia: number, T: Float64Array, ib: number): void {
  const a = ia * K;
  const b = ib * K;
  for (let k1 = 0; k1 < K; k1++) {
    const x = c * S[a + k1];
    for (let k2 = 0; k2 < K; k2++) M[k1 * K + k2] += x * T[b + k2];
  }
}

/** M + M' (the meats below sum each pair once, in one direction). */
export function plusTranspose(M: Float64Array, K: number): Float64Array {
  const out = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) out[i * K + j] = M[i * K + j] + M[j * K + i];
  return out;
}
