// Readable text for de Chaisemartin and D'Haultfoeuille's estimators (didwasm dcdh), laid out as
// did_multiplegt_dyn prints them: event-study effects, the joint test of the effects, the average total
// effect per treatment unit, then the placebos and their joint test.
import type { DcdhEstimate, DcdhResult } from "../estimators/did/dcdh.js";
import { alignRows, fmtInt, fmtNumber, fmtP } from "./format.js";

function table(rows: readonly DcdhEstimate[]): string[] {
  const cells: string[][] = [["", "Estimate", "SE", "LB CI", "UB CI", "p-value", "N", "Switchers"]];
  for (const r of rows) {
    cells.push([r.term, fmtNumber(r.estimate, 5), fmtNumber(r.std_error, 5), fmtNumber(r.conf_low, 5), fmtNumber(r.conf_high, 5), fmtP(r.p_value), fmtInt(r.nobs), fmtInt(r.switchers)]);
  }
  return alignRows(cells);
}

export function dcdhText(r: DcdhResult): string {
  const lines = [
    `de Chaisemartin and D'Haultfoeuille (2024) event-study DID, dependent variable: ${r.outcome}`,
    `Groups: ${fmtInt(r.groups)}   Standard errors clustered by ${r.cluster.name} (${fmtInt(r.cluster.G)} clusters), normal 95% intervals` +
      (r.normalized ? "   Normalized effects" : ""),
    "",
    "Event-study effects (Effect_l: l periods since the first treatment change, event time l - 1)",
    ...table(r.effects),
  ];
  if (r.jointEffects) lines.push(`Test of joint nullity of the effects: chi2(${r.jointEffects.df}) = ${fmtNumber(r.jointEffects.statistic, 4)}, p-value = ${fmtP(r.jointEffects.p_value)}`);
  if (r.effectsEqual) lines.push(`Test of equality of the effects: chi2(${r.effectsEqual.df}) = ${fmtNumber(r.effectsEqual.statistic, 4)}, p-value = ${fmtP(r.effectsEqual.p_value)}`);
  lines.push("", "Average cumulative (total) effect per treatment unit", ...table([r.ate]));
  lines.push(`Average number of time periods over which a treatment effect is accumulated: ${fmtNumber(r.avgPeriodsAccumulated, 4)}`);
  if (r.placebos.length) {
    lines.push("", "Placebos (Placebo_l: outcome change from F_g - 1 back to F_g - 1 - l, event time -1 - l)", ...table(r.placebos));
    if (r.jointPlacebos) lines.push(`Test of joint nullity of the placebos: chi2(${r.jointPlacebos.df}) = ${fmtNumber(r.jointPlacebos.statistic, 4)}, p-value = ${fmtP(r.jointPlacebos.p_value)}`);
  }
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
