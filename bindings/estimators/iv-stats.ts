// The IV statistics of fixest's fitstat(), from the fits of a 2SLS estimation (iv-core.ts):
//   ivf     per endogenous variable, the F test of the excluded instruments in its first stage:
//           ((SSR without the instruments - SSR) / df1) / (SSR / df2), df1 = instruments kept,
//           df2 = n - K of the FIRST first stage's variance (its dof.K: coefficients plus the fixed-effect
//           parameters the chosen variance counts, so that ivf depends on the variance, as in fixest);
//   ivwald  the same hypothesis as a Wald test with the first stage's variance (the chosen one), F(df1, df2);
//   ivf2    the F test of the fitted endogenous variables in the second stage (its SSR with the fitted,
//           not the actual, endogenous variables), df2 = n - K of the second stage's variance;
//   ivwald2 their Wald test with the second stage's variance;
//   wh      Wu-Hausman (computed with the estimation: it depends on no variance; iv-core.ts).
// fixest's Wald test (.wald in its fitstats.R) first repairs a variance with a diagonal element below
// 1e-10 (mat_posdef_fix: eigenvalues raised to 1e-10); so does this one, and says so in a note.
import { clipNegativeEigenvalues } from "../linalg/small.js";
import { waldTest } from "../stats/wald.js";
import { fFromSsr, type FStat } from "./iv-core.js";

/** fixest's mat_posdef_fix threshold and floor. */
export const WALD_REPAIR_FLOOR = 1e-10;

export interface WaldStat extends FStat {
  /** The variance the test used (its label). */
  readonly vcov: string;
}

/** What the statistics read from one fit (a first stage or the second stage). */
export interface StageNumbers {
  readonly coefNames: readonly string[];
  readonly coef: Float64Array;
  /** K x K row-major, in the data's units. */
  readonly vcov: Float64Array;
  readonly vcovLabel: string;
  readonly nobs: number;
  /** Parameters of the variance's small-sample count (fixest's dof.K). */
  readonly dofK: number;
}

/** fixest's degrees_freedom(type = "resid"): n - dof.K, at least 1. */
export const residualDf = (s: StageNumbers): number => Math.max(s.nobs - s.dofK, 1);

/** The joint Wald test of the coefficients `tested` (those the fit kept), as fixest's .wald; null when no
 *  tested coefficient is left or their variance is singular. `repaired` is set when the variance was
 *  repaired first. */
export function fixestWald(s: StageNumbers, tested: readonly string[], df2: number): { test: WaldStat | null; repaired: boolean } {
  const idx = tested.map((t) => s.coefNames.indexOf(t)).filter((i) => i >= 0);
  const K = s.coefNames.length;
  let V = s.vcov;
  let repaired = false;
  for (let i = 0; i < K; i++) if (V[i * K + i] < WALD_REPAIR_FLOOR) repaired = true;
  if (repaired) V = clipNegativeEigenvalues(V, K, WALD_REPAIR_FLOOR).matrix;
  const q = idx.length;
  if (q === 0) return { test: null, repaired };
  const Vq = new Float64Array(q * q);
  idx.forEach((i, a) => idx.forEach((j, c) => (Vq[a * q + c] = V[i * K + j])));
  const w = waldTest(idx.map((i) => s.coef[i]), Vq, q, df2);
  return { test: w ? { stat: w.statistic, p: w.p_value, df1: q, df2, vcov: s.vcovLabel } : null, repaired };
}

export interface FirstStageStats {
  readonly ivf: FStat;
  readonly ivwald: WaldStat | null;
}

/** ivf and ivwald of each first stage; df1 and df2 are the first first stage's, as in fixest. */
export function firstStageStats(
  stages: ReadonlyArray<{ readonly numbers: StageNumbers; readonly ssr: number; readonly ssrNoInst: number }>, instruments: readonly string[],
): { stats: FirstStageStats[]; repaired: boolean } {
  const first = stages[0].numbers;
  const df1 = instruments.filter((z) => first.coefNames.includes(z)).length;
  const df2 = residualDf(first);
  let repaired = false;
  const stats = stages.map(({ numbers, ssr, ssrNoInst }) => {
    const w = fixestWald(numbers, instruments, df2);
    repaired ||= w.repaired;
    return { ivf: fFromSsr(ssrNoInst, ssr, df1, df2), ivwald: w.test };
  });
  return { stats, repaired };
}

export interface SecondStageStats {
  readonly ivf2: FStat;
  readonly ivwald2: WaldStat | null;
}

/** ivf2 and ivwald2 of the second stage, whose fitted endogenous variables are `fitted`. */
export function secondStageStats(
  s: StageNumbers, fitted: readonly string[], ssrFitted: number, ssrNoEndo: number,
): { stats: SecondStageStats; repaired: boolean } {
  const df1 = fitted.filter((f) => s.coefNames.includes(f)).length;
  const df2 = residualDf(s);
  const w = fixestWald(s, fitted, df2);
  return { stats: { ivf2: fFromSsr(ssrNoEndo, ssrFitted, df1, df2), ivwald2: w.test }, repaired: w.repaired };
}
