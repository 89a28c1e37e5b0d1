// Propensity-score densities of treated and control units before and after matching (psgraph / MatchIt's
// density plot): two panels, Gaussian kernel densities with Silverman's bandwidth, the matched controls
// weighted by their matching weights.
import { silvermanBandwidth } from "../../stats/kde.js";
import { exp } from "../../stats/libm.js";
import { axes, label, linearScale, type Frame2d } from "./canvas.js";
import { fillText } from "./fill-text.js";

const PANEL: Frame2d = { width: 480, height: 400, left: 60, right: 16, top: 40, bottom: 52 };
const TREATED = "#b91c1c";
const CONTROL = "#1d4ed8";

export interface ScoreGroup {
  readonly scores: ArrayLike<number>;
  /** Per score; omitted = all 1. */
  readonly weights?: ArrayLike<number>;
}

/** The words the figure draws, English by default (a report passes its language's); {n} is a count. */
export interface ScoreDensityText {
  readonly before?: string;
  readonly after?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Legend entries: "Treated ({n})", "Control ({n})". */
  readonly treated?: string;
  readonly control?: string;
  /** The figure's description (its SVG title). */
  readonly description?: string;
}

export const SCORE_DENSITY_EN: Required<ScoreDensityText> = {
  before: "Before matching",
  after: "After matching",
  xLabel: "Propensity score",
  yLabel: "Density",
  treated: "Treated ({n})",
  control: "Control ({n})",
  description: "Propensity-score densities of treated and control units before and after matching",
};

function weightedDensity(g: ScoreGroup, grid: readonly number[], h: number): number[] {
  let W = 0;
  for (let i = 0; i < g.scores.length; i++) W += g.weights ? g.weights[i] : 1;
  const c = 1 / (W * h * Math.sqrt(2 * Math.PI));
  return grid.map((x) => {
    let s = 0;
    for (let i = 0; i < g.scores.length; i++) {
      const w = g.weights ? g.weights[i] : 1;
      if (!(w > 0)) continue;
      const z = (x - g.scores[i]) / h;
      s += w * exp(-0.5 * z * z);
    }
    return c * s;
  });
}

function positive(g: ScoreGroup): number[] {
  const out: number[] = [];
  for (let i = 0; i < g.scores.length; i++) if (!g.weights || g.weights[i] > 0) out.push(g.scores[i]);
  return out;
}

function panel(title: string, treated: ScoreGroup, control: ScoreGroup, dx: number, domain: [number, number], grid: number[], t: Required<ScoreDensityText>): string {
  const f = PANEL;
  const curves = [treated, control].map((g) => {
    const xs = positive(g);
    return xs.length > 1 ? weightedDensity(g, grid, silvermanBandwidth(xs)) : grid.map(() => 0);
  });
  const top = Math.max(1e-9, ...curves.flat()) * 1.08;
  const x = linearScale(domain, [f.left, f.width - f.right]);
  const y = linearScale([0, top], [f.height - f.bottom, f.top]);
  const parts = [axes(f, x, y, { title, xLabel: t.xLabel, yLabel: t.yLabel })];
  curves.forEach((d, k) => {
    const path = grid.map((g, i) => `${i ? "L" : "M"}${x(g).toFixed(2)} ${y(d[i]).toFixed(2)}`).join(" ");
    parts.push(`<path d="${path}" fill="none" stroke="${k ? CONTROL : TREATED}" stroke-width="1.8"${k ? ' stroke-dasharray="6 4"' : ""}/>`);
  });
  parts.push(`<line x1="${f.width - f.right - 150}" x2="${f.width - f.right - 126}" y1="${f.top + 14}" y2="${f.top + 14}" stroke="${TREATED}" stroke-width="1.8"/>`);
  parts.push(label(f.width - f.right - 120, f.top + 18, fillText(t.treated, { n: positive(treated).length })));
  parts.push(`<line x1="${f.width - f.right - 150}" x2="${f.width - f.right - 126}" y1="${f.top + 32}" y2="${f.top + 32}" stroke="${CONTROL}" stroke-width="1.8" stroke-dasharray="6 4"/>`);
  parts.push(label(f.width - f.right - 120, f.top + 36, fillText(t.control, { n: positive(control).length })));
  return `<g transform="translate(${dx} 0)">\n${parts.join("\n")}\n</g>`;
}

/** Two panels: all treated vs all controls, then matched treated vs matched controls (weighted). */
export function scoreDensitySvg(
  before: { treated: ScoreGroup; control: ScoreGroup }, after: { treated: ScoreGroup; control: ScoreGroup }, o: { title?: string; text?: ScoreDensityText } = {},
): string {
  const t = { ...SCORE_DENSITY_EN, ...o.text };
  const all = [...positive(before.treated), ...positive(before.control)];
  const lo = Math.max(0, Math.min(...all) - 0.05);
  const hi = Math.min(1, Math.max(...all) + 0.05);
  const grid = Array.from({ length: 200 }, (_, i) => lo + ((hi - lo) * i) / 199);
  const body = [
    panel(t.before, before.treated, before.control, 0, [lo, hi], grid, t),
    panel(t.after, after.treated, after.control, PANEL.width, [lo, hi], grid, t),
  ].join("\n");
  const width = 2 * PANEL.width;
  const desc = o.title ?? t.description;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL.height}" viewBox="0 0 ${width} ${PANEL.height}" role="img">\n` +
    `<title>${esc(desc)}</title>\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`
  );
}
