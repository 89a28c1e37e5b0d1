// Readable text for synthetic DID (didwasm synthdid): the ATT with its standard error, each cohort's
// estimate and weight in a staggered design, and the largest unit and time weights.
import type { SynthdidResult } from "../estimators/did/synthdid.js";
import { alignRows, fmtInt, fmtNumber } from "./format.js";
import { coefficientTable } from "./regression-text.js";

/** Weights shown per cohort in the text (the JSON has all of them). */
const TOP_WEIGHTS = 10;

export function synthdidText(r: SynthdidResult): string {
  const name = { sdid: "Synthetic difference-in-differences", sc: "Synthetic control", did: "Difference-in-differences" }[r.method];
  const lines = [`${name} (Arkhangelsky et al. 2021; synthdid's weights), dependent variable: ${r.outcome}`];
  lines.push(`Observations: ${fmtInt(r.nobs)}   Units: ${fmtInt(r.controlUnits)} control, ${fmtInt(r.treatedUnits)} treated   Periods: ${fmtInt(r.periods)}`);
  const se = r.vcov === "jackknife" ? "jackknife (fixed weights)" : `${r.vcov}, ${fmtInt(r.draws?.length ?? 0)} replicates, seed ${r.seed}`;
  lines.push(`Standard error: ${se}; normal inference`);
  if (r.controls.length) lines.push(`Covariates projected out (untreated observations, unit and period effects): ${Object.entries(r.covariateCoefficients).map(([k, v]) => `${k} ${fmtNumber(v, 4)}`).join(", ")}`);
  lines.push(...coefficientTable([{ term: "ATT", estimate: r.estimate, std_error: r.std_error, statistic: r.statistic, p_value: r.p_value, conf_low: r.conf_low, conf_high: r.conf_high }], 0.95, "z"));
  if (r.cohorts.length > 1) {
    lines.push("", "Cohorts (each on the never-treated units; ATT weights = share of treated cells):");
    lines.push(...alignRows([["adoption", "units", "pre", "post", "estimate", "weight"], ...r.cohorts.map((c) => [String(c.adoption), fmtInt(c.treated_units), String(c.pre_periods), String(c.post_periods), fmtNumber(c.estimate, 6), fmtNumber(c.share, 4)])]));
  }
  for (const c of r.cohorts) {
    const head = r.cohorts.length > 1 ? ` (cohort ${c.adoption})` : "";
    const top = c.unit_weights.slice(0, TOP_WEIGHTS).map((w) => `${w.unit} ${fmtNumber(w.weight, 3)}`);
    const more = c.unit_weights.length > TOP_WEIGHTS ? ", ..." : "";
    lines.push("", `Unit weights${head}: ${top.join(", ")}${more} (${fmtInt(c.unit_weights.length)} nonzero, ${fmtInt(c.zero_weight_units)} zero)`);
    if (r.method !== "sc") {
      const time = c.time_weights.filter((w) => w.weight !== 0).sort((a, b) => b.weight - a.weight).slice(0, TOP_WEIGHTS);
      lines.push(`Time weights${head}: ${time.map((w) => `${w.period} ${fmtNumber(w.weight, 3)}`).join(", ")}`);
    }
  }
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
