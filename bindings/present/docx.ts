// Word documents of tables (didwasm describe/table --format docx, the report's tables.docx), made with the
// docx library (loaded on first use; it works in Node and in browsers, and writes no node: modules into a
// page). A4 pages; a table too wide for portrait gets a landscape section of its own. Text is Times New
// Roman with SimSun (宋体) for Chinese, what Chinese and English journals ask for; Word and LibreOffice
// substitute metric-compatible fonts where those are missing.
import type { Paragraph as ParagraphT, Table as TableT } from "docx";
import { wordTable } from "./docx-table.js";
import type { Table } from "./tables/model.js";

/** What a document holds, in order: headings and tables. */
export type WordPart = { readonly heading: string; readonly level?: 1 | 2 } | { readonly table: Table };

export interface WordOptions {
  /** The document's title (its first line, and its metadata). */
  readonly title?: string;
}

/** A4, in twentieths of a point. */
const A4 = { width: 11906, height: 16838 };
const INCH = 1440;
const LATIN_FONT = "Times New Roman";
const CJK_FONT = "SimSun";

/** The parts as a .docx file's bytes. */
export async function tablesToDocx(parts: readonly WordPart[], o: WordOptions = {}): Promise<Uint8Array> {
  const d = await import("docx");
  type Section = { orientation: "portrait" | "landscape"; children: Array<ParagraphT | TableT> };
  const sections: Section[] = [];
  // Headings stay with the table that follows them, in its section.
  let pending: ParagraphT[] = [];
  const add = (orientation: Section["orientation"], children: Array<ParagraphT | TableT>) => {
    const last = sections[sections.length - 1];
    if (last && last.orientation === orientation) last.children.push(...children);
    else sections.push({ orientation, children: [...children] });
  };
  if (o.title) pending.push(new d.Paragraph({ text: o.title, heading: d.HeadingLevel.TITLE, alignment: d.AlignmentType.CENTER }));
  for (const p of parts) {
    if ("heading" in p) {
      pending.push(new d.Paragraph({ text: p.heading, heading: p.level === 2 ? d.HeadingLevel.HEADING_2 : d.HeadingLevel.HEADING_1, keepNext: true }));
    } else {
      const w = wordTable(d, p.table);
      add(w.layout.orientation, [...pending, ...w.content]);
      pending = [];
    }
  }
  if (pending.length || sections.length === 0) add(sections[sections.length - 1]?.orientation ?? "portrait", pending);

  const doc = new d.Document({
    creator: "didwasm",
    title: o.title ?? "didwasm tables",
    styles: {
      default: {
        document: { run: { font: { ascii: LATIN_FONT, hAnsi: LATIN_FONT, cs: LATIN_FONT, eastAsia: CJK_FONT }, size: 21 } },
        heading1: { run: { font: { ascii: LATIN_FONT, hAnsi: LATIN_FONT, eastAsia: CJK_FONT }, size: 26, bold: true, color: "000000" } },
        heading2: { run: { font: { ascii: LATIN_FONT, hAnsi: LATIN_FONT, eastAsia: CJK_FONT }, size: 23, bold: true, color: "000000" } },
        title: { run: { font: { ascii: LATIN_FONT, hAnsi: LATIN_FONT, eastAsia: CJK_FONT }, size: 32, bold: true, color: "000000" } },
      },
    },
    sections: sections.map((s) => ({
      properties: {
        page: {
          size: { width: A4.width, height: A4.height, orientation: s.orientation === "landscape" ? d.PageOrientation.LANDSCAPE : d.PageOrientation.PORTRAIT },
          margin: { top: INCH, bottom: INCH, left: INCH, right: INCH },
        },
      },
      children: s.children,
    })),
  });
  return d.Packer.pack(doc, "uint8array");
}
