// How a table fits a Word page: column widths from the cells' text, portrait when the table fits an A4
// portrait text width at 10 pt (or at 9 pt: a smaller type reads better than a turned page), else
// landscape, with a smaller type (not below 7 pt) when even that is too narrow. Widths are estimated from character counts (a Latin character half an em, a CJK one a whole em),
// which is what a word processor's autofit would find within a few per cent, and written as the table's
// grid so that Word, LibreOffice and Google Docs lay it out alike.
import { hasCjk, spanOf, type Cell, type Table } from "./tables/model.js";

/** A4 with one-inch margins, in points: the text width in portrait and in landscape. */
export const TEXT_WIDTH_PT = { portrait: 595.3 - 144, landscape: 841.9 - 144 } as const;

const BODY_PT = 10;
/** The smallest type a table keeps before it turns landscape, and the smallest at all. */
const MIN_PORTRAIT_PT = 9;
const MIN_PT = 7;
/** Space either side of a cell's text, in em. */
const CELL_PADDING_EM = 0.8;

export interface TableLayout {
  readonly orientation: "portrait" | "landscape";
  /** Font size of the cells, in points. */
  readonly fontPt: number;
  /** Column widths in points, summing to the text width. */
  readonly columnsPt: readonly number[];
}

/** The width of a text in em: half an em for a Latin character, a whole one for a CJK character. */
export function textEm(s: string): number {
  let em = 0;
  for (const ch of s) em += hasCjk(ch) ? 1 : 0.5;
  return em;
}

const cellEm = (c: Cell) => textEm(c.text) + (c.sup ? 0.35 * textEm(c.sup) : 0);

/** Each column's natural width in em: its widest single-column cell, and enough for the spanning cells
 *  over it (a spanning cell's surplus shared evenly). */
export function columnEm(t: Table): number[] {
  const n = t.align.length;
  const em = new Array<number>(n).fill(0);
  const rows = [...t.header.map((h) => h.cells), ...t.body.flatMap((r) => (r.kind === "row" ? [r.cells] : []))];
  const spans: Array<{ from: number; span: number; em: number }> = [];
  for (const cells of rows) {
    let j = 0;
    for (const c of cells) {
      const s = spanOf(c);
      if (s === 1) em[j] = Math.max(em[j], cellEm(c) + CELL_PADDING_EM);
      else spans.push({ from: j, span: s, em: cellEm(c) + CELL_PADDING_EM });
      j += s;
    }
  }
  for (const s of spans) {
    const have = em.slice(s.from, s.from + s.span).reduce((a, b) => a + b, 0);
    if (have < s.em) for (let k = s.from; k < s.from + s.span; k++) em[k] += (s.em - have) / s.span;
  }
  return em;
}

export function tableLayout(t: Table): TableLayout {
  const em = columnEm(t);
  const natural = em.reduce((a, b) => a + b, 0);
  const orientation = natural * MIN_PORTRAIT_PT <= TEXT_WIDTH_PT.portrait ? "portrait" : "landscape";
  const width = TEXT_WIDTH_PT[orientation];
  // The largest size that fits, in half-point steps as Word's size box has them.
  const fontPt = Math.min(BODY_PT, Math.max(MIN_PT, Math.floor((2 * width) / natural) / 2));
  const scale = width / natural;
  return { orientation, fontPt, columnsPt: em.map((e) => e * scale) };
}
