// Minimal SVG building blocks for publication-style figures: linear scales, "nice" axis ticks, axes with
// labels, and escaping. Output is a self-contained SVG string (no fonts or scripts fetched). Tick positions
// use libm's log10 (engine-independent), so a figure is the same text in Node and in browsers.
import { log10, pow10 } from "../../stats/libm.js";

export interface Scale {
  (v: number): number;
  readonly domain: readonly [number, number];
}

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain[0] === domain[1] ? [domain[0] - 1, domain[1] + 1] : domain;
  const f = ((v: number) => range[0] + ((v - d0) / (d1 - d0)) * (range[1] - range[0])) as Scale;
  Object.defineProperty(f, "domain", { value: [d0, d1] });
  return f;
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = pow10(Math.floor(log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** Expands [lo, hi] by a fraction on each side. */
export function pad(lo: number, hi: number, frac = 0.06): [number, number] {
  const span = hi - lo || Math.abs(hi) || 1;
  return [lo - frac * span, hi + frac * span];
}

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function fmtTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

export interface Frame2d {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export const DEFAULT_FRAME: Frame2d = { width: 640, height: 400, left: 64, right: 20, top: 36, bottom: 52 };

const FONT = 'font-family="Helvetica, Arial, \'PingFang SC\', \'Microsoft YaHei\', sans-serif"';

/** Axes, grid, ticks, axis titles and the figure title. */
export function axes(
  f: Frame2d, x: Scale, y: Scale,
  o: { title?: string; xLabel?: string; yLabel?: string; xTicks?: number[]; yTicks?: number[]; xTickText?: (v: number) => string },
): string {
  const xt = o.xTicks ?? niceTicks(x.domain[0], x.domain[1]);
  const yt = o.yTicks ?? niceTicks(y.domain[0], y.domain[1]);
  const parts: string[] = [];
  const x0 = f.left;
  const x1 = f.width - f.right;
  const y0 = f.height - f.bottom;
  const y1 = f.top;
  for (const v of yt) {
    const py = y(v);
    parts.push(`<line x1="${x0}" x2="${x1}" y1="${py}" y2="${py}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${x0 - 6}" y="${py + 4}" text-anchor="end" font-size="11" fill="#374151" ${FONT}>${esc(fmtTick(v))}</text>`);
  }
  for (const v of xt) {
    const px = x(v);
    parts.push(`<line x1="${px}" x2="${px}" y1="${y0}" y2="${y0 + 4}" stroke="#6b7280"/>`);
    parts.push(`<text x="${px}" y="${y0 + 17}" text-anchor="middle" font-size="11" fill="#374151" ${FONT}>${esc(o.xTickText ? o.xTickText(v) : fmtTick(v))}</text>`);
  }
  parts.push(`<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#9ca3af"/>`);
  if (o.xLabel) parts.push(`<text x="${(x0 + x1) / 2}" y="${f.height - 12}" text-anchor="middle" font-size="12" fill="#111827" ${FONT}>${esc(o.xLabel)}</text>`);
  if (o.yLabel) {
    parts.push(`<text transform="translate(16 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle" font-size="12" fill="#111827" ${FONT}>${esc(o.yLabel)}</text>`);
  }
  if (o.title) parts.push(`<text x="${f.width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600" fill="#111827" ${FONT}>${esc(o.title)}</text>`);
  return parts.join("\n");
}

export function svgDocument(f: Frame2d, body: string, description: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img">\n` +
    `<title>${esc(description)}</title>\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`
  );
}

export function label(x: number, y: number, text: string, o: { anchor?: string; size?: number; fill?: string } = {}): string {
  return `<text x="${x}" y="${y}" text-anchor="${o.anchor ?? "start"}" font-size="${o.size ?? 11}" fill="${o.fill ?? "#111827"}" ${FONT}>${esc(text)}</text>`;
}
