// Readable text for didwasm etwfe: the model, the aggregated effects (z statistics, as emfx reports them),
// then the regression's treatment cells.
import type { EtwfeResult } from "../estimators/did/etwfe.js";
import { fmtInt } from "./format.js";
import { coefficientTable } from "./regression-text.js";

export function etwfeText(r: EtwfeResult): string {
  const lines = [`Extended TWFE (Wooldridge), ${r.family === "poisson" ? "Poisson" : "OLS"}: ${r.formula}`];
  const controlGroup = r.cgroup === "notyet" ? "not-yet-treated" : "never-treated";
  lines.push(
    `Observations: ${fmtInt(r.nobs)}   Controls: ${controlGroup}   Fixed effects: ${{ feo: "cohort + period", vs: "cohort + period with control slopes", none: "none (dummies)" }[r.fe]}   ` +
      `Standard errors: ${r.vcovLabel}${r.clusters ? ` (${fmtInt(r.clusters.G)} clusters)` : ""}`,
  );
  const what = { simple: "Average effect on the treated", group: "Effects by cohort", calendar: "Effects by calendar period", event: "Effects by event time" }[r.type];
  lines.push("", `${what} (${r.family === "poisson" ? "response scale, " : ""}averages over treated observations, delta method):`);
  lines.push(...coefficientTable(r.effects, 0.95, "z"));
  lines.push(`Treated observations: ${r.effects.map((e) => `${e.term} ${fmtInt(e.nobs)}`).join(", ")}`);
  if (r.type !== "simple") lines.push(`Overall ATT: ${r.att.estimate.toPrecision(6)} (SE ${r.att.std_error.toPrecision(4)})`);
  // The treatment cells only: their control interactions and the controls' terms are in the JSON.
  const cells = r.coefficients.filter((c) => c.term.startsWith(".Dtreat") && !c.term.endsWith("_dm"));
  lines.push("", "Treatment cells of the regression:");
  lines.push(...coefficientTable(cells, 0.95, r.family === "poisson" ? "z" : "t"));
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
