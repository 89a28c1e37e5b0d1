// Print sizes of figure files: a figure is scaled whole (its drawing keeps its proportions) to a journal's
// one-column or two-column width, and PNGs are rasterised at 300 dpi, what journals ask of line art with
// text. The SVG's own size (in CSS pixels) says only its proportions.
import { DidwasmError } from "../errors.js";

export const PLOT_SIZES = ["single", "double"] as const;
export type PlotSize = (typeof PLOT_SIZES)[number];

/** Widths in inches: one column (3.5 in, 89 mm, Elsevier's single column) and the full text width of a
 *  two-column page (7 in, 178 mm). */
export const PRINT_WIDTH_IN: Readonly<Record<PlotSize, number>> = { single: 3.5, double: 7 };

/** Dots per inch of PNG figures. */
export const PNG_DPI = 300;

export const POINTS_PER_INCH = 72;

/** The root <svg> tag of a figure. */
const ROOT = /<svg\b[^>]*>/;

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** A figure's width and height in its own units, from the root's viewBox (else its width and height). */
export function svgDimensions(svg: string): { width: number; height: number } {
  const tag = ROOT.exec(svg)?.[0];
  if (!tag) throw new DidwasmError("BAD_DATA", "not an SVG figure: no <svg> element");
  const box = attr(tag, "viewBox")?.trim().split(/[\s,]+/).map(Number);
  const [width, height] = box?.length === 4 ? [box[2], box[3]] : [parseFloat(attr(tag, "width") ?? ""), parseFloat(attr(tag, "height") ?? "")];
  if (!(width > 0 && height > 0)) throw new DidwasmError("BAD_DATA", "the SVG figure has no usable size (viewBox or width and height)");
  return { width, height };
}

/** The figure's size on paper, in inches, at the chosen width. */
export function printInches(svg: string, size: PlotSize): { width: number; height: number } {
  const d = svgDimensions(svg);
  const width = PRINT_WIDTH_IN[size];
  return { width, height: (width * d.height) / d.width };
}

/** The SVG with its root's width and height set (the viewBox keeps the drawing's coordinates). */
export function svgWithSize(svg: string, width: string, height: string): string {
  return svg.replace(ROOT, (tag) => {
    const d = svgDimensions(tag + "</svg>");
    const withBox = attr(tag, "viewBox") ? tag : tag.replace(/^<svg\b/, `<svg viewBox="0 0 ${d.width} ${d.height}"`);
    const sized = (t: string, name: string, v: string) => (attr(t, name) !== undefined ? t.replace(new RegExp(`\\s${name}="[^"]*"`), ` ${name}="${v}"`) : t.replace(/^<svg\b/, `<svg ${name}="${v}"`));
    return sized(sized(withBox, "width", width), "height", height);
  });
}

/** The SVG with its size in inches, so that Word, Inkscape and LaTeX's svg package place it at print size. */
export function svgAtPrintSize(svg: string, size: PlotSize): string {
  const { width, height } = printInches(svg, size);
  const inches = (v: number) => `${Number(v.toFixed(4))}in`;
  return svgWithSize(svg, inches(width), inches(height));
}
