// Plain text: columns padded by terminal width (CJK characters take two cells, via displayWidth), "="
// above and below the table, "-" under the header and for rules, a "-" line under spanning header cells.
// Significance stars are padded to the column's widest so the numbers line up.
import { displayWidth } from "../format.js";
import { spanOf, type Align, type Cell, type Table } from "./model.js";

const GAP = "  ";

function pad(s: string, w: number, align: Align): string {
  const extra = Math.max(0, w - displayWidth(s));
  if (align === "l") return s + " ".repeat(extra);
  if (align === "r") return " ".repeat(extra) + s;
  const left = Math.floor(extra / 2);
  return " ".repeat(left) + s + " ".repeat(extra - left);
}

export function renderText(t: Table): string {
  const n = t.align.length;
  const rows = [...t.header.map((h) => h.cells), ...t.body.flatMap((r) => (r.kind === "row" ? [r.cells] : []))];
  // Width of the stars part in each column (single-column cells only).
  const supW = new Array<number>(n).fill(0);
  for (const cells of rows) {
    let j = 0;
    for (const c of cells) {
      if (spanOf(c) === 1 && c.sup) supW[j] = Math.max(supW[j], displayWidth(c.sup));
      j += spanOf(c);
    }
  }
  const content = (c: Cell, j: number) => (spanOf(c) === 1 && supW[j] > 0 ? c.text + (c.sup ?? "") + " ".repeat(supW[j] - displayWidth(c.sup ?? "")) : c.text + (c.sup ?? ""));
  const width = new Array<number>(n).fill(0);
  for (const cells of rows) {
    let j = 0;
    for (const c of cells) {
      if (spanOf(c) === 1) width[j] = Math.max(width[j], displayWidth(content(c, j)));
      j += spanOf(c);
    }
  }
  // Spanning cells wider than the columns under them widen those columns, evenly.
  for (const cells of rows) {
    let j = 0;
    for (const c of cells) {
      const s = spanOf(c);
      if (s > 1) {
        const have = width.slice(j, j + s).reduce((a, b) => a + b, 0) + GAP.length * (s - 1);
        let short = displayWidth(content(c, j)) - have;
        for (let k = 0; short > 0; k = (k + 1) % s, short--) width[j + k]++;
      }
      j += s;
    }
  }
  const spanWidth = (j: number, s: number) => width.slice(j, j + s).reduce((a, b) => a + b, 0) + GAP.length * (s - 1);
  const line = (cells: readonly Cell[]) => {
    const parts: string[] = [];
    let j = 0;
    for (const c of cells) {
      const s = spanOf(c);
      parts.push(pad(content(c, j), spanWidth(j, s), s > 1 ? (c.align ?? "c") : t.align[j]));
      j += s;
    }
    return parts.join(GAP).trimEnd();
  };
  const total = spanWidth(0, n);
  const out: string[] = [];
  if (t.caption) out.push(t.caption);
  out.push("=".repeat(total));
  for (const h of t.header) {
    out.push(line(h.cells));
    if (h.underlineSpans && h.cells.some((c) => spanOf(c) > 1)) {
      const parts: string[] = [];
      let j = 0;
      for (const c of h.cells) {
        const s = spanOf(c);
        parts.push((s > 1 ? "-" : " ").repeat(spanWidth(j, s)));
        j += s;
      }
      out.push(parts.join(GAP).trimEnd());
    }
  }
  if (t.header.length) out.push("-".repeat(total));
  t.body.forEach((r, i) => {
    if (r.kind === "rule") {
      if (i > 0 && i < t.body.length - 1) out.push("-".repeat(total));
    } else out.push(line(r.cells));
  });
  out.push("=".repeat(total));
  out.push(...t.notes);
  return out.join("\n") + "\n";
}
