// Node-only: data files from disk. CSV is streamed in fixed-size chunks (never the whole file as one
// string); Parquet and .dta are read whole. Every open goes through openFile, which reads regular files only.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from "node:fs";
import { DidwasmError } from "../errors.js";
import { parseCsv, type ByteSource, type CsvOptions } from "./csv.js";
import type { Frame } from "./frame.js";

/** Non-blocking, so that opening a FIFO with no writer returns at once (to be refused) instead of waiting
 *  for one forever; it changes nothing for regular files. Windows has no such flag and no FIFOs to open. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Kernel file systems whose entries stat as regular files of size 0 yet are not data: some block on
 *  read (/proc/kmsg), some fail (/proc/self/mem), some never end. */
const PSEUDO_FILE_ROOTS = ["/proc/", "/sys/"];

/** Why what is at `path` cannot be read as a data file, or null for a regular file. Only regular files
 *  are read: a pipe (`didwasm fit /dev/stdin`, `<(...)`) can be read once only while the CSV reader may
 *  need a second pass, and devices such as /dev/zero never end. */
function notAFile(path: string, st: Stats): string | null {
  if (st.isDirectory()) return `${path} is a directory, not a data file`;
  if (st.isFIFO()) return `${path} is a pipe, not a file: write the data to a file first (e.g. ... > data.csv) and give that file`;
  if (st.isSocket()) return `${path} is a socket, not a file: write the data to a file first and give that file`;
  if (st.isCharacterDevice() || st.isBlockDevice()) return `${path} is a device, not a data file`;
  if (!st.isFile()) return `${path} is not a regular file`;
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return null; // it was opened, so it exists; an unresolvable name is no reason to refuse it
  }
  if (PSEUDO_FILE_ROOTS.some((root) => real.startsWith(root))) return `${path} is a kernel pseudo-file (under /proc or /sys), not a data file`;
  return null;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Opens a data file for reading, with the project's errors for a missing file, no access, or something
 *  that is not a regular file (see notAFile). */
export function openFile(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new DidwasmError("FILE_NOT_FOUND", `file not found: ${path}`, { path });
    // Some things cannot even be opened (a socket's /proc entry gives ENXIO): say what they are if we can.
    const why = statOrNull(path);
    throw new DidwasmError("FILE_UNREADABLE", (why && notAFile(path, why)) || `cannot read ${path}: ${(e as Error).message}`, { path });
  }
  const st = fstatSync(fd);
  const why = notAFile(path, st);
  if (why) {
    closeSync(fd);
    throw new DidwasmError("FILE_UNREADABLE", why, { path });
  }
  return { fd, size: st.size };
}

/** readSync with the project's error when the read itself fails (EIO on a damaged disk or a network
 *  file system gone away): position null reads on from the file's current position. */
export function readInto(fd: number, buf: Uint8Array, offset: number, length: number, position: number | null, path: string): number {
  try {
    return readSync(fd, buf, offset, length, position);
  } catch (e) {
    throw new DidwasmError("FILE_UNREADABLE", `cannot read ${path}: ${(e as Error).message}`, { path });
  }
}

/** A whole data file's bytes (Parquet and .dta are parsed from memory), through openFile's checks. */
export function readWholeFile(path: string): Uint8Array {
  const { fd, size } = openFile(path);
  try {
    const out = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const n = readInto(fd, out, got, size - got, null, path);
      if (n <= 0) break; // the file shrank while being read
      got += n;
    }
    return got === size ? out : out.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Bytes per read of a whole file or a range: one buffer, reused; fresh memory costs a page fault per
 *  4 kB (on the 2-core VM some 4 ms per MB touched, as much as parsing it), and a read that fits in the
 *  core's cache is still there when it is parsed. */
const FILE_CHUNK_BYTES = 1 << 20;
const LF = 10;

/** The bytes [start, end) of a file (end: Infinity for all of it) as chunks read into `buf`. Each chunk
 *  ends just after its last line feed, the rest of the read moved to the front of the buffer for the next
 *  one: the CSV reader then rarely has a record cut between chunks to join (a copy of every chunk). */
function* lineChunks(path: string, start: number, end: number, buf: Uint8Array): Generator<Uint8Array> {
  const { fd } = openFile(path);
  let kept = 0;
  try {
    for (let at = start; ; ) {
      const got = at < end ? readInto(fd, buf, kept, Math.min(buf.length - kept, end - at), at, path) : 0;
      const filled = kept + Math.max(0, got);
      if (got <= 0) {
        if (filled > 0) yield buf.subarray(0, filled);
        return;
      }
      at += got;
      const lf = buf.lastIndexOf(LF, filled - 1);
      const cut = lf >= 0 ? lf + 1 : filled; // a line longer than the buffer: the reader joins it
      yield buf.subarray(0, cut);
      buf.copyWithin(0, cut, filled);
      kept = filled - cut;
    }
  } finally {
    closeSync(fd);
  }
}

/** A re-readable ByteSource over a file, read `chunkBytes` at a time (lineChunks). */
export function fileSource(path: string, chunkBytes = FILE_CHUNK_BYTES): ByteSource {
  const { fd, size } = openFile(path);
  closeSync(fd);
  return { name: path, size, chunks: () => lineChunks(path, 0, Infinity, new Uint8Array(chunkBytes)) };
}

/** A re-readable ByteSource over bytes [start, end) of a file (the parallel CSV reader's ranges), read as
 *  fileSource reads. `scratch`: a buffer kept by the caller across ranges (made here on first use), since
 *  fresh memory costs page faults (FILE_CHUNK_BYTES). */
export function fileRangeSource(path: string, start: number, end: number, scratch?: { bytes: Uint8Array }): ByteSource {
  const buffer = () => new Uint8Array(Math.min(FILE_CHUNK_BYTES, Math.max(1, end - start)));
  return {
    name: path,
    size: end - start,
    chunks() {
      if (scratch && scratch.bytes.length < Math.min(FILE_CHUNK_BYTES, end - start)) scratch.bytes = buffer();
      return lineChunks(path, start, end, scratch ? scratch.bytes : buffer());
    },
  };
}

export function readCsvFile(path: string, options: CsvOptions = {}): Frame {
  return parseCsv(fileSource(path), options);
}
