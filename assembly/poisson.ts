// The Poisson family's passes over the rows in fepois's IRLS (bindings/estimators/glm/family.ts says what
// each is, as fixest computes it): the means from the linear predictor, the deviance, the working response
// and weights, the start, and the sum of log(y!) of the log-likelihood.
//
// WHY HERE. On a gravity model (38,000 rows, six iterations) a fresh process ran these loops mostly before
// V8 had optimised them; a kernel runs compiled from its first call. exp and log are the library's own
// (exp-fast.ts, exact-log.ts), operation for operation, so both backends give the same bits.
//
// CONVENTION
//   y_N      : f64 [N] outcome (>= 0).
//   pw_N     : f64 [N] prior weights, or 0 for none.
//   offset_N : f64 [N] offset, or 0 for none.
//   eta_N    : f64 [N] linear predictor (with the offset); mu_N: f64 [N] means.
//   z_N, w_N : f64 [N] out: working response (without the offset) and working weights; they may be
//              eta_N and mu_N themselves (each row is read before it is written).
import { exactLog } from "./exact-log";
import { expFast } from "./exp-fast";

@inline function at(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }

/** R's .Machine$double.eps, fixest's floor of the means; and the linear predictor below which it applies. */
const EPS: f64 = 2.220446049250313e-16;
const POISSON_ETA_FLOOR: f64 = -36;

/** mu = exp(eta), EPS below the floor; returns how many means are not finite and positive (validmu). */
export function poissonMeans(N: i32, eta_N: usize, mu_N: usize): i32 {
  let invalid = 0;
  for (let i = 0; i < N; i++) {
    const e = at(eta_N, i);
    const m = e < POISSON_ETA_FLOOR ? EPS : expFast(e);
    put(mu_N, i, m);
    if (!(m > 0 && m < Infinity)) invalid++;
  }
  return invalid;
}

/** start + sum pw (mu - y eta) in row order (twice it is the deviance when start is sum pw (y log y - y)). */
export function poissonDevianceSum(N: i32, y_N: usize, pw_N: usize, eta_N: usize, mu_N: usize, start: f64): f64 {
  let s = start;
  if (pw_N == 0) for (let i = 0; i < N; i++) s += at(mu_N, i) - at(y_N, i) * at(eta_N, i);
  else for (let i = 0; i < N; i++) s += at(pw_N, i) * (at(mu_N, i) - at(y_N, i) * at(eta_N, i));
  return s;
}

/** z = eta - offset + (y - mu) / mu, w = pw mu; returns how many weights are not 0. */
export function poissonWorking(N: i32, y_N: usize, eta_N: usize, mu_N: usize, offset_N: usize, pw_N: usize, z_N: usize, w_N: usize): i32 {
  let informative = 0;
  for (let i = 0; i < N; i++) {
    const m = at(mu_N, i);
    put(z_N, i, (offset_N == 0 ? at(eta_N, i) : at(eta_N, i) - at(offset_N, i)) + (at(y_N, i) - m) / m);
    const w = pw_N == 0 ? m : at(pw_N, i) * m;
    put(w_N, i, w);
    if (w != 0) informative++;
  }
  return informative;
}

/** sum pw (y log y - y) over y > 0 (pw 1 when none): the deviance's part that does not change. */
export function poissonConstant(N: i32, y_N: usize, pw_N: usize): f64 {
  let s: f64 = 0;
  for (let i = 0; i < N; i++) {
    const y = at(y_N, i);
    if (y > 0) s += (pw_N == 0 ? 1.0 : at(pw_N, i)) * (y * exactLog(y) - y);
  }
  return s;
}

/** sum pw (y eta - mu) in row order: the log-likelihood but for the log-factorials. */
export function poissonLogLikSum(N: i32, y_N: usize, pw_N: usize, eta_N: usize, mu_N: usize): f64 {
  let s: f64 = 0;
  for (let i = 0; i < N; i++) s += (pw_N == 0 ? 1.0 : at(pw_N, i)) * (at(y_N, i) * at(eta_N, i) - at(mu_N, i));
  return s;
}

/** The starting linear predictor log(y + 0.1) (family$initialize's mean, then the link). */
export function poissonStart(N: i32, y_N: usize, eta_N: usize): void {
  for (let i = 0; i < N; i++) put(eta_N, i, exactLog(at(y_N, i) + 0.1));
}

/** The largest whole y up to `limit` (0 when there is none): how far the log-factorial table goes. */
export function logFactorialTop(N: i32, y_N: usize, limit: f64): f64 {
  let top: f64 = 0;
  for (let i = 0; i < N; i++) {
    const v = at(y_N, i);
    if (v == Math.floor(v) && v <= limit && v > top) top = v;
  }
  return top;
}

// Lanczos's log-gamma (g = 7, nine terms) of bindings/stats/special.ts, for x >= 0.5.
const LANCZOS_G: f64 = 7;
const L0: f64 = 0.99999999999980993;
const L1: f64 = 676.5203681218851;
const L2: f64 = -1259.1392167224028;
const L3: f64 = 771.32342877765313;
const L4: f64 = -176.61502916214059;
const L5: f64 = 12.507343278686905;
const L6: f64 = -0.13857109526572012;
const L7: f64 = 9.9843695780195716e-6;
const L8: f64 = 1.5056327351493116e-7;
const TWO_PI: f64 = 2 * Math.PI;

function logGammaAtLeastHalf(x: f64): f64 {
  const z = x - 1;
  let a = L0;
  const t = z + LANCZOS_G + 0.5;
  a += L1 / (z + 1);
  a += L2 / (z + 2);
  a += L3 / (z + 3);
  a += L4 / (z + 4);
  a += L5 / (z + 5);
  a += L6 / (z + 6);
  a += L7 / (z + 7);
  a += L8 / (z + 8);
  return 0.5 * exactLog(TWO_PI) + (z + 0.5) * exactLog(t) - t + exactLog(a);
}

/** sums_2 = [sum log(y!), sum pw log(y!)] (pw 1 when none): whole y up to `top` from the table of running
 *  sums of logs (table_T, top + 1 doubles, filled here), the others from log-gamma. y must be >= 0. */
export function logFactorialSums(N: i32, y_N: usize, pw_N: usize, top: i32, table_T: usize, sums_2: usize): void {
  put(table_T, 0, 0);
  if (top >= 1) put(table_T, 1, 0);
  for (let k = 2; k <= top; k++) put(table_T, k, at(table_T, k - 1) + exactLog(<f64>k));
  let plain: f64 = 0;
  let weighted: f64 = 0;
  const topF = <f64>top;
  for (let i = 0; i < N; i++) {
    const v = at(y_N, i);
    const lf = v == Math.floor(v) && v <= topF ? at(table_T, <i32>v) : logGammaAtLeastHalf(v + 1);
    plain += lf;
    weighted += pw_N == 0 ? lf : at(pw_N, i) * lf;
  }
  put(sums_2, 0, plain);
  put(sums_2, 1, weighted);
}
