// Number formatting shared by the text presenters.
import { pow10 } from "../stats/libm.js";

/** Fixed decimals for moderate magnitudes, scientific notation for very small or large ones. */
export function fmtNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  const a = Math.abs(x);
  if (a !== 0 && (a < pow10(-digits) || a >= 1e9)) return x.toExponential(Math.max(1, digits - 1));
  return x.toFixed(digits);
}

export function fmtP(p: number): string {
  if (Number.isNaN(p)) return "NA";
  if (p < 1e-16) return "< 1e-16";
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

export function stars(p: number): string {
  return p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";
}

/** A byte count in GiB (2 decimals), MiB (1) or KiB, for the memory refusals' messages. */
export function fmtBytes(b: number): string {
  if (b >= 0.995 * 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  return `${Math.ceil(b / 1024)} KiB`;
}

/** Whole numbers with thousands separators, as toLocaleString("en-US") writes them; by hand, because the
 *  first toLocaleString call of a process loads ICU's number formats (about 9 ms). */
export function fmtInt(n: number): string {
  if (!Number.isInteger(n) || Math.abs(n) >= 1e21) return n.toLocaleString("en-US");
  const digits = String(Math.abs(n));
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

/** Pads cells into aligned columns: first column left-aligned, the others right-aligned. */
export function alignRows(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, j) => (widths[j] = Math.max(widths[j] ?? 0, displayWidth(c))));
  return rows.map((r) => r.map((c, j) => (j === 0 ? padEnd(c, widths[j]) : padStart(c, widths[j]))).join("  ").trimEnd());
}

/** Terminal width of a string: CJK characters take two cells. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function padEnd(s: string, w: number): string {
  return s + " ".repeat(Math.max(0, w - displayWidth(s)));
}

function padStart(s: string, w: number): string {
  return " ".repeat(Math.max(0, w - displayWidth(s))) + s;
}
