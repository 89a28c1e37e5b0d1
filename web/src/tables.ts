// The tables a result is shown as, and their CSV and LaTeX downloads. One Table model feeds the page and
// both downloads, so they always agree; the downloads are rendered by the library's table renderers
// (bindings/present/tables/), from the same cells the page shows.
// Regression commands (fit, eventstudy, did2s, sunab) download the shared publication-style table
// (bindings/present/tables/regression-table.ts) instead; this model serves the page's display, the tidy
// CSV, and the downloads of the other commands (bacon, csdid, placebo, bdiff).
import { cell, row as bodyRow, RULE, type Align, type BodyRow, type Rule, type Table as RenderedTable } from "../../bindings/present/tables/model.js";
import { renderTable } from "../../bindings/present/tables/render.js";
import { fmtInt, fmtNum, fmtP, fmtT, stars } from "./format.js";

/** int: whole numbers shown as they are (periods, years); count: with thousands separators. */
export type CellKind = "text" | "num" | "p" | "t" | "int" | "count";

export interface TableColumn {
  readonly key: string;
  readonly label: string;
  readonly latex?: string;
  readonly kind: CellKind;
}

export interface Table {
  readonly id: string;
  readonly title: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly Record<string, unknown>[];
  /** Significance stars on the estimate column, from the row's p_value. */
  readonly stars?: boolean;
  /** Summary lines below the table (label, value), e.g. observations and R². */
  readonly footer?: readonly (readonly [string, string])[];
}

type Json = Record<string, any>;

const COEF_COLUMNS: TableColumn[] = [
  { key: "estimate", label: "Estimate", kind: "num" },
  { key: "std_error", label: "Std. error", kind: "num" },
  { key: "statistic", label: "t", latex: "$t$", kind: "t" },
  { key: "p_value", label: "p-value", latex: "$p$", kind: "p" },
  { key: "conf_low", label: "95% CI low", latex: "95\\% CI low", kind: "num" },
  { key: "conf_high", label: "95% CI high", latex: "95\\% CI high", kind: "num" },
];
const ATT_COLUMNS: TableColumn[] = [
  { key: "att", label: "ATT", kind: "num" },
  { key: "std_error", label: "Std. error", kind: "num" },
  { key: "conf_low", label: "95% CI low", latex: "95\\% CI low", kind: "num" },
  { key: "conf_high", label: "95% CI high", latex: "95\\% CI high", kind: "num" },
];

const isRows = (v: unknown): v is Json[] => Array.isArray(v) && v.length > 0 && v.every((r) => r && typeof r === "object" && !Array.isArray(r));

export function vcovLabel(j: Json): string | null {
  if (typeof j.vcov !== "string") return null;
  const v = j.vcov;
  const clusters = Array.isArray(j.clusters) ? (j.clusters as Json[]) : [];
  const g = clusters.length === 1 ? ` (${fmtInt(clusters[0].G)} clusters)` : clusters.length ? ` (${clusters.map((c) => `${fmtInt(c.G)} ${c.name}`).join(", ")})` : "";
  if (v === "iid") return "IID";
  if (v === "hetero") return "Heteroskedasticity-robust (HC1)";
  if (v.startsWith("cluster:")) return `Clustered by ${v.slice(8).split("+").join(" and ")}${g}`;
  return v + g;
}

function regressionFooter(j: Json): [string, string][] {
  const f: [string, string][] = [];
  if (typeof j.nobs === "number") f.push(["Observations", fmtInt(j.nobs)]);
  if (typeof j.r2 === "number") f.push(["R²", fmtNum(j.r2, 3)]);
  if (typeof j.r2_within === "number") f.push(["Within R²", fmtNum(j.r2_within, 3)]);
  const fe = j.fixef_sizes && typeof j.fixef_sizes === "object" ? Object.keys(j.fixef_sizes) : [];
  if (fe.length) f.push(["Fixed effects", fe.join(", ")]);
  const v = vcovLabel(j);
  if (v) f.push(["Standard errors", v]);
  return f;
}

function coefficientTable(j: Json, title: string): Table {
  const rows = j.coefficients as Json[];
  const byPeriod = rows.length > 0 && rows.every((r) => typeof r.rel_time === "number");
  const first: TableColumn = byPeriod ? { key: "rel_time", label: "Period", kind: "int" } : { key: "term", label: "Term", kind: "text" };
  return { id: "coefficients", title, columns: [first, ...COEF_COLUMNS], rows, stars: true, footer: regressionFooter(j) };
}

