// A fepois or feglm fit as a readable text table, in the manner of fixest's summary() of a GLM: the
// coefficient table of fit's (z statistics, normal p-values), then the log-likelihood, pseudo R², BIC,
// squared correlation and deviance, the iterations, and the notes.
import type { GlmFit } from "../estimators/glm/glm-fit.js";
import { fmtInt, fmtNumber } from "./format.js";
import { coefficientTable } from "./regression-text.js";

function vcovDescription(fit: GlmFit): string {
  if (fit.vcovType === "iid") return "IID";
  if (fit.vcovType === "hetero") return "Heteroskedasticity-robust (HC1)";
  if (fit.clusters.length > 0 && /^cluster|^~|way/.test(fit.vcovType)) return `Clustered (${fit.clusters.map((c) => `${c.name}: ${fmtInt(c.G)}`).join(", ")})`;
  return fit.vcovType;
}

export function glmText(fit: GlmFit, level = 0.95): string {
  const label = { poisson: "Poisson", logit: "Logit", probit: "Probit" }[fit.family];
  const lines: string[] = [];
  lines.push(`${label} estimation, dependent variable: ${fit.outcome}`);
  lines.push(`Observations: ${fmtInt(fit.nobs)}` + (fit.weights ? `   Weights: ${fit.weights}` : "") + (fit.offset ? `   Offset: ${fit.offset}` : ""));
  const fe = Object.entries(fit.fixefSizes);
  if (fe.length) lines.push(`Fixed effects: ${fe.map(([k, g]) => `${k} (${fmtInt(g)})`).join(", ")}`);
  lines.push(`Standard errors: ${vcovDescription(fit)}`);
  lines.push(...coefficientTable(fit.tidy(level), level, "z"));
  lines.push(`Log-likelihood: ${fmtNumber(fit.logLik, 6)}   Adj. pseudo R2: ${fmtNumber(fit.adjPseudoR2, 5)}   Pseudo R2: ${fmtNumber(fit.pseudoR2, 5)}`);
  lines.push(`BIC: ${fmtNumber(fit.bic, 6)}   Squared cor.: ${fmtNumber(fit.sqCor, 5)}   Deviance: ${fmtNumber(fit.deviance, 6)}`);
  lines.push(`IRLS iterations: ${fit.iterations}${fit.converged ? "" : " (not converged)"}`);
  if (fit.removed.length) lines.push(`Removed (collinear): ${fit.removed.join(", ")}`);
  for (const n of fit.notes) if (n.kind !== "collinear_removed") lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
