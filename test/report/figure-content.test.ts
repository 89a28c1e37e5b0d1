// What the figures say: the event-study plot labels binned end points ≤-5 and ≥5 and colours pre- and
// post-treatment periods apart (colour-blind-safe colours, two shapes, a legend); the placebo density
// writes the true estimate and the p-value inside its plot frame, on the side with room.
import { describe, expect, it } from "vitest";
import { POST_COLOUR, PRE_COLOUR, coefPlotSvg } from "../../bindings/present/svg/coefplot.js";
import { densitySvg } from "../../bindings/present/svg/density.js";
import { SANS_METRICS, textEm } from "../../bindings/present/tables/width.js";

const points = [-5, -4, -3, -2, 0, 1, 2, 3, 4, 5].map((k) => ({ rel_time: k, estimate: k * 0.01, conf_low: k * 0.01 - 0.02, conf_high: k * 0.01 + 0.02 }));

/** The text elements of an SVG: position, anchor, size and content. */
function texts(svg: string) {
  return [...svg.matchAll(/<text x="([\d.-]+)" y="([\d.-]+)" text-anchor="(\w+)" font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
    x: Number(m[1]), y: Number(m[2]), anchor: m[3], size: Number(m[4]), text: m[5].replace(/&amp;/g, "&"),
  }));
}

/** The plot frame: the axes' rectangle. */
function frame(svg: string) {
  const m = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="none"/.exec(svg)!;
  const [x, y, w, h] = m.slice(1).map(Number);
  return { left: x, top: y, right: x + w, bottom: y + h };
}

describe("event-study figure", () => {
  it("binned end points read ≤-5 and ≥5, the others their period", () => {
    const ticks = texts(coefPlotSvg(points, { ref: -1, bin: 5 })).filter((t) => t.anchor === "middle" && t.size === 11).map((t) => t.text);
    expect(ticks).toEqual(["≤-5", "-4", "-3", "-2", "-1", "0", "1", "2", "3", "4", "≥5"]);
    const unbinned = texts(coefPlotSvg(points, { ref: -1 })).filter((t) => t.anchor === "middle" && t.size === 11).map((t) => t.text);
    expect(unbinned[0]).toBe("-5");
    expect(unbinned.at(-1)).toBe("5");
  });

  it("pre-treatment periods in vermillion circles, post-treatment in blue squares, with a legend", () => {
    const svg = coefPlotSvg(points, { ref: -1, bin: 5 });
    // Four estimated pre periods plus the legend's circle; six post periods plus the legend's square.
    expect((svg.match(new RegExp(`<circle [^>]*fill="${PRE_COLOUR}"`, "g")) ?? []).length).toBe(5);
    expect((svg.match(new RegExp(`<rect [^>]*fill="${POST_COLOUR}"`, "g")) ?? []).length).toBe(7);
    // The reference period: hollow, in the pre colour.
    expect(svg).toMatch(new RegExp(`<circle [^>]*fill="white" stroke="${PRE_COLOUR}"[^>]*><title>reference period -1`));
    const legend = texts(svg).filter((t) => /^(Pre|Post)-treatment$/.test(t.text));
    expect(legend.map((t) => t.text)).toEqual(["Pre-treatment", "Post-treatment"]);
    const f = frame(svg);
    for (const t of legend) expect(t.x + textEm(t.text, SANS_METRICS) * t.size).toBeLessThanOrEqual(f.right);
  });
});

describe("placebo figure", () => {
  const draws = Array.from({ length: 400 }, (_, i) => Math.sin(i * 12.9898) * 0.01);
  for (const [where, estimate] of [["right of the draws", 0.025], ["left of the draws", -0.03], ["among the draws", 0.001]] as const) {
    it(`the true estimate and the p-value are inside the frame (estimate ${where})`, () => {
      const svg = densitySvg(draws, estimate, { pValue: 0.0425, pLabel: "two-sided p" });
      const f = frame(svg);
      const lines = texts(svg).filter((t) => /^(true estimate|two-sided p)/.test(t.text));
      expect(lines.map((t) => t.text)).toEqual([`true estimate ${estimate.toPrecision(4)}`, "two-sided p = 0.043"]);
      for (const t of lines) {
        const w = textEm(t.text, SANS_METRICS) * t.size;
        const [x0, x1] = t.anchor === "start" ? [t.x, t.x + w] : [t.x - w, t.x];
        expect(x0, t.text).toBeGreaterThanOrEqual(f.left);
        expect(x1, t.text).toBeLessThanOrEqual(f.right);
        expect(t.y - t.size).toBeGreaterThanOrEqual(f.top);
        expect(t.y).toBeLessThanOrEqual(f.bottom);
      }
    });
  }

  it("without a p-value only the estimate is written", () => {
    expect(texts(densitySvg(draws, 0.02)).some((t) => t.text.includes(" p = "))).toBe(false);
  });
});
