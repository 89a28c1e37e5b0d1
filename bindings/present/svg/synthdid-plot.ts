// synthdid_plot-like figure: the treated units' mean and its synthetic counterpart over time (the
// omega-weighted controls shifted by the lambda-weighted pre-period gap), the adoption period marked; their
// post-period gap averages to the estimate.
import type { CohortResult } from "../../estimators/did/synthdid.js";
import { DEFAULT_FRAME, axes, label, linearScale, pad, svgDocument } from "./canvas.js";

const TREATED = "#b91c1c";
const SYNTHETIC = "#1d4ed8";

function path(points: readonly [number, number][]): string {
  return points.map(([x, y], k) => `${k ? "L" : "M"}${x.toFixed(2)} ${y.toFixed(2)}`).join(" ");
}

export function synthdidPlotSvg(c: CohortResult, o: { title: string; yLabel: string }): string {
  const f = { ...DEFAULT_FRAME, right: 130 };
  const periods = c.trajectory.map((p) => p.period);
  const values = c.trajectory.flatMap((p) => [p.treated, p.synthetic]);
  const x = linearScale(pad(Math.min(...periods), Math.max(...periods), 0.02), [f.left, f.width - f.right]);
  const y = linearScale(pad(Math.min(...values), Math.max(...values)), [f.height - f.bottom, f.top]);
  const parts = [axes(f, x, y, { title: o.title, xLabel: "period", yLabel: o.yLabel })];
  const xa = x(c.adoption);
  parts.push(`<line x1="${xa}" x2="${xa}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#6b7280" stroke-dasharray="5 4"/>`);
  parts.push(`<path d="${path(c.trajectory.map((p) => [x(p.period), y(p.synthetic)]))}" fill="none" stroke="${SYNTHETIC}" stroke-width="2"/>`);
  parts.push(`<path d="${path(c.trajectory.map((p) => [x(p.period), y(p.treated)]))}" fill="none" stroke="${TREATED}" stroke-width="2"/>`);
  const lx = f.width - f.right + 12;
  parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${f.top + 10}" y2="${f.top + 10}" stroke="${TREATED}" stroke-width="2"/>`, label(lx + 24, f.top + 14, "treated"));
  parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${f.top + 30}" y2="${f.top + 30}" stroke="${SYNTHETIC}" stroke-width="2"/>`, label(lx + 24, f.top + 34, "synthetic"));
  return svgDocument(f, parts.join("\n"), o.title);
}
