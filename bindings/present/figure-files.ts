// Figure files: a figure (an SVG string, as every command and the report draw it) written as SVG, PDF or PNG
// at a print size. Browser-safe (no node: modules); the renderers load on first use (figure-files-png.ts,
// figure-files-pdf.ts), so importing this costs nothing. The CLI supplies fonts and resvg's WebAssembly
// from the package (cli/figure-assets.ts); a web page fetches them.
import type { FigureFonts } from "./figure-files-fonts.js";
import { svgToPdf } from "./figure-files-pdf.js";
import { svgToPng, type ResvgWasm } from "./figure-files-png.js";
import { svgAtPrintSize, type PlotSize } from "./figure-files-size.js";

export { FIGURE_FONT_FAMILY, FIGURE_FONT_FILES, type FigureFonts } from "./figure-files-fonts.js";
export { figureFileStem, figureSlug } from "./figure-files-name.js";
export { svgToPdf, type PdfOptions } from "./figure-files-pdf.js";
export { svgToPng, type PngOptions, type ResvgWasm } from "./figure-files-png.js";
export { PLOT_SIZES, PNG_DPI, PRINT_WIDTH_IN, printInches, svgAtPrintSize, type PlotSize } from "./figure-files-size.js";

export const FIGURE_FORMATS = ["svg", "pdf", "png"] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

/** The format a file name asks for by its extension (case-insensitive), or null for any other. */
export function figureFormatOf(path: string): FigureFormat | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return (FIGURE_FORMATS as readonly string[]).includes(ext ?? "") ? (ext as FigureFormat) : null;
}

/** What drawing PDF and PNG needs (SVG needs nothing). */
export interface FigureAssets {
  readonly fonts: FigureFonts;
  readonly resvgWasm: ResvgWasm;
}

/** The figure file's bytes: SVG text (UTF-8) sized in inches, or a rendered PDF or PNG. */
export async function figureFile(svg: string, format: FigureFormat, size: PlotSize, assets: () => FigureAssets | Promise<FigureAssets>): Promise<Uint8Array> {
  if (format === "svg") return new TextEncoder().encode(svgAtPrintSize(svg, size));
  const a = await assets();
  return format === "pdf" ? svgToPdf(svg, { size, fonts: a.fonts }) : svgToPng(svg, { size, fonts: a.fonts, resvgWasm: a.resvgWasm });
}
