// Where to cut a CSV file's records into ranges for parallel parsing: near equal byte offsets, each cut
// just after a line feed, and how many bytes a line takes at the start of each range (to size its columns
// before it is read). Only a small window is read at each candidate offset, never the file. A cut may
// still fall inside a quoted field that holds a line end; csv-parallel.ts detects that (the range before
// it then ends inside an open quote) and reads the file serially instead.
import { closeSync } from "node:fs";
import { openFile, readInto } from "./read-file.js";

/** Bytes searched for a line feed after each candidate offset; a longer line gives up that cut. */
const WINDOW_BYTES = 1 << 20;
/** Bytes read first at a cut (lines are rarely longer; enough lines to measure them); the whole window
 *  only when they hold no line feed. */
const FIRST_LOOK_BYTES = 1 << 16;
const LF = 10;

export interface CsvCuts {
  /** Range boundaries [start, c1, ..., end], strictly increasing. */
  readonly bounds: number[];
  /** Per range, the average bytes per line over the window read at its start (null: no line end there). */
  readonly bytesPerLine: (number | null)[];
}

/** Lines ending in window[from, got): their average length, or null when there are none. */
function lineBytes(window: Uint8Array, from: number, got: number): number | null {
  let lines = 0;
  let last = -1;
  for (let i = window.indexOf(LF, from); i >= 0 && i < got; i = window.indexOf(LF, i + 1)) {
    lines++;
    last = i;
  }
  return lines > 0 ? (last + 1 - from) / lines : null;
}

/** At most `parts` ranges of [start, end), cut after line feeds. */
export function cutAtLines(path: string, start: number, end: number, parts: number): CsvCuts {
  const bounds = [start];
  const perLine: (number | null)[] = [];
  const { fd } = openFile(path);
  const window = new Uint8Array(Math.max(1, Math.min(WINDOW_BYTES, end - start)));
  const look = (at: number, bytes: number) => readInto(fd, window, 0, Math.min(bytes, window.length, end - at), at, path);
  try {
    perLine.push(lineBytes(window, 0, look(start, FIRST_LOOK_BYTES)));
    for (let k = 1; k < parts && end - start >= 2; k++) {
      const candidate = Math.max(start + Math.floor(((end - start) * k) / parts), bounds[bounds.length - 1]);
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
