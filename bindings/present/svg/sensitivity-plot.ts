// The sensitivity plot of HonestDiD (createSensitivityPlot): the original confidence interval, then the
// robust confidence set for each bound M, as vertical intervals against M, with a line at zero. The
// original is drawn in Okabe and Ito's vermillion, the robust sets in blue (told apart in colour-vision
// deficiencies and, by the label under each, in greyscale).
import type { SensitivityResult } from "../../estimators/honestdid/sensitivity.js";
import { DEFAULT_FRAME, axes, fmtTick, linearScale, pad, svgDocument } from "./canvas.js";
import { POST_COLOUR, PRE_COLOUR } from "./coefplot.js";
import { fillText } from "./fill-text.js";

/** The words the plot draws, English by default (a report passes its language's); templates fill {name}. */
export interface SensitivityPlotText {
  /** "Sensitivity analysis ({restriction}, {method})". */
  readonly title?: string;
  /** The restriction's name for relative magnitudes (Mbar) and for smoothness (M). */
  readonly relativeMagnitudes?: string;
  readonly smoothness?: string;
  /** The x axis: "{bound}" (Mbar or M). */
  readonly xLabel?: string;
  /** "{level}% confidence set". */
  readonly yLabel?: string;
  /** The tick under the original interval. */
  readonly original?: string;
  /** The figure's description (its SVG title): "{title}: confidence sets by {bound}". */
  readonly description?: string;
}

export const SENSITIVITY_PLOT_EN: Required<SensitivityPlotText> = {
  title: "Sensitivity analysis ({restriction}, {method})",
  relativeMagnitudes: "relative magnitudes",
  smoothness: "smoothness",
  xLabel: "{bound}",
  yLabel: "{level}% confidence set",
  original: "Original",
  description: "{title}: confidence sets by {bound}",
};

/** What the plot reads of a sensitivity result (the command's result, or its JSON in a report). */
export type SensitivityPlotInput = Pick<SensitivityResult, "original" | "robust" | "method" | "alpha">;

export function sensitivityPlotSvg(r: SensitivityPlotInput, o: { readonly title?: string; readonly text?: SensitivityPlotText } = {}): string {
  const t = { ...SENSITIVITY_PLOT_EN, ...o.text };
  const f = DEFAULT_FRAME;
  const bound = r.robust[0]?.delta === "SD" ? "M" : "Mbar";
  const bars = [
    { label: t.original, lb: r.original.lb, ub: r.original.ub, colour: PRE_COLOUR },
    ...r.robust.filter((x) => x.lb !== null && x.ub !== null).map((x) => ({ label: fmtTick(x.m), lb: x.lb!, ub: x.ub!, colour: POST_COLOUR })),
  ];
  const x = linearScale([-0.6, bars.length - 0.4], [f.left, f.width - f.right]);
  const y = linearScale(pad(Math.min(0, ...bars.map((b) => b.lb)), Math.max(0, ...bars.map((b) => b.ub)), 0.08), [f.height - f.bottom, f.top]);
  const title = o.title ?? fillText(t.title, { restriction: r.robust[0]?.delta === "SD" ? t.smoothness : t.relativeMagnitudes, method: r.method });
  const parts = [
    axes(f, x, y, { title, xLabel: fillText(t.xLabel, { bound }), yLabel: fillText(t.yLabel, { level: Math.round((1 - r.alpha) * 100) }), xTicks: bars.map((_, i) => i), xTickText: (v) => bars[v]?.label ?? "" }),
    `<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(0)}" y2="${y(0)}" stroke="#6b7280" stroke-width="1"/>`,
  ];
  bars.forEach((b, i) => {
    const px = x(i);
    const tip = `<title>${b.label}: [${b.lb.toPrecision(4)}, ${b.ub.toPrecision(4)}]</title>`;
    parts.push(`<line x1="${px}" x2="${px}" y1="${y(b.lb)}" y2="${y(b.ub)}" stroke="${b.colour}" stroke-width="2.4">${tip}</line>`);
    parts.push(`<line x1="${px - 6}" x2="${px + 6}" y1="${y(b.lb)}" y2="${y(b.lb)}" stroke="${b.colour}" stroke-width="1.6"/>`);
    parts.push(`<line x1="${px - 6}" x2="${px + 6}" y1="${y(b.ub)}" y2="${y(b.ub)}" stroke="${b.colour}" stroke-width="1.6"/>`);
  });
  return svgDocument(f, parts.join("\n"), fillText(t.description, { title, bound }));
}
