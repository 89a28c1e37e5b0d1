// Readable text for logit and PSM-DID results: the logit table as glm's summary prints it, the matching
// summary, the balance table in the layout of Stata's pstest, and the DID regression.
import type { LogitResult } from "../estimators/logit.js";
import type { PsmResult } from "../estimators/psm/psm.js";
import { alignRows, fmtInt, fmtNumber, fmtP, stars } from "./format.js";
import { regressionText } from "./regression-text.js";

function logitTable(r: LogitResult): string[] {
  const cells: string[][] = [["", "Estimate", "Std. Error", "z value", "Pr(>|z|)", "", "95% CI low", "95% CI high"]];
  for (const t of r.tidy()) {
    cells.push([t.term, fmtNumber(t.estimate, 6), fmtNumber(t.std_error, 6), fmtNumber(t.statistic, 3), fmtP(t.p_value), stars(t.p_value), fmtNumber(t.conf_low, 6), fmtNumber(t.conf_high, 6)]);
  }
  return [...alignRows(cells), "---", "Signif. codes: *** p < 0.01, ** p < 0.05, * p < 0.1"];
}

export function logitText(r: LogitResult): string {
  const lines = [`Logit (maximum likelihood), dependent variable: ${r.outcome}`, `Observations: ${fmtInt(r.nobs)}   Standard errors: inverse information`];
  lines.push(...logitTable(r));
  lines.push(
    `Deviance: ${fmtNumber(r.deviance, 4)} (null ${fmtNumber(r.nullDeviance, 4)})   Log likelihood: ${fmtNumber(r.logLik, 4)}   ` +
      `AIC: ${fmtNumber(r.aic, 4)}   Pseudo R2: ${fmtNumber(r.pseudoR2, 4)}`,
  );
  lines.push(`Newton iterations: ${r.iterations}${r.converged ? "" : " (not converged)"}`);
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}

function methodLine(r: PsmResult): string {
  const o = r.fields.options;
  const what =
    o.method === "nearest"
      ? `nearest neighbour (${o.neighbors} per treated unit, ${o.replace ? "with" : "without"} replacement)`
      : o.method === "radius"
        ? "radius"
        : `kernel (${o.kernel === "epan" ? "Epanechnikov" : "normal"}, bandwidth ${o.bandwidth})`;
  return `Matching: ${what}` + (o.caliper !== null ? `, caliper ${o.caliper}` : "") + (o.common ? ", common support" : "") +
    (o.compat ? `, ${o.compat} compatible distances` : "");
}

export function psmText(r: PsmResult): string {
  const f = r.fields;
  const lines = ["Propensity-score matching DID", ""];
  lines.push(`Propensity score: logit of ever treated on pre-period (${f.table.pre[0]}-${f.table.pre[1]}) covariate averages`);
  lines.push(...logitTable(f.logit));
  lines.push("");
  lines.push(methodLine(r));
  const j = r.toJSON() as { units: { treated: number; controls: number } };
  lines.push(
    `Units: ${fmtInt(j.units.treated)} treated, ${fmtInt(j.units.controls)} controls; matched: ${fmtInt(f.matchedTreated)} treated, ` +
      `${fmtInt(f.matchedControls)} distinct controls` + (f.matching.unmatched ? `; ${fmtInt(f.matching.unmatched)} treated without a match` : "") +
      (f.offSupport ? `; ${fmtInt(f.offSupport)} off support` : ""),
  );
  lines.push("", "Balance (pstest): U = unmatched, M = matched; %bias uses the unmatched variances");
  const cells: string[][] = [["Variable", "", "Treated", "Control", "%bias", "%reduct |bias|", "t", "p>|t|"]];
  for (const b of f.balance) {
    cells.push([b.variable, "U", fmtNumber(b.mean_treated_before, 4), fmtNumber(b.mean_control_before, 4), fmtNumber(b.bias_before, 1), "", fmtNumber(b.t_before, 2), fmtP(b.p_before)]);
    cells.push(["", "M", fmtNumber(b.mean_treated, 4), fmtNumber(b.mean_control, 4), fmtNumber(b.bias_after, 1), fmtNumber(b.reduction, 1), fmtNumber(b.t_after, 2), fmtP(b.p_after)]);
  }
  lines.push(...alignRows(cells));
  const s = f.balanceSummary;
  lines.push(`Mean |bias|: ${fmtNumber(s.mean_abs_bias_before, 1)} before, ${fmtNumber(s.mean_abs_bias_after, 1)} after; median ${fmtNumber(s.median_abs_bias_before, 1)} before, ${fmtNumber(s.median_abs_bias_after, 1)} after`);
  if (f.did) {
    lines.push("", `DID on the matched panel (unit weights: ${f.options.didWeights})`, regressionText(f.did).trimEnd());
  }
  for (const n of f.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