/** The main table of a command's JSON and further tables worth showing. */
export function resultTables(command: string, j: Json): { primary: Table | null; more: Table[] } {
  const more: Table[] = [];
  let primary: Table | null = null;
  if (command === "bacon") {
    primary = {
      id: "by_type", title: "Weights and average estimates by type of comparison",
      columns: [{ key: "type", label: "Comparison", kind: "text" }, { key: "weight", label: "Weight", kind: "num" }, { key: "estimate", label: "Average 2×2 estimate", latex: "Average $2\\times2$ estimate", kind: "num" }],
      rows: j.by_type ?? [], footer: [["TWFE estimate", fmtNum(j.twfe)]],
    };
    if (isRows(j.pairs)) {
      more.push({
        id: "pairs", title: "All 2×2 comparisons",
        columns: [
          { key: "treated", label: "Treated", kind: "text" }, { key: "untreated", label: "Comparison", kind: "text" }, { key: "type", label: "Type", kind: "text" },
          { key: "weight", label: "Weight", kind: "num" }, { key: "estimate", label: "Estimate", kind: "num" },
        ],
        rows: j.pairs.map((p: Json) => ({ ...p, untreated: p.untreated ?? "Never treated" })),
      });
    }
  } else if (command === "csdid") {
    const o = (j.overall ?? {}) as Json;
    primary = {
      id: "overall", title: "Callaway-Sant'Anna aggregated effects",
      columns: [{ key: "aggregation", label: "Aggregation", kind: "text" }, ...ATT_COLUMNS],
      rows: Object.entries(o).map(([k, v]) => ({ aggregation: k, ...(v as Json) })),
      footer: [["Units", fmtInt(j.units ?? 0)], ["Control group", j.control_group === "notyet" ? "Not yet treated" : "Never treated"], ["Standard errors", String(j.standard_errors ?? "")]],
    };
    if (isRows(j.dynamic)) more.push({ id: "dynamic", title: "Dynamic effects (by event time)", columns: [{ key: "e", label: "Event time", kind: "int" }, ...ATT_COLUMNS], rows: j.dynamic });
    if (isRows(j.group)) more.push({ id: "group", title: "Effects by cohort", columns: [{ key: "group", label: "Cohort", kind: "int" }, ...ATT_COLUMNS], rows: j.group });
    if (isRows(j.calendar)) more.push({ id: "calendar", title: "Effects by calendar time", columns: [{ key: "time", label: "Period", kind: "int" }, ...ATT_COLUMNS], rows: j.calendar });
    if (isRows(j.att_gt)) more.push({ id: "att_gt", title: "Group-time effects ATT(g, t)", columns: [{ key: "group", label: "Cohort", kind: "int" }, { key: "time", label: "Period", kind: "int" }, ...ATT_COLUMNS], rows: j.att_gt });
  } else if (command === "placebo") {
    if (isRows(j.shifts)) {
      primary = {
        id: "shifts", title: "In-time placebo: treatment moved back",
        columns: [{ key: "shift", label: "Periods earlier", kind: "int" }, { key: "estimate", label: "Estimate", kind: "num" }, { key: "std_error", label: "Std. error", kind: "num" },
          { key: "p_value", label: "p-value", latex: "$p$", kind: "p" }, { key: "conf_low", label: "95% CI low", latex: "95\\% CI low", kind: "num" },
          { key: "conf_high", label: "95% CI high", latex: "95\\% CI high", kind: "num" }, { key: "nobs", label: "Observations", kind: "count" }],
        rows: j.shifts, stars: true, footer: [["Actual estimate", fmtNum(j.estimate)]],
      };
    } else {
      const row = (label: string, value: unknown, kind: CellKind) => ({ quantity: label, value, kind });
      primary = {
        id: "placebo", title: `Summary (${j.kind === "space" ? "in-space" : j.kind} placebo${j.variant ? `, variant ${j.variant}` : ""})`,
        columns: [{ key: "quantity", label: "", kind: "text" }, { key: "value", label: "Value", kind: "num" }],
        rows: [
          row("Actual estimate", j.estimate, "num"), row("Std. error", j.std_error, "num"), row("t statistic", j.statistic, "t"),
          row("Placebo draws", j.reps, "count"), row("p-value, two-sided", j.p_two, "p"), row("p-value, left", j.p_left, "p"), row("p-value, right", j.p_right, "p"),
          ...(typeof j.seed === "number" ? [row("Seed", j.seed, "int")] : []),
        ],
      };
    }
  } else if (command === "bdiff") {
    const groups = Array.isArray(j.groups) ? j.groups : [];
    primary = {
      id: "bdiff", title: `Difference of ${j.coefficient} between ${j.group} groups`,
      columns: [{ key: "group", label: `${j.group ?? "Group"}`, kind: "text" }, { key: "estimate", label: `Coefficient on ${j.coefficient}`, kind: "num" }, { key: "nobs", label: "Observations", kind: "count" }],
      rows: groups.map((g: string, i: number) => ({ group: g, estimate: j.estimates?.[i], nobs: j.nobs?.[i] })),
      footer: [
        ["Difference", fmtNum(j.diff)], ["p-value", fmtP(j.p_value)], ["Method", `${j.method}${j.cluster_level ? ` (by ${j.cluster_level})` : ""}${j.exact ? ", exact" : ""}`],
        ["Draws", fmtInt(j.reps ?? 0)], ...(typeof j.seed === "number" ? [["Seed", String(j.seed)] as [string, string]] : []),
      ],
    };
  } else if (isRows(j.coefficients) || Array.isArray(j.coefficients)) {
    const titles: Record<string, string> = { eventstudy: "Coefficients by period relative to treatment", sunab: "Effects by period relative to treatment (interaction-weighted)" };
    primary = coefficientTable(j, titles[command] ?? "Coefficients");
    if (command === "sunab" && isRows(j.cells)) more.push({ id: "cells", title: "Cohort × period effects", columns: [{ key: "term", label: "Term", kind: "text" }, ...COEF_COLUMNS], rows: j.cells, stars: true });
  } else if (isRows(j.models)) {
    // fit with several models (outcomes, stepwise steps, split samples): one table per model, titled
    // with what tells it apart
    (j.models as Json[]).forEach((m, i) => {
      const step = m.step ? ` (${m.formula})` : "";
      const sample = m.sample ? `, ${m.sample.var} = ${m.sample.value ?? "full sample"}` : "";
      const t = coefficientTable(m, `Model ${i + 1}: ${m.outcome ?? ""}${step}${sample}`);
      if (i === 0) primary = t;
      else more.push({ ...t, id: `model${i + 1}` });
    });
  }
  return { primary, more };
}

