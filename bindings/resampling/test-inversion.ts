// Bootstrap p-values and the confidence interval by test inversion (boottest's, Roodman et al. 2019 s.3.5).
//
// P-VALUES of H0: b_C = r from the replicate t statistics t*_b and the observed t = (b_hat - r) / se:
//   symmetric      share of replicates with |t*_b| >= |t|
//   equal-tailed   2 min(share t*_b <= t, share t*_b >= t), at most 1.
// "At least as extreme" includes ties within TIE_REL_TOL: under the restricted bootstrap the all-ones weight
// vector reproduces the sample, so (with enumeration) one replicate equals t exactly in exact arithmetic
// and its rounding must not decide whether it counts. Non-finite replicates are left out.
//
// t*_b AT ANY r (wild-fast.ts): with d = r - r0 and the replicate's moments (N0, N1, SAA, SAB, SBB),
//   t*_b(r) = (N0 - d N1) / sqrt(factor (SAA - 2 d SAB + d^2 SBB)),
// exact for the restricted bootstrap (its residuals are linear in r) and constant in r for the
// unrestricted one (N1 = SAB = SBB = 0). The same draws serve every r.
//
// CONFIDENCE INTERVAL: the r with symmetric p(r) >= alpha around b_hat. From b_hat (where t = 0 and p = 1)
// each side steps out in quarter standard errors up to 10, then doubling, until p < alpha; the crossing is
// then bisected to CI_REL_TOL of max(|r|, se). The endpoint reported is the last r found with p >= alpha.
// No crossing within 2^40 standard errors means that side of the confidence set is unbounded (possible
// with very few clusters); it is reported as -Infinity / Infinity.
export const TIE_REL_TOL = 1e-9;
/** Bisection stops when the bracket is this small relative to max(|r|, se): far below the 1e-6 asked for,
 *  and cheap (each step is one O(B) pass). */
export const CI_REL_TOL = 1e-10;
const MAX_DOUBLINGS = 40;

export interface PValues {
  readonly symmetric: number;
  readonly equalTailed: number;
}

export function pValues(tStar: ArrayLike<number>, tObs: number): PValues {
  const tol = TIE_REL_TOL * Math.abs(tObs);
  const a = Math.abs(tObs) - tol;
  let valid = 0;
  let two = 0;
  let le = 0;
  let ge = 0;
  for (let b = 0; b < tStar.length; b++) {
    const t = tStar[b];
    if (!Number.isFinite(t)) continue;
    valid++;
    if (Math.abs(t) >= a) two++;
    if (t <= tObs + tol) le++;
    if (t >= tObs - tol) ge++;
  }
  if (valid === 0) return { symmetric: NaN, equalTailed: NaN };
  return { symmetric: two / valid, equalTailed: Math.min(1, (2 * Math.min(le, ge)) / valid) };
}

export interface InversionInputs {
  readonly estimate: number;
  readonly se: number;
  readonly factor: number;
  readonly r0: number;
  /** Replicates at r0 (used as they are when r = r0). */
  readonly t: Float64Array;
  readonly moments: Float64Array;
}

/** t*_b(r) for every replicate. */
export function replicatesAt(inp: InversionInputs, r: number, out: Float64Array = new Float64Array(inp.t.length)): Float64Array {
  if (r === inp.r0) {
    out.set(inp.t);
    return out;
  }
  const d = r - inp.r0;
  const m = inp.moments;
  for (let b = 0; b < out.length; b++) {
    const o = 5 * b;
    const num = m[o] - d * m[o + 1];
    const den = m[o + 2] - 2 * d * m[o + 3] + d * d * m[o + 4];
    out[b] = num / Math.sqrt(inp.factor * Math.max(den, 0));
  }
  return out;
}

export function pValuesAt(inp: InversionInputs, r: number, work?: Float64Array): PValues {
  return pValues(replicatesAt(inp, r, work), (inp.estimate - r) / inp.se);
}

export interface Interval {
  readonly low: number;
  readonly high: number;
  readonly notes: readonly string[];
}

export function invertTest(inp: InversionInputs, alpha: number): Interval {
  const work = new Float64Array(inp.t.length);
  const p = (r: number) => pValuesAt(inp, r, work).symmetric;
  const notes: string[] = [];
  const side = (dir: 1 | -1): number => {
    const { estimate: b, se } = inp;
    let inside = b;
    let outside = NaN;
    for (let j = 1; j <= 40 && Number.isNaN(outside); j++) {
      const r = b + dir * 0.25 * j * se;
      if (p(r) >= alpha) inside = r;
      else outside = r;
    }
    for (let j = 1; j <= MAX_DOUBLINGS && Number.isNaN(outside); j++) {
      const r = b + dir * 10 * 2 ** j * se;
      if (p(r) >= alpha) inside = r;
      else outside = r;
    }
    if (Number.isNaN(outside)) {
      notes.push(`the confidence set is unbounded ${dir > 0 ? "above" : "below"}: p stays at or above ${alpha} up to ${dir > 0 ? "+" : "-"}2^${MAX_DOUBLINGS} standard errors`);
      return dir * Infinity;
    }
    for (let it = 0; it < 200; it++) {
      if (Math.abs(outside - inside) <= CI_REL_TOL * Math.max(Math.abs(inside), se)) break;
      const mid = inside + (outside - inside) / 2;
      if (p(mid) >= alpha) inside = mid;
      else outside = mid;
    }
    return inside;
  };
  const high = side(1);
  const low = side(-1);
  return { low, high, notes };
}
