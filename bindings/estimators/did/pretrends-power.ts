// The power of a pre-trends test (Roth 2022, "Pretest with Caution", AER: Insights): the test rejects
// when any pre-period coefficient is individually significant, |beta_j / se_j| > z. Under a hypothesised
// violation delta, betahat_pre ~ N(delta_pre, Sigma_pre), so the probability of passing is the normal
// probability of the box |b_j| <= z se_j, and power is one minus it (the pretrends package's
// rejectionProbability_NIS). The slope of a linear violation delta_t = slope (t - ref) that the test
// detects with a given probability is the root of power(slope) = target on [0, 8 max se], the package's
// bracket (power rises with |slope|, so the root is unique).
import { DidwasmError } from "../../errors.js";
import { mvnRectangle } from "../../stats/mvn-rectangle.js";

export interface PreTest {
  /** Pre-period covariance, row-major, k x k. */
  readonly sigma: Float64Array;
  readonly k: number;
  /** Critical value of each t-test (the package's 1.96). */
  readonly z: number;
}

export function pretestBox(t: PreTest): { lower: Float64Array; upper: Float64Array } {
  const upper = new Float64Array(t.k);
  for (let i = 0; i < t.k; i++) upper[i] = t.z * Math.sqrt(t.sigma[i * t.k + i]);
  return { lower: upper.map((u) => -u), upper };
}

/** P(some pre-period coefficient is significant) when their mean is deltaPre; error: the integration's. */
export function pretestPower(t: PreTest, deltaPre: ArrayLike<number>, o: { estimateError?: boolean; coarse?: boolean } = {}): { power: number; error: number } {
  const { lower, upper } = pretestBox(t);
  const pass = mvnRectangle(deltaPre, t.sigma, lower, upper, o);
  return { power: 1 - pass.probability, error: pass.error };
}

/** Brent's tolerance on the slope, relative to the bracket: far below any printed digit. */
const SLOPE_TOL = 1e-10;

/** The slope of the linear violation slope * relTimes against which the pre-test has power `target`. */
export function slopeForPower(t: PreTest, relTimes: ArrayLike<number>, target: number): number {
  if (!(target > 0 && target < 1)) throw new DidwasmError("BAD_OPTION", `power targets must lie strictly between 0 and 1 (got ${target})`, { option: "power" });
  const size = pretestPower(t, new Float64Array(t.k)).power;
  if (target <= size) {
    throw new DidwasmError("BAD_OPTION", `power ${target} is not above the test's size under parallel trends (${size.toFixed(4)}): no slope reaches it`, { option: "power" });
  }
  const power = (s: number, coarse: boolean) => pretestPower(t, Array.from(relTimes, (r) => r * s), { coarse }).power - target;
  const rough = (s: number) => power(s, true);
  let hi = 0;
  for (let i = 0; i < t.k; i++) hi = Math.max(hi, 8 * Math.sqrt(t.sigma[i * t.k + i]));
  // Widen the package's bracket if needed (pre-periods right next to the reference move little per unit slope).
  for (let i = 0; i < 60 && rough(hi) < 0; i++) hi *= 2;
  // Brent on the quick integral, then secant steps on the full one from there: the two differ by about
  // 1e-5 in power, so one to three full evaluations finish the job.
  let s0 = brent(rough, 0, hi, rough(0), rough(hi), 1e-7 * hi);
  let f0 = power(s0, false);
  let s1 = s0 * (1 + 1e-3) + 1e-12;
  for (let i = 0; i < 8; i++) {
    const f1 = power(s1, false);
    if (f1 === f0 || Math.abs(s1 - s0) <= SLOPE_TOL * hi) break;
    const next = s1 - (f1 * (s1 - s0)) / (f1 - f0);
    s0 = s1;
    f0 = f1;
    s1 = next;
  }
  return s1;
}

/** Brent's (1973) root finder on a bracket [a, b] with f(a) fa < 0 < f(b) fb (secant, inverse quadratic
 *  interpolation, bisection when they do not shrink the bracket fast enough). */
function brent(f: (x: number) => number, a: number, b: number, fa: number, fb: number, tol: number): number {
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < 200; iter++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + tol / 2;
    const xm = (c - b) / 2;
    if (Math.abs(xm) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return b;
}
