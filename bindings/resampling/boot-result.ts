// The result of `boot` from what preparing the run gave (a BootSummary: plain data) and the replicates'
// draws: p-values, the confidence interval (test inversion for wild, percentiles for pairs) and the JSON.
// One function for a whole run and for a run merged from parts (commands/partial/), so both give the same
// numbers.
import { info, warning, type Note } from "../notes.js";
import { DidwasmError } from "../errors.js";
import { tTwoSidedP } from "../stats/distributions.js";
import { quantileSorted } from "../stats/quantile.js";
import { invertTest, pValues } from "./test-inversion.js";
import type { WildWeights } from "./weights.js";

export type BootMethod = "wild" | "pairs" | "ri";

/** The options the result reports (the run's, without engine and progress callback). */
export interface BootReported {
  readonly coef: string;
  readonly cluster?: string | null;
  readonly seed: number;
  readonly imposeNull?: boolean;
}

export interface BootSummary {
  readonly options: BootReported;
  readonly method: BootMethod;
  /** Replicates run (2^G when every Rademacher sign vector is enumerated). */
  readonly reps: number;
  readonly alpha: number;
  readonly r0: number;
  /** Wild: the weights used (rademacher when enumerating). */
  readonly weights: WildWeights | null;
  readonly enumerated: boolean;
  readonly estimate: number;
  readonly stdError: number;
  readonly nobs: number;
  readonly clusters: number | null;
  /** Notes of the preparation (the result adds its own after them). */
  readonly notes: readonly Note[];
  /** Wild: the cluster design's estimate, CRV1 standard error and small-sample constant. */
  readonly wild: { readonly estimate: number; readonly se: number; readonly factor: number } | null;
  /** Randomization inference: b_hat - r0 from the draws' algebra. */
  readonly riEstimate: number | null;
}

