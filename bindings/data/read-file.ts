// Node-only: CSV files streamed from disk in fixed-size chunks (never the whole file as one string).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { DidwasmError } from "../errors.js";
import { parseCsv, type ByteSource, type CsvOptions } from "./csv.js";
import type { Frame } from "./frame.js";

/** Bytes per read: large enough to amortise system calls, small enough to keep peak memory low. */
const CHUNK_BYTES = 8 << 20;

/** Opens a data file for reading, with the project's errors for a missing file, a directory or no access. */
export function openFile(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new DidwasmError("FILE_NOT_FOUND", `file not found: ${path}`, { path });
    throw new DidwasmError("FILE_UNREADABLE", `cannot read ${path}: ${(e as Error).message}`, { path });
  }
  const st = fstatSync(fd);
  if (st.isDirectory()) {
    closeSync(fd);
    throw new DidwasmError("FILE_UNREADABLE", `${path} is a directory, not a data file`, { path });
  }
  return { fd, size: st.size };
}

/** A re-readable ByteSource over a file. */
export function fileSource(path: string): ByteSource {
  const { fd, size } = openFile(path);
  closeSync(fd);
  return {
    name: path,
    size,
    *chunks() {
      const { fd } = openFile(path);
      const buf = new Uint8Array(CHUNK_BYTES);
      try {
        for (;;) {
          const got = readSync(fd, buf, 0, CHUNK_BYTES, null);
          if (got <= 0) break;
          yield buf.subarray(0, got);
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}

export function readCsvFile(path: string, options: CsvOptions = {}): Frame {
  return parseCsv(fileSource(path), options);
}
