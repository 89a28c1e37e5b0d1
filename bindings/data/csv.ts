// A fast, streaming CSV reader. Bytes arrive in chunks; records are cut at unquoted line ends (a record
// cut by a chunk boundary is carried over to the next chunk); numbers are parsed straight from bytes and
// text cells are dictionary-encoded from bytes, so no string is created per cell.
//
// Dialect: RFC 4180 (comma by default, double quotes, "" inside quotes), UTF-8 with or without BOM (a cell
// that is not valid UTF-8 is read as Latin-1, see text-dictionary.ts), LF or CRLF line ends, blank lines
// skipped, spaces around unquoted cells ignored. Missing: an empty cell or one of MISSING_TOKENS. A column
// is numeric when every non-missing cell is a number (also Inf, TRUE/FALSE); otherwise it is text. When a
// column turns out to be text after numeric rows, those rows are re-read from the source (a second pass
// over only what is needed), so "007" and "7" stay different ids.
import { DidwasmError } from "../errors.js";
import { delimiterByte, wrongDelimiterHint } from "./delimiter.js";
import { quoted } from "./excerpt.js";
import { Frame, type Column } from "./frame.js";
import { PlainRun, readPlainRecords } from "./csv-plain-record.js";
import { Cell, ParsedCell, isMissingBytes, parseCell, scanNumber } from "./number-parse.js";
import { TextDictionary, decodeText } from "./text-dictionary.js";
import { UTF16_SNIFF_BYTES, utf16Error, utf16Kind } from "./utf16.js";

/** Where CSV bytes come from. `chunks()` may be called more than once (for the re-read described above). */
export interface ByteSource {
  readonly name: string;
  /** Total size in bytes when known (for the first capacity guess). */
  readonly size?: number;
  chunks(): Iterable<Uint8Array>;
}

export function bytesSource(bytes: Uint8Array, name = "data"): ByteSource {
  return { name, size: bytes.length, chunks: () => [bytes] };
}

export interface CsvOptions {
  /** Field separator, one ASCII character other than a quote or a line end (default ","); "\\t" means tab. */
  delimiter?: string;
}

/** A run of records after the header (a byte range of a file, for the parallel reader): the header is
 *  known, lines count from 0 at the range's start, and `textColumns` are read as text from the first row
 *  (a column that another range found to be text). */
export interface CsvBody {
  readonly names: readonly string[];
  readonly hint: string;
  readonly textColumns?: readonly number[];
  /** Where numeric columns go: rows [row, row + rows) of one shared buffer per column, the file's columns
   *  (csv-parallel.ts), so that no thread writes its numbers twice; text columns' codes likewise, into
   *  `codes` (a buffer of 4-byte rows per column expected to be text, null for the others). A range with
   *  more rows than that, or a text column without a code buffer, gets storage of its own. */
  readonly slot?: {
    readonly buffers: readonly SharedArrayBuffer[];
    readonly codes?: readonly (SharedArrayBuffer | null)[];
    readonly row: number;
    readonly rows: number;
  };
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
/** Rows allocated before anything is known; after SAMPLE_ROWS rows the capacity is re-estimated from
 *  the bytes they took and the source size, so large files grow their columns about once. */
const INITIAL_ROWS = 4096;
const SAMPLE_ROWS = 2000;

class ColumnBuilder {
  kind: "numeric" | "text" = "numeric";
  values: Float64Array;
  codes: Int32Array | null = null;
  dict: TextDictionary | null = null;
  /** Rows before this one were read as numbers and need their text re-read (text columns only). */
  refillBefore = 0;
  firstText: { row: number; text: string } | null = null;
  /** Cells read as missing or infinite so far (numeric columns): none lets estimators skip their scan. */
  nonFinite = 0;
  constructor(readonly name: string, capacity: number, slot?: Float64Array, private readonly codeSlot?: Int32Array) {
    this.values = slot ?? new Float64Array(capacity);
  }
  grow(capacity: number): void {
    if (this.kind === "numeric") {
      const v = new Float64Array(capacity);
      v.set(this.values);
      this.values = v;
    } else {
      const c = new Int32Array(capacity).fill(-1);
      c.set(this.codes!);
      this.codes = c;
    }
  }
  toText(row: number, text: string, capacity: number): void {
    this.kind = "text";
    this.dict = new TextDictionary();
    const inSlot = this.codeSlot !== undefined && this.codeSlot.length >= capacity;
    this.codes = (inSlot ? this.codeSlot!.subarray(0, capacity) : new Int32Array(capacity)).fill(-1);
    this.values = new Float64Array(0);
    this.refillBefore = row;
    this.firstText = { row, text };
  }
  finish(nrow: number): Column {
    if (this.kind === "numeric") {
      // A view, not a copy: copying would hold the column twice at the peak; the unused tail (the capacity
      // estimate overshoots by a few percent) is the price.
      const values = this.values.length === nrow ? this.values : this.values.subarray(0, nrow);
      return { kind: "numeric", name: this.name, values, allFinite: this.nonFinite === 0 };
    }
    return {
      kind: "text",
      name: this.name,
      codes: this.codes!.length === nrow ? this.codes! : this.codes!.subarray(0, nrow),
      levels: this.dict!.levels,
      firstText: this.firstText,
    };
  }
}

/** One pass over the records of a source. In "refill" mode only text columns' early rows are decoded. */
class CsvPass {
  private readonly delim: number;
  private header: string[] | null = null;
  /** Said with errors that follow when the header suggests another delimiter (see delimiter.ts). */
  hint = "";
  private cols: ColumnBuilder[] = [];
  private capacity = 0;
  private row = 0;
  private line = 1;
  private recordLine = 1;
  private rowLine: Int32Array | null = null;
  private field = 0;
  private readonly cell = new ParsedCell();
  private readonly plainRun = new PlainRun();
  private unescaped = new Uint8Array(256);
  private sawBytes = false;
  /** Bytes of the source before the buffer being parsed, and where the current record ends in it. */
  private bufferBase = 0;
  private recordEnd = 0;

