// SVG -> PDF with pdfkit and svg-to-pdfkit: vector drawing on a page the figure's print size, text as real
// text in the given fonts, embedded as subsets (so a journal's checks for unembedded fonts pass and Chinese
// shows on machines without Chinese fonts). Both libraries load on the first PDF asked for. pdfkit picks its
// browser build through its package exports; svg-to-pdfkit parses the SVG itself, with no DOM.
import type { FigureFonts } from "./figure-files-fonts.js";
import { POINTS_PER_INCH, printInches, svgWithSize, type PlotSize } from "./figure-files-size.js";

export interface PdfOptions {
  readonly size: PlotSize;
  readonly fonts: FigureFonts;
  /** The document title (PDF metadata); default the SVG's <title>. */
  readonly title?: string;
  /** What svg-to-pdfkit could not draw (an unsupported SVG feature); by default the PDF is refused. */
  readonly onWarning?: (message: string) => void;
}

const REGULAR = "figure-regular";
const BOLD = "figure-bold";

function svgTitle(svg: string): string | undefined {
  const t = /<title>([^<]*)<\/title>/.exec(svg)?.[1];
  return t?.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

/** The figure as a one-page PDF `size` wide. */
export async function svgToPdf(svg: string, o: PdfOptions): Promise<Uint8Array> {
  const [{ default: PDFDocument }, { default: SVGtoPDF }] = await Promise.all([import("pdfkit"), import("svg-to-pdfkit")]);
  const inches = printInches(svg, o.size);
  const width = inches.width * POINTS_PER_INCH;
  const height = inches.height * POINTS_PER_INCH;
  const title = o.title ?? svgTitle(svg);
  const doc = new PDFDocument({ size: [width, height], margin: 0, font: o.fonts.regular, info: { Creator: "didwasm", ...(title ? { Title: title } : {}) } });
  doc.registerFont(REGULAR, o.fonts.regular);
  doc.registerFont(BOLD, o.fonts.bold);
  const chunks: Uint8Array[] = [];
  const done = new Promise<void>((resolve, reject) => {
    doc.on("data", (c) => chunks.push(c));
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  const problems: string[] = [];
  // The SVG sized in points (unitless, with assumePt: svg-to-pdfkit would read inches at 96 CSS pixels
  // each, then scale by 72/96) fills the page.
  SVGtoPDF(doc, svgWithSize(svg, String(width), String(height)), 0, 0, {
    width, height, assumePt: true,
    // Font weights 600 and above arrive as bold; every family of the SVG's lists maps to the bundled face.
    fontCallback: (_family, bold) => (bold ? BOLD : REGULAR),
    warningCallback: (m) => (o.onWarning ? o.onWarning(m) : problems.push(m)),
  });
  doc.end();
  await done;
  if (problems.length) throw new Error(`the figure could not be drawn as PDF: ${problems.join("; ")}`);
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
