// Readable text for the DID estimators' results.
import type { BaconResult } from "../estimators/did/bacon.js";
import type { CallawaySantAnnaResult, Estimate } from "../estimators/did/callaway-santanna.js";
import type { EventStudyResult } from "../estimators/did/event-study.js";
import type { SunAbrahamResult } from "../estimators/did/sun-abraham.js";
import type { TwoStageResult } from "../estimators/did/two-stage.js";
import { alignRows, fmtInt, fmtNumber, fmtP } from "./format.js";
import { coefficientTable, regressionText } from "./regression-text.js";

export function eventStudyText(r: EventStudyResult): string {
  const lines = [regressionText(r.fit).trimEnd()];
  lines.push(`Reference period: ${r.ref}   Window: ${r.window[0]}..${r.window[1]}` + (r.bin !== null ? `   Binned beyond +-${r.bin}` : ""));
  if (r.pretrend) {
    lines.push(`Pre-trend test (all pre-period coefficients = 0): F(${r.pretrend.df1}, ${r.pretrend.df2}) = ${fmtNumber(r.pretrend.statistic, 4)}, p = ${fmtP(r.pretrend.p_value)}`);
  }
  for (const n of r.notes) if (!r.fit.notes.some((m) => m.message === n.message)) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}

export function sunAbrahamText(r: SunAbrahamResult): string {
  const lines = [`Sun-Abraham interaction-weighted estimator, dependent variable: ${r.fit.outcome}`];
  lines.push(`Observations: ${fmtInt(r.fit.nobs)}   Cohort x period cells: ${r.fit.coefNames.filter((n) => n.startsWith("cohort::")).length}`);
  lines.push(`Standard errors: ${r.fit.vcovType}; aggregated by observation shares (delta method)`);
  lines.push(...coefficientTable([...r.controls, ...r.periods, r.att]));
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}

export function twoStageText(r: TwoStageResult): string {
  const lines = [regressionText(r.fit).trimEnd()];
  lines.push(`First stage: ${fmtInt(r.firstStage.nobs)} untreated observations` +
    (Object.keys(r.firstStage.coefficients).length ? `; controls: ${Object.entries(r.firstStage.coefficients).map(([k, v]) => `${k} = ${fmtNumber(v, 5)}`).join(", ")}` : ""));
  for (const n of r.notes) if (!r.fit.notes.some((m) => m.message === n.message)) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}

export function baconText(r: BaconResult): string {
  const lines = ["Goodman-Bacon decomposition", `TWFE estimate: ${fmtNumber(r.twfe, 6)}`];
  if (r.omega !== null) lines.push(`Within-group weight (Omega): ${fmtNumber(r.omega, 6)}   Within estimate: ${fmtNumber(r.betaWithin, 6)}`);
  lines.push("", ...alignRows([["Comparison", "Weight", "Avg. estimate"], ...r.byType.map((t) => [t.type, fmtNumber(t.weight, 5), fmtNumber(t.estimate, 5)])]));
  lines.push("", ...alignRows([
    ["Treated", "Control", "Type", "Weight", "Estimate"],
    ...r.pairs.map((p) => [String(p.treated), p.untreated === null ? "never" : String(p.untreated), p.type, fmtNumber(p.weight, 5), fmtNumber(p.estimate, 5)]),
  ]));
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}

function estRow(name: string, e: Estimate): string[] {
  return [name, fmtNumber(e.att, 5), fmtNumber(e.std_error, 5), fmtNumber(e.conf_low, 5), fmtNumber(e.conf_high, 5)];
}

const CS_METHOD_NAMES = { dr: "doubly robust", "dr-imp": "improved doubly robust", ipw: "inverse probability weighting", reg: "outcome regression" } as const;

export function callawaySantAnnaText(r: CallawaySantAnnaResult): string {
  const head = ["", "ATT", "Std. Error", "CI low", "CI high"];
  const lines = [`Callaway-Sant'Anna group-time effects (control group: ${r.controlGroup === "never" ? "never treated" : "not yet treated"}; ${fmtInt(r.units)} ${r.panel ? "units" : "observations, repeated cross sections"})`];
  if (r.controls.length) lines.push(`Covariates: ${r.controls.join(", ")}; estimation method: ${CS_METHOD_NAMES[r.estMethod]}`);
  if (r.anticipation || r.basePeriod !== "varying") lines.push(`Anticipation periods: ${r.anticipation}; base period: ${r.basePeriod}`);
  lines.push(r.bootstrap ? `Standard errors: multiplier bootstrap, ${r.bootstrap.reps} replicates (seed ${r.bootstrap.seed}); uniform bands` : "Standard errors: analytic (influence functions); pointwise 95% intervals");
  lines.push("", ...alignRows([["Group", "Time", "ATT(g,t)", "Std. Error", "CI low", "CI high"], ...r.attGt.map((c) => [String(c.group), String(c.time), ...estRow("", c).slice(1)])]));
  lines.push("", "Dynamic (event time):", ...alignRows([head, ...r.dynamic.map((d) => estRow(`e = ${d.e}`, d))]));
  lines.push("", "Overall:", ...alignRows([head, estRow("simple", r.overall.simple), estRow("dynamic", r.overall.dynamic), estRow("group", r.overall.group), estRow("calendar", r.overall.calendar)]));
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
