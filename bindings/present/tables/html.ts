// HTML: a <table> with <thead>, <tbody> and <tfoot> (the notes), colspan for spanning cells, and classes
// for styling: didwasm-table on the table, the row's role (coef, paren, stat, fe, ...) on body rows,
// "rule" on a row that follows a rule, l/c/r for alignment, "span" on spanning header cells. Text is
// escaped (& < > " '). HTML is UTF-8 text, so Chinese shows as is; `standalone` writes a whole page with
// <meta charset="utf-8"> (needed when the file is opened on its own) and a small style sheet.
import { spanOf, tableHasCjk, type Cell, type Table } from "./model.js";

export interface HtmlOptions {
  readonly standalone?: boolean;
  /** Page language for a standalone page (lang attribute), e.g. "zh-CN"; default "en", or "zh" when the table has CJK text. */
  readonly lang?: string;
  /** Each note's text in a <div class="note-text">, which a style sheet can keep from widening the table
   *  (width: 0; min-width: 100%): long notes then wrap at the table's width, as LaTeX's threeparttable does. */
  readonly noteBlocks?: boolean;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const content = (c: Cell) => escapeHtml(c.text) + (c.sup ? `<sup>${escapeHtml(c.sup)}</sup>` : "");

function rowHtml(cells: readonly Cell[], align: Table["align"], header: boolean, cls: string[]): string {
  const parts: string[] = [];
  let j = 0;
  for (const c of cells) {
    const s = spanOf(c);
    const tag = header || j === 0 ? "th" : "td";
    const classes = [s > 1 ? (c.align ?? "c") : align[j], ...(header && s > 1 ? ["span"] : [])];
    const scope = !header && j === 0 ? ' scope="row"' : header ? ` scope="${s > 1 ? "colgroup" : "col"}"` : "";
    parts.push(`<${tag}${s > 1 ? ` colspan="${s}"` : ""}${scope} class="${classes.join(" ")}">${content(c)}</${tag}>`);
    j += s;
  }
  return `<tr${cls.length ? ` class="${cls.join(" ")}"` : ""}>${parts.join("")}</tr>`;
}

const STYLE = `table.didwasm-table { border-collapse: collapse; border-top: 2px solid; border-bottom: 2px solid; font-variant-numeric: tabular-nums; }
table.didwasm-table th, table.didwasm-table td { padding: 0.15em 0.8em; font-weight: normal; }
table.didwasm-table thead tr:last-child th { border-bottom: 1px solid; }
table.didwasm-table th.span { border-bottom: 1px solid; }
table.didwasm-table tr.rule th, table.didwasm-table tr.rule td { border-top: 1px solid; }
table.didwasm-table .l { text-align: left; } table.didwasm-table .c { text-align: center; } table.didwasm-table .r { text-align: right; }
table.didwasm-table tfoot td { border-top: 2px solid; font-size: 0.85em; text-align: left; }
table.didwasm-table caption { font-weight: bold; padding-bottom: 0.4em; }`;

export function renderHtml(t: Table, o: HtmlOptions = {}): string {
  const n = t.align.length;
  const out: string[] = ['<table class="didwasm-table">'];
  if (t.caption) out.push(`<caption>${escapeHtml(t.caption)}</caption>`);
  if (t.header.length) out.push("<thead>", ...t.header.map((h) => rowHtml(h.cells, t.align, true, [])), "</thead>");
  out.push("<tbody>");
  let afterRule = false;
  t.body.forEach((r) => {
    if (r.kind === "rule") afterRule = true;
    else {
      out.push(rowHtml(r.cells, t.align, false, [...(r.role ? [r.role] : []), ...(afterRule ? ["rule"] : [])]));
      afterRule = false;
    }
  });
  out.push("</tbody>");
  const noteHtml = (note: string) => (o.noteBlocks ? `<div class="note-text">${escapeHtml(note)}</div>` : escapeHtml(note));
  if (t.notes.length) out.push("<tfoot>", ...t.notes.map((note) => `<tr><td colspan="${n}" class="note">${noteHtml(note)}</td></tr>`), "</tfoot>");
  out.push("</table>");
  if (!o.standalone) return out.join("\n") + "\n";
  const lang = o.lang ?? (tableHasCjk(t) ? "zh" : "en");
  return [
    "<!DOCTYPE html>",
    `<html lang="${escapeHtml(lang)}">`,
    "<head>",
    '<meta charset="utf-8">',
    `<title>${escapeHtml(t.caption ?? "didwasm table")}</title>`,
    `<style>\n${STYLE}\n</style>`,
    "</head>",
    "<body>",
    ...out,
    "</body>",
    "</html>",
  ].join("\n") + "\n";
}
