// One table model (present/tables/model.ts) as Word content: its caption, a real Word table in the
// three-line style of journals (a heavy rule above and below, a light one under the header, light rules
// where the model has them, and under spanning header cells), stars as superscripts, and its notes.
// The docx library is passed in, so that it is loaded only when a Word file is written.
import type { Paragraph as ParagraphT, Table as TableT } from "docx";
import { tableLayout, type TableLayout } from "./docx-layout.js";
import { spanOf, type Align, type Cell, type Table } from "./tables/model.js";

type Docx = typeof import("docx");

/** Rule weights in eighths of a point, as Word stores them: 1.5 pt and 0.5 pt. */
const HEAVY = 12;
const LIGHT = 4;
const TWIPS_PER_PT = 20;

export interface WordTable {
  readonly layout: TableLayout;
  /** Caption, table and notes, in that order. */
  readonly content: ReadonlyArray<ParagraphT | TableT>;
}

export function wordTable(d: Docx, t: Table): WordTable {
  const layout = tableLayout(t);
  const size = layout.fontPt * 2; // half-points
  const line = (weight: number) => ({ style: d.BorderStyle.SINGLE, size: weight, color: "000000" });
  const none = { style: d.BorderStyle.NONE, size: 0, color: "auto" };
  const alignment = (a: Align) => (a === "l" ? d.AlignmentType.LEFT : a === "r" ? d.AlignmentType.RIGHT : d.AlignmentType.CENTER);

  const runs = (c: Cell) => [
    new d.TextRun({ text: c.text, size }),
    ...(c.sup ? [new d.TextRun({ text: c.sup, size, superScript: true })] : []),
  ];

  interface Rules {
    readonly top?: number;
    readonly bottom?: number;
    readonly underSpans?: boolean;
  }
  // The caption, the header and the first body row stay on one page; a longer table may break after that
  // (its header repeats), rather than leave its caption alone at the foot of a page.
  const rowOf = (cells: readonly Cell[], rules: Rules, header: boolean, keepNext: boolean) => {
    let j = 0;
    const children = cells.map((c) => {
      const span = spanOf(c);
      const align = span > 1 ? (c.align ?? "c") : (t.align[j] ?? "l");
      const width = layout.columnsPt.slice(j, j + span).reduce((a, b) => a + b, 0);
      j += span;
      const bottom = rules.bottom ?? (rules.underSpans && span > 1 ? LIGHT : undefined);
      return new d.TableCell({
        children: [new d.Paragraph({ children: runs(c), alignment: alignment(align), keepNext })],
        columnSpan: span > 1 ? span : undefined,
        width: { size: Math.round(width * TWIPS_PER_PT), type: d.WidthType.DXA },
        borders: { top: rules.top ? line(rules.top) : none, bottom: bottom ? line(bottom) : none, left: none, right: none },
        margins: { left: 80, right: 80, top: 20, bottom: 20 },
        verticalAlign: d.VerticalAlign.CENTER,
      });
    });
    return new d.TableRow({ children, tableHeader: header, cantSplit: true });
  };

  const rows: InstanceType<Docx["TableRow"]>[] = [];
  t.header.forEach((h, i) => {
    const last = i === t.header.length - 1;
    rows.push(rowOf(h.cells, { top: i === 0 ? HEAVY : undefined, bottom: last ? LIGHT : undefined, underSpans: h.underlineSpans }, true, true));
  });
  const body = t.body;
  body.forEach((r, i) => {
    if (r.kind === "rule") return;
    const afterRule = i > 0 && body[i - 1].kind === "rule";
    const last = !body.slice(i + 1).some((x) => x.kind === "row");
    const first = rows.length === 0;
    const firstBody = rows.length === t.header.length;
    rows.push(rowOf(r.cells, { top: first ? HEAVY : afterRule ? LIGHT : undefined, bottom: last ? HEAVY : undefined }, false, firstBody));
  });

  const table = new d.Table({
    rows,
    width: { size: 100, type: d.WidthType.PERCENTAGE },
    columnWidths: layout.columnsPt.map((w) => Math.round(w * TWIPS_PER_PT)),
    layout: d.TableLayoutType.FIXED,
    borders: d.TableBorders.NONE,
    alignment: d.AlignmentType.CENTER,
  });
  const content: Array<ParagraphT | TableT> = [];
  if (t.caption) {
    content.push(new d.Paragraph({ children: [new d.TextRun({ text: t.caption, bold: true, size: 21 })], alignment: d.AlignmentType.CENTER, keepNext: true, spacing: { before: 240, after: 120 } }));
  }
  content.push(table);
  const noteSize = Math.max(14, size - 2);
  t.notes.forEach((note, i) => {
    content.push(new d.Paragraph({ children: [new d.TextRun({ text: note, size: noteSize })], spacing: { before: i === 0 ? 60 : 0, after: 0 } }));
  });
  content.push(new d.Paragraph({ children: [], spacing: { after: 240 } }));
  return { layout, content };
}
