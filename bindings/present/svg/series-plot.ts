// Several event-time series in one plot (didwasm compare's estimators side by side; pretrends' estimates,
// hypothesised trend and mean after pre-testing): each series in an Okabe-Ito colour (distinguishable with
// every common colour-vision deficiency) and its own marker shape (distinguishable in greyscale), points
// offset sideways within a period so intervals do not overlap, a legend above the plot.
import { DEFAULT_FRAME, axes, esc, fmtTick, label, linearScale, pad, svgDocument, type Frame2d } from "./canvas.js";

/** Okabe and Ito's palette without its yellow (too light on white) and black (kept for the axes). */
export const OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"];
const SHAPES = ["circle", "square", "diamond", "triangle", "triangle-down", "cross", "circle-open"] as const;

export interface SeriesPoint {
  readonly x: number;
  readonly estimate: number;
  readonly conf_low?: number;
  readonly conf_high?: number;
}

export interface Series {
  readonly name: string;
  readonly points: readonly SeriesPoint[];
  /** Join the points with a line (solid or dashed); default none. */
  readonly line?: "solid" | "dashed";
}

export interface SeriesPlotOptions {
  readonly title: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Total sideways spread of a period's points, in periods (default 0.5; 0 to stack them). */
  readonly dodge?: number;
  /** Draw the dashed "treatment starts" line at x = -0.5 (default true). */
  readonly treatmentLine?: boolean;
}

function shape(kind: (typeof SHAPES)[number], cx: number, cy: number, colour: string, tip: string): string {
  const t = `<title>${esc(tip)}</title>`;
  const r = 4;
  const poly = (pts: Array<[number, number]>) => `<polygon points="${pts.map(([a, b]) => `${(cx + a).toFixed(2)},${(cy + b).toFixed(2)}`).join(" ")}" fill="${colour}">${t}</polygon>`;
  switch (kind) {
    case "circle": return `<circle cx="${cx.toFixed(2)}" cy="${cy.toFixed(2)}" r="${r}" fill="${colour}">${t}</circle>`;
    case "circle-open": return `<circle cx="${cx.toFixed(2)}" cy="${cy.toFixed(2)}" r="${r}" fill="white" stroke="${colour}" stroke-width="1.6">${t}</circle>`;
    case "square": return `<rect x="${(cx - 3.6).toFixed(2)}" y="${(cy - 3.6).toFixed(2)}" width="7.2" height="7.2" fill="${colour}">${t}</rect>`;
    case "diamond": return poly([[0, -5], [5, 0], [0, 5], [-5, 0]]);
    case "triangle": return poly([[0, -5], [4.6, 3.5], [-4.6, 3.5]]);
    case "triangle-down": return poly([[0, 5], [4.6, -3.5], [-4.6, -3.5]]);
    case "cross": return `<path d="M${cx - 4} ${cy - 4}L${cx + 4} ${cy + 4}M${cx - 4} ${cy + 4}L${cx + 4} ${cy - 4}" stroke="${colour}" stroke-width="2">${t}</path>`;
  }
}

export function seriesPlotSvg(series: readonly Series[], o: SeriesPlotOptions): string {
  const rows = Math.ceil(series.length / 3);
  const f: Frame2d = { ...DEFAULT_FRAME, top: 40 + 18 * rows };
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const values = all.flatMap((p) => [p.estimate, p.conf_low ?? p.estimate, p.conf_high ?? p.estimate]).filter(Number.isFinite);
  const dodge = series.length > 1 ? (o.dodge ?? 0.5) : 0;
  const x = linearScale(pad(Math.min(...xs) - dodge / 2, Math.max(...xs) + dodge / 2, 0.04), [f.left, f.width - f.right]);
  const y = linearScale(pad(Math.min(0, ...values), Math.max(0, ...values), 0.08), [f.height - f.bottom, f.top]);
  const xTicks = [...new Set(xs)].sort((a, b) => a - b);
  const parts = [axes(f, x, y, { title: o.title, xLabel: o.xLabel ?? "Periods relative to treatment", yLabel: o.yLabel ?? "Estimate and 95% CI", xTicks })];
  parts.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(0)}" y2="${y(0)}" stroke="#6b7280"/>`);
  if (o.treatmentLine ?? true) {
    const vx = x(-0.5);
    parts.push(`<line x1="${vx}" x2="${vx}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#9ca3af" stroke-dasharray="5 4"/>`);
  }
  series.forEach((s, k) => {
    const colour = OKABE_ITO[k % OKABE_ITO.length];
    const kind = SHAPES[k % SHAPES.length];
    const offset = series.length > 1 ? -dodge / 2 + (dodge * k) / (series.length - 1) : 0;
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    if (s.line) {
      const d = pts.map((p, i) => `${i ? "L" : "M"}${x(p.x + offset).toFixed(2)} ${y(p.estimate).toFixed(2)}`).join(" ");
      parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.4"${s.line === "dashed" ? ' stroke-dasharray="6 4"' : ""}/>`);
    }
    for (const p of pts) {
      const px = x(p.x + offset);
      if (p.conf_low !== undefined && p.conf_high !== undefined && Number.isFinite(p.conf_low) && Number.isFinite(p.conf_high)) {
        parts.push(`<line x1="${px.toFixed(2)}" x2="${px.toFixed(2)}" y1="${y(p.conf_low).toFixed(2)}" y2="${y(p.conf_high).toFixed(2)}" stroke="${colour}" stroke-width="1.5"/>`);
      }
      const ci = p.conf_low !== undefined && p.conf_high !== undefined ? ` [${p.conf_low.toPrecision(4)}, ${p.conf_high.toPrecision(4)}]` : "";
      parts.push(shape(kind, px, y(p.estimate), colour, `${s.name}, ${fmtTick(p.x)}: ${p.estimate.toPrecision(4)}${ci}`));
    }
  });
  // Legend: up to three entries a row, under the title.
  series.forEach((s, k) => {
    const col = k % 3;
    const row = Math.floor(k / 3);
    const lx = f.left + 8 + col * 190;
    const ly = 38 + row * 18;
    parts.push(shape(SHAPES[k % SHAPES.length], lx, ly - 4, OKABE_ITO[k % OKABE_ITO.length], s.name));
    parts.push(label(lx + 10, ly, s.name, { size: 11, fill: "#374151" }));
  });
  return svgDocument(f, parts.join("\n"), `${o.title}: ${series.map((s) => s.name).join(", ")}`);
}
