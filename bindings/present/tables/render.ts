// One entry for every output format of a table model.
import { DidwasmError } from "../../errors.js";
import { renderCsv, type CsvOptions } from "./csv.js";
import { renderHtml, type HtmlOptions } from "./html.js";
import { renderLatex, type LatexOptions } from "./latex.js";
import { renderMarkdown } from "./markdown.js";
import { checkTable, type Table } from "./model.js";
import { renderText } from "./text.js";

export const TABLE_FORMATS = ["text", "markdown", "latex", "html", "csv"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export interface RenderOptions extends LatexOptions, HtmlOptions, CsvOptions {}

export function renderTable(t: Table, format: TableFormat = "text", o: RenderOptions = {}): string {
  checkTable(t);
  switch (format) {
    case "text":
      return renderText(t);
    case "markdown":
      return renderMarkdown(t);
    case "latex":
      return renderLatex(t, o);
    case "html":
      return renderHtml(t, o);
    case "csv":
      return renderCsv(t, o);
    default:
      throw new DidwasmError("BAD_OPTION", `--format must be one of ${TABLE_FORMATS.join(", ")}, got ${JSON.stringify(format)}`, { option: "--format" });
  }
}

/** The format a file name suggests (.md, .tex, .html/.htm, .csv, else text). */
export function formatForPath(path: string): TableFormat {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext === "md" || ext === "markdown" ? "markdown" : ext === "tex" ? "latex" : ext === "html" || ext === "htm" ? "html" : ext === "csv" ? "csv" : "text";
}
