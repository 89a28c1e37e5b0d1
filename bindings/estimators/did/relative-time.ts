// Relative time (period minus cohort) for treated units, the window and end-point binning of event
// studies, and the relative-time dummies. Shared by the event study and the two-stage event study.
import type { Frame } from "../../data/frame.js";
import { info, type Note } from "../../notes.js";
import { DidwasmError } from "../../errors.js";
import { designColumns, indicatorColumn } from "../../model/lazy-columns.js";
import type { Timing } from "./cohorts.js";

export interface RelativeTimeOptions {
  readonly window?: readonly [number, number] | null;
  readonly bin?: number | null;
  readonly ref: number;
}

export interface RelativeTime {
  /** Per frame row: period - cohort for treated, not-always-treated units; NaN otherwise. */
  readonly rel: Float64Array;
  /** Per frame row: 0 for rows the design excludes (always-treated units, treated rows outside the window). */
  readonly keep: Uint8Array;
  readonly window: readonly [number, number];
  readonly bin: number | null;
  readonly ref: number;
  /** Maps a relative period to its (binned) dummy. */
  readonly binned: (k: number) => number;
  readonly notes: readonly Note[];
}

export function relativeTime(frame: Frame, timing: Timing, time: string, o: RelativeTimeOptions): RelativeTime {
  const { ref } = o;
  if (!Number.isInteger(ref)) throw new DidwasmError("BAD_OPTION", `ref must be a whole number, got ${ref}`);
  if (o.bin !== undefined && o.bin !== null && !(Number.isInteger(o.bin) && o.bin >= 1)) {
    throw new DidwasmError("BAD_OPTION", `bin must be a positive whole number, got ${o.bin}`);
  }
  const t = frame.numeric(time, "time variable");
  const notes: Note[] = [];
  const n = frame.nrow;
  const rel = new Float64Array(n);
  const cohortOfRow = timing.cohortOfRow;
  const first = timing.firstPeriod;
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < n; r++) {
    const g = cohortOfRow[r];
    const k = t[r] - g; // NaN when g or t is NaN, -Infinity for never-treated units
    // Treated (finite cohort), after the first period, with a period: k is finite.
    if (k - k !== 0 || g <= first) {
      rel[r] = NaN;
      continue;
    }
    rel[r] = k;
    if (k < lo) lo = k;
    if (k > hi) hi = k;
  }
  if (timing.alwaysTreatedUnits) notes.push(info("data", `${timing.alwaysTreatedUnits} always-treated unit(s) (treated in the first period) dropped: they have no pre-period`));
  if (!Number.isFinite(lo)) throw new DidwasmError("BAD_DATA", "no treated unit has an untreated period to compare with");
  if (o.window) {
    const [a, b] = o.window;
    if (!(Number.isInteger(a) && Number.isInteger(b) && a < b)) throw new DidwasmError("BAD_OPTION", `window must be two whole numbers lo:hi with lo < hi, got ${a}:${b}`);
    if (a < lo || b > hi) {
      throw new DidwasmError("BAD_OPTION", `window ${a}:${b} is wider than the data: relative periods of treated units run from ${lo} to ${hi}`);
    }
  }
  const window: [number, number] = o.window ? [o.window[0], o.window[1]] : [lo, hi];
  if (ref < window[0] || ref > window[1]) {
    throw new DidwasmError("BAD_OPTION", `reference period ${ref} is outside the window ${window[0]}:${window[1]}`);
  }
  const bin = o.bin ?? null;
  if (bin !== null && Math.abs(ref) > bin) {
    throw new DidwasmError("BAD_OPTION", `reference period ${ref} lies beyond the bin end points -${bin} and ${bin}`);
  }
  const keep = new Uint8Array(n);
  let outside = 0;
  const [w0, w1] = window;
  for (let r = 0; r < n; r++) {
    const g = cohortOfRow[r];
    const k = rel[r];
    if (g <= first) keep[r] = 0; // always treated (never-treated units have g = Infinity, NaN compares false)
    else if (k < w0 || k > w1) outside++; // NaN (untreated rows) compares false: kept
    else keep[r] = 1;
  }
  if (outside) notes.push(info("data", `${outside} treated observation(s) outside the window ${window[0]}:${window[1]} dropped`));
  const binned = (k: number) => (bin === null ? k : Math.max(-bin, Math.min(bin, k)));
  return { rel, keep, window, bin, ref, binned, notes };
}

export const relTerm = (k: number) => `rel::${k}`;

/** One dummy per (binned) relative period present among `rows`, except the reference; `code` gives each
 *  row's dummy (-1: none), for the one-hot crossproduct. The dense columns are made only if read. */
export function relativeDummies(rt: RelativeTime, rows: Int32Array): { names: string[]; columns: Float64Array[]; periods: number[]; code: Int32Array } {
  // Relative periods are whole numbers: a table indexed by k - lo replaces a map.
  const rel = rt.rel;
  const binned = rt.binned;
  let lo = rt.ref;
  let hi = rt.ref;
  for (let i = 0; i < rows.length; i++) {
    const k = rel[rows[i]];
    if (k !== k) continue; // NaN: not a treated row
    const b = binned(k);
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  const present = new Uint8Array(hi - lo + 1);
  for (let i = 0; i < rows.length; i++) {
    const k = rel[rows[i]];
    if (k === k) present[binned(k) - lo] = 1;
  }
  if (!present[rt.ref - lo]) throw new DidwasmError("BAD_OPTION", `reference period ${rt.ref} does not occur among treated observations`);
  const periods: number[] = [];
  const column = new Int32Array(hi - lo + 1).fill(-1);
  for (let k = lo; k <= hi; k++) {
    if (!present[k - lo] || k === rt.ref) continue;
    column[k - lo] = periods.length;
    periods.push(k);
  }
  const code = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const k = rel[rows[i]];
    code[i] = k !== k ? -1 : column[binned(k) - lo];
  }
  return { names: periods.map(relTerm), columns: designColumns(periods.map((_, j) => indicatorColumn(code, j))), periods, code };
}
