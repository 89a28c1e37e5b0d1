// Readable text for stacked DID (didwasm stacked): the static ATT and the event-time coefficients, then
// the stack's composition (one sub-experiment per cohort), so a reader sees what was compared with what.
import type { StackedResult } from "../estimators/did/stacked.js";
import { fmtInt } from "./format.js";
import { coefficientTable } from "./regression-text.js";

export function stackedText(r: StackedResult): string {
  const [lo, hi] = r.window;
  const lines = [`Stacked DID (Wing, Freedman and Hollingsworth 2024), dependent variable: ${r.outcome}`];
  lines.push(
    `Stacked observations: ${fmtInt(r.nobs)}   Window: ${lo}:${hi} (reference -1)   Clean controls: ${r.cleanControls === "never" ? "never treated" : "never or not yet treated by the window's end"}   ` +
      `Weights: ${r.weighting === "corrective" ? "corrective (treated 1, controls (N^D_a/N^D)/(N^C_a/N^C))" : "none"}`,
  );
  lines.push(`Fixed effects: sub-experiment x unit, sub-experiment x period; standard errors clustered by ${r.cluster.name} (${fmtInt(r.cluster.G)} clusters)`);
  lines.push(...coefficientTable([r.att, ...r.event.map((e) => ({ ...e, term: `event ${e.rel_time}` }))]));
  lines.push("", "Sub-experiments:", "  cohort   periods        treated  controls      rows");
  for (const x of r.experiments) {
    lines.push(`  ${String(x.cohort).padStart(6)}   ${`${x.firstPeriod}..${x.lastPeriod}`.padEnd(12)} ${fmtInt(x.treatedUnits).padStart(8)} ${fmtInt(x.controlUnits).padStart(9)} ${fmtInt(x.rows).padStart(9)}`);
  }
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
