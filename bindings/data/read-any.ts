// One entry for every data format, from bytes (browser-safe): the format is recognised by its first bytes
// (Parquet "PAR1", Stata "<stata_dta>" or an old .dta header), else by the file name's extension, else
// the bytes are CSV. The same model specification then runs on a Frame from any of them.
import { DidwasmError } from "../errors.js";
import { parseCsv, type CsvOptions } from "./csv.js";
import { isOldDta, isXmlDta, readDta } from "./dta.js";
import type { Frame } from "./frame.js";
import { isParquet, readParquet } from "./parquet.js";

export type DataFormat = "csv" | "parquet" | "dta";

export interface ReadDataOptions extends CsvOptions {
  /** Skip detection and read as this format. */
  readonly format?: DataFormat;
  /** File name, for the extension and for error messages. */
  readonly name?: string;
  /** Stata value-labelled columns as label texts (default) or as their numeric codes. */
  readonly labels?: "text" | "codes";
}

const EXTENSIONS: Record<string, DataFormat> = { dta: "dta", parquet: "parquet", pq: "parquet", parq: "parquet" };

function startsWith(b: Uint8Array, ...bytes: number[]): boolean {
  return b.length >= bytes.length && bytes.every((x, i) => b[i] === x);
}

/** Formats people may try that are not read, by their first bytes, with what to do instead. */
function unsupportedKind(b: Uint8Array): string | null {
  if (startsWith(b, 0x50, 0x4b, 0x03, 0x04)) return "a zip archive (an Excel .xlsx workbook?): save it as CSV";
  if (startsWith(b, 0x1f, 0x8b)) return "gzip-compressed: decompress it first";
  if (startsWith(b, 0x24, 0x46, 0x4c)) return "an SPSS .sav file: save it as CSV, Parquet or Stata .dta";
  if (startsWith(b, 0xd0, 0xcf, 0x11, 0xe0)) return "an old Excel .xls workbook: save it as CSV";
  return null;
}

/** "PAR1" then a binary page header (a CSV whose first column is named PAR1 stays CSV). */
function looksLikeParquet(b: Uint8Array): boolean {
  return isParquet(b) && b.length > 4 && b[4] < 0x20 && b[4] !== 9 && b[4] !== 10 && b[4] !== 13;
}

/** The format of a file's bytes (at least its first 16); `name` (a file name) is used when the first bytes
 *  do not decide. */
export function detectFormat(bytes: Uint8Array, name = ""): DataFormat {
  if (looksLikeParquet(bytes)) return "parquet";
  if (isXmlDta(bytes) || isOldDta(bytes)) return "dta";
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
  if (ext in EXTENSIONS) return EXTENSIONS[ext];
  const kind = unsupportedKind(bytes);
  if (kind) throw new DidwasmError("UNSUPPORTED_FORMAT", `${name || "the data"} is ${kind}`);
  return "csv";
}

/** A Frame from a whole file's bytes, in whichever supported format they are. */
export async function readDataBytes(input: Uint8Array | ArrayBuffer, options: ReadDataOptions = {}): Promise<Frame> {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const format = options.format ?? detectFormat(bytes, options.name);
  switch (format) {
    case "parquet":
      return readParquet(bytes, { name: options.name });
    case "dta":
      return readDta(bytes, { name: options.name, labels: options.labels });
    case "csv":
      return parseCsv(options.name ? { name: options.name, size: bytes.length, chunks: () => [bytes] } : bytes, { delimiter: options.delimiter });
  }
  throw new DidwasmError("BAD_OPTION", `unknown data format "${String(format)}" (csv, parquet or dta)`);
}
