// How wide a table will be, estimated from its text alone (no font is measured): the HTML report scales a
// table's font so that this width fits the page (html.ts in bindings/report), and the LaTeX report decides
// which tables go on a landscape page. Character widths are per class of character, in em, taken at the wide
// end of common fonts (DejaVu Sans, which Chromium uses on Linux for sans-serif, is among the widest), so
// the estimate errs on the wide side: a table scaled by it fits, perhaps a little smaller than it could be.
import { hasCjk, spanOf, type Cell, type Table } from "./model.js";

/** Advance widths in em of classes of characters. */
export interface FontMetrics {
  readonly digit: number;
  readonly lower: number;
  readonly upper: number;
  readonly space: number;
  /** Punctuation, signs, stars, brackets. */
  readonly punct: number;
  /** Chinese, Japanese, Korean and full-width characters. */
  readonly wide: number;
}

/** Sans-serif UI fonts (DejaVu Sans: digits 0.636 em, lower-case letters 0.28-0.97, 0.6 on average). */
export const SANS_METRICS: FontMetrics = { digit: 0.64, lower: 0.6, upper: 0.72, space: 0.32, punct: 0.42, wide: 1 };

/** Computer Modern Roman, LaTeX's default (digits 0.5 em, lower-case 0.5 on average, capitals 0.72). */
export const CM_METRICS: FontMetrics = { digit: 0.5, lower: 0.5, upper: 0.72, space: 0.333, punct: 0.39, wide: 1 };

export function textEm(s: string, m: FontMetrics): number {
  let w = 0;
  for (const ch of s) {
    if (/[0-9]/.test(ch)) w += m.digit;
    else if (/[a-z]/.test(ch)) w += m.lower;
    else if (/[A-Z]/.test(ch)) w += m.upper;
    else if (ch === " ") w += m.space;
    else if (hasCjk(ch)) w += m.wide;
    else if (/\p{L}/u.test(ch)) w += m.upper; // other letters (Greek, accented capitals): as wide as capitals
    else w += m.punct;
  }
  return w;
}

/** The widest word: the narrowest a cell gets when its text may wrap at spaces (CJK text may wrap anywhere). */
export function longestWordEm(s: string, m: FontMetrics): number {
  return Math.max(0, ...s.split(/\s+/).map((w) => (hasCjk(w) ? m.wide * 2 : textEm(w, m))));
}

export interface TableWidthOptions {
  readonly metrics: FontMetrics;
  /** Space around each column (both sides together), in em. */
  readonly paddingEm: number;
  /** Whether header cells wrap at spaces (then only their longest word counts). */
  readonly wrapHeader: boolean;
  /** Whether the first column (the row labels) wraps at spaces. */
  readonly wrapStub: boolean;
  /** The text of a header cell as it is set (e.g. split in lines by the LaTeX renderer); default its text and stars. */
  readonly headerLines?: (c: Cell) => readonly string[];
}

const cellText = (c: Cell) => c.text + (c.sup ?? "");

/** Estimated width of the table in em: each column as wide as its widest cell plus padding, spanning cells
 *  widening the columns under them when they are wider than those together. */
export function tableWidthEm(t: Table, o: TableWidthOptions): number {
  const n = t.align.length;
  const col = new Array<number>(n).fill(0);
  const spans: Array<{ from: number; span: number; em: number }> = [];
  const measure = (cells: readonly Cell[], header: boolean) => {
    let j = 0;
    for (const c of cells) {
      const s = spanOf(c);
      const wraps = header ? o.wrapHeader : j === 0 && o.wrapStub;
      const lines = header && o.headerLines ? o.headerLines(c) : [cellText(c)];
      const em = Math.max(0, ...lines.map((l) => (wraps ? longestWordEm(l, o.metrics) : textEm(l, o.metrics))));
      if (s === 1) col[j] = Math.max(col[j], em);
      else spans.push({ from: j, span: s, em });
      j += s;
    }
  };
  for (const h of t.header) measure(h.cells, true);
  for (const r of t.body) if (r.kind === "row") measure(r.cells, false);
  for (const { from, span, em } of spans) {
    const under = col.slice(from, from + span).reduce((a, b) => a + b, 0) + (span - 1) * o.paddingEm;
    if (em > under) for (let j = from; j < from + span; j++) col[j] += (em - under) / span;
  }
  return col.reduce((a, b) => a + b, 0) + n * o.paddingEm;
}
