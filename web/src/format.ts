// Number formatting for the page's tables (the downloads use the same rules, so what you see is what you
// export). Full-precision values stay available in data-value attributes and in the JSON download.
// Stars and thousands separators are the library's (bindings/present/format.ts); the page's own rules
// are the compact ones below (about four significant digits, p-values as Stata's esttab prints them).
export { fmtInt, stars } from "../../bindings/present/format.js";
import { log10 } from "../../bindings/stats/libm.js";

/** About four significant digits in fixed notation; scientific only for very large or tiny values. */
export function fmtNum(x: unknown, sig = 4): string {
  if (x === null || x === undefined) return "";
  if (typeof x !== "number") return String(x);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "" : x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e7 || a < 1e-5) return x.toExponential(sig - 1);
  if (Number.isInteger(x) && a < 1e7) return String(x);
  const decimals = Math.min(10, Math.max(0, sig - 1 - Math.floor(log10(a))));
  return x.toFixed(decimals);
}

/** p-values: three decimals, "<0.001" below. */
export function fmtP(p: unknown): string {
  if (typeof p !== "number" || !Number.isFinite(p)) return "";
  return p < 0.001 ? "<0.001" : p.toFixed(3);
}

/** t statistics: two decimals. */
export function fmtT(t: unknown): string {
  if (typeof t !== "number" || !Number.isFinite(t)) return "";
  return t.toFixed(2);
}

export function fmtMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
