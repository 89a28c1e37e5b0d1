// Group encodings for fixed effects and clusters: dense ids 0..G-1 (in order of first appearance) over the
// rows of a sample. Combined groups (fe1^fe2, the intersections of multiway clusters) are encoded from
// the pair of dense ids through a hash map: explicit, exact, whatever the number of groups.
import type { Frame } from "../data/frame.js";
import { gatherRows } from "./rows.js";
import { freshI32 } from "../engine/fresh-arrays.js";

export interface Groups {
  /** Dense id per sample row. */
  readonly ids: Int32Array;
  /** Number of groups. */
  readonly G: number;
  /** How the ids follow from row positions, where known (whole columns of whole numbers, found when first read). */
  readonly layout?: IdLayout;
}

/** Ids that follow from the row position i: floor(i / runs) when runs > 0 (a column sorted in runs of equal
 *  length, each a new group: the units of a panel stored unit by unit), i mod cycle when cycle > 0 (the same
 *  groups over and over in the same order: its periods). 0: not that layout. */
export interface IdLayout {
  readonly runs: number;
  readonly cycle: number;
}

/** Encodings of whole columns (samples that keep every row), per column array, for as long as the column
 *  lives: a column is encoded once however many models use it (a report's dozens of regressions, an event
 *  study's refits, resampling). Frames are immutable and encodings are never modified, so sharing is safe. */
const wholeColumnGroups = new WeakMap<Float64Array | Int32Array, Groups>();

/** How to write the ids of groups that do not keep them in memory until read (see columnGroups). */
interface IdsWriter {
  /** Writes the ids into `into` (as long as the groups' rows). */
  write(into: Int32Array): void;
  /** The ids when they are in memory (read once), else null. */
  kept(): Int32Array | null;
}
const idsWriters = new WeakMap<Groups, IdsWriter>();

/** Writes g's ids into `into` (its first g.ids.length entries): encoded straight into it when g does not
 *  keep its ids in memory (a fit's WebAssembly buffer then takes them without a fresh array in between). */
export function writeIds(g: Groups, into: Int32Array): void {
  const writer = idsWriters.get(g);
  if (writer) writer.write(into);
  else into.set(g.ids);
}

/** g's ids if they are in memory, else null (reading g.ids would encode them). */
export function idsInMemory(g: Groups): Int32Array | null {
  const writer = idsWriters.get(g);
  return writer ? writer.kept() : g.ids;
}

/** g with a name, its ids still unread when g keeps them out of memory. The ids getter is an own enumerable
 *  property, so that a spread ({ ...named }) copies the ids, not loses them. */
export function namedGroups(name: string, g: Groups): Groups & { readonly name: string } {
  const writer = idsWriters.get(g);
  if (!writer) return { name, ...g };
  const named = {
    name,
    G: g.G,
    get layout(): IdLayout | undefined {
      return g.layout;
    },
    get ids(): Int32Array {
      return g.ids;
    },
  };
  idsWriters.set(named, writer);
  return named;
}

/**
 * The groups of a whole column of whole numbers, with its ids encoded when first read and kept from then
 * on. A fit that only hands the ids to its kernels (writeIds) never reads them: the first touch of a fresh
 * n-long array costs several times the encoding on a virtual machine (~3 ms per MB), and the kernels' own
 * WebAssembly memory is already touched. Encoding is deterministic, so every writing gives the same ids.
 */
function columnGroups(values: Float64Array, G: number): Groups {
  let kept: Int32Array | null = null;
  let layout: IdLayout | undefined;
  // found when first asked (a pass over the column where it holds, a run's worth of reads where it does not)
  const layoutNow = () => (layout ??= layoutOf(values, G));
  // from the layout when the column has one (a write, no lookups), else encoded
  const write = (into: Int32Array) => {
    const l = layoutNow();
    if (l.runs > 0 || l.cycle > 0) writeLayout(l, into, values.length);
    else encodeWholeNumbers(values, into);
  };
  const g = {
    G,
    get layout(): IdLayout {
      return layoutNow();
    },
    get ids(): Int32Array {
      if (!kept) {
        const ids = freshI32(values.length);
        write(ids);
        kept = ids;
      }
      return kept;
    },
  };
  idsWriters.set(g, {
    write: (into) => (kept ? into.set(kept) : write(into)),
    kept: () => kept,
  });
  return g;
}

