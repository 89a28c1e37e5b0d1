// Normal-distribution quantities the sensitivity analysis needs with relative accuracy far in the tails:
// the quantile of a truncated standard normal (the ARP test's critical value conditions on a truncation
// [zlo, zup] that can lie many standard deviations out) and the quantile of a folded normal |Z + mu| (the
// fixed-length interval's critical value).
import { erfc } from "../../stats/special.js";
import { exp, log, log1p } from "../../stats/libm.js";
import { qnormAs241 } from "./r-normal-draws.js";

const LOG_SQRT_2PI = 0.5 * log(2 * Math.PI);
/** Beyond this, erfc(x / sqrt 2) underflows: the upper tail is taken from its asymptotic series. */
const ASYMPTOTIC_FROM = 25;

/** log P(Z > x). */
export function logUpperTail(x: number): number {
  if (x === Infinity) return -Infinity;
  if (x < ASYMPTOTIC_FROM) return log(erfc(x / Math.SQRT2) / 2);
  // Mills ratio: Q(x) = phi(x) / x (1 - 1/x^2 + 3/x^4 - 15/x^6 + 105/x^8 - ...), error below 1e-11 here.
  const r = 1 / (x * x);
  return -0.5 * x * x - log(x) - LOG_SQRT_2PI + log1p(r * (-1 + r * (3 + r * (-15 + r * 105))));
}

const upperTail = (x: number) => (x === Infinity ? 0 : x === -Infinity ? 1 : erfc(x / Math.SQRT2) / 2);
const lowerTail = (x: number) => upperTail(-x);

/** The x with log P(Z > x) = target (target < 0), by Newton's method from AS 241's answer. */
function upperQuantileOfLog(target: number): number {
  let x = target > -700 ? -qnormAs241(exp(target)) : Math.sqrt(-2 * target);
  for (let it = 0; it < 50; it++) {
    const f = logUpperTail(x) - target;
    // d/dx log Q(x) = -phi(x) / Q(x)
    const slope = -exp(-0.5 * x * x - LOG_SQRT_2PI - logUpperTail(x));
    const step = f / slope;
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/** The p-quantile of a standard normal truncated to [l, u] (l or u may be infinite), accurate when the
 *  whole interval lies far in one tail (TruncatedNormal::norminvp's use in HonestDiD). */
export function truncatedNormalQuantile(p: number, l: number, u: number): number {
  if (!(l < u)) return l;
  if (u <= 0) return -truncatedNormalQuantile(1 - p, -u, -l);
  if (l >= 0) {
    // Both ends in the upper tail: Q(q) = Q(l) - p (Q(l) - Q(u)), in logs.
    const ql = logUpperTail(l);
    const qu = logUpperTail(u);
    const target = ql + log1p(-p * (1 - exp(qu - ql)));
    const q = upperQuantileOfLog(target);
    return Math.min(u, Math.max(l, q));
  }
  // l < 0 < u: Phi(q) = Phi(l) + p (Phi(u) - Phi(l)); the side below 1/2 is computed directly.
  const mass = lowerTail(u) - lowerTail(l);
  const below = lowerTail(l) + p * mass;
  const q = below <= 0.5 ? qnormAs241(below) : -qnormAs241(upperTail(u) + (1 - p) * mass);
  return Math.min(u, Math.max(l, q));
}

/** The p-quantile of |Z + mu|, Z standard normal: the x >= 0 with Q(x - mu) + Q(x + mu) = 1 - p.
 *  (HonestDiD estimates it from 10^6 simulated draws; this is the exact value.) */
export function foldedNormalQuantile(p: number, mu: number): number {
  const m = Math.abs(mu);
  const tail = 1 - p;
  const excess = (x: number) => upperTail(x - m) + upperTail(x + m) - tail;
  // excess decreases in x from 1 - tail at x = 0; the root lies below m + the one-sided quantile.
  let lo = 0;
  let hi = m - qnormAs241(tail / 2) + 1;
  if (excess(lo) <= 0) return 0;
  let x = m - qnormAs241(tail);
  if (!(x > lo && x < hi)) x = (lo + hi) / 2;
  for (let it = 0; it < 200; it++) {
    const f = excess(x);
    if (f > 0) lo = x;
    else hi = x;
    const density = exp(-0.5 * (x - m) * (x - m) - LOG_SQRT_2PI) + exp(-0.5 * (x + m) * (x + m) - LOG_SQRT_2PI);
    let next = x + f / density;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, x) || hi - lo <= 1e-15 * Math.max(1, x)) return next;
    x = next;
  }
  return x;
}
