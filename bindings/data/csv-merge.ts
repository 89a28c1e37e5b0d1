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
import { inSlot, movableInPlace } from "./csv-slot-moves.js";
import type { CsvRange } from "./csv-range.js";

export type { CsvRange };

/** One range's records, as parseCsvBody returns them (text codes index that range's own levels). */
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
 *  would (ranges before it outgrew their slots), the ranges are copied into new storage instead. `moved`:
 *  another thread already moved them (applySlotMoves). */
function numericColumn(name: string, parts: NumericColumn[], starts: number[], nrow: number, slots: SharedArrayBuffer | undefined, moved: boolean): NumericColumn {
  let values: Float64Array;
  if (moved) {
    values = new Float64Array(slots!, 0, nrow);
  } else if (movableInPlace(parts, starts, nrow, slots)) {
    const all = new Float64Array(slots!);
    parts.forEach((p, k) => {
      const from = p.values.byteOffset / 8;
      if (!inSlot(p, slots!)) all.set(p.values, starts[k]);
      else if (from !== starts[k]) all.copyWithin(starts[k], from, from + p.values.length);
    });
    values = all.subarray(0, nrow);
  } else {
    values = new Float64Array(sharedBytes(nrow * 8));
    parts.forEach((p, k) => values.set(p.values, starts[k]));
  }
  return { kind: "numeric", name, values, allFinite: parts.every((p) => p.allFinite === true) };
}

/** The file's levels of one text column, numbered on first sight as the serial dictionary numbers them. */
class Levels {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();

  id(text: string): number {
    let g = this.ids.get(text);
    if (g === undefined) {
      g = this.list.length;
      this.list.push(text);
      this.ids.set(text, g);
    }
    return g;
  }
}

/** Gives the range's levels first seen along rows [from, to) their file-wide ids (map: local -> global, -1
 *  while unknown), in the order of first sight. Stops as soon as every local level has one: a range holds
 *  few levels of a column compared with its rows, so this usually reads only its first rows, and the
 *  codes are then rewritten in one plain loop (remapCodes). */
function mapFirstSights(local: Int32Array, own: readonly string[], map: Int32Array, from: number, to: number, levels: Levels): void {
  let unmapped = 0;
  for (let l = 0; l < map.length; l++) if (map[l] < 0) unmapped++;
  for (let r = from; r < to && unmapped > 0; r++) {
    const l = local[r];
    if (l < 0 || map[l] >= 0) continue;
    map[l] = levels.id(own[l]);
    unmapped--;
  }
}

/** codes[base + r] = the file-wide id of local[r] (-1, missing, stays -1). */
function remapCodes(local: Int32Array, map: Int32Array, codes: Int32Array, base: number): void {
  for (let r = 0; r < local.length; r++) {
    const l = local[r];
    codes[base + r] = l < 0 ? -1 : map[l];
  }
}

/** A text column: each range's codes mapped to the file's levels (see above). When the ranges wrote their
 *  codes into the column's shared buffer (`codeSlot`, csv-parallel.ts), the file's codes are written over
 *  them in place, in file order, as numericColumn moves numbers: every code lands at or before where it
 *  was read from, and all levels are numbered before any code is overwritten. */
function textColumn(name: string, parts: TextColumn[], starts: number[], nrow: number, codeSlot: SharedArrayBuffer | undefined): TextColumn {
  const first = parts.findIndex((p) => p.firstText !== null);
  const ft = parts[first].firstText!;
  const rFirst = ft.row; // row within range `first` where the serial reader turns the column to text
  const levels = new Levels();
  const maps = parts.map((p) => new Int32Array(p.levels.length).fill(-1));
  const sight = (k: number, from: number, to: number) => mapFirstSights(parts[k].codes, parts[k].levels, maps[k], from, to, levels);
  sight(first, rFirst, parts[first].codes.length);
  for (let k = first + 1; k < parts.length; k++) sight(k, 0, parts[k].codes.length);
  for (let k = 0; k < first; k++) sight(k, 0, parts[k].codes.length);
  sight(first, 0, rFirst);
  const inSlot = (p: TextColumn) => p.codes.buffer instanceof SharedArrayBuffer && p.codes.buffer.byteLength === codeSlot!.byteLength;
  const inPlace = codeSlot !== undefined && nrow * 4 <= codeSlot.byteLength && parts.every((p, k) => !inSlot(p) || starts[k] <= p.codes.byteOffset / 4);
  const codes = inPlace ? new Int32Array(codeSlot!, 0, nrow) : new Int32Array(sharedBytes(nrow * 4));
  parts.forEach((p, k) => remapCodes(p.codes, maps[k], codes, starts[k]));
  return { kind: "text", name, codes, levels: levels.list, firstText: { row: starts[first] + rFirst, text: ft.text } };
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
 *  `slots`: the shared buffer per column that the ranges' numbers were written into, if any; `codeSlots`
 *  the same for text codes (null for a column without one). `moved`: columns whose ranges slotMoves'
 *  moves were already applied to (by other threads, while this one merges the rest). */
export function mergeRanges(
  ranges: readonly CsvRange[],
  names: readonly string[],
  hint: string,
  firstLine: number,
  slots?: readonly SharedArrayBuffer[],
  codeSlots?: readonly (SharedArrayBuffer | null)[],
  moved?: ReadonlySet<number>,
): Frame {
  const starts: number[] = [];
  let nrow = 0;
  for (const r of ranges) {
    starts.push(nrow);
    nrow += r.nrow;
  }
  const columns = names.map((name, j): Column => {
    const parts = ranges.map((r) => r.columns[j]);
    if (parts.every((p) => p.kind === "numeric")) return numericColumn(name, parts as NumericColumn[], starts, nrow, slots?.[j], moved?.has(j) === true);
    return textColumn(name, parts as TextColumn[], starts, nrow, codeSlots?.[j] ?? undefined);
  });
  return new Frame(nrow, columns, rowLabel(ranges, starts, nrow, firstLine), hint);
}
