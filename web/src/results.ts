// The results tab: what was estimated, the headline statistics, the main table next to the figure, further
// tables, warnings and notes, downloads, and the command line that reproduces the result.
import type { DetailedResult } from "../../bindings/web-worker/protocol.js";
import { h, svgNode } from "./dom.js";
import { fmtInt, fmtMs, fmtNum, fmtP, stars } from "./format.js";
import { commandTables } from "./command-tables.js";
import { cellParts, resultTables, vcovLabel, type Table } from "./tables.js";

type Json = Record<string, any>;

export type DownloadKind = "csv" | "latex" | "docx" | "tidy" | "svg" | "png" | "pdf" | "json";

export interface ResultContext {
  readonly title: string;
  readonly cli: string;
  /** Whether the publication-style regression table (shared renderer) applies: adds a tidy CSV. */
  readonly regressionTable: boolean;
  readonly download: (what: DownloadKind, table?: Table) => void;
  /** Adds the result as columns of the multi-column regression table (absent when it has no model). */
  readonly addToTable?: () => void;
}

export function renderTable(t: Table, attrs: Record<string, string> = {}): HTMLElement {
  return h(
    "table",
    { class: "grid results-table", "data-table": t.id, ...attrs },
    h("thead", null, h("tr", null, t.columns.map((c) => h("th", { class: c.kind === "text" ? "" : "r" }, c.label)))),
    h("tbody", null, t.rows.map((r) => h("tr", { "data-term": String(r[t.columns[0].key] ?? "") },
      t.columns.map((c) => {
        const v = r[c.key];
        const p = cellParts(t, c, r);
        return h("td", { class: c.kind === "text" ? "name" : "r num", "data-key": c.key, "data-value": typeof v === "number" ? String(v) : undefined },
          p.stars ? [p.text, h("sup", { class: "stars" }, p.stars)] : p.text);
      })))),
    t.footer?.length
      ? h("tfoot", null, t.footer.map(([k, v]) => h("tr", null, h("td", { class: "name" }, k), h("td", { class: "r", colspan: String(Math.max(1, t.columns.length - 1)) }, v))))
      : null,
  );
}

function stat(label: string, value: string, key?: string): HTMLElement {
  return h("div", { class: "stat", "data-stat": key }, h("div", { class: "stat-label" }, label), h("div", { class: "stat-value" }, value));
}

