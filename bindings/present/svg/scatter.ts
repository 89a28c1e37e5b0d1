// Goodman-Bacon scatter: each 2x2 comparison's estimate against its weight, coloured by comparison type,
// with the overall TWFE estimate as a horizontal line.
import { DEFAULT_FRAME, axes, label, linearScale, pad, svgDocument } from "./canvas.js";

export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  readonly group: string;
  readonly tip?: string;
}

const COLOURS = ["#1d4ed8", "#b91c1c", "#047857", "#b45309", "#7c3aed", "#0e7490"];
const SHAPES = ["circle", "triangle", "square", "diamond", "circle", "triangle"];

function marker(shape: string, cx: number, cy: number, colour: string, tip: string): string {
  const t = `<title>${tip}</title>`;
  if (shape === "square") return `<rect x="${cx - 4}" y="${cy - 4}" width="8" height="8" fill="${colour}" fill-opacity="0.8">${t}</rect>`;
  if (shape === "triangle") return `<path d="M${cx} ${cy - 5} L${cx + 5} ${cy + 4} L${cx - 5} ${cy + 4} Z" fill="${colour}" fill-opacity="0.8">${t}</path>`;
  if (shape === "diamond") return `<path d="M${cx} ${cy - 5} L${cx + 5} ${cy} L${cx} ${cy + 5} L${cx - 5} ${cy} Z" fill="${colour}" fill-opacity="0.8">${t}</path>`;
  return `<circle cx="${cx}" cy="${cy}" r="4.5" fill="${colour}" fill-opacity="0.8">${t}</circle>`;
}

export function scatterSvg(points: readonly ScatterPoint[], o: { title: string; xLabel: string; yLabel: string; hLine?: { y: number; label: string } }): string {
  const f = { ...DEFAULT_FRAME, right: 170 };
  const xs = points.map((p) => p.x);
  const ys = [...points.map((p) => p.y), ...(o.hLine ? [o.hLine.y] : [])];
  const x = linearScale(pad(Math.min(0, ...xs), Math.max(...xs)), [f.left, f.width - f.right]);
  const y = linearScale(pad(Math.min(...ys), Math.max(...ys)), [f.height - f.bottom, f.top]);
  const parts = [axes(f, x, y, { title: o.title, xLabel: o.xLabel, yLabel: o.yLabel })];
  if (o.hLine) {
    parts.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(o.hLine.y)}" y2="${y(o.hLine.y)}" stroke="#6b7280" stroke-dasharray="5 4"/>`);
    parts.push(label(f.width - f.right - 4, y(o.hLine.y) - 5, o.hLine.label, { anchor: "end", size: 10, fill: "#374151" }));
  }
  const groups = [...new Set(points.map((p) => p.group))];
  for (const p of points) {
    const k = groups.indexOf(p.group);
    parts.push(marker(SHAPES[k % SHAPES.length], x(p.x), y(p.y), COLOURS[k % COLOURS.length], p.tip ?? `${p.group}: ${p.x}, ${p.y}`));
  }
  groups.forEach((g, k) => {
    const ly = f.top + 10 + k * 20;
    const lx = f.width - f.right + 14;
    parts.push(marker(SHAPES[k % SHAPES.length], lx, ly, COLOURS[k % COLOURS.length], g));
    parts.push(label(lx + 10, ly + 4, g, { size: 11 }));
  });
  return svgDocument(f, parts.join("\n"), o.title);
}
