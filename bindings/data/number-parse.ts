// Parses a decimal number from bytes without creating a string. Up to 15 significant digits and a decimal
// exponent within +-22 the result is correctly rounded (an exact integer times or divided by an exact power
// of ten: one IEEE operation, Clinger's fast path); anything longer falls back to Number() on the text.

const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** mant x 10^exp10 in one IEEE operation (correctly rounded: mant < 1e15 and |exp10| <= 22 are exact).
 *  The one formula of every fast path (parseCell, scanNumber, csv-plain-record.ts), so they agree bit for bit. */
export function scaledDecimal(mant: number, exp10: number): number {
  return exp10 === 0 ? mant : exp10 > 0 ? mant * POW10[exp10] : mant / POW10[-exp10];
}

/** Cell texts read as missing (besides the empty cell): R's NA, Stata's ".", and common spellings. */
const MISSING_TOKENS: readonly string[] = ["NA", "N/A", "NaN", "nan", ".", "NULL", "null"];
const SPECIAL: ReadonlyMap<string, number> = new Map([
  ["Inf", Infinity], ["inf", Infinity], ["Infinity", Infinity], ["+Inf", Infinity],
  ["-Inf", -Infinity], ["-inf", -Infinity], ["-Infinity", -Infinity],
  ["TRUE", 1], ["FALSE", 0], ["true", 1], ["false", 0],
]);

const MISSING_BYTES = MISSING_TOKENS.map((t) => Array.from(t, (ch) => ch.charCodeAt(0)));
/** Byte -> 1 when a missing token starts with it: the CSV reader asks about every text cell, and most start
 *  with another byte, which this answers without walking the tokens. */
const MISSING_FIRST = new Uint8Array(256);
for (const t of MISSING_BYTES) MISSING_FIRST[t[0]] = 1;

/** Whether b[s, e) is empty or a missing token, compared byte by byte (no string is created). */
export function isMissingBytes(b: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (len === 0) return true;
  if (len > 4 || MISSING_FIRST[b[s]] === 0) return false;
  outer: for (const t of MISSING_BYTES) {
    if (t.length !== len) continue;
    for (let i = 0; i < len; i++) if (b[s + i] !== t[i]) continue outer;
    return true;
  }
  return false;
}

function latin1(b: Uint8Array, s: number, e: number): string {
  let t = "";
  for (let i = s; i < e; i++) t += String.fromCharCode(b[i]);
  return t;
}

/** What a cell holds. */
export const Cell = { Number: 0, Missing: 1, Text: 2 } as const;
export type CellKind = (typeof Cell)[keyof typeof Cell];

/** Result holder, reused across calls to avoid an allocation per cell. */
export class ParsedCell {
  kind: CellKind = Cell.Number;
  value = 0;
}

/** The exponent read by readExponent: its signed value, and whether it had a digit ("1e" and "1e+" do not). */
const EXPONENT = { value: 0, ok: false };

/** Reads an exponent's optional sign and digits from b[i] (just after its "e" or "E"), up to end, into
 *  EXPONENT; returns the index after it. Shared by parseCell and scanNumber. */
function readExponent(b: Uint8Array, i: number, end: number): number {
  let neg = false;
  if (i < end && (b[i] === 45 || b[i] === 43)) {
    neg = b[i] === 45;
    i++;
  }
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    digits++;
  }
  EXPONENT.value = neg ? -value : value;
  EXPONENT.ok = digits > 0;
  return i;
}

/** Classifies and parses the (already trimmed) cell b[s, e). */
export function parseCell(b: Uint8Array, s: number, e: number, out: ParsedCell): void {
  if (s === e) {
    out.kind = Cell.Missing;
    out.value = NaN;
    return;
  }
  let i = s;
  let neg = false;
  if (b[i] === 45 /* - */) {
    neg = true;
    i++;
  } else if (b[i] === 43 /* + */) i++;
  let mant = 0;
  let sig = 0;
  let exp10 = 0;
  let digits = 0;
  let tooLong = false;
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (mant === 0 && d === 0) continue;
    if (sig < 15) {
      mant = mant * 10 + d;
      sig++;
    } else tooLong = true;
  }
  if (i < e && b[i] === 46 /* . */) {
    i++;
    for (; i < e; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (mant === 0 && d === 0) {
        exp10--;
        continue;
      }
      if (sig < 15) {
        mant = mant * 10 + d;
        sig++;
        exp10--;
      } else tooLong = true;
    }
  }
  if (digits > 0 && i < e && (b[i] === 101 || b[i] === 69) /* e E */) {
    i = readExponent(b, i + 1, e);
    if (!EXPONENT.ok) digits = 0; // "1e" is not a number
    exp10 += EXPONENT.value;
  }
  if (digits > 0 && i === e) {
    out.kind = Cell.Number;
    if (!tooLong && exp10 >= -22 && exp10 <= 22) {
      const v = scaledDecimal(mant, exp10);
      out.value = neg ? -v : v;
    } else out.value = Number(latin1(b, s, e));
    return;
  }
  if (isMissingBytes(b, s, e)) {
    out.kind = Cell.Missing;
    out.value = NaN;
    return;
  }
  const text = latin1(b, s, e);
  const special = SPECIAL.get(text);
  if (special !== undefined) {
    out.kind = Cell.Number;
    out.value = special;
    return;
  }
  out.kind = Cell.Text;
  out.value = NaN;
}

/** The fast path of parseCell fused with finding the cell's end, for the CSV reader's numeric columns: when
 *  the unquoted cell starting at s is a plain decimal number that parseCell would compute in one IEEE
 *  operation (at most 15 significant digits, exponent within +-22) followed by optional spaces and then
 *  `delim`, LF or CR, stores the number in out.value and returns where the number ends; otherwise -1 (the
 *  caller then reads the cell the general way, which gives the same value for whatever this refuses). */
export function scanNumber(b: Uint8Array, s: number, n: number, delim: number, out: ParsedCell): number {
  let i = s;
  if (i >= n) return -1;
  let neg = false;
  if (b[i] === 45 /* - */) {
    neg = true;
    i++;
  } else if (b[i] === 43 /* + */) i++;
  // Every digit goes into mant; at most 15 significant digits (then mant < 1e15, exact) is parseCell's
  // fast path, and leading zeros leave mant at 0, as they are skipped there.
  let mant = 0;
  let exp10 = 0;
  const intStart = i;
  for (; i < n; i++) {
    const d = b[i] - 48;
    if (d >>> 0 > 9) break;
    mant = mant * 10 + d;
  }
  let digits = i - intStart;
  if (i < n && b[i] === 46 /* . */) {
    i++;
    const fracStart = i;
    for (; i < n; i++) {
      const d = b[i] - 48;
      if (d >>> 0 > 9) break;
      mant = mant * 10 + d;
    }
    exp10 = fracStart - i;
    digits += i - fracStart;
  }
  if (mant >= 1e15) return -1;
  if (digits === 0) return -1;
  if (i < n && (b[i] === 101 || b[i] === 69) /* e E */) {
    i = readExponent(b, i + 1, n);
    if (!EXPONENT.ok) return -1;
    exp10 += EXPONENT.value;
  }
  const end = i;
  while (i < n && (b[i] === 32 || b[i] === 9) && b[i] !== delim) i++;
  if (i >= n) return -1; // the cell may go on in the next chunk
  const t = b[i];
  if (t !== delim && t !== 10 && t !== 13) return -1;
  if (exp10 < -22 || exp10 > 22) return -1;
  const v = scaledDecimal(mant, exp10);
  out.value = neg ? -v : v;
  return end;
}
