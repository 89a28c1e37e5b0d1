// Node-only: refuses, before reading starts, a data file that cannot fit the machine's memory once read.
// A CSV cell becomes at least 4 bytes in a frame (an f64 value takes 8, a text cell a 4-byte id), so
// rows x columns x 4, with the rows estimated from the file's size and its first lines, is a lower bound
// of what reading takes; Parquet and .dta files are read whole, so their size is. Only a file past that
// bound is refused: the estimate never stops a file that would fit.
import { closeSync } from "node:fs";
import { machineMemory } from "../engine/machine-memory.js";
import { DidwasmError } from "../errors.js";
import { fmtBytes, fmtInt } from "../present/format.js";
import { detectFormat } from "./format.js";
import { openFile, readInto } from "./read-file.js";

/** Leading bytes sampled for the header and the length of a row. */
const SAMPLE_BYTES = 1 << 16;
/** Bytes a cell takes at least once read (a text cell's id; numbers take 8). */
const MIN_CELL_BYTES = 4;


/** Rows x columns of a delimited text file, estimated from its first SAMPLE_BYTES; null when too few lines. */
function estimateShape(path: string): { rows: number; columns: number; size: number } | null {
  const { fd, size } = openFile(path);
  try {
    const buf = new Uint8Array(Math.min(SAMPLE_BYTES, size));
    const got = readInto(fd, buf, 0, buf.length, 0, path);
    const text = new TextDecoder().decode(buf.subarray(0, got));
    const lines = text.split("\n");
    if (lines.length < 3) return null;
    const header = lines[0];
    const columns = 1 + Math.max(...[",", "\t", ";", "|"].map((d) => header.split(d).length - 1));
    // Whole lines after the header (the last one may be cut short by the sample's end).
    const body = lines.slice(1, -1);
    const bodyBytes = body.reduce((s, l) => s + l.length + 1, 0);
    if (body.length === 0 || bodyBytes === 0) return null;
    return { rows: Math.round(((size - header.length - 1) * body.length) / bodyBytes), columns, size };
  } finally {
    closeSync(fd);
  }
}

/** The file's size and whether it is CSV (else Parquet or .dta, read whole), from its first bytes. */
function sizeAndFormat(path: string): { size: number; csv: boolean } {
  const { fd, size } = openFile(path);
  try {
    const head = new Uint8Array(Math.min(16, size));
    const got = readInto(fd, head, 0, head.length, 0, path);
    return { size, csv: detectFormat(head.subarray(0, got), path) === "csv" };
  } finally {
    closeSync(fd);
  }
}

/** Throws TOO_LARGE when reading `path` needs more memory than the machine has available. */
export function checkFileFitsMemory(path: string): void {
  const m = machineMemory();
  if (!m) return;
  const { size, csv } = sizeAndFormat(path);
  if (!csv) {
    if (size <= m.available) return;
    throw new DidwasmError("TOO_LARGE", `reading ${path} needs at least ${fmtBytes(size)} of memory (its size), but this machine has ${fmtBytes(m.available)} available (${fmtBytes(m.total)} in all): use a subset of the data or a machine with more memory`, { neededBytes: size, availableBytes: m.available });
  }
  const shape = estimateShape(path);
  if (!shape) return;
  const bytes = shape.rows * shape.columns * MIN_CELL_BYTES;
  if (bytes <= m.available) return;
  throw new DidwasmError(
    "TOO_LARGE",
    `reading ${path} (${fmtBytes(shape.size)}, about ${fmtInt(shape.rows)} rows x ${shape.columns} columns) needs at least ${fmtBytes(bytes)} of memory, ` +
      `and estimating on it more, but this machine has ${fmtBytes(m.available)} available (${fmtBytes(m.total)} in all): use a subset of the rows or columns, or a machine with more memory`,
    { neededBytes: bytes, availableBytes: m.available, rows: shape.rows, columns: shape.columns },
  );
}