function headlineStats(command: string, j: Json): HTMLElement[] {
  const s: HTMLElement[] = [];
  if (typeof j.nobs === "number") s.push(stat("Observations", fmtInt(j.nobs), "nobs"));
  if (typeof j.r2 === "number") s.push(stat("R²", fmtNum(j.r2, 3), "r2"));
  if (typeof j.r2_within === "number") s.push(stat("Within R²", fmtNum(j.r2_within, 3), "r2_within"));
  const v = vcovLabel(j);
  if (v) s.push(stat("Standard errors", v, "vcov"));
  if (j.pretrend && typeof j.pretrend.statistic === "number") {
    s.push(stat("Pre-trend test", `F(${j.pretrend.df1}, ${j.pretrend.df2}) = ${j.pretrend.statistic.toFixed(2)}, p = ${fmtP(j.pretrend.p_value)}`, "pretrend"));
  }
  if (command === "bacon") s.push(stat("TWFE estimate", fmtNum(j.twfe), "twfe"), stat("2×2 comparisons", fmtInt((j.pairs ?? []).length), "pairs"));
  if (command === "csdid") {
    if (j.overall?.simple) s.push(stat("Overall ATT", `${fmtNum(j.overall.simple.att)} (${fmtNum(j.overall.simple.std_error)})`, "att"));
    s.push(stat("Units", fmtInt(j.units ?? 0), "units"), stat("Control group", j.control_group === "notyet" ? "Not yet treated" : "Never treated", "control"));
  }
  if (command === "placebo") {
    s.push(stat("Actual estimate", fmtNum(j.estimate), "estimate"));
    if (typeof j.p_two === "number") s.push(stat("Placebo p-value (two-sided)", fmtP(j.p_two), "p_two"));
    s.push(stat(j.shifts ? "Shifts" : "Draws", fmtInt(j.reps ?? 0), "reps"));
  }
  if (command === "boot") {
    s.push(stat("Estimate", fmtNum(j.estimate), "estimate"), stat("Bootstrap p-value", fmtP(j.p_value), "p_value"));
    if (typeof j.conf_low === "number") s.push(stat("Confidence interval", `[${fmtNum(j.conf_low)}, ${fmtNum(j.conf_high)}]`, "ci"));
    s.push(stat("Replicates", fmtInt(j.reps ?? 0), "reps"));
  }
  if (command === "psm") {
    s.push(stat("Matched", `${fmtInt(j.matched_treated ?? 0)} treated, ${fmtInt(j.matched_controls ?? 0)} controls`, "matched"));
    const d = Array.isArray(j.did?.coefficients) ? j.did.coefficients[0] : null;
    if (d) s.push(stat(`DID estimate (${d.term})`, `${fmtNum(d.estimate)}${stars(d.p_value)} (${fmtNum(d.std_error)})`, "did"));
    if (j.balance_summary) s.push(stat("Mean |bias| after", `${fmtNum(j.balance_summary.mean_abs_bias_after, 3)}%`, "bias"));
  }
  if (command === "logit") {
    if (typeof j.pseudo_r2 === "number") s.push(stat("Pseudo R²", fmtNum(j.pseudo_r2, 3), "pseudo_r2"));
    s.push(stat("Iterations", `${j.iterations}${j.converged === false ? " (not converged)" : ""}`, "iterations"));
  }
  if (command === "describe") s.push(stat("Variables", fmtInt((j.vars ?? []).length), "vars"), stat("Rows", fmtInt(j.nrow ?? 0), "rows"));
  if (command === "bdiff") s.push(stat("Difference", fmtNum(j.diff), "diff"), stat("p-value", fmtP(j.p_value), "p_value"), stat("Draws", fmtInt(j.reps ?? 0), "reps"));
  const t = j.timing_ms as Json | undefined;
  const ms = t ? (t.fit ?? t.run) : undefined;
  if (typeof ms === "number") s.push(stat("Computed in", fmtMs(ms), "time"));
  return s;
}

/** The result's warnings (the notes of severity "warning", plus the page's own, such as a drawn seed), then
 *  its other notes (observations dropped, ...), as the library reports them. */
function notes(j: Json, warnings: readonly string[]): HTMLElement | null {
  const info = (Array.isArray(j.notes) ? j.notes : [])
    .filter((n: unknown): n is { severity: string; message: string } => typeof n === "object" && n !== null && typeof (n as { message?: unknown }).message === "string")
    .filter((n: { severity: string }) => n.severity !== "warning")
    .map((n: { message: string }) => n.message);
  const items = [...warnings, ...info];
  if (!items.length) return null;
  return h("ul", { class: "notes", id: "result-notes" }, items.map((i) => h("li", null, i)));
}

/** Figures above this size (a placebo density with thousands of rug marks) are shown as an image: the
 *  browser decodes it off the main thread instead of building a DOM node per mark. Smaller figures are
 *  inline SVG, which keeps their tooltips. */
const INLINE_SVG_MAX_CHARS = 200_000;

function figureNode(svg: string): Element {
  if (svg.length <= INLINE_SVG_MAX_CHARS) return svgNode(svg);
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  return h("img", { src: url, alt: "Figure", class: "figure-img", onload: () => URL.revokeObjectURL(url) });
}

