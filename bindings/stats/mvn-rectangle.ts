// P(lower <= X <= upper) for X ~ N(mean, sigma): the multivariate normal probability of a rectangle, as
// mvtnorm's pmvnorm, by Genz's (1992) separation of variables.
//
// WHY THIS METHOD. Writing X - mean = L y (L the Cholesky factor, y standard normal) turns the rectangle
// into nested one-dimensional limits: y_1 in [a_1, b_1] / L_11, then y_i in limits that depend on
// y_1..y_{i-1}. Substituting y_i = Phi^-1(d_i + w_i (e_i - d_i)) maps the integral onto the unit cube
// [0,1]^(d-1) with the integrand prod_i (e_i(w) - d_i(w)). It is analytic inside the cube but has nearly
// logarithmic singularities at faces where a limit lies far in a tail (Phi^-1 near 0 or 1), which slows
// Gauss-Legendre to algebraic convergence (measured: 5e-7 with 64^2 points for d = 3); the tanh-sinh rule
// (tanh-sinh.ts) is indifferent to them and reaches 1e-10 with 27^2 points. So for d <= 4 this is a
// deterministic tensor tanh-sinh integral, accurate to about 1e-7 (up to 1e-5 for strongly correlated
// coefficients) (test/stats/mvn-rectangle.test.ts
// checks it against closed forms and against mvtnorm's Miwa algorithm). Above 4 dimensions a tensor rule
// costs too much and a randomised rank-1 lattice (Richtmyer's sqrt-of-primes generator, 8 seeded random
// shifts of 2,048 points, baker's transform; a double-exponential periodisation did worse) is used; 3 standard errors are returned as its error (about
// 1e-4 for event-study covariances). mvtnorm's own default (Genz-Bretz, abseps 1e-3) is randomised too.
import { Xoshiro128 } from "../random/xoshiro.js";
import { choleskyFactor } from "../linalg/cholesky.js";
import { DidwasmError } from "../errors.js";
import { normalCdfFast as normalCdf, normalQuantileFast as normalQuantile } from "./normal-fast.js";
import { tanhSinh01 } from "./tanh-sinh.js";

export interface MvnProbability {
  readonly probability: number;
  /** Estimated absolute error: 0 for the exact one-dimensional case, the difference from the rule with half
   *  the points for the tensor rule (NaN unless asked for), 3 standard errors for the lattice. */
  readonly error: number;
  readonly method: "exact" | "tanh-sinh" | "lattice";
}

/** Tanh-sinh step per dimension of the (d-1)-cube, by d - 1: about 39, 27 and 21 points per dimension, for
 *  absolute errors near 1e-10, 1e-9 and 1e-7 (1e-5 with correlations of 0.9) at at most ~10k evaluations. */
const TENSOR_STEP = [0, 1 / 6, 1 / 4, 1 / 3];
/** Lattice: random shifts (for the error estimate) and points per shift. */
const SHIFTS = 8;
const LATTICE_POINTS = 2048;
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113];

/** Phi(hi) - Phi(lo) without cancellation when both are in the upper tail. */
function normalMass(lo: number, hi: number): number {
  if (lo > 0) return normalCdf(-lo) - normalCdf(-hi);
  return normalCdf(hi) - normalCdf(lo);
}

export interface MvnOptions {
  /** Also integrate with half the tensor points to estimate the error (costs a quarter more); default false (error NaN). */
  readonly estimateError?: boolean;
  /** Step of the tanh-sinh rule in each dimension (default TENSOR_STEP). */
  readonly step?: number;
  /** A quick, rougher integral (twice the step, a quarter of the lattice points), for searches that finish
   *  with the full rule. */
  readonly coarse?: boolean;
}

