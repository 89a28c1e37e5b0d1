// Covariate balance before and after matching, as Stata's pstest (psmatch2 4.x) computes it:
//   before: means of all treated and all control units of the matching sample;
//   after:  the mean of the matched treated units and the mean of the controls weighted by their
//           matching weights (psmatch2's _weight: the summed shares, see matching.ts);
//   %bias = 100 (mean_T - mean_C) / sqrt((s2_T + s2_C) / 2), with the variances s2 (n - 1 divisor) of the
//           unmatched sample in both rows, so the two rows are on one scale;
//   reduction = 100 (1 - |bias_after| / |bias_before|);
//   t-tests: before, the OLS regression of the covariate on the treatment dummy (pooled-variance two-sample
//           t, n - 2 df); after, the same regression with the matching weights as Stata importance weights
//           (treated 1, controls their weight): s2 = sum w e^2 / (W - 2) with W = sum w, se = sqrt(s2 (1/W1
//           + 1/W0)), df = W - 2.
import { tTwoSidedP } from "../../stats/distributions.js";

export interface BalanceRow {
  readonly variable: string;
  readonly mean_treated_before: number;
  readonly mean_control_before: number;
  /** Means after matching (matched treated; weighted matched controls). */
  readonly mean_treated: number;
  readonly mean_control: number;
  readonly bias_before: number;
  readonly bias_after: number;
  /** % reduction in |bias|. */
  readonly reduction: number;
  readonly t_before: number;
  readonly p_before: number;
  readonly t_after: number;
  readonly p_after: number;
}

export interface BalanceSummary {
  readonly mean_abs_bias_before: number;
  readonly mean_abs_bias_after: number;
  readonly median_abs_bias_before: number;
  readonly median_abs_bias_after: number;
}

interface Moments {
  w: number;
  mean: number;
  /** Weighted sum of squared deviations from the mean. */
  ss: number;
}

function moments(x: Float64Array, weight: (u: number) => number): Moments {
  let w = 0;
  let s = 0;
  for (let u = 0; u < x.length; u++) {
    const wu = weight(u);
    if (wu > 0) {
      w += wu;
      s += wu * x[u];
    }
  }
  const mean = s / w;
  let ss = 0;
  for (let u = 0; u < x.length; u++) {
    const wu = weight(u);
    if (wu > 0) ss += wu * (x[u] - mean) ** 2;
  }
  return { w, mean, ss };
}

/** t statistic and p-value of the treated-control difference, regression with (importance) weights. */
function tTest(t: Moments, c: Moments): { t: number; p: number } {
  const W = t.w + c.w;
  const df = W - 2;
  const s2 = (t.ss + c.ss) / df;
  const stat = (t.mean - c.mean) / Math.sqrt(s2 * (1 / t.w + 1 / c.w));
  return { t: stat, p: tTwoSidedP(stat, df) };
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * @param inSample  per unit, 1 = in the matching sample (the logit's units)
 * @param treated   per unit, 1 = treated
 * @param matchedTreated per unit, 1 = treated unit with a match
 * @param controlWeight  per unit, a control's matching weight
 */
export function balanceTable(
  names: readonly string[], X: readonly Float64Array[], inSample: Uint8Array, treated: Uint8Array, matchedTreated: Uint8Array, controlWeight: Float64Array,
): { rows: BalanceRow[]; summary: BalanceSummary } {
  const rows = names.map((variable, j) => {
    const x = X[j];
    const t0 = moments(x, (u) => (inSample[u] && treated[u] ? 1 : 0));
    const c0 = moments(x, (u) => (inSample[u] && !treated[u] ? 1 : 0));
    const t1 = moments(x, (u) => (matchedTreated[u] ? 1 : 0));
    const c1 = moments(x, (u) => (inSample[u] && !treated[u] ? controlWeight[u] : 0));
    const v1 = t0.ss / (t0.w - 1);
    const v0 = c0.ss / (c0.w - 1);
    const scale = Math.sqrt((v1 + v0) / 2);
    const before = (100 * (t0.mean - c0.mean)) / scale;
    const after = (100 * (t1.mean - c1.mean)) / scale;
    const tb = tTest(t0, c0);
    const ta = tTest(t1, c1);
    return {
      variable, mean_treated_before: t0.mean, mean_control_before: c0.mean, mean_treated: t1.mean, mean_control: c1.mean,
      bias_before: before, bias_after: after, reduction: 100 * (1 - Math.abs(after) / Math.abs(before)),
      t_before: tb.t, p_before: tb.p, t_after: ta.t, p_after: ta.p,
    };
  });
  const b0 = rows.map((r) => Math.abs(r.bias_before));
  const b1 = rows.map((r) => Math.abs(r.bias_after));
  return {
    rows,
    summary: {
      mean_abs_bias_before: b0.reduce((s, v) => s + v, 0) / b0.length,
      mean_abs_bias_after: b1.reduce((s, v) => s + v, 0) / b1.length,
      median_abs_bias_before: median(b0),
      median_abs_bias_after: median(b1),
    },
  };
}