export function renderResult(r: DetailedResult, ctx: ResultContext): HTMLElement {
  const j = r.json as Json;
  // boot, psm and describe have tables of their own; every command whose JSON lists coefficients the common ones.
  const { primary, more } = commandTables(r.command, j) ?? resultTables(r.command, j);
  const subtitle = typeof j.formula === "string" ? j.formula : r.command === "bacon" || r.command === "csdid" ? "" : "";
  const btn = (label: string, what: DownloadKind, id: string, title: string) =>
    h("button", { type: "button", class: "btn small", id, title, onclick: () => ctx.download(what, primary ?? undefined) }, label);
  const tableBlock = primary ? h("div", { class: "table-block" }, h("h3", null, primary.title), h("div", { class: "scroll-x" }, renderTable(primary, { id: "result-table" })),
    primary.stars ? h("p", { class: "help" }, "* p < 0.1, ** p < 0.05, *** p < 0.01. Intervals at 95%.") : null) : null;
  const figure = r.svg ? h("figure", { class: "figure", id: "result-figure" }, figureNode(r.svg)) : null;
  return h(
    "div",
    { class: "result", "data-command": r.command },
    h("div", { class: "card" },
      h("div", { class: "card-head result-head" },
        h("div", null, h("h2", { id: "result-title" }, ctx.title), subtitle ? h("p", { class: "formula mono" }, subtitle) : null),
        h("div", { class: "downloads", role: "group", "aria-label": "Downloads" },
          h("span", { class: "dl-label" }, "Download"),
          primary && btn("Word", "docx", "dl-docx", "The table as a Word document (three-line table)"),
          primary && btn("LaTeX", "latex", "dl-latex", "The table for a paper (booktabs)"),
          primary && btn("CSV", "csv", "dl-csv", ctx.regressionTable ? "The table as in the paper, for Excel or Word" : "The table, numbers at full precision"),
          primary && ctx.regressionTable && btn("Tidy CSV", "tidy", "dl-tidy", "One row per coefficient, full precision"),
          r.svg && btn("Figure SVG", "svg", "dl-svg", "The figure as a vector graphic"),
          r.svg && btn("Figure PNG", "png", "dl-png", "The figure as an image at 300 dpi"),
          r.svg && btn("Figure PDF", "pdf", "dl-pdf", "The figure as a vector PDF, one column wide, fonts embedded"),
          btn("JSON", "json", "dl-json", "Everything, as `didwasm --json` prints it"))),
      h("div", { class: "stats", id: "result-stats" }, headlineStats(r.command, j)),
      ctx.addToTable ? h("div", { class: "add-table" },
        h("button", { type: "button", class: "btn small", id: "add-to-table", onclick: ctx.addToTable }, "Add to regression table"),
        h("span", { class: "help" }, "Collect several models, then compare them side by side under the Table tab.")) : null,
      notes(j, r.warnings),
      h("div", { class: figure && tableBlock ? "result-body two" : "result-body" }, tableBlock, figure)),
    more.map((t) => h("details", { class: "card more-table", "data-table": t.id },
      h("summary", null, t.title, h("span", { class: "count" }, ` ${fmtInt(t.rows.length)} rows`)),
      h("div", { class: "scroll-x" }, renderTable(t)),
      h("div", { class: "row-actions" }, h("button", { type: "button", class: "btn small", onclick: () => ctx.download("csv", t) }, "CSV"),
        h("button", { type: "button", class: "btn small", onclick: () => ctx.download("latex", t) }, "LaTeX")))),
    h("div", { class: "card" },
      h("h3", null, "Reproduce on the command line"),
      h("div", { class: "cli" }, h("code", { class: "mono", id: "result-cli" }, ctx.cli),
        h("button", { type: "button", class: "btn small", onclick: (e: Event) => {
          void navigator.clipboard?.writeText(ctx.cli).then(() => ((e.target as HTMLElement).textContent = "Copied"), () => {});
        } }, "Copy")),
      h("details", { class: "console" }, h("summary", null, "Text output (as the CLI prints it)"), h("pre", { class: "mono" }, r.text))),
  );
}
