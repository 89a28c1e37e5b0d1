// TypeScript mirror of assembly/poisson.ts, operation for operation (same names, same order): the Poisson
// family's passes over the rows in fepois's IRLS, and the sums of log(y!). exp and log are the library's
// (stats/libm.ts), which the kernel reproduces, so both backends give the same bits.
import { expFast, log } from "../../stats/libm.js";

const EPS = 2.220446049250313e-16;
const POISSON_ETA_FLOOR = -36;

export function poissonMeans(N: number, eta_N: Float64Array, mu_N: Float64Array): number {
  let invalid = 0;
  for (let i = 0; i < N; i++) {
    const e = eta_N[i];
    const m = e < POISSON_ETA_FLOOR ? EPS : expFast(e);
    mu_N[i] = m;
    if (!(m > 0 && m < Infinity)) invalid++;
  }
  return invalid;
}

export function poissonDevianceSum(N: number, y_N: Float64Array, pw_N: Float64Array | null, eta_N: Float64Array, mu_N: Float64Array, start: number): number {
  let s = start;
  if (pw_N === null) for (let i = 0; i < N; i++) s += mu_N[i] - y_N[i] * eta_N[i];
  else for (let i = 0; i < N; i++) s += pw_N[i] * (mu_N[i] - y_N[i] * eta_N[i]);
  return s;
}

export function poissonWorking(
  N: number, y_N: Float64Array, eta_N: Float64Array, mu_N: Float64Array, offset_N: Float64Array | null, pw_N: Float64Array | null, z_N: Float64Array,
  w_N: Float64Array,
): number {
  let informative = 0;
  for (let i = 0; i < N; i++) {
    const m = mu_N[i];
    z_N[i] = (offset_N === null ? eta_N[i] : eta_N[i] - offset_N[i]) + (y_N[i] - m) / m;
    const w = pw_N === null ? m : pw_N[i] * m;
    w_N[i] = w;
    if (w !== 0) informative++;
  }
  return informative;
}

export function poissonConstant(N: number, y_N: Float64Array, pw_N: Float64Array | null): number {
  let s = 0;
  for (let i = 0; i < N; i++) {
    const y = y_N[i];
    if (y > 0) s += (pw_N === null ? 1 : pw_N[i]) * (y * log(y) - y);
  }
  return s;
}

export function poissonLogLikSum(N: number, y_N: Float64Array, pw_N: Float64Array | null, eta_N: Float64Array, mu_N: Float64Array): number {
  let s = 0;
  for (let i = 0; i < N; i++) s += (pw_N === null ? 1 : pw_N[i]) * (y_N[i] * eta_N[i] - mu_N[i]);
  return s;
}

export function poissonStart(N: number, y_N: Float64Array, eta_N: Float64Array): void {
  for (let i = 0; i < N; i++) eta_N[i] = log(y_N[i] + 0.1);
}

export function logFactorialTop(N: number, y_N: Float64Array, limit: number): number {
  let top = 0;
  for (let i = 0; i < N; i++) {
    const v = y_N[i];
    if (v === Math.floor(v) && v <= limit && v > top) top = v;
  }
  return top;
}

// Lanczos's log-gamma (g = 7, nine terms) of stats/special.ts, for x >= 0.5 (y >= 0 here).
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const TWO_PI = 2 * Math.PI;

function logGammaAtLeastHalf(x: number): number {
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * log(TWO_PI) + (z + 0.5) * log(t) - t + log(a);
}

export function logFactorialSums(N: number, y_N: Float64Array, pw_N: Float64Array | null, top: number, table_T: Float64Array, sums_2: Float64Array): void {
  table_T[0] = 0;
  if (top >= 1) table_T[1] = 0;
  for (let k = 2; k <= top; k++) table_T[k] = table_T[k - 1] + log(k);
  let plain = 0;
  let weighted = 0;
  for (let i = 0; i < N; i++) {
    const v = y_N[i];
    const lf = v === Math.floor(v) && v <= top ? table_T[v] : logGammaAtLeastHalf(v + 1);
    plain += lf;
    weighted += pw_N === null ? lf : pw_N[i] * lf;
  }
  sums_2[0] = plain;
  sums_2[1] = weighted;
}