  /** The line of the first record when every record is one line (a file: 2, after the header). */
  private readonly firstRecordLine: number = 2;
  /** Stop after the header (readCsvHeader). */
  private headerOnly = false;
  /** Bytes the columns' capacity is estimated for (none: the parallel reader sized the slot). */
  private readonly sizeHint: number | undefined;

  constructor(
    private readonly source: ByteSource,
    delimiter: string | undefined,
    private readonly refill: { cols: ColumnBuilder[]; rows: number } | null = null,
    body: CsvBody | null = null,
  ) {
    this.delim = delimiterByte(delimiter);
    this.sizeHint = body?.slot ? undefined : source.size;
    if (refill) this.cols = refill.cols;
    if (body) {
      // A range starts on a record boundary in the middle of a file: no BOM or header to look for.
      this.header = [...body.names];
      this.hint = body.hint;
      this.sawBytes = true;
      this.line = 0;
      this.recordLine = 0;
      this.firstRecordLine = 0;
      if (!refill) {
        const slot = body.slot;
        this.capacity = slot ? slot.rows : INITIAL_ROWS;
        this.cols = body.names.map((nm, j) => {
          if (!slot) return new ColumnBuilder(nm, this.capacity);
          const codes = slot.codes?.[j];
          return new ColumnBuilder(nm, this.capacity, new Float64Array(slot.buffers[j], slot.row * 8, slot.rows), codes ? new Int32Array(codes, slot.row * 4, slot.rows) : undefined);
        });
        for (const j of body.textColumns ?? []) {
          this.cols[j].toText(0, "", this.capacity);
          this.cols[j].firstText = null; // not known here: the range that found text says where
        }
      }
    }
  }

  /** Reads records up to the end of the header only. */
  stopAfterHeader(): this {
    this.headerOnly = true;
    return this;
  }

  /** Where the records after the header start: the byte offset in the source and the line number. */
  bodyStart(): { offset: number; line: number } {
    return { offset: this.bufferBase + this.recordEnd, line: this.line };
  }

  run(): void {
    let carry: Uint8Array | null = null;
    let seen = 0;
    // One buffer for the carried-over record plus the next chunk, reused: a fresh one per chunk cost page
    // faults and garbage collections on every 8 MB read (nothing keeps a view of it: cells are copied out).
    let joined = new Uint8Array(0);
    for (const chunk of this.source.chunks()) {
      if (chunk.length === 0) continue;
      this.bufferBase = seen - (carry ? carry.length : 0);
      seen += chunk.length;
      let buf: Uint8Array = chunk;
      if (carry) {
        const need = carry.length + chunk.length;
        if (joined.length < need) joined = new Uint8Array(Math.max(need, 2 * joined.length));
        buf = joined.subarray(0, need);
        buf.set(carry);
        buf.set(chunk, carry.length);
      }
      const used = this.parse(buf, false);
      if (this.done()) return;
      carry = used < buf.length ? buf.slice(used) : null;
    }
    if (carry) {
      this.bufferBase = seen - carry.length;
      this.parse(carry, true);
    }
  }

