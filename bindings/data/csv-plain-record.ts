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
//
// Records come in runs (readPlainRecords): the columns' arrays are looked up once per run, not per cell, and
// a text cell holding the same bytes as the column's last text stored from this buffer takes its id without
// hashing (panel files repeat a unit's texts row after row). The dictionary gives equal bytes one id, and
// never changes an id, so the ids are the same.
import { isMissingBytes, scaledDecimal } from "./number-parse.js";
import type { TextDictionary } from "./text-dictionary.js";

/** What this path needs of a column being built (csv.ts's ColumnBuilder). */
export interface PlainColumn {
  readonly kind: "numeric" | "text";
  readonly values: Float64Array;
  readonly codes: Int32Array | null;
  readonly dict: TextDictionary | null;
}

const NO_CODES = new Int32Array(0);
const NO_VALUES = new Float64Array(0);

/** The columns' arrays for the runs over one buffer, and where the latest run ended. Kept by the caller, who
 *  calls forget() for every new buffer; checked at every run (columns grow and turn text between runs),
 *  without allocation or stores while nothing changed: a file read one record at a time (after a blank line
 *  or a multi-line record) runs this per record. */
export class PlainRun {
  /** The offset just after the last record read by the latest run. */
  end = 0;
  numeric = new Uint8Array(0);
  values: Float64Array[] = [];
  codes: Int32Array[] = [];
  dicts: Array<TextDictionary | null> = [];
  /** Per text column, the last text stored from this buffer: b[lastStart, lastEnd) has id lastId (empty: none). */
  lastStart = new Int32Array(0);
  lastEnd = new Int32Array(0);
  lastId = new Int32Array(0);

  /** Before a new buffer: the remembered texts are positions in the previous one. */
  forget(): void {
    this.lastStart.fill(0);
    this.lastEnd.fill(0);
  }

  prepare(cols: readonly PlainColumn[]): void {
    const ncol = cols.length;
    if (this.numeric.length !== ncol) {
      this.numeric = new Uint8Array(ncol);
      this.values = new Array<Float64Array>(ncol).fill(NO_VALUES);
      this.codes = new Array<Int32Array>(ncol).fill(NO_CODES);
      this.dicts = new Array<TextDictionary | null>(ncol).fill(null);
      this.lastStart = new Int32Array(ncol);
      this.lastEnd = new Int32Array(ncol);
      this.lastId = new Int32Array(ncol);
    }
    const { values, codes } = this;
    for (let j = 0; j < ncol; j++) {
      const col = cols[j];
      // Growing or turning text replaces a column's values or codes array (turning text also its dictionary).
      if (values[j] !== col.values || codes[j] !== (col.codes ?? NO_CODES)) this.refresh(j, col);
    }
  }

  private refresh(j: number, col: PlainColumn): void {
    this.numeric[j] = col.kind === "numeric" ? 1 : 0;
    this.values[j] = col.values;
    this.codes[j] = col.codes ?? NO_CODES;
    if (this.dicts[j] !== col.dict) {
      this.dicts[j] = col.dict;
      this.lastStart[j] = 0;
      this.lastEnd[j] = 0;
    }
  }
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

/** Reads plain records from b[p] on into rows row, row + 1, ... (before stop) of `cols`, up to the first
 *  record that is not a plain one (see above) or does not end before n; returns the row after the last one
 *  read, and sets run.end to the offset after it (p when none was read). */
export function readPlainRecords(
  b: Uint8Array,
  p: number,
  n: number,
  delim: number,
  cols: readonly PlainColumn[],
  row: number,
  stop: number,
  run: PlainRun,
): number {
  run.end = p;
  if (cols.length === 0) return row;
  run.prepare(cols);
  for (; row < stop; row++) {
    const end = readRecord(b, p, n, delim, run, row);
    if (end < 0) break;
    p = end;
  }
  run.end = p;
  return row;
}

/** One record from b[p] into row `row` of the run's columns: the offset after its line end, or -1 (see readPlainRecords). */
function readRecord(b: Uint8Array, p: number, n: number, delim: number, run: PlainRun, row: number): number {
  const { numeric, values, codes, dicts, lastStart, lastEnd, lastId } = run;
  const last = numeric.length - 1;
  for (let j = 0; j <= last; j++) {
    let i = p;
    if (numeric[j] === 1) {
      if (i >= n) return -1;
      // The sign without a branch: signs of real data are as good as random, and a mispredicted branch per
      // signed cell cost more than the multiplication below (v * -1 is -v exactly, -0 included).
      const sign = b[i];
      const neg = +(sign === MINUS);
      i += neg + +(sign === PLUS);
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
      values[j][row] = v * (1 - 2 * neg);
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
        const seen = lastStart[j];
        if (lastEnd[j] - seen === i - p && sameBytes(b, seen, p, i - p)) codes[j][row] = lastId[j];
        else if (!isMissingBytes(b, p, i)) {
          const id = dicts[j]!.idOf(b, p, i);
          codes[j][row] = id;
          lastStart[j] = p;
          lastEnd[j] = i;
          lastId[j] = id;
        }
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

/** Whether b[a, a + len) and b[c, c + len) hold the same bytes. */
function sameBytes(b: Uint8Array, a: number, c: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (b[a + k] !== b[c + k]) return false;
  return true;
}
