// Labels a Stata .dta file carries, used by the report where the spec gives none: variable labels name
// columns and coefficients, and a value-labelled column (read as its label texts, dta.ts's default) titles
// its groups by those texts alone ("East", not "east = East"). The spec's own labels win.
import type { DtaInfo } from "../data/dta.js";
import type { ReportSpec } from "./spec.js";

export function withDataLabels(spec: ReportSpec, info: DtaInfo): ReportSpec {
  const labels: Record<string, string> = {};
  for (const [name, text] of info.variableLabels) if (text.trim() !== "") labels[name] = text;
  const valueLabels: Record<string, Record<string, string>> = {};
  for (const v of info.variables) {
    const table = v.valueLabel ? info.valueLabels.get(v.valueLabel) : undefined;
    if (!table) continue;
    // The column holds the texts: each text is its own label.
    valueLabels[v.name] = Object.fromEntries([...table.values()].map((text) => [text, text]));
  }
  return {
    ...spec,
    labels: { ...labels, ...spec.labels },
    valueLabels: { ...valueLabels, ...spec.valueLabels },
  };
}