export interface BootResult {
  readonly method: BootMethod;
  readonly coefficient: string;
  readonly estimate: number;
  /** The model's standard error: CRV1 by the cluster variable (HC1 for ri without clusters). */
  readonly stdError: number;
  readonly nullValue: number;
  /** (estimate - null) / stdError. */
  readonly tObs: number;
  readonly reps: number;
  readonly pValue: number;
  readonly pEqualTailed: number;
  readonly confLow: number | null;
  readonly confHigh: number | null;
  readonly alpha: number;
  readonly weights: WildWeights | null;
  readonly imposeNull: boolean | null;
  readonly enumerated: boolean;
  readonly seed: number;
  readonly nobs: number;
  readonly clusters: number | null;
  /** Pairs: the bootstrap standard error. */
  readonly bootSe: number | null;
  /** Wild: t* at the null; pairs and ri: b*. */
  readonly draws: Float64Array;
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

const finite = (x: Float64Array) => x.filter(Number.isFinite);

type Rest = Pick<BootResult, "reps" | "pValue" | "pEqualTailed" | "confLow" | "confHigh" | "weights" | "imposeNull" | "bootSe" | "draws" | "tObs">;

/** Wild: draws = [t* at r0, the five moments per replicate that give t* at any r]. */
function wildRest(s: BootSummary, draws: readonly Float64Array[], notes: Note[]): Rest {
  const w = s.wild!;
  const [t, moments] = draws;
  const tObs = (w.estimate - s.r0) / w.se;
  const p = pValues(t, tObs);
  const ci = invertTest({ estimate: w.estimate, se: w.se, factor: w.factor, r0: s.r0, t, moments }, s.alpha);
  notes.push(...ci.notes.map((m) => warning("unbounded_interval", m)));
  const bad = t.length - finite(t).length;
  if (bad) notes.push(warning("draws_left_out", `${bad} replicate(s) had a zero bootstrap standard error and were left out`));
  return {
    reps: s.reps, pValue: p.symmetric, pEqualTailed: p.equalTailed, confLow: ci.low, confHigh: ci.high, weights: s.weights,
    imposeNull: s.options.imposeNull ?? true, bootSe: null, draws: t, tObs,
  };
}

/** Pairs: draws = [b*]. */
function pairsRest(s: BootSummary, pairs: Float64Array, notes: Note[]): Rest {
  const { r0, alpha, estimate } = s;
  const valid = finite(pairs);
  if (valid.length < 2) throw new DidwasmError("BAD_DATA", `only ${valid.length} pairs bootstrap replicate(s) could be estimated: the coefficient is not identified in resampled data`);
  if (valid.length < pairs.length) notes.push(warning("draws_left_out", `${pairs.length - valid.length} replicate(s) left out: the tested regressor was collinear in the resampled clusters`));
  const mean = valid.reduce((acc, v) => acc + v, 0) / valid.length;
  const bootSe = Math.sqrt(valid.reduce((acc, v) => acc + (v - mean) ** 2, 0) / (valid.length - 1));
  const sorted = Float64Array.from(valid).sort();
  let le = 0;
  let ge = 0;
  for (const v of valid) {
    if (v <= r0) le++;
    if (v >= r0) ge++;
  }
  return {
    reps: s.reps, pValue: tTwoSidedP((estimate - r0) / bootSe, s.clusters! - 1), pEqualTailed: Math.min(1, (2 * Math.min(le, ge)) / valid.length),
    confLow: quantileSorted(sorted, alpha / 2), confHigh: quantileSorted(sorted, 1 - alpha / 2), weights: null, imposeNull: null,
    bootSe, draws: pairs, tObs: (estimate - r0) / s.stdError,
  };
}

/** Randomization inference: draws = [b*]. */
function riRest(s: BootSummary, draws: Float64Array, notes: Note[]): Rest {
  const valid = finite(draws);
  if (valid.length === 0) throw new DidwasmError("BAD_DATA", "every permutation made the tested regressor collinear with the fixed effects");
  if (valid.length < draws.length) notes.push(warning("draws_left_out", `${draws.length - valid.length} permutation(s) left out: the permuted regressor was collinear with the fixed effects or the other regressors`));
  const p = pValues(valid, s.riEstimate!);
  return {
    reps: s.reps, pValue: p.symmetric, pEqualTailed: p.equalTailed, confLow: null, confHigh: null, weights: null, imposeNull: null,
    bootSe: null, draws, tObs: (s.estimate - s.r0) / s.stdError,
  };
}

export function assembleBoot(s: BootSummary, draws: readonly Float64Array[]): BootResult {
  const notes: Note[] = [...s.notes];
  const rest = s.method === "wild" ? wildRest(s, draws, notes) : s.method === "pairs" ? pairsRest(s, draws[0], notes) : riRest(s, draws[0], notes);
  if (s.method === "ri") notes.push(info("method", "randomization inference gives a p-value only (no confidence interval)"));
  const o = s.options;
  const result = {
    method: s.method, coefficient: o.coef, estimate: s.estimate, stdError: s.stdError, nullValue: s.r0, alpha: s.alpha, seed: o.seed, nobs: s.nobs,
    clusters: s.clusters, notes, enumerated: s.enumerated, ...rest,
  };
  return {
    ...result,
    toJSON() {
      return {
        method: s.method, coefficient: o.coef, estimate: s.estimate, std_error: s.stdError, null: s.r0, t_obs: result.tObs, reps: result.reps,
        p_value: result.pValue, p_equal_tailed: result.pEqualTailed, conf_low: result.confLow, conf_high: result.confHigh, alpha: s.alpha,
        weights: result.weights, impose_null: result.imposeNull, enumerated: result.enumerated, seed: o.seed, nobs: s.nobs,
        clusters: s.clusters, cluster: o.cluster ?? null, ...(result.bootSe !== null ? { boot_se: result.bootSe } : {}), notes: [...notes],
      };
    },
  };
}