export function mvnRectangle(mean: ArrayLike<number>, sigma: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>, opts: MvnOptions = {}): MvnProbability {
  const d = mean.length;
  if (sigma.length !== d * d || lower.length !== d || upper.length !== d) throw new DidwasmError("BAD_OPTION", `mvnRectangle: sigma must be ${d} x ${d} and the limits of length ${d}`);
  if (d === 0) return { probability: 1, error: 0, method: "exact" };
  const L = choleskyFactor(Float64Array.from(sigma), d, 1e-12);
  if (!L) throw new DidwasmError("BAD_DATA", "the covariance matrix of the pre-period coefficients is not positive definite (a coefficient is a combination of the others, or a variance is zero)");
  const a = new Float64Array(d);
  const b = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    a[i] = lower[i] - mean[i];
    b[i] = upper[i] - mean[i];
    if (!(a[i] <= b[i])) return { probability: 0, error: 0, method: "exact" };
  }
  const integrand = separated(L, a, b, d);
  if (d === 1) return { probability: integrand(new Float64Array(0)), error: 0, method: "exact" };
  if (d - 1 < TENSOR_STEP.length) {
    const h = (opts.step ?? TENSOR_STEP[d - 1]) * (opts.coarse ? 2 : 1);
    const fine = tensorRule(integrand, d - 1, h);
    const error = opts.estimateError ? Math.abs(fine - tensorRule(integrand, d - 1, 2 * h)) : Number.NaN;
    return { probability: fine, error, method: "tanh-sinh" };
  }
  return latticeRule(integrand, d - 1, opts.coarse ? LATTICE_POINTS / 4 : LATTICE_POINTS);
}

/** The separated integrand on [0,1]^(d-1) (Genz 1992, section 2). */
function separated(L: Float64Array, a: Float64Array, b: Float64Array, d: number): (w: Float64Array) => number {
  const y = new Float64Array(d);
  return (w) => {
    let f = 1;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < i; j++) s += L[i * d + j] * y[j];
      const lii = L[i * d + i];
      const lo = (a[i] - s) / lii;
      const hi = (b[i] - s) / lii;
      const mass = normalMass(lo, hi);
      if (!(mass > 0)) return 0;
      f *= mass;
      if (i < d - 1) {
        // y_i drawn within its limits: the quantile of the point w_i of the way through [Phi(lo), Phi(hi)]
        // (taken on the tail side that keeps digits when the limits sit in the upper tail).
        y[i] = lo > 0 ? -normalQuantile(normalCdf(-lo) - w[i] * mass) : normalQuantile(normalCdf(lo) + w[i] * mass);
      }
    }
    return f;
  };
}

function tensorRule(f: (w: Float64Array) => number, dims: number, step: number): number {
  const { nodes, weights } = tanhSinh01(step);
  const n = nodes.length;
  const w = new Float64Array(dims);
  const idx = new Int32Array(dims);
  let total = 0;
  for (;;) {
    let weight = 1;
    for (let k = 0; k < dims; k++) {
      w[k] = nodes[idx[k]];
      weight *= weights[idx[k]];
    }
    total += weight * f(w);
    let k = dims - 1;
    while (k >= 0 && ++idx[k] === n) idx[k--] = 0;
    if (k < 0) return total;
  }
}

function latticeRule(f: (w: Float64Array) => number, dims: number, points: number): MvnProbability {
  if (dims > PRIMES.length) throw new DidwasmError("BAD_OPTION", `mvnRectangle: at most ${PRIMES.length + 1} dimensions`);
  const gen = PRIMES.slice(0, dims).map((p) => Math.sqrt(p) % 1);
  const rng = new Xoshiro128(20221, 0);
  const w = new Float64Array(dims);
  const estimates: number[] = [];
  for (let s = 0; s < SHIFTS; s++) {
    const shift = gen.map(() => rng.uniform());
    let sum = 0;
    for (let k = 1; k <= points; k++) {
      for (let j = 0; j < dims; j++) {
        const x = (k * gen[j] + shift[j]) % 1;
        w[j] = Math.abs(2 * x - 1); // baker's transform: periodises the integrand (O(n^-2) error for smooth ones)
      }
      sum += f(w);
    }
    estimates.push(sum / points);
  }
  const mean = estimates.reduce((x, y) => x + y, 0) / SHIFTS;
  const variance = estimates.reduce((x, y) => x + (y - mean) * (y - mean), 0) / (SHIFTS - 1) / SHIFTS;
  return { probability: mean, error: 3 * Math.sqrt(variance), method: "lattice" };
}
