// The sensitivity plot of HonestDiD (createSensitivityPlot): the original confidence interval, then the
// robust confidence set for each bound M, as vertical intervals against M, with a line at zero. The
// original is drawn in Okabe and Ito's vermillion, the robust sets in blue (told apart in colour-vision
// deficiencies and, by the label under each, in greyscale).
import type { SensitivityResult } from "../../estimators/honestdid/sensitivity.js";
import { DEFAULT_FRAME, axes, fmtTick, linearScale, pad, svgDocument } from "./canvas.js";
import { POST_COLOUR, PRE_COLOUR } from "./coefplot.js";

export function sensitivityPlotSvg(r: SensitivityResult, o: { readonly title?: string } = {}): string {
  const f = DEFAULT_FRAME;
  const bound = r.robust[0]?.delta === "SD" ? "M" : "Mbar";
  const bars = [
    { label: "Original", lb: r.original.lb, ub: r.original.ub, colour: PRE_COLOUR },
    ...r.robust.filter((x) => x.lb !== null && x.ub !== null).map((x) => ({ label: fmtTick(x.m), lb: x.lb!, ub: x.ub!, colour: POST_COLOUR })),
  ];
  const x = linearScale([-0.6, bars.length - 0.4], [f.left, f.width - f.right]);
  const y = linearScale(pad(Math.min(0, ...bars.map((b) => b.lb)), Math.max(0, ...bars.map((b) => b.ub)), 0.08), [f.height - f.bottom, f.top]);
  const title = o.title ?? `Sensitivity analysis (${r.robust[0]?.delta === "SD" ? "smoothness" : "relative magnitudes"}, ${r.method})`;
  const parts = [
    axes(f, x, y, { title, xLabel: bound, yLabel: `${Math.round((1 - r.alpha) * 100)}% confidence set`, xTicks: bars.map((_, i) => i), xTickText: (v) => bars[v]?.label ?? "" }),
    `<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(0)}" y2="${y(0)}" stroke="#6b7280" stroke-width="1"/>`,
  ];
  bars.forEach((b, i) => {
    const px = x(i);
    const tip = `<title>${b.label}: [${b.lb.toPrecision(4)}, ${b.ub.toPrecision(4)}]</title>`;
    parts.push(`<line x1="${px}" x2="${px}" y1="${y(b.lb)}" y2="${y(b.ub)}" stroke="${b.colour}" stroke-width="2.4">${tip}</line>`);
    parts.push(`<line x1="${px - 6}" x2="${px + 6}" y1="${y(b.lb)}" y2="${y(b.lb)}" stroke="${b.colour}" stroke-width="1.6"/>`);
    parts.push(`<line x1="${px - 6}" x2="${px + 6}" y1="${y(b.ub)}" y2="${y(b.ub)}" stroke="${b.colour}" stroke-width="1.6"/>`);
  });
  return svgDocument(f, parts.join("\n"), `${title}: confidence sets by ${bound}`);
}
