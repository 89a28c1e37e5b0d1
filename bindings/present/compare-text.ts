// Readable text of didwasm compare: one column per estimator, one row per event time (estimate with its
// standard error under it), and a last row with each one's overall ATT.
import type { CompareResult } from "../commands/compare/run-compare.js";
import { alignRows, fmtNumber } from "./format.js";

export function compareText(r: CompareResult): string {
  const times = [...new Set(r.estimators.flatMap((e) => e.event.map((p) => p.rel_time)))].sort((a, b) => a - b);
  const header = ["event time", ...r.estimators.map((e) => e.label)];
  const body: string[][] = [];
  for (const t of times) {
    const pts = r.estimators.map((e) => e.event.find((p) => p.rel_time === t));
    body.push([String(t), ...pts.map((p) => (p ? fmtNumber(p.estimate, 4) : ""))]);
    body.push(["", ...pts.map((p) => (p && p.std_error !== null ? `(${fmtNumber(p.std_error, 4)})` : ""))]);
  }
  body.push(["overall ATT", ...r.estimators.map((e) => (e.overall ? fmtNumber(e.overall.estimate, 4) : "-"))]);
  body.push(["", ...r.estimators.map((e) => (e.overall && e.overall.std_error !== null ? `(${fmtNumber(e.overall.std_error, 4)})` : ""))]);
  const lines = ["Estimators side by side: event-time effects (standard errors in parentheses) and overall ATT", "", ...alignRows([header, ...body]), ""];
  for (const e of r.estimators) if (e.overall) lines.push(`${e.label} overall: ${e.overall.what}`);
  for (const n of r.notes) lines.push(`Note: ${n.message}`);
  return lines.join("\n") + "\n";
}
