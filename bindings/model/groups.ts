// Group encodings for fixed effects and clusters: dense ids 0..G-1 (in order of first appearance) over the
// rows of a sample. Combined groups (fe1^fe2, the intersections of multiway clusters) are encoded from
// the pair of dense ids through a hash map: explicit, exact, whatever the number of groups.
import type { Frame } from "../data/frame.js";
import { everyRow, gatherRows } from "./rows.js";

export interface Groups {
  /** Dense id per sample row. */
  readonly ids: Int32Array;
  /** Number of groups. */
  readonly G: number;
}

/** Encodings of whole columns (samples that keep every row), per column array, for as long as the column
 *  lives: a column is encoded once however many models use it (a report's dozens of regressions, an event
 *  study's refits, resampling). Frames are immutable and encodings are never modified, so sharing is safe. */
const wholeColumnGroups = new WeakMap<Float64Array | Int32Array, Groups>();

/** Dense ids of column `name` over `rows` (rows must hold no missing value of it). */
export function groupIds(frame: Frame, name: string, rows: Int32Array): Groups {
  const col = frame.column(name);
  const key = col.kind === "text" ? col.codes : col.values;
  // rows are increasing, so as many rows as the column has means every row.
  const whole = rows.length === key.length;
  const cached = whole ? wholeColumnGroups.get(key) : undefined;
  if (cached) return cached;
  // Most of a complete numeric column (an event study's window, an untreated subsample): renumber the
  // whole column's shared encoding over the rows, an integer table lookup per row, rather than encode the
  // values again. The ids are the same: both number groups by first appearance in row order.
  if (!whole && col.kind === "numeric" && frame.knownFinite(name) && 2 * rows.length >= key.length) {
    return renumber(groupIds(frame, name, everyRow(key.length)), rows);
  }
  const ids = new Int32Array(rows.length);
  let g: Groups;
  if (col.kind === "text") {
    const map = new Int32Array(col.levels.length).fill(-1);
    let G = 0;
    for (let i = 0; i < rows.length; i++) {
      const c = col.codes[rows[i]];
      if (map[c] < 0) map[c] = G++;
      ids[i] = map[c];
    }
    g = { ids, G };
  } else {
    g = numericGroupIds(col.values, rows, ids);
  }
  if (whole) wholeColumnGroups.set(key, g);
  return g;
}

/** Integer ids spanning at most this many slots per row use a lookup table instead of a hash map. */
const DENSE_SPAN_PER_ROW = 4;

function numericGroupIds(values: Float64Array, rows: Int32Array, ids: Int32Array): Groups {
  // rows are increasing: as many as the column has means every row, read directly.
  return rows.length === values.length ? idsOfValues(values, ids) : idsOfValues(gatherRows(values, rows), ids);
}

/** Dense ids of x[0 .. ids.length) in order of first appearance. */
function idsOfValues(x: Float64Array, ids: Int32Array): Groups {
  return wholeNumberIds(x, ids) ?? hashedIds(x, ids);
}

/** First size of the whole-number table: ids like years fit without growing. */
const FIRST_TABLE_SIZE = 1024;

/** Whole numbers up to this size key the table: sums and differences with table positions (< 2^33) are
 *  then exact. Larger ones (hashed identifiers) go to the hash map. */
const MAX_TABLE_VALUE = 2 ** 50;

const fitsTable = (v: number) => Number.isInteger(v) && Math.abs(v) <= MAX_TABLE_VALUE;

/**
 * Whole numbers in a compact range (years, unit numbers): a table indexed by value minus the table's low
 * end, in one pass over the values. The range is not known before the pass, so the table starts around the
 * first value and grows (at least doubling) when a value falls outside it; measuring the range first would
 * read the column twice, and the read is as costly as the lookup. Null, as soon as it is known, when a value
 * is not a whole number (or not finite) or the range would exceed DENSE_SPAN_PER_ROW slots per row: the
 * caller then starts over with a hash map, which numbers the groups the same way.
 */
