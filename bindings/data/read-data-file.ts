// Node-only: a data file of any supported format. CSV keeps the streaming reader (read-file.ts, never the
// whole file as one buffer); Parquet and Stata .dta are read whole, then parsed from bytes (read-any.ts).
import { closeSync, readFileSync, readSync } from "node:fs";
import { DidwasmError } from "../errors.js";
import type { Frame } from "./frame.js";
import { detectFormat, readDataBytes, type ReadDataOptions } from "./read-any.js";
import { openFile, readCsvFile } from "./read-file.js";

/** Enough leading bytes to recognise every format detectFormat knows ("<stata_dta>" is the longest). */
const HEAD_BYTES = 16;

function head(path: string): Uint8Array {
  const { fd } = openFile(path); // FILE_NOT_FOUND / FILE_UNREADABLE / directory errors, as for CSV
  try {
    const buf = new Uint8Array(HEAD_BYTES);
    const got = readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

export async function readDataFile(path: string, options: ReadDataOptions = {}): Promise<Frame> {
  const format = options.format ?? detectFormat(head(path), path);
  if (format === "csv") return readCsvFile(path, { delimiter: options.delimiter });
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DidwasmError("FILE_UNREADABLE", `cannot read ${path}: ${(e as Error).message}`, { path });
  }
  return readDataBytes(bytes, { ...options, format, name: path });
}
