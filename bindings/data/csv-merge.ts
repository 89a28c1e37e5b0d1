// Joins CSV ranges parsed separately (csv-parallel.ts) into the Frame the serial reader gives for the whole
// file, identical to it: numeric columns concatenated; text columns with one level list in the serial
// reader's order and codes remapped to it; row labels with each range's lines moved to the file's.
//
// The serial reader's level order: a column becomes text at its first non-numeric row R; from there every
// cell is coded in row order, and then a second pass codes rows 0..R-1 (csv.ts). So levels appear in the
// order of first sight along rows R, R+1, ..., n-1, 0, 1, ..., R-1; walking the ranges' codes in that order
// and numbering texts on first sight gives the same list. Texts, not bytes, are compared, as the serial
// dictionary does (two spellings of one text are one level).
import { Frame, type Column, type NumericColumn, type TextColumn } from "./frame.js";

/** One range's records, as parseCsvBody returns them (text codes index that range's own levels). */
export interface CsvRange {
  readonly nrow: number;
  readonly columns: readonly Column[];
  /** Each row's line counted from 0 at the range's start, when rows are not one line each. */
  readonly rowLine: Int32Array | null;
  /** Lines the range spans (record ends and line feeds inside quotes). */
  readonly lines: number;
}

/** Shared memory when the platform has it, so workers can read the columns without a copy. */
function sharedBytes(bytes: number): ArrayBuffer | SharedArrayBuffer {
  return typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/** For each range, the columns it read as numbers that another range found to be text: they must be read
 *  again as text there (csv.ts's CsvBody.textColumns). */
export function textToReread(ranges: readonly CsvRange[], ncol: number): number[][] {
  const text = Array.from({ length: ncol }, (_, j) => ranges.some((r) => r.columns[j].kind === "text"));
  return ranges.map((r) => r.columns.flatMap((c, j) => (text[j] && c.kind === "numeric" ? [j] : [])));
}

/** A numeric column: ranges are moved down, in file order, over the gaps left in the column's shared buffer
 *  (csv-parallel.ts), each to where its rows start in the file. A range that outgrew its slot read into
 *  storage of its own and is copied in from there. Moving in order is safe while no range lands past its
 *  own slot's start (it then overwrites only rows already moved, never one still to be moved); if one
 *  would (ranges before it outgrew their slots), the ranges are copied into new storage instead. */
function numericColumn(name: string, parts: NumericColumn[], starts: number[], nrow: number, slots: SharedArrayBuffer | undefined): NumericColumn {
  let values: Float64Array;
  // A buffer that came back from a worker is another object over the same memory: recognised by being
  // shared and as long as the slots' (storage a range had to grow into is a plain ArrayBuffer).
  const inSlot = (p: NumericColumn) => p.values.buffer instanceof SharedArrayBuffer && p.values.buffer.byteLength === slots!.byteLength;
  const inPlace = slots !== undefined && nrow * 8 <= slots.byteLength && parts.every((p, k) => !inSlot(p) || starts[k] <= p.values.byteOffset / 8);
  if (inPlace) {
    const all = new Float64Array(slots!);
    parts.forEach((p, k) => {
      const from = p.values.byteOffset / 8;
      if (!inSlot(p)) all.set(p.values, starts[k]);
      else if (from !== starts[k]) all.copyWithin(starts[k], from, from + p.values.length);
    });
    values = all.subarray(0, nrow);
  } else {
    values = new Float64Array(sharedBytes(nrow * 8));
    parts.forEach((p, k) => values.set(p.values, starts[k]));
  }
  return { kind: "numeric", name, values, allFinite: parts.every((p) => p.allFinite === true) };
}

function textColumn(name: string, parts: TextColumn[], starts: number[], nrow: number): TextColumn {
  const first = parts.findIndex((p) => p.firstText !== null);
  const ft = parts[first].firstText!;
  const rFirst = ft.row; // row within range `first` where the serial reader turns the column to text
  const codes = new Int32Array(sharedBytes(nrow * 4));
  const levels: string[] = [];
  const idOf = new Map<string, number>();
  const maps = parts.map((p) => new Int32Array(p.levels.length).fill(-1));
  const walk = (k: number, from: number, to: number): void => {
    const local = parts[k].codes;
    const own = parts[k].levels;
    const map = maps[k];
    const base = starts[k];
    for (let r = from; r < to; r++) {
      const l = local[r];
      if (l < 0) {
        codes[base + r] = -1;
        continue;
      }
      let g = map[l];
      if (g < 0) {
        const text = own[l];
        const known = idOf.get(text);
        if (known === undefined) {
          g = levels.length;
          levels.push(text);
          idOf.set(text, g);
        } else g = known;
        map[l] = g;
      }
      codes[base + r] = g;
    }
  };
  walk(first, rFirst, parts[first].codes.length);
  for (let k = first + 1; k < parts.length; k++) walk(k, 0, parts[k].codes.length);
  for (let k = 0; k < first; k++) walk(k, 0, parts[k].codes.length);
  walk(first, 0, rFirst);
  return { kind: "text", name, codes, levels, firstText: { row: starts[first] + rFirst, text: ft.text } };
}

/** Row labels as the serial reader gives them: "line L", with L = row + 2 unless a record spans lines or
 *  blank lines come between records. `firstLine`: the line of the first record after the header. */
function rowLabel(ranges: readonly CsvRange[], starts: number[], nrow: number, firstLine: number): (row: number) => string {
  const lineStarts: number[] = [];
  let line = firstLine;
  for (const r of ranges) {
    lineStarts.push(line);
    line += r.lines;
  }
  const regular = ranges.every((r, k) => r.rowLine === null && lineStarts[k] === starts[k] + 2);
  if (regular) return (row) => `line ${row + 2}`;
  const rowLine = new Int32Array(nrow);
  ranges.forEach((r, k) => {
    for (let i = 0; i < r.nrow; i++) rowLine[starts[k] + i] = lineStarts[k] + (r.rowLine ? r.rowLine[i] : i);
  });
  return (row) => `line ${rowLine[row]}`;
}

/** The Frame of a file from its ranges, in file order, after textToReread's columns were read as text.
 *  `slots`: the shared buffer per column that the ranges' numbers were written into, if any. */
export function mergeRanges(ranges: readonly CsvRange[], names: readonly string[], hint: string, firstLine: number, slots?: readonly SharedArrayBuffer[]): Frame {
  const starts: number[] = [];
  let nrow = 0;
  for (const r of ranges) {
    starts.push(nrow);
    nrow += r.nrow;
  }
  const columns = names.map((name, j): Column => {
    const parts = ranges.map((r) => r.columns[j]);
    if (parts.every((p) => p.kind === "numeric")) return numericColumn(name, parts as NumericColumn[], starts, nrow, slots?.[j]);
    return textColumn(name, parts as TextColumn[], starts, nrow);
  });
  return new Frame(nrow, columns, rowLabel(ranges, starts, nrow, firstLine), hint);
}
