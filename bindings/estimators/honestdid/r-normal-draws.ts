// Standard normal draws identical, bit for bit, to R's `set.seed(seed); rnorm(n)` with R's default
// generators (Mersenne-Twister, normal by inversion), and mvtnorm's rmvnorm(method = "eigen").
//
// WHY. HonestDiD's least-favourable critical value (the first stage of its C-LF hybrid) is the 1 - kappa
// quantile of a statistic over 1,000 draws made after set.seed(0). With only 1,000 draws that quantile
// moves by several percent from one set of draws to another, and the confidence sets move with it; the
// same draws make didwasm's sets the ones HonestDiD reports, not merely close to them.
//
// The algorithms, as R documents them (?RNGkind, ?set.seed) and as Matsumoto and Nishimura (1998) and
// Wichura (1988, AS 241) publish them:
// - set.seed(s): s is scrambled by 50 steps of the congruence s <- 69069 s + 1 (mod 2^32); then each of
//   the 625 words of the generator's state is the next step of that congruence. The first word is the
//   position in the state vector, set to 624 so that the first draw regenerates the whole state.
// - a uniform is the tempered 32-bit output times 2^-32, moved off exactly 0 and 1;
// - a normal by inversion uses two uniforms for 27 + 32 bits: u = (floor(2^27 u1) + u2) / 2^27, then
//   qnorm(u) by AS 241.
import { log } from "../../stats/libm.js";
import { symmetricEigen } from "../../linalg/small.js";

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
/** 2^-32 as R writes it (the uniform's scale) and 1 / (2^32 - 1) (the nudge off 0 and 1). */
const TWO_M32 = 2.3283064365386963e-10;
const I2_32M1 = 2.328306437080797e-10;
const BIG = 134217728; // 2^27

/** R's Mersenne-Twister after set.seed(seed). */
export class RMersenneTwister {
  private readonly mt = new Uint32Array(N);
  private mti = N;

  constructor(seed: number) {
    let s = seed >>> 0;
    const step = (x: number) => (Math.imul(69069, x) + 1) >>> 0;
    for (let j = 0; j < 50; j++) s = step(s);
    s = step(s); // the position word, which set.seed then overwrites with 624
    for (let j = 0; j < N; j++) {
      s = step(s);
      this.mt[j] = s;
    }
  }

  private regenerate(): void {
    const mt = this.mt;
    const mag = (y: number) => (y & 1 ? MATRIX_A : 0);
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
      mt[kk] = (mt[kk + M] ^ (y >>> 1) ^ mag(y)) >>> 0;
    }
    for (; kk < N - 1; kk++) {
      const y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
      mt[kk] = (mt[kk + (M - N)] ^ (y >>> 1) ^ mag(y)) >>> 0;
    }
    const y = (mt[N - 1] & UPPER) | (mt[0] & LOWER);
    mt[N - 1] = (mt[M - 1] ^ (y >>> 1) ^ mag(y)) >>> 0;
    this.mti = 0;
  }

  /** unif_rand(): in (0, 1). */
  uniform(): number {
    if (this.mti >= N) this.regenerate();
    let y = this.mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    const x = (y >>> 0) * TWO_M32;
    if (x <= 0) return 0.5 * I2_32M1;
    if (1 - x <= 0) return 1 - 0.5 * I2_32M1;
    return x;
  }

  /** norm_rand() by inversion. */
  normal(): number {
    const u1 = this.uniform();
    const u = Math.trunc(BIG * u1) + this.uniform();
    return qnormAs241(u / BIG);
  }
}

// AS 241 (PPND16) coefficients, as published by Wichura (1988).
const A = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727];
const B = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561];
const C = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4];
const D = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9];
const E = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7];
const F = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15];

/** Evaluates the polynomial with coefficients c (constant first) at x, innermost first, as AS 241 does. */
function horner(c: readonly number[], x: number): number {
  let v = c[7];
  for (let k = 6; k >= 0; k--) v = v * x + c[k];
  return v;
}

/** The standard normal quantile by AS 241, the algorithm of R's qnorm (R 4.2). */
export function qnormAs241(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(A, r)) / horner(B, r);
  }
  let r = Math.sqrt(-log(q < 0 ? p : 0.5 - p + 0.5));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val = horner(C, r) / horner(D, r);
  } else {
    r -= 5;
    val = horner(E, r) / horner(F, r);
  }
  return q < 0 ? -val : val;
}

/** `count` standard normals: R's `set.seed(seed); rnorm(count)`. */
export function rnormDraws(count: number, seed: number): Float64Array {
  const rng = new RMersenneTwister(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.normal();
  return out;
}

/** `n` draws of N(0, sigma) (sigma k x k, row-major), as mvtnorm::rmvnorm(n, sigma = sigma) returns them
 *  after set.seed(seed): row i is z_i R, where z_i are the i-th k normals of rnorm(n k) and R is the
 *  symmetric square root V diag(sqrt(max(lambda, 0))) V' of sigma (unique, so the eigenvectors' signs do
 *  not matter). Row-major n x k. `normals`: rnormDraws(n k, seed) when the caller already has them (they
 *  depend on n k and the seed only, so callers drawing for many sigma make them once). */
export function rmvnormDraws(n: number, sigma: Float64Array, k: number, seed: number, normals: Float64Array = rnormDraws(n * k, seed)): Float64Array {
  const { values, vectors } = symmetricEigen(sigma, k);
  const root = new Float64Array(k * k);
  for (let e = 0; e < k; e++) {
    const s = Math.sqrt(Math.max(values[e], 0));
    if (s === 0) continue;
    for (let i = 0; i < k; i++) {
      const vi = vectors[i * k + e] * s;
      for (let j = 0; j < k; j++) root[i * k + j] += vi * vectors[j * k + e];
    }
  }
  // R's columns laid out contiguously for the inner product (the same products, summed in the same order).
  const rootT = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let j = 0; j < k; j++) rootT[j * k + a] = root[a * k + j];
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const z = i * k;
    for (let j = 0; j < k; j++) {
      const r = j * k;
      let s = 0;
      for (let a = 0; a < k; a++) s += normals[z + a] * rootT[r + a];
      out[z + j] = s;
    }
  }
  return out;
}
