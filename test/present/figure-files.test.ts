// Figure files (bindings/present/figure-files.ts): PNG at 300 dpi and PDF at the two print widths, fonts
// embedded, Chinese drawn with real glyphs (not missing-glyph boxes), the SVG sized in inches, and the
// report's file names. Text in the PDFs is read back with pdftotext (Debian poppler-utils, see .ci/run).
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  figureFile, figureFileStem, figureFormatOf, figureSlug, PNG_DPI, printInches, PRINT_WIDTH_IN, svgAtPrintSize, svgToPdf, svgToPng, type PlotSize,
} from "../../bindings/present/figure-files.js";
import { coefPlotSvg } from "../../bindings/present/svg/coefplot.js";
import { figureAssets } from "../../cli/figure-assets.js";

const assets = figureAssets();
const dir = mkdtempSync(join(tmpdir(), "didwasm-figures-"));

const points = [-3, -2, 0, 1, 2].map((k) => ({ rel_time: k, estimate: 0.01 * k, conf_low: 0.01 * k - 0.02, conf_high: 0.01 * k + 0.02 }));
const plot = (title: string) => coefPlotSvg(points, { title });

/** One line of text on a white page, in the figures' font list. */
const label = (text: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" viewBox="0 0 400 100"><rect width="100%" height="100%" fill="white"/>` +
  `<text x="200" y="60" font-size="40" text-anchor="middle" font-family="Helvetica, Arial, sans-serif">${text}</text></svg>`;

const png = (svg: string, size: PlotSize = "double") => svgToPng(svg, { size, fonts: assets.fonts, resvgWasm: assets.resvgWasm });
const pdf = (svg: string, size: PlotSize = "double") => svgToPdf(svg, { size, fonts: assets.fonts });

function pngHeader(bytes: Uint8Array): { width: number; height: number; chunks: string[]; ppm: number | null } {
  const b = Buffer.from(bytes);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: string[] = [];
  let ppm: number | null = null;
  for (let p = 8; p < b.length; ) {
    const n = b.readUInt32BE(p);
    const type = b.toString("latin1", p + 4, p + 8);
    chunks.push(type);
    if (type === "pHYs") {
      expect(b.readUInt32BE(p + 8)).toBe(b.readUInt32BE(p + 12));
      expect(b[p + 16]).toBe(1); // unit: metre
      ppm = b.readUInt32BE(p + 8);
    }
    p += 12 + n;
  }
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), chunks, ppm };
}

function pdfText(bytes: Uint8Array, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
}

/** The page size of a one-page PDF in points, from its MediaBox. */
function mediaBox(bytes: Uint8Array): number[] {
  const m = /\/MediaBox \[([^\]]+)\]/.exec(Buffer.from(bytes).toString("latin1"));
  return m![1].trim().split(/\s+/).map(Number);
}

describe("PNG", () => {
  it("is the print width at 300 dpi, with the figure's proportions, and says so in a pHYs chunk before the image data", async () => {
    for (const size of ["single", "double"] as const) {
      const h = pngHeader(await png(plot("Event study"), size));
      expect(h.width).toBe(PRINT_WIDTH_IN[size] * PNG_DPI); // 1050 and 2100 pixels
      expect(h.height).toBe(Math.round((h.width * 400) / 640));
      expect(h.ppm).toBe(11811); // 300 / 0.0254, rounded
      expect(h.chunks.indexOf("pHYs")).toBe(1);
      expect(h.chunks.indexOf("pHYs")).toBeLessThan(h.chunks.indexOf("IDAT"));
      expect(h.chunks.at(-1)).toBe("IEND");
    }
  });

  it("draws Chinese with the bundled font: a Chinese title changes the image, and its glyphs are not missing-glyph boxes", async () => {
    const withTitle = await png(plot("事件研究：智慧城市试点"));
    const without = await png(plot(""));
    expect(Buffer.from(withTitle).equals(Buffer.from(without))).toBe(false);
    // Characters the font lacks (CJK Extension A, outside GB2312) all draw the same box: the control.
    const boxes1 = await png(label("㐀㐁㐂㐃"));
    const boxes2 = await png(label("㐄㐅㐆㐇"));
    expect(Buffer.from(boxes1).equals(Buffer.from(boxes2))).toBe(true);
    // Chinese the font has draws glyphs, each different, so neither string looks like the boxes or the other.
    const zh1 = await png(label("智慧城市"));
    const zh2 = await png(label("创新韧性"));
    expect(Buffer.from(zh1).equals(Buffer.from(boxes1))).toBe(false);
    expect(Buffer.from(zh1).equals(Buffer.from(zh2))).toBe(false);
  });
});

