// Node-only: a data file of any supported format. CSV keeps the streaming reader (read-file.ts, never the
// whole file as one buffer; large files in parallel byte ranges, csv-parallel.ts); Stata .dta is streamed
// in blocks (dta-file.ts); Parquet is read by row groups in parallel (parquet-parallel.ts), or whole and
// parsed from bytes (read-any.ts).
import { closeSync } from "node:fs";
import { readCsvFileParallel } from "./csv-parallel.js";
import { delimiterByte } from "./delimiter.js";
import { readDtaFile } from "./dta-file.js";
import { readParquetFileParallel } from "./parquet-parallel.js";
import type { Frame } from "./frame.js";
import { detectFormat, readDataBytes, refuseDelimiterFor, type ReadDataOptions } from "./read-any.js";
import { openFile, readCsvFile, readInto, readWholeFile } from "./read-file.js";

/** Enough leading bytes to recognise every format detectFormat knows ("<stata_dta>" is the longest). */
const HEAD_BYTES = 16;

function head(path: string): Uint8Array {
  const { fd } = openFile(path); // FILE_NOT_FOUND / FILE_UNREADABLE / directory errors, as for CSV
  try {
    const buf = new Uint8Array(HEAD_BYTES);
    const got = readInto(fd, buf, 0, HEAD_BYTES, 0, path);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** A large CSV file is parsed by several threads (csv-parallel.ts), a Parquet file's row groups too
 *  (parquet-parallel.ts: by default from 32 MB, else as many as `threads` says); `threads` caps them
 *  (1 = serial). */
export async function readDataFile(path: string, options: ReadDataOptions & { readonly threads?: number } = {}): Promise<Frame> {
  delimiterByte(options.delimiter); // an impossible delimiter is refused before the file is touched
  const format = options.format ?? detectFormat(head(path), path);
  if (format === "csv") {
    if (options.threads === 1) return readCsvFile(path, { delimiter: options.delimiter });
    return readCsvFileParallel(path, { delimiter: options.delimiter, threads: options.threads });
  }
  const named = { ...options, format, name: path };
  refuseDelimiterFor(format, named); // before the whole file is read only to be refused
  if (format === "dta") return readDtaFile(path, { name: path, labels: options.labels }); // streamed in blocks
  if (format === "parquet") return readParquetFileParallel(path, { threads: options.threads });
  return readDataBytes(readWholeFile(path), named);
}
