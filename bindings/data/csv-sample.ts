// Node-only: which columns of a CSV file its first records hold as text, for the parallel reader
// (csv-parallel.ts), which gives those columns shared storage for their codes before the ranges are read
// (csv.ts's CsvBody.slot). A guess from the start of the file: a column that turns text further on gets
// storage of its own in the ranges that find it, and is read correctly either way.
import { closeSync } from "node:fs";
import { bytesSource, parseCsvBody, type CsvBody } from "./csv.js";
import { openFile, readInto } from "./read-file.js";

/** Bytes of records parsed for the guess: a few hundred lines of a usual file, read in microseconds. */
const SAMPLE_BYTES = 16 << 10;
const LF = 10;

/** Per column, whether the whole lines in the SAMPLE_BYTES after `offset` (where the records start) hold
 *  it as text; all false when those lines cannot be parsed (the ranges will report why, or the serial
 *  reader will). */
export function textColumnsAtStart(path: string, offset: number, end: number, body: CsvBody, delimiter: string | undefined): boolean[] {
  const none = body.names.map(() => false);
  const { fd } = openFile(path);
  try {
    const buf = new Uint8Array(Math.max(0, Math.min(SAMPLE_BYTES, end - offset)));
    const got = readInto(fd, buf, 0, buf.length, offset, path);
    const lines = buf.subarray(0, got).lastIndexOf(LF) + 1;
    if (lines === 0) return none;
    const sample = parseCsvBody(bytesSource(buf.subarray(0, lines), path), body, { delimiter });
    return sample.columns.map((c) => c.kind === "text");
  } catch {
    return none;
  } finally {
    closeSync(fd);
  }
}
