// Readable text of a pre-trend power analysis: the hypothesised trend, the pre-test's power against it,
// the Bayes factor and likelihood ratio, the slopes of a linear trend the test detects with the asked
// powers, and per period the estimate, the trend and the mean after pre-testing (as pretrends' df_power
// and df_eventplot).
import type { PretrendsResult } from "../estimators/did/pretrends.js";
import { alignRows, fmtNumber } from "./format.js";

export function pretrendsText(r: PretrendsResult): string {
  const trend = r.trend.kind === "vector"
    ? "the given delta vector"
    : `linear, slope ${fmtNumber(r.trend.slope, 5)} per period${r.trend.from_power !== null ? ` (the slope the pre-test detects ${r.trend.from_power * 100}% of the time)` : ""}`;
  const lines = [
    `Pre-trend power (Roth 2022): pre-test = no pre-period coefficient significant at |t| > ${r.z}, reference period ${r.reference}`,
    `Hypothesised trend: ${trend}`,
    `Power against it: ${fmtNumber(r.power, 5)}   Bayes factor: ${fmtNumber(r.bayes_factor, 5)}   Likelihood ratio: ${fmtNumber(r.likelihood_ratio, 5)}`,
    ...r.slopes_for_power.map((s) => `Slope detected with ${s.power * 100}% power: ${fmtNumber(s.slope, 5)}`),
    "",
    ...alignRows([
      ["t", "estimate", "se", "trend", "mean after pre-test"],
      ...r.rows.map((x) => [String(x.t), fmtNumber(x.betahat, 5), fmtNumber(x.se, 5), fmtNumber(x.delta, 5), x.mean_after_pretesting === null ? "-" : fmtNumber(x.mean_after_pretesting, 5)]),
    ]),
    "",
    "After the reference period, 'mean after pre-test' is the expected estimate among studies that pass the pre-test when the true effect is 0: the bias left after pre-testing.",
  ];
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
