// GitHub-flavoured Markdown (pipe table). A pipe table has one header row and no spans or rules: the first
// header row is the Markdown header, later header rows become the first body rows, a spanning cell is
// written in the first column it covers, and rules are dropped. Markdown's special characters are escaped
// with backslashes (stars would otherwise become emphasis). Columns are padded by display width so the
// source lines up in a terminal, Chinese included. Notes follow as paragraphs.
import { displayWidth } from "../format.js";
import { spanOf, type Cell, type Table } from "./model.js";

/** Backslash-escapes Markdown punctuation that could start emphasis, code, links, HTML or a new cell. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>|#]/g, "\\$&").replace(/\r?\n/g, " ");
}

function cellsByColumn(cells: readonly Cell[]): string[] {
  const out: string[] = [];
  for (const c of cells) {
    out.push(escapeMarkdown(c.text + (c.sup ?? "")));
    for (let k = 1; k < spanOf(c); k++) out.push("");
  }
  return out;
}

export function renderMarkdown(t: Table): string {
  const n = t.align.length;
  const rows: string[][] = [];
  if (t.header.length) rows.push(...t.header.map((h) => cellsByColumn(h.cells)));
  else rows.push(new Array<string>(n).fill(""));
  for (const r of t.body) if (r.kind === "row") rows.push(cellsByColumn(r.cells));
  const width = Array.from({ length: n }, (_, j) => Math.max(3, ...rows.map((r) => displayWidth(r[j]))));
  const pad = (s: string, j: number) => {
    const extra = width[j] - displayWidth(s);
    return t.align[j] === "r" ? " ".repeat(extra) + s : s + " ".repeat(extra);
  };
  const line = (r: string[]) => `| ${r.map(pad).join(" | ")} |`;
  const sep = t.align.map((a, j) => {
    const w = width[j];
    return a === "c" ? `:${"-".repeat(w - 2)}:` : a === "r" ? `${"-".repeat(w - 1)}:` : `:${"-".repeat(w - 1)}`;
  });
  const out: string[] = [];
  if (t.caption) out.push(`**${escapeMarkdown(t.caption)}**`, "");
  out.push(line(rows[0]), `| ${sep.join(" | ")} |`, ...rows.slice(1).map(line));
  if (t.notes.length) out.push("", ...t.notes.map((note) => escapeMarkdown(note)).join("\\\n").split("\n"));
  return out.join("\n") + "\n";
}