  private done(): boolean {
    if (this.headerOnly) return this.header !== null;
    return this.refill !== null && this.header !== null && this.row >= this.refill.rows;
  }

  /** Parses whole records from buf; returns how many bytes were consumed. */
  private parse(b: Uint8Array, final: boolean): number {
    const n = b.length;
    let p = 0;
    if (!this.sawBytes) {
      // A BOM, or the NULs that give UTF-16 away, may be cut between chunks: wait for enough bytes.
      if (n < UTF16_SNIFF_BYTES && !final) return 0;
      if (n >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) p = 3; // UTF-8 BOM
      else {
        const utf16 = utf16Kind(b);
        if (utf16) throw utf16Error(this.source.name, utf16);
      }
      this.sawBytes = true;
    }
    const delim = this.delim;
    const cell = this.cell;
    this.plainRun.forget(); // a new buffer
    while (p < n) {
      if (this.done()) return p;
      // Numeric cells of data records are parsed as they are found (scanNumber), once there is room.
      const cols = this.header !== null && this.refill === null ? this.cols : null;
      if (cols && this.row >= this.capacity) {
        this.capacity = Math.ceil(this.capacity * 1.6);
        for (const c of cols) c.grow(this.capacity);
      }
      if (cols) {
        // Plain records (csv-plain-record.ts) first; the first record that is not one goes the general way.
        const read = this.plainRecords(b, p, n, cols);
        if (read > p) {
          p = read;
          continue;
        }
      }
      const recordStart = p;
      const lineAtStart = this.line;
      this.recordLine = this.line;
      this.field = 0;
      let blank = true;
      let complete = false;
      const fields: Array<[number, number]> | null = this.header === null ? [] : null;
      for (;;) {
        // one field starting at p
        while (p < n && (b[p] === SPACE || b[p] === TAB) && b[p] !== delim) p++;
        let s: number;
        let e = 0;
        let escapes = false;
        let stored = false;
        if (p < n && b[p] === QUOTE) {
          blank = false;
          p++;
          s = p;
          for (;;) {
            while (p < n && b[p] !== QUOTE) {
              if (b[p] === LF) this.line++;
              p++;
            }
            if (p >= n) break;
            if (p + 1 < n && b[p + 1] === QUOTE) {
              escapes = true;
              p += 2;
              continue;
            }
            if (p + 1 >= n && !final) {
              p = n; // cannot tell yet whether the quote is escaped
              break;
            }
            break;
          }
          if (p >= n) {
            if (!final) break; // incomplete record
            throw new DidwasmError("BAD_ROW", `${this.source.name}: line ${this.recordLine}: a quoted field is never closed`, {
              line: this.recordLine,
            });
          }
          e = p;
          p++; // closing quote
          while (p < n && (b[p] === SPACE || b[p] === TAB) && b[p] !== delim) p++;
          if (p < n && b[p] !== delim && b[p] !== LF && b[p] !== CR) {
            throw new DidwasmError("BAD_ROW", `${this.source.name}: line ${this.line}: unexpected text after a closing quote`, {
              line: this.line,
            });
          }
        } else {
          s = p;
          const col = cols !== null && this.field < cols.length ? cols[this.field] : null;
          if (col !== null && col.kind === "numeric") {
            const end = scanNumber(b, p, n, delim, cell);
            if (end >= 0) {
              col.values[this.row] = cell.value; // finite: nothing for nonFinite to count
              p = end;
              while ((b[p] === SPACE || b[p] === TAB) && b[p] !== delim) p++; // scanNumber saw the cell's end
              blank = false;
              stored = true;
            }
          }
          if (!stored) {
            while (p < n && b[p] !== delim && b[p] !== LF && b[p] !== CR) p++;
            e = p;
            while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB)) e--;
            if (e > s) blank = false;
          }
        }
        if (p >= n && !final) break; // record may continue in the next chunk
        if (!stored) {
          if (fields) fields.push([s, e]);
          else this.cellAt(b, s, e, escapes);
        }
        this.field++;
        if (p < n && b[p] === delim) {
          blank = false;
          p++;
          continue;
        }
        if (p < n && b[p] === CR) {
          if (p + 1 >= n && !final) break; // CR LF may be cut between chunks: read the record again with the next one
          p++;
        }
        if (p < n && b[p] === LF) p++;
        this.line++;
        complete = true;
        break;
      }
      if (!complete) {
        this.line = lineAtStart;
        return recordStart;
      }
      if (blank && this.field <= 1) continue; // blank line
      this.recordEnd = p;
      if (fields) this.readHeader(b, fields);
      else this.endRecord();
    }
    return n;
  }

  /** Reads plain records from b[p] on, up to the columns' capacity; returns where they end (p: none).
   *  While every record so far was one line (no row labels kept), rows are counted at the end of a run,
   *  which stops at SAMPLE_ROWS for endRecord's capacity estimate. */
  private plainRecords(b: Uint8Array, p: number, n: number, cols: ColumnBuilder[]): number {
    const delim = this.delim;
    const start = this.row;
    const run = this.plainRun;
    if (this.rowLine !== null || this.line !== start + this.firstRecordLine) {
      if (readPlainRecords(b, p, n, delim, cols, start, start + 1, run) === start) return p;
      this.recordLine = this.line++;
      this.field = cols.length;
      this.recordEnd = run.end;
      this.endRecord();
      return run.end;
    }
    const stop = start < SAMPLE_ROWS ? Math.min(this.capacity, SAMPLE_ROWS) : this.capacity;
    const row = readPlainRecords(b, p, n, delim, cols, start, stop, run);
    if (row === start) return p;
    p = run.end;
    // The last record through endRecord, as one line after rows - 1 regular ones.
    this.line += row - start;
    this.recordLine = this.line - 1;
    this.row = row - 1;
    this.field = cols.length;
    this.recordEnd = p;
    this.endRecord();
    return p;
  }

  private readHeader(b: Uint8Array, fields: Array<[number, number]>): void {
    const names = fields.map(([s, e]) => decodeText(b.subarray(s, e)).replace(/""/g, '"').trim());
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (name === "") throw new DidwasmError("EMPTY_COLUMN_NAME", `${this.source.name}: column ${i + 1} of the header has no name`, { column: i + 1 });
      if (seen.has(name)) throw new DidwasmError("DUPLICATE_COLUMN", `${this.source.name}: duplicate column name ${quoted(name)} in the header`, { column: name });
      seen.add(name);
    });
    this.header = names;
    this.hint = wrongDelimiterHint(names, this.delim);
    if (this.refill) return;
    this.capacity = INITIAL_ROWS;
    this.cols = names.map((nm) => new ColumnBuilder(nm, this.capacity));
  }

  private cellAt(b: Uint8Array, s: number, e: number, escapes: boolean): void {
    const j = this.field;
    if (j >= this.cols.length) return; // reported at the end of the record
    if (this.row >= this.capacity && !this.refill) {
      this.capacity = Math.ceil(this.capacity * 1.6);
      for (const c of this.cols) c.grow(this.capacity);
    }
    if (escapes) {
      // Collapse "" to " into a scratch buffer.
      if (this.unescaped.length < e - s) this.unescaped = new Uint8Array(2 * (e - s));
      let k = 0;
      for (let i = s; i < e; i++) {
        this.unescaped[k++] = b[i];
        if (b[i] === QUOTE) i++;
      }
      b = this.unescaped;
      s = 0;
      e = k;
    }
    const col = this.cols[j];
    if (this.refill) {
      if (col.kind === "text" && this.row < col.refillBefore && !isMissingBytes(b, s, e)) col.codes![this.row] = col.dict!.idOf(b, s, e);
      return;
    }
    if (col.kind === "numeric") {
      parseCell(b, s, e, this.cell);
      if (this.cell.kind !== Cell.Text) {
        const v = this.cell.value;
        col.values[this.row] = v;
        if (v - v !== 0) col.nonFinite++; // NaN (missing) or +-Infinity
        return;
      }
      col.toText(this.row, decodeText(b.subarray(s, e)), this.capacity);
    }
    if (!isMissingBytes(b, s, e)) col.codes![this.row] = col.dict!.idOf(b, s, e);
  }

  private endRecord(): void {
    if (this.field !== this.cols.length) {
      throw new DidwasmError(
        "BAD_ROW",
        `${this.source.name}: line ${this.recordLine} has ${this.field} field${this.field === 1 ? "" : "s"}, but the header has ${this.cols.length}` +
          (this.hint ? ` (${this.hint})` : ""),
        { line: this.recordLine },
      );
    }
    if (!this.refill) {
      const expected = this.row + this.firstRecordLine;
      if (this.recordLine !== expected && this.rowLine === null) {
        this.rowLine = new Int32Array(this.capacity);
        for (let r = 0; r < this.row; r++) this.rowLine[r] = r + this.firstRecordLine;
      }
      if (this.rowLine) {
        if (this.row >= this.rowLine.length) {
          const bigger = new Int32Array(this.capacity);
          bigger.set(this.rowLine);
          this.rowLine = bigger;
        }
        this.rowLine[this.row] = this.recordLine;
      }
    }
    this.row++;
    if (this.row === SAMPLE_ROWS && !this.refill && this.sizeHint) {
      const perRow = (this.bufferBase + this.recordEnd) / SAMPLE_ROWS;
      const estimate = Math.ceil((this.sizeHint / perRow) * 1.02) + 16;
      if (estimate > this.capacity) {
        this.capacity = estimate;
        for (const c of this.cols) c.grow(this.capacity);
      }
    }
  }

  result(): { header: string[] | null; cols: ColumnBuilder[]; nrow: number; rowLine: Int32Array | null; lines: number } {
    return { header: this.header, cols: this.cols, nrow: this.row, rowLine: this.rowLine, lines: this.line };
  }
}

