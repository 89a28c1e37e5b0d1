// Mean of X ~ N(mu, S) truncated to the box lower <= X <= upper (what tmvtnorm's mtmvnorm returns), by
// Tallis's (1961) formula: with x = X - mu and a, b the shifted limits,
//   E[X] = mu + S F / alpha,   F_k = f_k(a_k) - f_k(b_k),
// where alpha is the box's probability and f_k(x) the density of x_k at x times the probability that the
// other coordinates lie in their limits given x_k = x (a (d-1)-dimensional box of the conditional normal,
// mean -c x with c = S[-k,k] / S[k,k], covariance S[-k,-k] - S[-k,k] S[k,-k] / S[k,k]). Its accuracy is
// that of mvnRectangle (1e-9 up to four dimensions here, so five pre-periods; the lattice's beyond).
import { DidwasmError } from "../errors.js";
import { exp } from "./libm.js";
import { mvnRectangle } from "./mvn-rectangle.js";

const normalDensity = (x: number, variance: number) => exp((-0.5 * x * x) / variance) / Math.sqrt(2 * Math.PI * variance);

export interface TruncatedMean {
  readonly mean: Float64Array;
  /** P(lower <= X <= upper). */
  readonly probability: number;
}

export function truncatedMvnMean(mu: ArrayLike<number>, S: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): TruncatedMean {
  const d = mu.length;
  const a = Array.from({ length: d }, (_, i) => lower[i] - mu[i]);
  const b = Array.from({ length: d }, (_, i) => upper[i] - mu[i]);
  const alpha = mvnRectangle(new Float64Array(d), S, a, b).probability;
  if (!(alpha > 0)) throw new DidwasmError("BAD_DATA", "the box has probability 0 under the hypothesised mean: no mean after truncation");
  const F = new Float64Array(d);
  for (let k = 0; k < d; k++) F[k] = edgeDensity(S, a, b, k, a[k]) - edgeDensity(S, a, b, k, b[k]);
  const mean = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += S[i * d + k] * F[k];
    mean[i] = mu[i] + s / alpha;
  }
  return { mean, probability: alpha };
}

/** f_k(x): the density of coordinate k at x times the conditional probability of the others' limits. */
function edgeDensity(S: ArrayLike<number>, a: number[], b: number[], k: number, x: number): number {
  const d = a.length;
  const skk = S[k * d + k];
  const density = normalDensity(x, skk);
  if (d === 1 || density === 0) return density;
  const rest = [...Array(d).keys()].filter((i) => i !== k);
  const m = rest.length;
  const cond = new Float64Array(m * m);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < m; q++) cond[p * m + q] = S[rest[p] * d + rest[q]] - (S[rest[p] * d + k] * S[k * d + rest[q]]) / skk;
  }
  const shift = rest.map((i) => (S[i * d + k] / skk) * x);
  const lo = rest.map((i, p) => a[i] - shift[p]);
  const hi = rest.map((i, p) => b[i] - shift[p]);
  return density * mvnRectangle(new Float64Array(m), cond, lo, hi).probability;
}
