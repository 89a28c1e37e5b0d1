// The pre-trend test of Borusyak, Jaravel and Spiess (2024, Section 4.4), as did_imputation's pretrends(K):
// a separate regression on the untreated observations only, of y on the fixed effects, the controls and
// dummies for 1..K periods before the unit's treatment (pre1..preK), clustered as the estimates are, and
// the joint Wald test that the K coefficients are zero (F on K and G - 1 degrees of freedom, as Stata's
// test after reghdfe). The effect estimates do not depend on it: they always assume no pre-trends. The
// regression itself is computed from the imputation's first stage (imputation-pretrend-fit.ts).
import { DidwasmError } from "../../errors.js";
import { warning, type Note } from "../../notes.js";
import { tQuantile } from "../../stats/distributions.js";
import { waldTest } from "../../stats/wald.js";
import { tidyRow, type TidyRow } from "../fit.js";
import { pretrendFit, type PretrendFitInput } from "./imputation-pretrend-fit.js";

export interface PretrendCoefficient extends TidyRow {
  readonly rel_time: number;
}

export interface PretrendTest {
  readonly periods: number;
  readonly coefficients: readonly PretrendCoefficient[];
  /** The coefficients' covariance (clustered, fixest's small-sample corrections), in their order. */
  readonly vcov: ReadonlyArray<readonly number[]>;
  /** F = W / df1 and its p-value on (df1, df2); W is the Wald chi-square statistic. */
  readonly statistic: number;
  readonly chi2: number;
  readonly df1: number;
  readonly df2: number;
  readonly p_value: number;
  readonly nobs: number;
}

export function pretrendTest(o: PretrendFitInput): { test: PretrendTest; notes: readonly Note[] } {
  const fit = pretrendFit(o);
  const q = fit.leads.length;
  if (q === 0) {
    throw new DidwasmError("BAD_DATA", `pretrends ${o.periods}: no untreated observation lies 1 to ${o.periods} period(s) before its unit's treatment, so there is nothing to test`, { option: "pretrends" });
  }
  const tq = tQuantile(0.975, fit.dfT);
  const coefficients = fit.leads.map((h, a): PretrendCoefficient => {
    const b = fit.coef[a];
    return { ...tidyRow(`pre${h + 1}`, b, Math.sqrt(fit.vcov[a * q + a]), fit.dfT, tq), rel_time: -(h + 1) };
  });
  const w = waldTest(fit.coef, fit.vcov, q, fit.dfT);
  if (!w) throw new DidwasmError("NO_VARIANCE", `pretrends ${o.periods}: the covariance of the pre-trend coefficients is singular, so their joint test is undefined`, { option: "pretrends" });
  const notes: Note[] = [];
  if (fit.removed.length) notes.push(warning("collinear_removed", `collinear regressor(s) removed: ${fit.removed.join(", ")}`));
  if (fit.notConverged) notes.push(warning("not_converged", `${fit.notConverged} fixed-effect solve(s) did not converge`));
  return {
    test: {
      periods: o.periods, coefficients, vcov: Array.from({ length: q }, (_, a) => Array.from(fit.vcov.subarray(a * q, (a + 1) * q))),
      statistic: w.statistic, chi2: w.statistic * q, df1: w.df1, df2: w.df2, p_value: w.p_value, nobs: fit.nobs,
    },
    notes,
  };
}