/** Both passes over a source (the second re-reads early rows of columns that turned out text). */
function readRecords(source: ByteSource, delimiter: string | undefined, body: CsvBody | null) {
  const pass = new CsvPass(source, delimiter, null, body);
  pass.run();
  const r = pass.result();
  const refillRows = Math.max(0, ...r.cols.map((c) => (c.kind === "text" ? c.refillBefore : 0)));
  if (refillRows > 0) new CsvPass(source, delimiter, { cols: r.cols, rows: refillRows }, body).run();
  return { ...r, hint: pass.hint };
}

/** The header of a CSV source (the first non-blank record), read without going further. */
export function readCsvHeader(source: ByteSource, options: CsvOptions = {}): { names: string[]; hint: string; offset: number; line: number } | null {
  const pass = new CsvPass(source, options.delimiter).stopAfterHeader();
  pass.run();
  const { header } = pass.result();
  return header === null ? null : { names: header, hint: pass.hint, ...pass.bodyStart() };
}

/** The records of a range after the header, as columns (text codes local to the range), with the lines
 *  the range spans and, when a record is not one line each from the range's start, each row's line (from 0). */
export function parseCsvBody(source: ByteSource, body: CsvBody, options: CsvOptions = {}): { nrow: number; columns: Column[]; rowLine: Int32Array | null; lines: number } {
  const { cols, nrow, rowLine, lines } = readRecords(source, options.delimiter, body);
  return { nrow, columns: cols.map((c) => c.finish(nrow)), rowLine: rowLine ? rowLine.subarray(0, nrow) : null, lines };
}

/** Reads CSV from bytes, text or a ByteSource into a Frame. Throws DidwasmError on malformed input. */
export function parseCsv(input: ByteSource | Uint8Array | string, options: CsvOptions = {}): Frame {
  const source =
    typeof input === "string" ? bytesSource(new TextEncoder().encode(input)) : input instanceof Uint8Array ? bytesSource(input) : input;
  const { header, cols, nrow, rowLine, hint } = readRecords(source, options.delimiter, null);
  if (header === null) throw new DidwasmError("EMPTY_FILE", `${source.name}: the file is empty`);
  if (nrow === 0) throw new DidwasmError("NO_DATA_ROWS", `${source.name}: the file has a header but no data rows`);
  const label = rowLine ? (r: number) => `line ${rowLine[r]}` : (r: number) => `line ${r + 2}`;
  return new Frame(nrow, cols.map((c) => c.finish(nrow)), label, hint);
}
