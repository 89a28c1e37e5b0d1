// Readable text for resampling results.
import type { PlaceboResult } from "../resampling/placebo.js";
import { alignRows, fmtInt, fmtNumber, fmtP } from "./format.js";

export function placeboText(r: PlaceboResult): string {
  const lines = [`Placebo test: ${r.kind}${r.variant ? ` (variant ${r.variant})` : ""}`];
  lines.push(`True estimate: ${fmtNumber(r.estimate, 6)} (std. error ${fmtNumber(r.std_error, 6)}, t = ${fmtNumber(r.statistic, 3)})`);
  if (r.shifts) {
    lines.push("", ...alignRows([["Shift", "Estimate", "Std. Error", "Pr(>|t|)", "CI low", "CI high", "N"],
      ...r.shifts.map((s) => [`-${s.shift}`, fmtNumber(s.estimate, 6), fmtNumber(s.std_error, 6), fmtP(s.p_value), fmtNumber(s.conf_low, 6), fmtNumber(s.conf_high, 6), fmtInt(s.nobs)])]));
  } else if (r.draws) {
    const d = r.draws;
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, d.length - 1));
    lines.push(`Draws: ${fmtInt(d.length)} (seed ${r.seed}); mean ${fmtNumber(mean, 6)}, sd ${fmtNumber(sd, 6)}`);
    lines.push(`p-values: left ${fmtNumber(r.p_left!, 4)}, right ${fmtNumber(r.p_right!, 4)}, two-sided ${fmtNumber(r.p_two!, 4)}`);
    if (r.tShares) lines.push(`t-statistic p-values: left ${fmtNumber(r.tShares.p_left, 4)}, right ${fmtNumber(r.tShares.p_right, 4)}, two-sided ${fmtNumber(r.tShares.p_two, 4)}`);
  }
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}

export function bdiffText(r: import("../resampling/bdiff.js").BdiffResult): string {
  const lines = [`Group difference of "${r.coef}" (${r.method}${r.clusterLevel ? `, whole units of ${r.clusterLevel}` : ""}; ${fmtInt(r.reps)} draws, seed ${r.seed})`];
  lines.push(...alignRows([
    ["", "Group", "Estimate", "N"],
    ["group 0", r.groups[0], fmtNumber(r.estimates[0], 6), fmtInt(r.nobs[0])],
    ["group 1", r.groups[1], fmtNumber(r.estimates[1], 6), fmtInt(r.nobs[1])],
  ]));
  lines.push(`Difference b0 - b1: ${fmtNumber(r.diff, 6)}   empirical p-value: ${fmtNumber(r.p_value, 4)}`);
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
