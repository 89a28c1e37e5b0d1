// Where to cut a CSV file's records into ranges for parallel parsing: near equal byte offsets, each cut
// just after a line feed, and how many bytes a line takes at the start of each range (to size its columns
// before it is read). Only a small window is read at each candidate offset, never the file. A cut may
// still fall inside a quoted field that holds a line end; csv-parallel.ts detects that (the range before
// it then ends inside an open quote) and reads the file serially instead.
import { closeSync } from "node:fs";
import { openFile, readInto } from "./read-file.js";

/** Bytes searched for a line feed after each candidate offset; a longer line gives up that cut. */
const WINDOW_BYTES = 1 << 20;
/** Bytes read first at a cut (lines are rarely longer; some two hundred lines of a usual file, enough to
 *  measure them within a fraction of the slots' room); the whole window only when they hold no line feed.
 *  The cuts run on the calling thread before it parses anything, with cold code counting each line: on
 *  a 125 MB file 64 kB looks cost it some 6-8 ms of CPU more (2-core VM). */
const FIRST_LOOK_BYTES = 1 << 14;
const LF = 10;

export interface CsvCuts {
  /** Range boundaries [start, c1, ..., end], strictly increasing. */
  readonly bounds: number[];
  /** Per range, the average bytes per line over the window read at its start (null: no line end there). */
  readonly bytesPerLine: (number | null)[];
}

/** Lines ending in window[from, got): their average length, or null when there are none. */
function lineBytes(window: Uint8Array, from: number, got: number): number | null {
  // Searched within the bytes read only: past them the window holds a megabyte of older bytes (or zeros),
  // which indexOf would scan to the end after the last line feed of every look.
  const read = window.subarray(0, got);
  let lines = 0;
  let last = -1;
  for (let i = read.indexOf(LF, from); i >= 0; i = read.indexOf(LF, i + 1)) {
    lines++;
    last = i;
  }
  return lines > 0 ? (last + 1 - from) / lines : null;
}

/** Offsets to cut [start, end) at: into `parts` equal ranges, the last `tailParts` of them each cut again
 *  into `tailSplit`. Threads take ranges in file order until none is left, so the last ones decide how long
 *  a thread may wait for the others at the end: short last ranges make them finish close together. */
export function cutOffsets(start: number, end: number, parts: number, tailParts = 0, tailSplit = 1): number[] {
  const at = (x: number) => start + Math.floor(((end - start) * x) / parts);
  const out: number[] = [];
  for (let k = 0; k < parts; k++) {
    if (k > 0) out.push(at(k));
    if (k >= parts - tailParts) for (let i = 1; i < tailSplit; i++) out.push(at(k + i / tailSplit));
  }
  return out;
}

/** Ranges of [start, end) cut after the first line feed at or after each of `offsets` (increasing, as
 *  cutOffsets gives them); an offset whose line ends where the previous one's did gives no cut. */
export function cutAtLines(path: string, start: number, end: number, offsets: readonly number[]): CsvCuts {
  const bounds = [start];
  const perLine: (number | null)[] = [];
  const { fd } = openFile(path);
  const window = new Uint8Array(Math.max(1, Math.min(WINDOW_BYTES, end - start)));
  const look = (at: number, bytes: number) => readInto(fd, window, 0, Math.min(bytes, window.length, end - at), at, path);
  try {
    perLine.push(lineBytes(window, 0, look(start, FIRST_LOOK_BYTES)));
    for (const offset of end - start >= 2 ? offsets : []) {
      const candidate = Math.max(offset, bounds[bounds.length - 1]);
      let got = look(candidate, FIRST_LOOK_BYTES);
      let lf = window.subarray(0, got).indexOf(LF);
      if (lf < 0) {
        got = look(candidate, WINDOW_BYTES);
        lf = window.subarray(0, got).indexOf(LF);
      }
      if (lf < 0) continue;
      const cut = candidate + lf + 1;
      if (cut > bounds[bounds.length - 1] && cut < end) {
        bounds.push(cut);
        perLine.push(lineBytes(window, lf + 1, got));
      }
    }
  } finally {
    closeSync(fd);
  }
  bounds.push(end);
  return { bounds, bytesPerLine: perLine };
}
