// Where to cut a CSV file's records into ranges for parallel parsing: near equal byte offsets, each cut
// just after a line feed. Only a small window is read at each candidate offset, never the file. A cut may
// still fall inside a quoted field that holds a line end; csv-parallel.ts detects that (the range before
// it then ends inside an open quote) and reads the file serially instead.
import { closeSync } from "node:fs";
import { openFile, readInto } from "./read-file.js";

/** Bytes searched for a line feed after each candidate offset; a longer line gives up that cut. */
const WINDOW_BYTES = 1 << 20;
const LF = 10;

/** Range boundaries [start, c1, ..., end] (strictly increasing) for at most `parts` ranges of [start, end). */
export function splitAtLines(path: string, start: number, end: number, parts: number): number[] {
  const bounds = [start];
  if (parts < 2 || end - start < 2) return [start, end];
  const { fd } = openFile(path);
  const window = new Uint8Array(WINDOW_BYTES);
  try {
    for (let k = 1; k < parts; k++) {
      const candidate = Math.max(start + Math.floor(((end - start) * k) / parts), bounds[bounds.length - 1]);
      const got = readInto(fd, window, 0, Math.min(WINDOW_BYTES, end - candidate), candidate, path);
      const lf = window.subarray(0, got).indexOf(LF);
      if (lf < 0) continue;
      const cut = candidate + lf + 1;
      if (cut > bounds[bounds.length - 1] && cut < end) bounds.push(cut);
    }
  } finally {
    closeSync(fd);
  }
  bounds.push(end);
  return bounds;
}

/** Average bytes per line over (at most) the first WINDOW_BYTES of [start, end), for sizing the ranges'
 *  columns before they are read; null when that window holds no line end. */
export function bytesPerLine(path: string, start: number, end: number): number | null {
  const { fd } = openFile(path);
  try {
    const window = new Uint8Array(Math.min(WINDOW_BYTES, end - start));
    const got = readInto(fd, window, 0, window.length, start, path);
    let lines = 0;
    for (let i = window.subarray(0, got).indexOf(LF); i >= 0 && i < got; i = window.indexOf(LF, i + 1)) lines++;
    return lines > 0 ? got / lines : null;
  } finally {
    closeSync(fd);
  }
}
