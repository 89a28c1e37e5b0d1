// Density of placebo draws (kernel density, Silverman bandwidth) with the true estimate marked: the seed
// study's Figure 2.
import { kernelDensity, silvermanBandwidth } from "../../stats/kde.js";
import { DEFAULT_FRAME, axes, label, linearScale, pad, svgDocument } from "./canvas.js";

export function densitySvg(draws: ArrayLike<number>, estimate: number, o: { title?: string; xLabel?: string } = {}): string {
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
  const parts = [axes(f, x, y, { title: o.title ?? "Placebo test", xLabel: o.xLabel ?? "Placebo estimates", yLabel: "Density" })];
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
  parts.push(label(ex + (ex > f.width / 2 ? -6 : 6), f.top + 16, `true estimate ${estimate.toPrecision(4)}`, { anchor: ex > f.width / 2 ? "end" : "start", fill: "#b91c1c" }));
  return svgDocument(f, parts.join("\n"), o.title ?? "Kernel density of placebo estimates with the true estimate");
}
