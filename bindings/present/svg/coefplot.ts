// Event-study coefficient plot: estimates with 95% intervals by relative period, the reference period
// drawn at zero, a horizontal line at zero and a dashed vertical line just before treatment starts.
import { DEFAULT_FRAME, axes, label, linearScale, pad, svgDocument } from "./canvas.js";

export interface CoefPoint {
  readonly rel_time: number;
  readonly estimate: number;
  readonly conf_low: number;
  readonly conf_high: number;
}

export interface CoefPlotOptions {
  readonly title?: string;
  readonly yLabel?: string;
  readonly xLabel?: string;
  /** The omitted reference period, drawn at zero; null when there is none (e.g. Callaway-Sant'Anna). */
  readonly ref?: number | null;
}

export function coefPlotSvg(points: readonly CoefPoint[], o: CoefPlotOptions = {}): string {
  const f = DEFAULT_FRAME;
  const ref = o.ref === undefined ? -1 : o.ref;
  const withRef = ref !== null && Number.isFinite(ref) && !points.some((p) => p.rel_time === ref);
  const all = [...points, ...(withRef ? [{ rel_time: ref, estimate: 0, conf_low: 0, conf_high: 0 }] : [])].sort((a, b) => a.rel_time - b.rel_time);
  const xs = all.map((p) => p.rel_time);
  const lows = all.map((p) => p.conf_low).filter(Number.isFinite);
  const highs = all.map((p) => p.conf_high).filter(Number.isFinite);
  const x = linearScale(pad(Math.min(...xs), Math.max(...xs), 0.05), [f.left, f.width - f.right]);
  const y = linearScale(pad(Math.min(0, ...lows), Math.max(0, ...highs), 0.08), [f.height - f.bottom, f.top]);
  const xTicks = [...new Set(xs)];
  const parts = [axes(f, x, y, { title: o.title ?? "Event study", xLabel: o.xLabel ?? "Periods relative to treatment", yLabel: o.yLabel ?? "Estimate and 95% CI", xTicks })];
  parts.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(0)}" y2="${y(0)}" stroke="#6b7280" stroke-width="1"/>`);
  const vx = x(-0.5);
  parts.push(`<line x1="${vx}" x2="${vx}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#b91c1c" stroke-dasharray="5 4"/>`);
  parts.push(label(vx + 4, f.top + 14, "treatment starts", { fill: "#b91c1c", size: 10 }));
  const path = all.map((p, i) => `${i ? "L" : "M"}${x(p.rel_time).toFixed(2)} ${y(p.estimate).toFixed(2)}`).join(" ");
  parts.push(`<path d="${path}" fill="none" stroke="#1d4ed8" stroke-opacity="0.5"/>`);
  for (const p of all) {
    const px = x(p.rel_time);
    const isRef = withRef && p.rel_time === ref;
    if (!isRef && Number.isFinite(p.conf_low) && Number.isFinite(p.conf_high)) {
      parts.push(`<line x1="${px}" x2="${px}" y1="${y(p.conf_low)}" y2="${y(p.conf_high)}" stroke="#1d4ed8" stroke-width="1.6"/>`);
      parts.push(`<line x1="${px - 4}" x2="${px + 4}" y1="${y(p.conf_low)}" y2="${y(p.conf_low)}" stroke="#1d4ed8"/>`);
      parts.push(`<line x1="${px - 4}" x2="${px + 4}" y1="${y(p.conf_high)}" y2="${y(p.conf_high)}" stroke="#1d4ed8"/>`);
    }
    parts.push(
      isRef
        ? `<circle cx="${px}" cy="${y(0)}" r="4" fill="white" stroke="#1d4ed8" stroke-width="1.6"><title>reference period ${ref}</title></circle>`
        : `<circle cx="${px}" cy="${y(p.estimate)}" r="4" fill="#1d4ed8"><title>${p.rel_time}: ${p.estimate.toPrecision(4)} [${p.conf_low.toPrecision(4)}, ${p.conf_high.toPrecision(4)}]</title></circle>`,
    );
  }
  return svgDocument(f, parts.join("\n"), o.title ?? "Event study coefficients with 95% confidence intervals");
}
