// Which format a file's bytes are in: by their first bytes (Parquet "PAR1", Stata "<stata_dta>" or an old
// .dta header), else by the file name's extension, else CSV. No reader is loaded here, so a browser bundle
// can decide before it loads the Stata and Parquet readers (bindings/web-worker/core.ts).
import { DidwasmError } from "../errors.js";

export type DataFormat = "csv" | "parquet" | "dta";

/** Old Stata formats (before 117), by their first byte: recognised, to say which version was found. */
export const OLD_DTA_FORMATS: Record<number, string> = {
  102: "Stata 1", 103: "Stata 2", 104: "Stata 3", 105: "Stata 4 or 5", 108: "Stata 6", 110: "Stata 7", 111: "Stata 7 SE",
  112: "Stata 8 (early)", 113: "Stata 8 or 9", 114: "Stata 10 or 11", 115: "Stata 12",
};

/** True when the bytes start with Parquet's magic "PAR1". */
export function isParquet(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31;
}

/** True when the bytes look like an old-format (102-115) .dta header: format byte, byte order 1 or 2, filetype 1. */
export function isOldDta(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] in OLD_DTA_FORMATS && (b[1] === 1 || b[1] === 2) && b[2] === 1;
}

export const DTA_MAGIC = "<stata_dta>";

/** True when the bytes start like a format 117+ .dta file. */
export function isXmlDta(b: Uint8Array): boolean {
  if (b.length < DTA_MAGIC.length) return false;
  for (let i = 0; i < DTA_MAGIC.length; i++) if (b[i] !== DTA_MAGIC.charCodeAt(i)) return false;
  return true;
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
