// A fit as a readable text table, in the manner of fixest's summary().
import type { Fit, TidyRow } from "../estimators/fit.js";
import { alignRows, fmtInt, fmtNumber, fmtP, stars } from "./format.js";

function vcovDescription(fit: Fit): string {
  if (fit.vcovType.startsWith("two-stage")) return `${fit.vcovType} (${fit.clusters.map((c) => `${fmtInt(c.G)} clusters`).join(", ")})`;
  if (fit.vcovType === "iid") return "IID";
  if (fit.vcovType === "hetero") return "Heteroskedasticity-robust (HC1)";
  return `Clustered (${fit.clusters.map((c) => `${c.name}: ${fmtInt(c.G)}`).join(", ")})`;
}

/** Aligned coefficient rows with stars and intervals, and the significance legend; `statistic` "z" heads the
 *  columns as fixest does for normal p-values (Poisson and binomial GLMs). */
export function coefficientTable(rows: readonly TidyRow[], level = 0.95, statistic: "t" | "z" = "t"): string[] {
  const pct = `${Math.round(level * 100)}%`;
  const cells: string[][] = [["", "Estimate", "Std. Error", `${statistic} value`, `Pr(>|${statistic}|)`, "", `${pct} CI low`, `${pct} CI high`]];
  for (const r of rows) {
    cells.push([r.term, fmtNumber(r.estimate, 6), fmtNumber(r.std_error, 6), fmtNumber(r.statistic, 3), fmtP(r.p_value), stars(r.p_value), fmtNumber(r.conf_low, 6), fmtNumber(r.conf_high, 6)]);
  }
  return [...alignRows(cells), "---", "Signif. codes: *** p < 0.01, ** p < 0.05, * p < 0.1"];
}

export function regressionText(fit: Fit, level = 0.95): string {
  const lines: string[] = [];
  lines.push(`OLS estimation, dependent variable: ${fit.outcome}`);
  lines.push(`Observations: ${fmtInt(fit.nobs)}` + (fit.weights ? `   Weights: ${fit.weights}` : ""));
  const fe = Object.entries(fit.fixefSizes);
  if (fe.length) lines.push(`Fixed effects: ${fe.map(([k, g]) => `${k} (${fmtInt(g)})`).join(", ")}`);
  lines.push(`Standard errors: ${vcovDescription(fit)}`);
  lines.push(...coefficientTable(fit.tidy(level), level));
  const stats = [`R2: ${fmtNumber(fit.r2, 5)}`];
  if (fit.r2Within !== null) stats.push(`Within R2: ${fmtNumber(fit.r2Within, 5)}`);
  stats.push(`Adj. R2: ${fmtNumber(fit.adjR2, 5)}`);
  stats.push(`RMSE: ${fmtNumber(Math.sqrt(fit.rss / fit.nobs), 5)}`);
  if (fit.constant !== null) stats.push(`Constant (reghdfe): ${fmtNumber(fit.constant, 5)}`);
  lines.push(stats.join("   "));
  if (fit.removed.length) lines.push(`Removed (collinear): ${fit.removed.join(", ")}`);
  for (const n of fit.notes) if (n.kind !== "collinear_removed") lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