/**
 * The layout of the ids of a whole column with G groups. Runs: n = G R rows, each run of R equal values
 * differing from the run before; then each run is a new group (G runs, G values in all), so ids are
 * floor(i / R). Cycle: every value equal to the one P = G rows before (n = G P' rows); then the first P
 * rows hold every value, so they are the G groups, and ids are i mod P. Each test stops at the first row
 * that breaks it (the first run or cycle, for most columns).
 */
function layoutOf(x: Float64Array, G: number): IdLayout {
  const n = x.length;
  return { runs: n % G === 0 && inRuns(x, n / G) ? n / G : 0, cycle: n % G === 0 && cycles(x, G) ? G : 0 };
}

function inRuns(x: Float64Array, R: number): boolean {
  for (let start = 0; start < x.length; start += R) {
    const v = x[start];
    if (start > 0 && x[start - 1] === v) return false;
    for (let i = start + 1; i < start + R; i++) if (x[i] !== v) return false;
  }
  return true;
}

function cycles(x: Float64Array, P: number): boolean {
  for (let i = P; i < x.length; i++) if (x[i] !== x[i - P]) return false;
  return true;
}

/** The ids of n rows laid out as `layout` says: a write, no lookups. */
function writeLayout(layout: IdLayout, ids: Int32Array, n: number): void {
  if (layout.runs > 0) {
    const R = layout.runs;
    for (let i = 0, g = 0; i < n; g++) for (let k = 0; k < R; k++) ids[i++] = g;
  } else {
    const P = layout.cycle;
    for (let i = 0; i < n; ) for (let k = 0; k < P; k++) ids[i++] = k;
  }
}

/** Ids of values already known to be whole numbers in a compact range (wholeNumberIds counted them). */
function encodeWholeNumbers(values: Float64Array, ids: Int32Array): void {
  if (wholeNumberIds(values, values.length, ids) === null) throw new Error("internal: a column's whole-number encoding changed");
}

/** Dense ids of column `name` over `rows` (rows must hold no missing value of it); null: every row (the
 *  whole column's shared encoding, without a row list to make). */
