// Event-study coefficient plot: estimates with 95% intervals by relative period, the reference period
// drawn at zero, a horizontal line at zero and a dashed vertical line just before treatment starts. As
// ggdid draws them, pre-treatment periods (before 0) and post-treatment periods have colours of their own,
// here Okabe and Ito's vermillion and blue (told apart with every common colour-vision deficiency) and two
// marker shapes (told apart in greyscale print), named in a legend. Binned end points are labelled ≤-5
// and ≥5.
import { DEFAULT_FRAME, axes, esc, fmtTick, label, linearScale, pad, svgDocument, type Frame2d } from "./canvas.js";

export const PRE_COLOUR = "#D55E00";
export const POST_COLOUR = "#0072B2";
/** Room above the plot for the legend, under the title. */
const FRAME: Frame2d = { ...DEFAULT_FRAME, top: 56 };

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
  /** Periods beyond ±bin are binned into the end points: their ticks read ≤-bin and ≥bin. */
  readonly bin?: number | null;
  /** The legend's two entries (default "Pre-treatment", "Post-treatment"). */
  readonly legend?: readonly [pre: string, post: string];
  /** The words at the treatment line (default "treatment starts") and before the reference period's
   *  number in its tooltip (default "reference period"). */
  readonly treatmentLabel?: string;
  readonly referenceLabel?: string;
}

/** A filled marker: a circle before treatment, a square from its start. */
function marker(pre: boolean, cx: number, cy: number, tip: string): string {
  const t = `<title>${tip}</title>`;
  return pre
    ? `<circle cx="${cx}" cy="${cy}" r="4" fill="${PRE_COLOUR}">${t}</circle>`
    : `<rect x="${cx - 3.6}" y="${cy - 3.6}" width="7.2" height="7.2" fill="${POST_COLOUR}">${t}</rect>`;
}

function legend(f: Frame2d, [pre, post]: readonly [string, string] = ["Pre-treatment", "Post-treatment"]): string {
  const y = f.top - 12;
  const x = f.width - f.right;
  return [
    marker(true, x - 206, y - 4, esc(pre.toLowerCase())), label(x - 198, y, pre, { size: 11, fill: "#374151" }),
    marker(false, x - 100, y - 4, esc(post.toLowerCase())), label(x - 92, y, post, { size: 11, fill: "#374151" }),
  ].join("\n");
}

export function coefPlotSvg(points: readonly CoefPoint[], o: CoefPlotOptions = {}): string {
  const f = FRAME;
  const ref = o.ref === undefined ? -1 : o.ref;
  const withRef = ref !== null && Number.isFinite(ref) && !points.some((p) => p.rel_time === ref);
  const all = [...points, ...(withRef ? [{ rel_time: ref, estimate: 0, conf_low: 0, conf_high: 0 }] : [])].sort((a, b) => a.rel_time - b.rel_time);
  const xs = all.map((p) => p.rel_time);
  const lows = all.map((p) => p.conf_low).filter(Number.isFinite);
  const highs = all.map((p) => p.conf_high).filter(Number.isFinite);
  const x = linearScale(pad(Math.min(...xs), Math.max(...xs), 0.05), [f.left, f.width - f.right]);
  const y = linearScale(pad(Math.min(0, ...lows), Math.max(0, ...highs), 0.08), [f.height - f.bottom, f.top]);
  const xTicks = [...new Set(xs)];
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const bin = o.bin ?? null;
  const xTickText = (v: number) => (bin !== null && v === lo && v === -bin ? `≤${fmtTick(v)}` : bin !== null && v === hi && v === bin ? `≥${fmtTick(v)}` : fmtTick(v));
  const parts = [axes(f, x, y, { title: o.title ?? "Event study", xLabel: o.xLabel ?? "Periods relative to treatment", yLabel: o.yLabel ?? "Estimate and 95% CI", xTicks, xTickText })];
  parts.push(legend(f, o.legend));
  parts.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(0)}" y2="${y(0)}" stroke="#6b7280" stroke-width="1"/>`);
  const vx = x(-0.5);
  parts.push(`<line x1="${vx}" x2="${vx}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#6b7280" stroke-dasharray="5 4"/>`);
  parts.push(label(vx + 4, f.top + 14, o.treatmentLabel ?? "treatment starts", { fill: "#374151", size: 10 }));
  const path = all.map((p, i) => `${i ? "L" : "M"}${x(p.rel_time).toFixed(2)} ${y(p.estimate).toFixed(2)}`).join(" ");
  parts.push(`<path d="${path}" fill="none" stroke="#9ca3af"/>`);
  for (const p of all) {
    const px = x(p.rel_time);
    const isRef = withRef && p.rel_time === ref;
    const pre = p.rel_time < 0;
    const colour = pre ? PRE_COLOUR : POST_COLOUR;
    if (!isRef && Number.isFinite(p.conf_low) && Number.isFinite(p.conf_high)) {
      parts.push(`<line x1="${px}" x2="${px}" y1="${y(p.conf_low)}" y2="${y(p.conf_high)}" stroke="${colour}" stroke-width="1.6"/>`);
      parts.push(`<line x1="${px - 4}" x2="${px + 4}" y1="${y(p.conf_low)}" y2="${y(p.conf_low)}" stroke="${colour}"/>`);
      parts.push(`<line x1="${px - 4}" x2="${px + 4}" y1="${y(p.conf_high)}" y2="${y(p.conf_high)}" stroke="${colour}"/>`);
    }
    parts.push(
      isRef
        ? `<circle cx="${px}" cy="${y(0)}" r="4" fill="white" stroke="${colour}" stroke-width="1.6"><title>${esc(o.referenceLabel ?? "reference period")} ${ref}</title></circle>`
        : marker(pre, px, y(p.estimate), `${xTickText(p.rel_time)}: ${p.estimate.toPrecision(4)} [${p.conf_low.toPrecision(4)}, ${p.conf_high.toPrecision(4)}]`),
    );
  }
  return svgDocument(f, parts.join("\n"), o.title ?? "Event study coefficients with 95% confidence intervals");
}
