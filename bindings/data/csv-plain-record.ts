// The CSV reader's fast path for the common record: every cell unquoted and unpadded, numeric columns holding
// plain decimals, exactly one cell per column, ended by LF or CRLF inside the buffer. Such a record is read
// here in one tight loop, without the general reader's per-field bookkeeping (quote states, trimming,
// chunk-end checks, the header's field list), which cost about as much as the digits themselves.
//
// Anything else gives up (-1) and the general reader (csv.ts) reads the record again from its start, so
// errors, blank lines, missing cells, type changes and long numbers keep exactly one implementation. Giving
// up half-way is harmless: the general reader writes the same cells again with the same values, and a text
// it meets again gets the id this path gave it (same dictionary, same order of first sight).
//
// Numbers: what scanNumber (number-parse.ts) accepts up to the delimiter or line end, minus exponents and
// trailing spaces: an optional sign, digits, an optional "." and digits, at most 15 significant digits
// (the integer accumulated is then below 1e15, exact) and at most 22 decimals, computed by the same
// scaledDecimal, hence the same double bit for bit.
import { isMissingBytes, scaledDecimal } from "./number-parse.js";
import type { TextDictionary } from "./text-dictionary.js";

/** What this path needs of a column being built (csv.ts's ColumnBuilder). */
export interface PlainColumn {
  readonly kind: "numeric" | "text";
  readonly values: Float64Array;
  readonly codes: Int32Array | null;
  readonly dict: TextDictionary | null;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;

/** Reads the record starting at b[p] into row `row` of `cols`; returns the offset just after its line end,
 *  or -1 when the record is not a plain one (see above) or does not end before n. */
export function readPlainRecord(b: Uint8Array, p: number, n: number, delim: number, cols: readonly PlainColumn[], row: number): number {
  const last = cols.length - 1;
  for (let j = 0; j <= last; j++) {
    const col = cols[j];
    let i = p;
    if (col.kind === "numeric") {
      if (i >= n) return -1;
      let neg = false;
      const sign = b[i];
      if (sign === MINUS) {
        neg = true;
        i++;
      } else if (sign === PLUS) i++;
      let mant = 0;
      const intStart = i;
      for (; i < n; i++) {
        const d = b[i] - ZERO;
        if (d >>> 0 > 9) break;
        mant = mant * 10 + d;
      }
      let digits = i - intStart;
      let exp10 = 0;
      if (i < n && b[i] === DOT) {
        i++;
        const fracStart = i;
        for (; i < n; i++) {
          const d = b[i] - ZERO;
          if (d >>> 0 > 9) break;
          mant = mant * 10 + d;
        }
        exp10 = fracStart - i;
        digits += i - fracStart;
      }
      if (digits === 0 || mant >= 1e15 || exp10 < -22 || i >= n) return -1;
      const v = scaledDecimal(mant, exp10);
      col.values[row] = neg ? -v : v;
    } else {
      if (i < n) {
        const first = b[i];
        if (first === QUOTE || ((first === SPACE || first === TAB) && first !== delim)) return -1;
      }
      for (; i < n; i++) {
        const c = b[i];
        if (c === delim || c === LF || c === CR) break;
      }
      if (i >= n) return -1;
      if (i > p) {
        const end = b[i - 1];
        if (end === SPACE || end === TAB) return -1; // trailing blanks are trimmed by the general reader
        if (!isMissingBytes(b, p, i)) col.codes![row] = col.dict!.idOf(b, p, i);
      } else if (j === 0) return -1; // an empty first cell may be a blank line
    }
    // b[i] exists (i < n): the cell's end.
    const t = b[i];
    if (j < last) {
      if (t !== delim) return -1;
      p = i + 1;
    } else {
      if (t === LF) return i + 1;
      if (t === CR && i + 1 < n && b[i + 1] === LF) return i + 2;
      return -1;
    }
  }
  return -1; // no columns
}
