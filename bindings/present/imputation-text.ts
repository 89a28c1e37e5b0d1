// Readable text for the imputation estimator (didwasm imputation): the effects with their conservative
// standard errors (z statistics, as did_imputation reports them), then the pre-trend test.
import type { ImputationResult } from "../estimators/did/imputation.js";
import { fmtInt, fmtNumber, fmtP } from "./format.js";
import { coefficientTable } from "./regression-text.js";

export function imputationText(r: ImputationResult): string {
  const lines = [`Imputation estimator (Borusyak, Jaravel and Spiess 2024), dependent variable: ${r.outcome}`];
  const controls = Object.keys(r.firstStage.coefficients);
  lines.push(
    `Observations: ${fmtInt(r.nobs)}   Treated: ${fmtInt(r.treatedObs)}   ` +
      `First stage: ${fmtInt(r.firstStage.nobs)} untreated observations, unit and period fixed effects${controls.length ? `, ${controls.join(", ")}` : ""}`,
  );
  const groups = { "cohort-time": "cohort x period", cohort: "cohort", horizon: "horizon", treated: "all treated" }[r.avgEffectsBy];
  lines.push(
    `Standard errors: conservative (Theorem 3${r.leaveOut ? ", leave-out" : ""}), clustered by ${r.cluster.name} (${fmtInt(r.cluster.G)} clusters); ` +
      `effects averaged by ${groups} for the residuals`,
  );
  lines.push(...coefficientTable([r.overall, ...r.event], 0.95, "z"));
  if (r.event.length) lines.push(`tauH: average effect H periods after treatment starts (treated observations: ${r.event.map((e) => `${e.term} ${fmtInt(e.nobs)}`).join(", ")})`);
  const p = r.pretrends;
  if (p) {
    lines.push("", `Pre-trend test (untreated observations, ${p.periods} pre-period dummies): F(${p.df1}, ${p.df2}) = ${fmtNumber(p.statistic, 4)}, p = ${fmtP(p.p_value)}`);
    lines.push(...coefficientTable(p.coefficients).slice(0, -2));
  }
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
