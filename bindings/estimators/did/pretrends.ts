// Pre-trend power analysis (Roth 2022; the pretrends R package's pretrends() and slope_for_power()): given an
// event study (betahat, its covariance, event times, the reference period) and a hypothesised violation of
// parallel trends delta (a linear trend slope * (t - ref) or any vector), how often the pre-test (no
// pre-period coefficient significant) would detect it, how much passing the test should move our belief
// (Bayes factor, likelihood ratio), and what the coefficients are expected to be among studies that pass
// the test: the truncated-normal mean of the pre-periods and, through their covariance, of the
// post-periods. When the true effect is zero that conditional mean is the bias left after pre-testing.
import { DidwasmError } from "../../errors.js";
import { info, warning, type Note } from "../../notes.js";
import { exp } from "../../stats/libm.js";
import { truncatedMvnMean } from "../../stats/truncated-mvn-mean.js";
import { invertSpd } from "../../linalg/small.js";
import { pretestBox, pretestPower, slopeForPower, type PreTest } from "./pretrends-power.js";

export interface PretrendsInput {
  readonly betahat: readonly number[];
  readonly sigma: readonly (readonly number[])[];
  readonly eventTimes: readonly number[];
  /** The omitted period the coefficients are measured against (not among eventTimes). */
  readonly reference: number;
  /** Hypothesised trend: a vector, one entry per coefficient, or a slope per period (default: the slope of 50% power). */
  readonly delta?: readonly number[];
  readonly slope?: number;
  /** Powers whose slopes are reported (default 0.5 and 0.8). */
  readonly powers?: readonly number[];
  /** Critical t of the pre-test (default 1.96, the package's). */
  readonly z?: number;
}

export interface PretrendsRow {
  readonly t: number;
  readonly betahat: number;
  readonly se: number;
  readonly delta: number;
  /** E[betahat_t | the pre-test passes] under delta (for t after the reference: the bias after pre-testing when the effect is zero). */
  readonly mean_after_pretesting: number | null;
}

export interface PretrendsResult {
  readonly reference: number;
  readonly z: number;
  readonly trend: { readonly kind: "slope"; readonly slope: number; readonly from_power: number | null } | { readonly kind: "vector" };
  readonly power: number;
  readonly power_error: number;
  readonly bayes_factor: number;
  readonly likelihood_ratio: number;
  readonly slopes_for_power: { readonly power: number; readonly slope: number }[];
  readonly rows: PretrendsRow[];
  readonly notes: Note[];
}

