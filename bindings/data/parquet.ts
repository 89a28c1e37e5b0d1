// Parquet files from bytes, browser-safe, through hyparquet (pure JavaScript, no dependencies) with
// hyparquet-compressors for every codec (snappy, gzip, zstd, brotli, lz4).
//
// Columns: integers, floats, decimals and booleans (as 0/1) become numeric columns; strings, enums and
// other byte arrays become text columns, an empty string being missing as in CSV; nulls (and NaN) are
// missing. Dates become days since 1970-01-01, timestamps seconds since 1970-01-01 UTC, times of day stay
// in the file's unit (readParquetWithInfo notes each such column). A 64-bit integer column holding a value
// beyond 2^53 (where doubles stop being exact) becomes text, so large ids stay distinct. Nested columns
// (lists, structs, maps) become text holding their JSON.
// hyparquet and its decompressors are loaded on the first Parquet file: importing the library (or running a
// command on a CSV) should not pay for some sixty modules it does not use.
import type { FileMetaData, SchemaElement } from "hyparquet";
import { DidwasmError } from "../errors.js";
import { excerpt } from "./excerpt.js";
import { isParquet } from "./format.js";
import { Frame, type Column } from "./frame.js";
import { decodeText } from "./text-dictionary.js";

export interface ParquetOptions {
  /** File name used in error messages (default "data.parquet"). */
  readonly name?: string;
}

export interface ParquetColumnInfo {
  readonly name: string;
  /** Physical type, e.g. "INT64", "BYTE_ARRAY". */
  readonly physicalType: string;
  /** Logical (or legacy converted) type when the file gives one, e.g. "STRING", "DATE", "TIMESTAMP". */
  readonly logicalType: string;
  /** How the values were mapped, when it is not the obvious one (dates, timestamps, nested, big integers). */
  readonly note: string;
}

export interface ParquetInfo {
  readonly columns: readonly ParquetColumnInfo[];
  /** The application that wrote the file, when recorded. */
  readonly createdBy: string;
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** Column values as they arrive in chunks: numeric until a value needs text (then earlier numbers are
 *  re-encoded as their decimal text, which for integers is exact). `target`: where the numbers go (n values,
 *  e.g. one row group's rows of a shared column, parquet-parallel.ts), else new storage. */
export class ParquetColumnBuilder {
  values: Float64Array | null;
  codes: Int32Array | null = null;
  levels: string[] = [];
  private index = new Map<string, number>();
  firstText: { row: number; text: string } | null = null;
  note = "";

  constructor(readonly name: string, readonly n: number, target?: Float64Array) {
    this.values = (target ?? new Float64Array(n)).fill(NaN);
  }

  private toText(row: number, text: string): void {
    const codes = new Int32Array(this.n).fill(-1);
    const old = this.values!;
    for (let r = 0; r < this.n; r++) if (!Number.isNaN(old[r])) codes[r] = this.idOf(String(old[r]));
    this.codes = codes;
    this.values = null;
    this.firstText = { row, text };
  }

  private idOf(s: string): number {
    let id = this.index.get(s);
    if (id === undefined) {
      id = this.levels.length;
      this.levels.push(s);
      this.index.set(s, id);
    }
    return id;
  }

  number(r: number, v: number): void {
    if (this.values) this.values[r] = v;
    else if (!Number.isNaN(v)) this.codes![r] = this.idOf(String(v));
  }

  text(r: number, s: string): void {
    if (s === "") return;
    if (this.values) this.toText(r, s);
    this.codes![r] = this.idOf(s);
  }

  set(r: number, v: unknown): void {
    switch (typeof v) {
      case "number":
        return this.number(r, v);
      case "string":
        return this.text(r, v);
      case "boolean":
        return this.number(r, v ? 1 : 0);
      case "bigint":
        if (v <= MAX_EXACT && v >= -MAX_EXACT) return this.number(r, Number(v));
        if (!this.note) this.note = "64-bit integers beyond 2^53 read as text";
        return this.text(r, v.toString());
      case "undefined":
        return;
      case "object":
        if (v === null) return;
        if (v instanceof Date) return this.number(r, v.getTime() / 1000);
        if (v instanceof Uint8Array) return this.text(r, decodeText(v));
        if (!this.note) this.note = "nested values read as JSON text";
        return this.text(r, JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x)));
    }
    this.text(r, String(v));
  }

  /** A whole chunk; typed arrays (required columns) are copied directly. */
  chunk(data: ArrayLike<unknown>, rowStart: number, rowEnd: number): void {
    const m = Math.min(rowEnd, this.n) - rowStart;
    if (this.values && (data instanceof Float64Array || data instanceof Float32Array || data instanceof Int32Array || data instanceof Uint32Array || data instanceof Int16Array || data instanceof Uint8Array || data instanceof Int8Array || data instanceof Uint16Array)) {
      for (let i = 0; i < m; i++) this.values[rowStart + i] = data[i];
      return;
    }
    for (let i = 0; i < m; i++) this.set(rowStart + i, data[i]);
  }

  finish(): Column {
    if (this.values) return { kind: "numeric", name: this.name, values: this.values };
    return { kind: "text", name: this.name, codes: this.codes!, levels: this.levels, firstText: this.firstText };
  }
}

function logicalName(e: SchemaElement): string {
  return e.logical_type?.type ?? e.converted_type ?? "";
}

