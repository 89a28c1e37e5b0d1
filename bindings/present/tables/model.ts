// A format-neutral table: header rows whose cells may span columns, body rows and rules (booktabs'
// \midrule), notes under the table and an optional caption. One renderer per output format turns it into
// text, Markdown, LaTeX, HTML or CSV (./render.ts); the regression and descriptive-statistics tables are
// built as this model, so every format shows the same cells.
import { DidwasmError } from "../../errors.js";

/** Horizontal alignment of a column: left, centre, right. */
export type Align = "l" | "c" | "r";

export interface Cell {
  readonly text: string;
  /** Written as a superscript after the text (significance stars). Text and CSV append it; the text
   *  renderer pads it so that the numbers of a column line up whether or not they have stars. */
  readonly sup?: string;
  /** How many columns the cell covers (default 1). */
  readonly span?: number;
  /** Alignment of a spanning cell (default centred). */
  readonly align?: Align;
  /** LaTeX source the LaTeX renderer writes instead of the escaped text, where math reads better
   *  ("$t$", "Average $2\\times2$ estimate"); the other renderers use the text. */
  readonly latex?: string;
}

export interface HeaderRow {
  readonly cells: readonly Cell[];
  /** Rule under every cell spanning two or more columns (booktabs' \cmidrule). */
  readonly underlineSpans?: boolean;
}

export interface BodyRow {
  readonly kind: "row";
  readonly cells: readonly Cell[];
  /** What the row holds, used as its HTML class: "coef", "paren", "stat", "fe", "extra", "group", ... */
  readonly role?: string;
}

export interface Rule {
  readonly kind: "rule";
}

export interface Table {
  /** One alignment per column; the number of columns. */
  readonly align: readonly Align[];
  readonly header: readonly HeaderRow[];
  readonly body: ReadonlyArray<BodyRow | Rule>;
  readonly notes: readonly string[];
  readonly caption?: string;
}

export const RULE: Rule = Object.freeze({ kind: "rule" });

export function cell(text: string, extra: Omit<Cell, "text"> = {}): Cell {
  return { text, ...extra };
}

export function row(cells: ReadonlyArray<string | Cell>, role?: string): BodyRow {
  return { kind: "row", cells: cells.map((c) => (typeof c === "string" ? { text: c } : c)), role };
}

export const spanOf = (c: Cell) => c.span ?? 1;

/** Checks that every row covers exactly the table's columns; returns the table. */
export function checkTable(t: Table): Table {
  const n = t.align.length;
  const check = (cells: readonly Cell[], where: string) => {
    const w = cells.reduce((s, c) => s + spanOf(c), 0);
    if (w !== n || cells.some((c) => !Number.isInteger(spanOf(c)) || spanOf(c) < 1)) {
      throw new DidwasmError("BAD_OPTION", `table ${where} covers ${w} columns, the table has ${n}`);
    }
  };
  t.header.forEach((h, i) => check(h.cells, `header row ${i + 1}`));
  t.body.forEach((r, i) => r.kind === "row" && check(r.cells, `row ${i + 1}`));
  return t;
}

/** Han, kana, Hangul, CJK punctuation and full-width forms: text a LaTeX engine can only set with a CJK
 *  package (xeCJK or ctex under XeLaTeX/LuaLaTeX). */
const CJK = /[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\u{20000}-\u{3134f}]/u;

export function hasCjk(s: string): boolean {
  return CJK.test(s);
}

/** Every string of the table, in reading order (caption, header, body, notes). */
export function tableStrings(t: Table): string[] {
  const out: string[] = [];
  if (t.caption) out.push(t.caption);
  for (const h of t.header) for (const c of h.cells) out.push(c.text, c.sup ?? "");
  for (const r of t.body) if (r.kind === "row") for (const c of r.cells) out.push(c.text, c.sup ?? "");
  out.push(...t.notes);
  return out;
}

export function tableHasCjk(t: Table): boolean {
  return tableStrings(t).some(hasCjk);
}