function wholeNumberIds(x: Float64Array, ids: Int32Array): Groups | null {
  const n = ids.length;
  if (n === 0) return { ids, G: 0 };
  const maxSize = DENSE_SPAN_PER_ROW * n + 1024;
  let lo = x[0];
  if (!fitsTable(lo)) return null;
  let size = Math.min(FIRST_TABLE_SIZE, maxSize);
  let table = new Int32Array(size).fill(-1);
  let G = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    // Both whole and lo at most 2^50: v - lo is exact whenever it lands in [0, size), so equal keys mean
    // equal values. The whole-number test is on v itself, since a tiny fraction can round away in v - lo.
    let k = v - lo;
    if (!(v === Math.floor(v) && k >= 0 && k < size)) {
      if (!fitsTable(v)) return null;
      const hi = Math.max(lo + size - 1, v);
      const needed = hi - Math.min(lo, v) + 1;
      if (needed > maxSize) return null;
      const grown = Math.min(maxSize, Math.max(needed, 2 * size));
      // Keep the end away from v where it is, so that the slack lies on the side the values went.
      const newLo = v < lo ? lo + size - grown : lo;
      const next = new Int32Array(grown).fill(-1);
      next.set(table, lo - newLo);
      table = next;
      lo = newLo;
      size = grown;
      k = v - lo;
    }
    let id = table[k];
    if (id < 0) id = table[k] = G++;
    ids[i] = id;
  }
  return { ids, G };
}

function hashedIds(x: Float64Array, ids: Int32Array): Groups {
  const n = ids.length;
  const map = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = x[i];
    let id = map.get(v);
    if (id === undefined) {
      id = map.size;
      map.set(v, id);
    }
    ids[i] = id;
  }
  return { ids, G: map.size };
}

/** The groups of g's rows `rows` (positions, increasing), renumbered densely in order of first appearance. */
export function renumber(g: Groups, rows: Int32Array): Groups {
  const map = new Int32Array(g.G).fill(-1);
  const ids = new Int32Array(rows.length);
  let G = 0;
  for (let i = 0; i < rows.length; i++) {
    const old = g.ids[rows[i]];
    let id = map[old];
    if (id < 0) id = map[old] = G++;
    ids[i] = id;
  }
  return { ids, G };
}

/** The groups of the pairs (a_i, b_i). */
export function combineGroups(a: Groups, b: Groups): Groups {
  const ids = new Int32Array(a.ids.length);
  const map = new Map<number, number>();
  // a.G * b.G <= 2^31 * 2^31 = 2^62 > 2^53 in principle; both counts are at most the row count, so the key
  // a * b.G + b stays below n^2, exact for n < 2^26 rows. Beyond that, fall back to string keys.
  const exact = a.G * b.G < Number.MAX_SAFE_INTEGER;
  if (exact) {
    for (let i = 0; i < ids.length; i++) {
      const key = a.ids[i] * b.G + b.ids[i];
      let id = map.get(key);
      if (id === undefined) {
        id = map.size;
        map.set(key, id);
      }
      ids[i] = id;
    }
    return { ids, G: map.size };
  }
  const smap = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) {
    const key = `${a.ids[i]},${b.ids[i]}`;
    let id = smap.get(key);
    if (id === undefined) {
      id = smap.size;
      smap.set(key, id);
    }
    ids[i] = id;
  }
  return { ids, G: smap.size };
}

/** Re-densifies ids after rows were removed: keeps rows where keep[i] = 1 (n of them). */
export function subsetGroups(g: Groups, keep: Uint8Array, n: number): Groups {
  const rows = new Int32Array(n);
  for (let i = 0, j = 0; i < g.ids.length; i++) if (keep[i]) rows[j++] = i;
  return renumber(g, rows);
}

/** Rows per group. */
export function groupCounts(g: Groups): Int32Array {
  const counts = new Int32Array(g.G);
  for (let i = 0; i < g.ids.length; i++) counts[g.ids[i]]++;
  return counts;
}

/** Whether every group of `inner` lies within one group of `outer` (e.g. a fixed effect nested in clusters). */
export function isNested(inner: Groups, outer: Groups): boolean {
  // A fixed effect reused as the cluster variable (the common case) is the same encoding.
  if (inner.ids === outer.ids) return true;
  const owner = new Int32Array(inner.G).fill(-1);
  for (let i = 0; i < inner.ids.length; i++) {
    const g = inner.ids[i];
    const o = outer.ids[i];
    if (owner[g] < 0) owner[g] = o;
    else if (owner[g] !== o) return false;
  }
  return true;
}
