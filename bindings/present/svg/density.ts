// Density of placebo draws (kernel density, Silverman bandwidth) with the true estimate marked: the seed
// study's Figure 2. The true estimate and, when given, the p-value are written inside the plot frame, beside
// the estimate's line on the side with room for them, so that a cropped or printed figure keeps them.
import { kernelDensity, silvermanBandwidth } from "../../stats/kde.js";
import { SANS_METRICS, textEm } from "../tables/width.js";
import { DEFAULT_FRAME, axes, label, linearScale, pad, svgDocument } from "./canvas.js";

export interface DensityOptions {
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Words before the true estimate's value inside the frame (default "true estimate"). */
  readonly estimateLabel?: string;
  /** The p-value of the true estimate among the draws (written under it), and what it is ("two-sided p"). */
  readonly pValue?: number;
  readonly pLabel?: string;
}

const LABEL_SIZE = 11;

export function densitySvg(draws: ArrayLike<number>, estimate: number, o: DensityOptions = {}): string {
  const f = DEFAULT_FRAME;
  const h = silvermanBandwidth(draws);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < draws.length; i++) {
    lo = Math.min(lo, draws[i]);
    hi = Math.max(hi, draws[i]);
  }
  lo = Math.min(lo - 3 * h, estimate);
  hi = Math.max(hi + 3 * h, estimate);
  const grid = Array.from({ length: 200 }, (_, i) => lo + ((hi - lo) * i) / 199);
  const dens = kernelDensity(draws, grid, h);
  const x = linearScale(pad(lo, hi, 0.03), [f.left, f.width - f.right]);
  const y = linearScale([0, Math.max(...dens) * 1.08], [f.height - f.bottom, f.top]);
  const parts = [axes(f, x, y, { title: o.title ?? "Placebo test", xLabel: o.xLabel ?? "Placebo estimates", yLabel: o.yLabel ?? "Density" })];
  const line = grid.map((g, i) => `${i ? "L" : "M"}${x(g).toFixed(2)} ${y(dens[i]).toFixed(2)}`).join(" ");
  parts.push(`<path d="${line} L${x(grid[199]).toFixed(2)} ${y(0)} L${x(grid[0]).toFixed(2)} ${y(0)} Z" fill="#bfdbfe" fill-opacity="0.6" stroke="none"/>`);
  parts.push(`<path d="${line}" fill="none" stroke="#1d4ed8" stroke-width="1.8"/>`);
  // The rug: one path (a line per distinct pixel column), so 20,000 draws stay a small figure.
  const ticks = new Set<string>();
  for (let i = 0; i < draws.length; i++) ticks.add(x(draws[i]).toFixed(1));
  const base = f.height - f.bottom;
  parts.push(`<path d="${[...ticks].map((px) => `M${px} ${base}V${base - 5}`).join("")}" stroke="#1d4ed8" stroke-opacity="0.35" fill="none"/>`);
  const ex = x(estimate);
  parts.push(`<line x1="${ex}" x2="${ex}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#b91c1c" stroke-width="1.8" stroke-dasharray="6 4"/>`);
  const lines = [`${o.estimateLabel ?? "true estimate"} ${estimate.toPrecision(4)}`, ...(o.pValue !== undefined && Number.isFinite(o.pValue) ? [`${o.pLabel ?? "p"} = ${o.pValue.toFixed(3)}`] : [])];
  // Right of the line when the longest text fits there, else left of it.
  const textWidth = Math.max(...lines.map((t) => textEm(t, SANS_METRICS) * LABEL_SIZE));
  const right = ex + 6 + textWidth <= f.width - f.right;
  lines.forEach((t, i) => parts.push(label(right ? ex + 6 : ex - 6, f.top + 16 + 15 * i, t, { anchor: right ? "start" : "end", fill: "#b91c1c", size: LABEL_SIZE })));
  return svgDocument(f, parts.join("\n"), o.title ?? "Kernel density of placebo estimates with the true estimate");
}
