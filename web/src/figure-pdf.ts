// A figure's SVG as a PDF, drawn by the library's own PDF writer (bindings/present/figure-files-pdf.ts:
// pdfkit's browser build and svg-to-pdfkit, the same code `didwasm ... --plot fig.pdf` runs in Node), with the
// package's fonts embedded as subsets, so a PDF from the page is the one the command line writes: vector
// drawing, text as text, Chinese included. The writer (about 230 kB gzipped) and the two fonts (about 2.7 MB
// gzipped, ./figure-fonts.ts) load on the first PDF asked for, never with the page.

/** The bytes of a base64 data: URL (decoded here: fetching even a data: URL counts as a connection for the
 *  page's Content-Security-Policy). */
export function dataUrlBytes(url: string): Uint8Array {
  const b64 = url.slice(url.indexOf(",") + 1);
  const text = atob(b64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

let fonts: Promise<{ regular: Uint8Array; bold: Uint8Array }> | null = null;

/** The figure as a one-page PDF, one column (3.5 in) wide as journals print figures. */
export async function svgToPdfBlob(svg: string): Promise<Blob> {
  fonts ??= import("./figure-fonts.js").then(({ FIGURE_FONT_DATA_URLS: f }) => ({ regular: dataUrlBytes(f.regular), bold: dataUrlBytes(f.bold) }));
  // A failed load may be retried by the next click.
  fonts.catch(() => (fonts = null));
  const [{ svgToPdf }, f] = await Promise.all([import("../../bindings/present/figure-files-pdf.js"), fonts]);
  const bytes = await svgToPdf(svg, { size: "single", fonts: f });
  return new Blob([bytes as BlobPart], { type: "application/pdf" });
}