describe("PDF", () => {
  it("is one page the print size, with the CJK font embedded as a subset, and its text (Chinese too) extractable", async () => {
    for (const size of ["single", "double"] as const) {
      const bytes = await pdf(plot("事件研究：智慧城市试点 (ire)"), size);
      const raw = Buffer.from(bytes).toString("latin1");
      expect(raw.startsWith("%PDF-")).toBe(true);
      const width = PRINT_WIDTH_IN[size] * 72;
      expect(mediaBox(bytes)).toEqual([0, 0, width, (width * 400) / 640]);
      // Embedded (FontFile2: a TrueType program) and subset (the six-letter tag before the name).
      expect(raw).toMatch(/\/FontFile2 /);
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansCJKsc-Bold/);
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansCJKsc-Regular/);
      expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
      const text = pdfText(bytes, `zh-${size}.pdf`);
      expect(text).toContain("事件研究：智慧城市试点 (ire)");
      expect(text).toContain("Periods relative to treatment");
      expect(text).toContain("treatment starts");
    }
  });

  it("has the SVG's title as its document title, and refuses an SVG feature it cannot draw rather than dropping it", async () => {
    writeFileSync(join(dir, "title.pdf"), await pdf(plot("安慰剂检验 Placebo")));
    const info = execFileSync("pdfinfo", [join(dir, "title.pdf")], { encoding: "utf8" });
    expect(info).toMatch(/^Title: +安慰剂检验 Placebo$/m);
    expect(info).toMatch(/^Creator: +didwasm$/m);
    const warnings: string[] = [];
    const odd = `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50"><polyline points="0 0 10 10 20" stroke="black"/></svg>`;
    await svgToPdf(odd, { size: "single", fonts: assets.fonts, onWarning: (m) => warnings.push(m) });
    expect(warnings.length).toBeGreaterThan(0);
    await expect(pdf(odd)).rejects.toThrow(/could not be drawn as PDF/);
  });
});

describe("SVG at print size, formats and names", () => {
  it("sets the root's width and height in inches and keeps the drawing's coordinates in the viewBox", () => {
    const svg = plot("x");
    expect(printInches(svg, "single")).toEqual({ width: 3.5, height: 2.1875 });
    const sized = svgAtPrintSize(svg, "single");
    expect(sized).toMatch(/^<svg [^>]*width="3.5in" height="2.1875in" viewBox="0 0 640 400"/);
    expect(sized.replace(/width="3.5in" height="2.1875in"/, 'width="640" height="400"')).toBe(svg);
    // Stroke widths and inner elements keep their sizes.
    expect(sized.match(/stroke-width="1.6"/g)?.length).toBe(svg.match(/stroke-width="1.6"/g)?.length);
    const noBox = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="10" height="10"/></svg>';
    expect(svgAtPrintSize(noBox, "double")).toBe('<svg viewBox="0 0 200 100" xmlns="http://www.w3.org/2000/svg" width="7in" height="3.5in"><rect width="10" height="10"/></svg>');
    expect(() => printInches("<p>not a figure</p>", "single")).toThrow(/no <svg> element/);
  });

  it("figureFile writes SVG text without loading the renderers, and PDF and PNG with them", async () => {
    const never = () => {
      throw new Error("assets are not needed for SVG");
    };
    const svg = new TextDecoder().decode(await figureFile(plot("t"), "svg", "double", never));
    expect(svg).toContain('width="7in"');
    expect(Buffer.from(await figureFile(plot("t"), "pdf", "double", () => assets)).toString("latin1", 0, 5)).toBe("%PDF-");
    expect(pngHeader(await figureFile(plot("t"), "png", "single", () => assets)).width).toBe(1050);
  });

  it("the extension chooses the format, in any case; others are none", () => {
    expect(["a.svg", "b.PDF", "dir.x/c.Png"].map(figureFormatOf)).toEqual(["svg", "pdf", "png"]);
    expect(["a.jpg", "a.svgz", "pdf", "a."].map(figureFormatOf)).toEqual([null, null, null, null]);
  });

  it("report figure files are fig-<n>-<slug>, the slug from the caption's head", () => {
    expect(figureFileStem(3, "Figure 3: Event study of ire: estimates and 95% confidence intervals")).toBe("fig-3-event-study-of-ire");
    expect(figureFileStem(5, "Figure 5: Kernel density of 500 placebo estimates; the dashed line marks the true estimate")).toBe("fig-5-kernel-density-of-500-placebo");
    expect(figureFileStem(1, "Figure 1: Goodman-Bacon decomposition: 2x2 estimates against their weights")).toBe("fig-1-goodman-bacon-decomposition");
    expect(figureSlug("Figure 2: Propensity-score densities of treated and control units, before and after matching")).toBe("propensity-score-densities-of-treated");
    expect(figureSlug("Figure 4: Café événement")).toBe("cafe-evenement");
    expect(figureFileStem(4, "图4：平行趋势检验")).toBe("fig-4");
    expect(figureFileStem(6, "Figure 6: 平行趋势 (ire)")).toBe("fig-6-ire");
    expect(figureFileStem(2, "Figure 2: Event study of 创新效率: estimates")).toBe("fig-2-event-study");
  });
});