function noteFor(e: SchemaElement): string {
  const t = logicalName(e);
  if (t === "DATE") return "days since 1970-01-01";
  if (t === "TIMESTAMP" || t === "TIMESTAMP_MILLIS" || t === "TIMESTAMP_MICROS" || (e.type === "INT96" && !t)) return "seconds since 1970-01-01 UTC";
  if (t === "TIME" || t === "TIME_MILLIS" || t === "TIME_MICROS") {
    const unit = e.logical_type?.type === "TIME" ? e.logical_type.unit : t === "TIME_MILLIS" ? "MILLIS" : "MICROS";
    return `time of day in ${unit.toLowerCase()} since midnight`;
  }
  if (e.type === "BOOLEAN") return "true = 1, false = 0";
  return "";
}

/** Dates and timestamps as plain numbers (see the header comment). */
export const parquetParsers = {
  dateFromDays: (days: number) => days,
  timestampFromMilliseconds: (ms: bigint) => Number(ms) / 1e3,
  timestampFromMicroseconds: (us: bigint) => Number(us) / 1e6,
  timestampFromNanoseconds: (ns: bigint) => Number(ns) / 1e9,
};

/** Characters of the Parquet library's own message kept as a detail: enough to tell "thrift" from "snappy"
 *  trouble; its text may quote bytes of the file, so it is escaped like a cell. */
const DETAIL_CHARS = 60;

/** Any failure inside the reader, as one CORRUPT_FILE error: the library's message ("thrift unhandled
 *  type", "invalid snappy length", a RangeError) means nothing to a user on its own. */
function corrupt(name: string, e: unknown): DidwasmError {
  const msg = e instanceof Error ? e.message : String(e);
  return new DidwasmError("CORRUPT_FILE", `${name}: not a readable Parquet file, it may be damaged (reader says: ${excerpt(msg, DETAIL_CHARS)})`);
}

export async function readParquet(bytes: Uint8Array | ArrayBuffer, options: ParquetOptions = {}): Promise<Frame> {
  return (await readParquetWithInfo(bytes, options)).frame;
}

export async function readParquetWithInfo(input: Uint8Array | ArrayBuffer, options: ParquetOptions = {}): Promise<{ frame: Frame; info: ParquetInfo }> {
  const name = options.name ?? "data.parquet";
  try {
    return await readUnguarded(input, name);
  } catch (e) {
    if (e instanceof DidwasmError) throw e;
    throw corrupt(name, e);
  }
}

/** The reader proper. Anything it throws that is not a DidwasmError (from hyparquet, the decompressors or
 *  an allocation) becomes one in readParquetWithInfo. */
async function readUnguarded(input: Uint8Array | ArrayBuffer, name: string): Promise<{ frame: Frame; info: ParquetInfo }> {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length === 0) throw new DidwasmError("EMPTY_FILE", `${name}: the file is empty`);
  const n8 = bytes.length;
  if (!isParquet(bytes) || n8 < 12 || bytes[n8 - 4] !== 0x50 || bytes[n8 - 3] !== 0x41 || bytes[n8 - 2] !== 0x52 || bytes[n8 - 1] !== 0x31) {
    throw new DidwasmError(
      isParquet(bytes) ? "CORRUPT_FILE" : "UNSUPPORTED_FORMAT",
      isParquet(bytes)
        ? `${name}: the Parquet file is truncated or damaged (it does not end with the PAR1 footer)`
        : `${name}: not a Parquet file (it does not start with PAR1)`,
    );
  }
  // hyparquet reads from an ArrayBuffer-like object; slices of a view must not reach outside it.
  const file = {
    byteLength: bytes.length,
    slice: (start: number, end?: number) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + (end ?? bytes.length)) as ArrayBuffer,
  };
  const [{ parquetMetadata, parquetRead, parquetSchema }, { compressors }] = await Promise.all([import("hyparquet"), import("hyparquet-compressors")]);
  const metadata: FileMetaData = parquetMetadata(bytes);
  const nrow = Number(metadata.num_rows);
  const groupRows = metadata.row_groups.reduce((s, g) => s + Number(g.num_rows), 0);
  if (!Number.isSafeInteger(nrow) || nrow < 0 || groupRows !== nrow) {
    throw corrupt(name, new Error(`the footer says ${metadata.num_rows} rows but its row groups hold ${groupRows}`));
  }
  const top = parquetSchema(metadata).children;
  if (top.length === 0) throw new DidwasmError("EMPTY_FILE", `${name}: the Parquet file has no columns`);
  if (nrow === 0) throw new DidwasmError("NO_DATA_ROWS", `${name}: the Parquet file has columns but no rows`);
  // A damaged row count too large to allocate throws a RangeError here, reported as a damaged file.
  const builders = new Map(top.map((t) => [t.element.name, new ParquetColumnBuilder(t.element.name, nrow)]));
  await parquetRead({
    file,
    metadata,
    compressors,
    parsers: parquetParsers,
    onChunk: (chunk) => builders.get(chunk.columnName)?.chunk(chunk.columnData as ArrayLike<unknown>, chunk.rowStart, chunk.rowEnd),
  });
  const columns = top.map((t) => builders.get(t.element.name)!.finish());
  const info: ParquetInfo = {
    createdBy: metadata.created_by ?? "",
    columns: top.map((t) => {
      const e = t.element;
      const nested = t.children.length > 0 || e.repetition_type === "REPEATED";
      return {
        name: e.name,
        physicalType: nested ? "GROUP" : (e.type ?? ""),
        logicalType: logicalName(e),
        note: builders.get(e.name)!.note || (nested ? "nested values read as JSON text" : noteFor(e)),
      };
    }),
  };
  return { frame: new Frame(nrow, columns), info };
}