/** The cell as shown (and as exported to LaTeX): its text, and the significance stars set after it. */
export function cellParts(t: Table, c: TableColumn, row: Record<string, unknown>): { text: string; stars: string } {
  const v = row[c.key];
  const kind = ((t.id === "placebo" || t.id === "boot") && c.key === "value" ? (row.kind as CellKind) : c.kind) ?? c.kind;
  let s: string;
  if (kind === "p") s = fmtP(v);
  else if (kind === "t") s = fmtT(v);
  else if (kind === "int") s = typeof v === "number" ? String(v) : v == null ? "" : String(v);
  else if (kind === "count") s = typeof v === "number" ? fmtInt(v) : v == null ? "" : String(v);
  else if (kind === "num") s = fmtNum(v);
  else s = v == null ? "" : String(v);
  const p = row.p_value;
  return { text: s, stars: t.stars && c.key === "estimate" && s && typeof p === "number" ? stars(p) : "" };
}

/** A value at full precision: numbers as JavaScript writes them, nothing for missing or non-finite. */
const fullText = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : String(v));

const alignOf = (c: TableColumn): Align => (c.kind === "text" ? "l" : "r");

/** The table as the library's renderers take it: the cells as shown, the footer under a rule, the stars
 *  explained in a note. */
export function shownTable(t: Table, caption: string): RenderedTable {
  const n = t.columns.length;
  const body: Array<BodyRow | Rule> = t.rows.map((r) => bodyRow(t.columns.map((c) => {
    const p = cellParts(t, c, r);
    return cell(p.text, p.stars ? { sup: p.stars } : {});
  })));
  if (t.footer?.length) {
    body.push(RULE);
    for (const [k, v] of t.footer) body.push(bodyRow(n > 1 ? [cell(k), cell(v, { span: n - 1, align: "r" })] : [cell(`${k}: ${v}`)]));
  }
  return {
    align: t.columns.map(alignOf),
    header: [{ cells: t.columns.map((c) => cell(c.label, c.latex ? { latex: c.latex } : {})) }],
    body,
    notes: t.stars ? ["* p < 0.1, ** p < 0.05, *** p < 0.01."] : [],
    caption,
  };
}

/** CSV with full-precision numbers (for further work), one header row (RFC 4180, as every CSV the
 *  library writes: CRLF line ends, a byte-order mark when the text is not ASCII, for Excel). */
export function tableCsv(t: Table): string {
  return renderTable({
    align: t.columns.map(alignOf),
    header: [{ cells: t.columns.map((c) => cell(c.label || c.key)) }],
    body: t.rows.map((r) => bodyRow(t.columns.map((c) => fullText(r[c.key])))),
    notes: [],
  }, "csv");
}

/** A booktabs table (needs \usepackage{booktabs}, and threeparttable for the stars' note), numbers as
 *  shown on the page. */
export function tableLatex(t: Table, caption = t.title): string {
  return renderTable(shownTable(t, caption), "latex");
}
