// The report's files beside its page: every figure as SVG, PDF and PNG (figures/fig-<n>-<slug>.<ext>, named
// by present/figure-files-name.ts, which the page's links use too) and every table in one Word document
// (tables.docx) and one RTF document (tables.rtf), under the section headings. Browser-safe: the CLI writes the bytes; a page could zip them.
import { tablesToDocx, type WordPart } from "../present/docx.js";
import { tablesToRtf } from "../present/rtf.js";
import { FIGURE_FORMATS, figureFile, figureFileStem, type FigureAssets, type PlotSize } from "../present/figure-files.js";
import type { SectionBlocks } from "./blocks.js";

/** The folder of the figure files, inside the report's folder. */
export const FIGURES_FOLDER = "figures";

export interface ReportFile {
  /** Relative to the report's folder, with "/" separators. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Each figure of the report in each format, at the given print width. */
export async function reportFigureFiles(sections: readonly SectionBlocks[], size: PlotSize, assets: () => FigureAssets | Promise<FigureAssets>): Promise<ReportFile[]> {
  const out: ReportFile[] = [];
  let loaded: Promise<FigureAssets> | null = null;
  const once = () => (loaded ??= Promise.resolve(assets()));
  for (const s of sections) {
    for (const b of s.blocks) {
      if (b.kind !== "figure") continue;
      const stem = figureFileStem(b.number, b.caption);
      for (const format of FIGURE_FORMATS) out.push({ path: `${FIGURES_FOLDER}/${stem}.${format}`, bytes: await figureFile(b.svg, format, size, once) });
    }
  }
  return out;
}

/** Each section's heading and its tables (sections without tables left out). */
function tableParts(sections: readonly SectionBlocks[]): WordPart[] {
  const parts: WordPart[] = [];
  for (const s of sections) {
    const tables = s.blocks.flatMap((b) => (b.kind === "table" ? [b.table] : []));
    if (tables.length === 0) continue;
    parts.push({ heading: `${s.number}. ${s.title}` }, ...tables.map((table) => ({ table })));
  }
  return parts;
}

/** tables.docx: the report's title, then each section's heading and its tables. */
export function reportTablesDocx(title: string, sections: readonly SectionBlocks[]): Promise<Uint8Array> {
  return tablesToDocx(tableParts(sections), { title });
}

/** tables.rtf: the same document as tables.docx, as RTF. */
export function reportTablesRtf(title: string, sections: readonly SectionBlocks[]): string {
  return tablesToRtf(tableParts(sections), { title });
}
