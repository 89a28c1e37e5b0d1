// Writes columns as CSV text: numbers in JavaScript's shortest round-trip form, missing as an empty cell,
// text quoted when it holds a comma, quote or line break.
import type { ColumnData } from "./columns.js";
import type { Frame } from "./frame.js";

function cell(v: number | string | boolean | null | undefined): string {
  if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return "";
  if (typeof v === "boolean") return v ? "1" : "0";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of rows [from, to), with the header when from = 0. */
export function csvRows(data: ColumnData, from: number, to: number): string {
  const names = Object.keys(data);
  const lines = from === 0 ? [names.map(cell).join(",")] : [];
  for (let r = from; r < to; r++) lines.push(names.map((nm) => cell(data[nm][r])).join(","));
  return lines.join("\n") + "\n";
}

export function toCsv(data: ColumnData): string {
  const names = Object.keys(data);
  return csvRows(data, 0, names.length ? data[names[0]].length : 0);
}

/** A frame's columns as plain column data (text cells by their levels, missing as null), for writing. */
export function frameColumns(frame: Frame): ColumnData {
  const out: Record<string, Float64Array | Array<string | null>> = {};
  for (const c of frame.columns) {
    out[c.name] = c.kind === "numeric" ? c.values : Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]));
  }
  return out;
}
