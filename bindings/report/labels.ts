// What the report writes for a column, a value of a column or a coefficient: the spec's labels (and the data's
// own, merged into the spec by data-labels.ts), else the name. Names built from others get labels built from
// theirs: interactions (a × b), initial-level trends, fixed-effect rows, event-study periods.
import { hasCjk } from "../present/tables/model.js";
import type { ReportSpec } from "./spec.js";
import { fill, reportWords, type Words } from "./words.js";

type Json = Record<string, any>;

export function label(spec: ReportSpec, name: string): string {
  return spec.labels[name] ?? name;
}

/** The column a median split was derived from (plan.ts names it v_above_median), or null. */
const medianSplitOf = (column: string) => /^(.+)_above_median$/.exec(column)?.[1] ?? null;

/** A group of `column`: its value's label alone when there is one ("East"), else "Region = 1"; the halves
 *  of a median split: "High Human capital" and "Low Human capital". */
export function groupTitle(spec: ReportSpec, column: string, value: string): string {
  const own = spec.valueLabels[column]?.[value];
  if (own !== undefined) return own;
  const split = medianSplitOf(column);
  if (split !== null && (value === "0" || value === "1")) return fill(reportWords(spec)[value === "1" ? "groupHigh" : "groupLow"], { name: label(spec, split) });
  return `${label(spec, column)} = ${value}`;
}

/** A grouping column in prose: its label, else its values' labels ("Central/West and East"), else its name. */
export function groupingName(spec: ReportSpec, column: string): string {
  if (spec.labels[column]) return spec.labels[column];
  const split = medianSplitOf(column);
  const words = reportWords(spec);
  if (split !== null && !spec.valueLabels[column]) return fill(words.medianSplit, { name: label(spec, split) });
  const values = Object.values(spec.valueLabels[column] ?? {});
  return values.length ? `${values.slice(0, -1).join(", ")}${values.length > 1 ? words.and : ""}${values.at(-1)}` : column;
}

/** Labels for the coefficients and fixed effects of these models: the spec's, plus labels for interactions
 *  a:b, initial-level trends and fixed-effect rows ("City FE" when the spec labels city "City", "城市固定效应"
 *  when it labels it "城市"). */
export function termLabels(spec: ReportSpec, models: readonly Json[]): Record<string, string> {
  const out: Record<string, string> = { ...spec.labels };
  const terms = new Set<string>();
  for (const m of models) {
    for (const c of (m.coefficients as Json[]) ?? []) {
      const t = String(c.term);
      terms.add(t);
      if (spec.labels[t]) continue;
      const trend = /^(.+)_initial_x_trend$/.exec(t);
      if (trend) out[t] = fill(reportWords(spec).initialTrend, { name: label(spec, trend[1]) });
      else if (t.includes(":") && !t.includes("::")) out[t] = t.split(":").map((p) => label(spec, p)).join(" × ");
    }
  }
  // A fixed effect's row names the effect; a column that is also a coefficient somewhere keeps its label.
  // A Chinese label reads as Chinese journals write it: "城市" -> "城市固定效应".
  for (const m of models) for (const fe of Object.keys(m.fixef_sizes ?? {})) if (spec.labels[fe] && !terms.has(fe)) out[fe] = `${spec.labels[fe]}${hasCjk(spec.labels[fe]) ? "固定效应" : " FE"}`;
  return out;
}

/** Rows of an event study's periods: "t - 4" ... "t + 4", the binned end points "t ≤ -5 (binned)" and
 *  "t ≥ +5 (binned)" (in the spec's words), keyed by coefficient name (rel::k). */
export function periodLabels(coefficients: readonly Json[], bin: number | null | undefined, words: Words): Record<string, string> {
  const rels = coefficients.filter((c) => typeof c.rel_time === "number").map((c) => c.rel_time as number);
  const lo = Math.min(...rels);
  const hi = Math.max(...rels);
  const out: Record<string, string> = {};
  for (const k of rels) {
    const binned = bin && (k === lo || k === hi) && Math.abs(k) === bin;
    if (binned) out[`rel::${k}`] = fill(k < 0 ? words.esBinnedLow : words.esBinnedHigh, { k: Math.abs(k) });
    else out[`rel::${k}`] = k < 0 ? `t - ${-k}` : k > 0 ? `t + ${k}` : "t";
  }
  return out;
}
