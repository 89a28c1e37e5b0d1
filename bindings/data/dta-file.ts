// Node-only: a Stata .dta file read from disk in blocks, never whole: the part before the data (header,
// map, variable descriptors) and the part after it (strLs, value labels) are read once, the data section
// block by block into the columns (dta.ts's DtaColumns), so the peak is the columns plus one block instead
// of the columns plus the whole file. Whatever goes wrong on the way (a damaged or truncated file) is
// reported by reading the file whole with readDtaWithInfo, so errors say what and where exactly as there.
import { closeSync } from "node:fs";
import { ByteCursor } from "./byte-cursor.js";
import { DtaColumns, checkShape, readDtaWithInfo, readHead, readTail, type DtaHead, type DtaInfo, type DtaOptions } from "./dta.js";
import { isXmlDta } from "./format.js";
import type { Frame } from "./frame.js";
import { openFile, readInto, readWholeFile } from "./read-file.js";

/** Bytes of data read at a time (whole observations). */
const BLOCK_BYTES = 8 << 20;
/** First guess at the bytes before the data; doubled while the descriptors go on (long characteristics). */
const HEAD_GUESS = 64 << 10;

export interface DtaFileOptions extends DtaOptions {
  /** Bytes of data per block (default 8 MiB); smaller files are read whole. */
  readonly blockBytes?: number;
}

function readAt(fd: number, path: string, start: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readInto(fd, out, got, length - got, start + got, path);
    if (n <= 0) throw new Error("the file ended early"); // reported by the whole-file read
    got += n;
  }
  return out;
}

/** The head, read with a growing prefix of the file. */
function headOf(fd: number, path: string, size: number, name: string): { head: DtaHead; dataStart: number } {
  for (let len = Math.min(size, HEAD_GUESS); ; len = Math.min(size, 2 * len)) {
    const c = new ByteCursor(readAt(fd, path, 0, len), name);
    try {
      return { head: readHead(c, name), dataStart: c.pos };
    } catch (e) {
      if (len >= size) throw e;
    }
  }
}

function streamed(fd: number, path: string, size: number, options: DtaFileOptions): { frame: Frame; info: DtaInfo } {
  const name = options.name ?? path;
  const { head, dataStart } = headOf(fd, path, size, name);
  const little = head.order === "LSF";
  const dataEnd = dataStart + head.N * head.width;
  if (!(dataEnd <= size)) throw new Error("the data section is cut short");
  const tail = new ByteCursor(readAt(fd, path, dataEnd, size - dataEnd), name);
  tail.little = little;
  const { gso, valueLabels } = readTail(tail, head.L);
  checkShape(head, name);
  const columns = new DtaColumns(head, gso, tail.bytes, options.labels ?? "text");
  const perBlock = Math.max(1, Math.floor((options.blockBytes ?? BLOCK_BYTES) / Math.max(1, head.width)));
  const block = new Uint8Array(Math.min(head.N, perBlock) * head.width);
  for (let r0 = 0; r0 < head.N; r0 += perBlock) {
    const rows = Math.min(perBlock, head.N - r0);
    const bytes = block.subarray(0, rows * head.width);
    let got = 0;
    while (got < bytes.length) {
      const n = readInto(fd, bytes, got, bytes.length - got, dataStart + r0 * head.width + got, path);
      if (n <= 0) throw new Error("the file ended early");
      got += n;
    }
    const c = new ByteCursor(bytes, name);
    c.little = little;
    columns.add(c, 0, r0, rows);
  }
  return columns.finish(valueLabels);
}

/** The streamed read alone, without the whole-file read that reports errors (for tests: it throws plain
 *  errors where the file does not hold together). */
export function readDtaStreamed(path: string, options: DtaFileOptions = {}): { frame: Frame; info: DtaInfo } {
  const { fd, size } = openFile(path);
  try {
    return streamed(fd, path, size, options);
  } finally {
    closeSync(fd);
  }
}

/** A Frame and the file's metadata from a .dta file, streamed (files larger than one block). */
export function readDtaFileWithInfo(path: string, options: DtaFileOptions = {}): { frame: Frame; info: DtaInfo } {
  const whole = () => readDtaWithInfo(readWholeFile(path), { name: options.name ?? path, labels: options.labels });
  const labels = options.labels ?? "text";
  const { fd, size } = openFile(path);
  try {
    if (size <= (options.blockBytes ?? BLOCK_BYTES) || (labels !== "text" && labels !== "codes")) return whole();
    if (!isXmlDta(readAt(fd, path, 0, Math.min(size, 16)))) return whole(); // old formats and non-.dta: its errors
    try {
      return streamed(fd, path, size, options);
    } catch {
      return whole();
    }
  } finally {
    closeSync(fd);
  }
}

export function readDtaFile(path: string, options: DtaFileOptions = {}): Frame {
  return readDtaFileWithInfo(path, options).frame;
}
