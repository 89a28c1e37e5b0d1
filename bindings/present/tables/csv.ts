// CSV (RFC 4180): comma-separated, CRLF line ends, fields holding a comma, quote, CR or LF quoted with
// doubled quotes. Every record has one field per column: a spanning cell's text goes in its first column,
// the caption and header rows come first, rules are dropped, notes follow as one-field records. Stars are appended to the
// number. With `bom` (default: when the table has non-ASCII text) the file starts with a UTF-8 byte-order
// mark, without which Excel reads UTF-8 as the local code page and garbles Chinese.
import { spanOf, tableStrings, type Cell, type Table } from "./model.js";

export interface CsvOptions {
  readonly bom?: boolean;
}

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function record(cells: readonly Cell[]): string {
  const out: string[] = [];
  for (const c of cells) {
    out.push(csvField(c.text + (c.sup ?? "")));
    for (let k = 1; k < spanOf(c); k++) out.push("");
  }
  return out.join(",");
}

export function renderCsv(t: Table, o: CsvOptions = {}): string {
  const n = t.align.length;
  const lines: string[] = [];
  if (t.caption) lines.push(csvField(t.caption) + ",".repeat(n - 1));
  for (const h of t.header) lines.push(record(h.cells));
  for (const r of t.body) if (r.kind === "row") lines.push(record(r.cells));
  for (const note of t.notes) lines.push(csvField(note) + ",".repeat(n - 1));
  const bom = o.bom ?? tableStrings(t).some((s) => /[^\x00-\x7f]/.test(s));
  return (bom ? "\ufeff" : "") + lines.join("\r\n") + "\r\n";
}