export function pretrends(input: PretrendsInput): PretrendsResult {
  const { betahat, sigma, eventTimes: t, reference } = input;
  const n = betahat.length;
  if (t.length !== n || sigma.length !== n || sigma.some((r) => r.length !== n)) {
    throw new DidwasmError("BAD_DATA", `the event study has ${n} coefficients but ${t.length} event times and a ${sigma.length}-row covariance`);
  }
  if (t.includes(reference)) throw new DidwasmError("BAD_OPTION", `the reference period ${reference} is one of the coefficients' event times (${t.join(", ")}): give the omitted period`, { option: "reference" });
  const z = input.z ?? 1.96;
  const pre = indices(t, (x) => x < reference);
  const post = indices(t, (x) => x > reference);
  if (pre.length === 0) throw new DidwasmError("BAD_DATA", `no pre-period coefficients: every event time (${t.join(", ")}) is after the reference period ${reference}`);
  const test: PreTest = { sigma: block(sigma, pre, pre), k: pre.length, z };
  const notes: Note[] = [];
  const relPre = pre.map((i) => t[i] - reference);
  const powers = input.powers ?? [0.5, 0.8];
  const slopes = powers.map((p) => ({ power: p, slope: slopeForPower(test, relPre, p) }));

  let delta: number[];
  let trend: PretrendsResult["trend"];
  if (input.delta) {
    if (input.slope !== undefined) throw new DidwasmError("BAD_OPTION", "give either a slope or a delta vector, not both", { option: "delta" });
    if (input.delta.length !== n) throw new DidwasmError("BAD_OPTION", `delta has ${input.delta.length} entries; the event study has ${n} coefficients (event times ${t.join(", ")})`, { option: "delta" });
    delta = [...input.delta];
    trend = { kind: "vector" };
  } else {
    const fromPower = input.slope === undefined ? (slopes.find((s) => s.power === 0.5) ?? { power: 0.5, slope: slopeForPower(test, relPre, 0.5) }) : null;
    const slope = input.slope ?? fromPower!.slope;
    delta = t.map((x) => slope * (x - reference));
    trend = { kind: "slope", slope, from_power: fromPower ? fromPower.power : null };
    if (fromPower) notes.push(info("method", `no trend given: the hypothesised trend is the linear one the pre-test detects half the time (slope ${fmt(slope)} per period)`));
  }

  const deltaPre = pre.map((i) => delta[i]);
  const alt = pretestPower(test, deltaPre, { estimateError: true });
  const nullPower = pretestPower(test, new Float64Array(pre.length)).power;
  const bPre = pre.map((i) => betahat[i]);
  const inv = invertSpd(test.sigma, test.k);
  if (!inv) throw new DidwasmError("BAD_DATA", "the covariance of the pre-period coefficients is not positive definite");
  // Likelihood ratio of the observed pre-coefficients, N(delta_pre, S) against N(0, S): the normalising
  // constants cancel, leaving exp(-(b - d)' S^-1 (b - d) / 2 + b' S^-1 b / 2).
  const logLr = -0.5 * quadForm(inv, bPre.map((b, i) => b - deltaPre[i])) + 0.5 * quadForm(inv, bPre);

  // Expected estimates among studies that pass the pre-test; when (numerically) none passes there is none.
  const after = new Map<number, number>();
  if (1 - alt.power > PASS_FLOOR) {
    const { lower, upper } = pretestBox(test);
    const meanPre = truncatedMvnMean(deltaPre, test.sigma, lower, upper).mean;
    // Post-periods move with the pre-periods through their regression on them: E[b_post | pass] =
    // delta_post + S_post,pre S_pre^-1 (E[b_pre | pass] - delta_pre).
    const shiftPre = Array.from(meanPre, (m, j) => m - deltaPre[j]);
    const solved = Array.from({ length: test.k }, (_, i) => shiftPre.reduce((s, v, j) => s + inv[i * test.k + j] * v, 0));
    const cross = block(sigma, post, pre);
    pre.forEach((i, j) => after.set(i, meanPre[j]));
    post.forEach((i, p) => after.set(i, delta[i] + solved.reduce((s, v, j) => s + cross[p * pre.length + j] * v, 0)));
  } else {
    notes.push(warning("method", "the pre-test rejects this trend with probability 1 (to machine precision): no study passes it, so there is no mean after pre-testing"));
  }

  if (alt.error > 1e-4) notes.push(warning("precision_loss", `the power is accurate to about ${alt.error.toExponential(1)} (${pre.length} pre-periods: lattice integration, seeded)`));
  return {
    reference,
    z,
    trend,
    power: alt.power,
    power_error: alt.error,
    bayes_factor: (1 - alt.power) / (1 - nullPower),
    likelihood_ratio: exp(logLr),
    slopes_for_power: slopes,
    rows: t.map((x, i) => ({ t: x, betahat: betahat[i], se: Math.sqrt(sigma[i][i]), delta: delta[i], mean_after_pretesting: after.get(i) ?? null })),
    notes,
  };
}

/** Below this probability of passing, the truncated mean is not computed (the box carries no mass). */
const PASS_FLOOR = 1e-12;

const indices = (t: readonly number[], keep: (x: number) => boolean) => t.flatMap((x, i) => (keep(x) ? [i] : []));
const fmt = (x: number) => x.toPrecision(4);

function block(s: readonly (readonly number[])[], rows: number[], cols: number[]): Float64Array {
  const out = new Float64Array(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (out[i * cols.length + j] = s[r][c])));
  return out;
}

function quadForm(a: Float64Array, x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) s += x[i] * a[i * x.length + j] * x[j];
  return s;
}
