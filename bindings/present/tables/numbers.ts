// Numbers as tables print them: fixed decimals, never scientific notation (a journal table shows
// -0.0000136, not -1.358e-5). A number too small for the decimals asked for gets the decimals it needs to
// show `SIGNIFICANT` digits, so a small non-zero mean does not read as 0.0000.
// Powers of ten and log10 come from the engine-independent libm, so the decimals chosen do not depend on
// the JavaScript engine.
import { log10, pow10 } from "../../stats/libm.js";

/** Significant digits kept for numbers smaller than the decimals asked for. */
const SIGNIFICANT = 3;
/** toFixed's limit is 100; beyond this many decimals a number is zero for any table. */
const MAX_DECIMALS = 20;

export function tableNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  const a = Math.abs(x);
  // toFixed switches to exponents from 1e21 on; such a number is a whole number in f64.
  if (a >= 1e21) return BigInt(x).toString() + (digits > 0 ? `.${"0".repeat(digits)}` : "");
  if (a === 0 || a >= pow10(-digits)) return x.toFixed(digits);
  const decimals = Math.min(MAX_DECIMALS, Math.max(digits, SIGNIFICANT - 1 - Math.floor(log10(a))));
  return x.toFixed(decimals);
}

/** A p-value with `digits` decimals, or "< 0.0001" (for 4 digits) when it rounds to zero. */
export function tableP(p: number | null | undefined, digits = 4): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "";
  return p > 0 && p < pow10(-digits) ? `< ${pow10(-digits).toFixed(digits)}` : p.toFixed(digits);
}
