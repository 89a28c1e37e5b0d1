// The numeric part of the parallel CSV reader's merge (csv-merge.ts) that any thread can do: each range's
// numbers sit in their slot of a shared buffer per column, behind gaps left for rows the range might have
// had; moving them down over the gaps, in file order, gives the column. Every column's slots are laid out
// alike, so one list of moves serves them all, and the columns can be shared out between threads (the
// move is a memory-bound copy of some 100 MB on a 125 MB file, on the critical path at the end of the read).
// No import of the Frame itself: the worker script carries only what it runs.
import type { CsvRange } from "./csv-range.js";
import type { NumericColumn } from "./frame.js";

/** A buffer that came back from a worker is another object over the same memory: recognised by being
 *  shared and as long as the slots' (storage a range had to grow into is a plain ArrayBuffer). */
export const inSlot = (p: NumericColumn, slots: SharedArrayBuffer) => p.values.buffer instanceof SharedArrayBuffer && p.values.buffer.byteLength === slots.byteLength;

/** Whether the column's ranges can be moved down within its slots' buffer (see numericColumn). */
export function movableInPlace(parts: readonly NumericColumn[], starts: readonly number[], nrow: number, slots: SharedArrayBuffer | undefined): slots is SharedArrayBuffer {
  return slots !== undefined && nrow * 8 <= slots.byteLength && parts.every((p, k) => !inSlot(p, slots) || starts[k] <= p.values.byteOffset / 8);
}

/** One move of a range within a numeric column's buffer: `rows` values from row `from` to row `to`. */
export interface SlotMove {
  readonly from: number;
  readonly to: number;
  readonly rows: number;
}

/** The columns whose ranges all sit in their slots and can be moved down in place, with the moves (the same
 *  for every such column, in file order): the part of the merge that another thread can do, since it only
 *  moves bytes within shared memory. Columns left out (text somewhere, a range in storage of its own) are
 *  merged by mergeRanges. */
export function slotMoves(ranges: readonly CsvRange[], slots: readonly SharedArrayBuffer[]): { columns: number[]; moves: SlotMove[] } {
  const starts: number[] = [];
  let nrow = 0;
  for (const r of ranges) {
    starts.push(nrow);
    nrow += r.nrow;
  }
  let moves: SlotMove[] | null = null;
  const columns: number[] = [];
  const sameMoves = (a: readonly SlotMove[], b: readonly SlotMove[]) => a.length === b.length && a.every((m, i) => m.from === b[i].from && m.to === b[i].to && m.rows === b[i].rows);
  slots.forEach((slot, j) => {
    const parts = ranges.map((r) => r.columns[j]);
    if (!parts.every((p): p is NumericColumn => p.kind === "numeric" && inSlot(p, slot))) return;
    if (!movableInPlace(parts, starts, nrow, slot)) return;
    const own = parts.flatMap((p, k) => {
      const from = p.values.byteOffset / 8;
      return from === starts[k] || p.values.length === 0 ? [] : [{ from, to: starts[k], rows: p.values.length }];
    });
    // The slots of all columns are laid out alike, so one list of moves serves them all; a column whose
    // ranges sit elsewhere (cannot happen today) is left to mergeRanges rather than trusted.
    moves ??= own;
    if (sameMoves(moves, own)) columns.push(j);
  });
  return { columns, moves: moves ?? [] };
}

/** Applies slotMoves' moves to one column's buffer (on any thread: the buffer is shared). */
export function applySlotMoves(slot: SharedArrayBuffer, moves: readonly SlotMove[]): void {
  const all = new Float64Array(slot);
  for (const m of moves) all.copyWithin(m.to, m.from, m.from + m.rows);
}


/** A column merged by the calling thread (text: its levels, and every code remapped, by code that runs cold
 *  once per read) counted in numeric columns moved: measured on a 125 MB file with one text column and
 *  nine numeric ones, on the 2-core VM, the text column took the calling thread 4-5 times a move's time
 *  (24 ms against 5 ms, 41-57 ms against 10 ms under load). */
const MERGE_MOVES_PER_OTHER_COLUMN = 4;

/** How many of the `movable` columns the calling thread moves itself, the others going to `helpers`
 *  threads: its part of an even split of the whole merge, less the columns it merges anyway (`mergedHere`:
 *  text columns, and numeric ones in storage of their own), so that the threads finish together. */
export function callerMoveShare(movable: number, mergedHere: number, helpers: number): number {
  const other = MERGE_MOVES_PER_OTHER_COLUMN * mergedHere;
  return Math.min(movable, Math.max(0, Math.floor((movable + other) / (helpers + 1)) - other));
}
