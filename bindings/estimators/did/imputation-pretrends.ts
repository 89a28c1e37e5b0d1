// The pre-trend test of Borusyak, Jaravel and Spiess (2024, Section 4.4), as did_imputation's pretrends(K):
// a separate regression on the untreated observations only, of y on the fixed effects, the controls and
// dummies for 1..K periods before the unit's treatment (pre1..preK), clustered as the estimates are, and
// the joint Wald test that the K coefficients are zero (F on K and G - 1 degrees of freedom, as Stata's
// test after reghdfe). The effect estimates do not depend on it: they always assume no pre-trends.
import type { Frame } from "../../data/frame.js";
import type { Engine } from "../../engine/engine.js";
import { DidwasmError } from "../../errors.js";
import { quoteName } from "../../model/formula.js";
import type { Note } from "../../notes.js";
import { waldTest } from "../../stats/wald.js";
import { feols } from "../feols.js";
import type { TidyRow } from "../fit.js";

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

export interface PretrendSpec {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly controls: readonly string[];
  readonly cluster: string;
  readonly weights: string | null;
  readonly periods: number;
  /** Per frame row: the unit's first treated period (Infinity: never treated). */
  readonly cohortOfRow: Float64Array;
  /** Frame rows of the untreated observations of the estimation sample. */
  readonly untreatedRows: Int32Array;
  readonly engine: Engine;
}

function freshName(frame: Frame, base: string): string {
  let name = base;
  while (frame.has(name)) name = `_${name}`;
  return name;
}

export function pretrendTest(frame: Frame, o: PretrendSpec): { test: PretrendTest; notes: readonly Note[] } {
  const t = frame.numeric(o.time, "time variable");
  const keep = new Uint8Array(frame.nrow);
  for (const r of o.untreatedRows) keep[r] = 1;
  let data = frame;
  const names: string[] = [];
  for (let h = 1; h <= o.periods; h++) {
    const values = new Float64Array(frame.nrow);
    for (let r = 0; r < frame.nrow; r++) values[r] = t[r] - o.cohortOfRow[r] === -h ? 1 : 0;
    const name = freshName(data, `pre${h}`);
    names.push(name);
    data = data.withColumn({ kind: "numeric", name, values });
  }
  const rhs = [...names, ...o.controls].map(quoteName).join(" + ");
  const fit = feols(data, `${quoteName(o.y)} ~ ${rhs} | ${quoteName(o.unit)} + ${quoteName(o.time)}`, {
    vcov: { type: "cluster", vars: [o.cluster] }, weights: o.weights, rowFilter: keep, engine: o.engine,
  });
  const kept = names.map((nm) => fit.coefNames.indexOf(nm)).filter((i) => i >= 0);
  if (kept.length === 0) {
    throw new DidwasmError("BAD_DATA", `pretrends ${o.periods}: no untreated observation lies 1 to ${o.periods} period(s) before its unit's treatment, so there is nothing to test`, { option: "pretrends" });
  }
  const tidy = fit.tidy();
  const coefficients = kept.map((i) => ({ ...tidy[i], term: `pre${names.indexOf(fit.coefNames[i]) + 1}`, rel_time: -(names.indexOf(fit.coefNames[i]) + 1) }));
  const V = fit.vcov;
  const q = kept.length;
  const Vq = new Float64Array(q * q);
  kept.forEach((i, a) => kept.forEach((j, b) => (Vq[a * q + b] = V[i][j])));
  const w = waldTest(kept.map((i) => coefficients[kept.indexOf(i)].estimate), Vq, q, fit.dfT);
  if (!w) throw new DidwasmError("NO_VARIANCE", `pretrends ${o.periods}: the covariance of the pre-trend coefficients is singular, so their joint test is undefined`, { option: "pretrends" });
  return {
    test: {
      periods: o.periods, coefficients, vcov: kept.map((i) => kept.map((j) => V[i][j])),
      statistic: w.statistic, chi2: w.statistic * q, df1: w.df1, df2: w.df2, p_value: w.p_value, nobs: fit.nobs,
    },
    notes: fit.notes,
  };
}