export function groupIds(frame: Frame, name: string, rows: Int32Array | null): Groups {
  const col = frame.column(name);
  const key = col.kind === "text" ? col.codes : col.values;
  // rows are increasing, so as many rows as the column has means every row.
  const whole = rows === null || rows.length === key.length;
  const cached = whole ? wholeColumnGroups.get(key) : undefined;
  if (cached) return cached;
  // Most of a complete numeric column (an event study's window, an untreated subsample): renumber the
  // whole column's shared encoding over the rows, an integer table lookup per row, rather than encode the
  // values again. The ids are the same: both number groups by first appearance in row order.
  if (rows !== null && !whole && col.kind === "numeric" && frame.knownFinite(name) && 2 * rows.length >= key.length) {
    const known = wholeColumnGroups.get(key);
    if (known && idsInMemory(known)) return renumber(known, rows);
    // The shared encoding is not made yet or not in memory (see columnGroups): the rows' own values are
    // encoded in one pass over them, where making or reading the shared one would pass over the whole
    // column first. Values that are not whole numbers fall back to the shared (hashed) encoding.
    const ids = freshI32(rows.length);
    const G = wholeNumberIds(col.values, rows.length, ids, rows);
    return G === null ? renumber(groupIds(frame, name, null), rows) : { ids, G };
  }
  if (whole && col.kind === "numeric") {
    // Counted now (the groups' number is needed at once), encoded where the ids are needed.
    const G = wholeNumberIds(col.values, key.length, null);
    if (G !== null) {
      const g = columnGroups(col.values, G);
      wholeColumnGroups.set(key, g);
      return g;
    }
  }
  const n = rows === null ? key.length : rows.length;
  const ids = freshI32(n);
  let g: Groups;
  if (col.kind === "text") {
    const map = new Int32Array(col.levels.length).fill(-1);
    let G = 0;
    for (let i = 0; i < n; i++) {
      const c = col.codes[rows === null ? i : rows[i]];
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

function numericGroupIds(values: Float64Array, rows: Int32Array | null, ids: Int32Array): Groups {
  // rows are increasing: as many as the column has means every row, read directly.
  return rows === null || rows.length === values.length ? idsOfValues(values, ids) : idsOfValues(gatherRows(values, rows), ids);
}

/** Dense ids of x[0 .. ids.length) in order of first appearance. */
function idsOfValues(x: Float64Array, ids: Int32Array): Groups {
  const G = wholeNumberIds(x, ids.length, ids);
  return G === null ? hashedIds(x, ids) : { ids, G };
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
 * caller then starts over with a hash map, which numbers the groups the same way. The ids of x[0 .. n) (of
 * x[rows[0]], ..., x[rows[n - 1]] given `rows`) go to `ids`, or nowhere when it is null (the groups only
 * counted); returns the number of groups.
 */
function wholeNumberIds(x: Float64Array, n: number, ids: Int32Array | null, rows: Int32Array | null = null): number | null {
  if (n === 0) return 0;
  const maxSize = DENSE_SPAN_PER_ROW * n + 1024;
  let lo = rows === null ? x[0] : x[rows[0]];
  if (!fitsTable(lo)) return null;
  let size = Math.min(FIRST_TABLE_SIZE, maxSize);
  let table = new Int32Array(size).fill(-1);
  let G = 0;
  // A value equal to the previous row's has its id: a column sorted by it (the units of a panel stored unit
  // by unit) skips the table for all but a group's first row, ~2x faster there, ~10% slower without runs.
  let previous = NaN;
  let previousId = -1;
  for (let i = 0; i < n; i++) {
    const v = rows === null ? x[i] : x[rows[i]];
    if (v === previous) {
      if (ids !== null) ids[i] = previousId;
      continue;
    }
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
    if (ids !== null) ids[i] = id;
    previous = v;
    previousId = id;
  }
  return G;
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
  const ids = freshI32(rows.length);
  let G = 0;
  const gIds = g.ids; // once: ids may be read through a getter (see columnGroups)
  for (let i = 0; i < rows.length; i++) {
    const old = gIds[rows[i]];
    let id = map[old];
    if (id < 0) id = map[old] = G++;
    ids[i] = id;
  }
  return { ids, G };
}

/** The groups of the pairs (a_i, b_i). */
export function combineGroups(a: Groups, b: Groups): Groups {
  const aIds = a.ids;
  const bIds = b.ids;
  const ids = new Int32Array(aIds.length);
  const map = new Map<number, number>();
  // a.G * b.G <= 2^31 * 2^31 = 2^62 > 2^53 in principle; both counts are at most the row count, so the key
  // a * b.G + b stays below n^2, exact for n < 2^26 rows. Beyond that, fall back to string keys.
  const exact = a.G * b.G < Number.MAX_SAFE_INTEGER;
  if (exact) {
    for (let i = 0; i < ids.length; i++) {
      const key = aIds[i] * b.G + bIds[i];
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
    const key = `${aIds[i]},${bIds[i]}`;
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
  const length = g.ids.length;
  for (let i = 0, j = 0; i < length; i++) if (keep[i]) rows[j++] = i;
  return renumber(g, rows);
}

/** Rows per group. */
export function groupCounts(g: Groups): Int32Array {
  const counts = new Int32Array(g.G);
  const ids = g.ids;
  for (let i = 0; i < ids.length; i++) counts[ids[i]]++;
  return counts;
}

/** Whether every group of `inner` lies within one group of `outer` (e.g. a fixed effect nested in clusters). */
export function isNested(inner: Groups, outer: Groups): boolean {
  // A fixed effect reused as the cluster variable (the common case) is the same encoding.
  if (inner === outer) return true;
  // Every group of outer holds at least one group of inner when inner is nested in it: fewer groups
  // answer without reading the ids (the periods of a panel clustered by unit).
  if (inner.G < outer.G) return false;
  if (inner.ids === outer.ids) return true;
  const owner = new Int32Array(inner.G).fill(-1);
  const innerIds = inner.ids;
  const outerIds = outer.ids;
  for (let i = 0; i < innerIds.length; i++) {
    const g = innerIds[i];
    const o = outerIds[i];
    if (owner[g] < 0) owner[g] = o;
    else if (owner[g] !== o) return false;
  }
  return true;
}
