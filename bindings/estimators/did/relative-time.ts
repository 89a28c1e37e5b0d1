// Relative time (period minus cohort) for treated units, the window and end-point binning of event
// studies, and the relative-time dummies. Shared by the event study and the two-stage event study.
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
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
  readonly notes: readonly string[];
}

export function relativeTime(frame: Frame, timing: Timing, time: string, o: RelativeTimeOptions): RelativeTime {
  const { ref } = o;
  if (!Number.isInteger(ref)) throw new DidwasmError("BAD_OPTION", `ref must be a whole number, got ${ref}`);
  if (o.bin !== undefined && o.bin !== null && !(Number.isInteger(o.bin) && o.bin >= 1)) {
    throw new DidwasmError("BAD_OPTION", `bin must be a positive whole number, got ${o.bin}`);
  }
  const t = frame.numeric(time, "time variable");
  const notes: string[] = [];
  const rel = new Float64Array(frame.nrow).fill(NaN);
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < frame.nrow; r++) {
    const g = timing.cohortOfRow[r];
    if (!Number.isFinite(g) || Number.isNaN(t[r]) || g <= timing.firstPeriod) continue;
    rel[r] = t[r] - g;
    lo = Math.min(lo, rel[r]);
    hi = Math.max(hi, rel[r]);
  }
  if (timing.alwaysTreatedUnits) notes.push(`${timing.alwaysTreatedUnits} always-treated unit(s) (treated in the first period) dropped: they have no pre-period`);
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
  const keep = new Uint8Array(frame.nrow).fill(1);
  let outside = 0;
  for (let r = 0; r < frame.nrow; r++) {
    const g = timing.cohortOfRow[r];
    if (Number.isFinite(g) && g <= timing.firstPeriod) keep[r] = 0;
    else if (!Number.isNaN(rel[r]) && (rel[r] < window[0] || rel[r] > window[1])) {
      keep[r] = 0;
      outside++;
    }
  }
  if (outside) notes.push(`${outside} treated observation(s) outside the window ${window[0]}:${window[1]} dropped`);
  const binned = (k: number) => (bin === null ? k : Math.max(-bin, Math.min(bin, k)));
  return { rel, keep, window, bin, ref, binned, notes };
}

export const relTerm = (k: number) => `rel::${k}`;

/** One dummy per (binned) relative period present among `rows`, except the reference; `code` gives each
 *  row's dummy (-1: none), for the one-hot crossproduct. */
export function relativeDummies(rt: RelativeTime, rows: Int32Array): { names: string[]; columns: Float64Array[]; periods: number[]; code: Int32Array } {
  const levels = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const k = rt.rel[rows[i]];
    if (!Number.isNaN(k)) levels.add(rt.binned(k));
  }
  if (!levels.has(rt.ref)) throw new DidwasmError("BAD_OPTION", `reference period ${rt.ref} does not occur among treated observations`);
  const periods = [...levels].filter((k) => k !== rt.ref).sort((a, b) => a - b);
  const index = new Map(periods.map((k, j) => [k, j]));
  const columns = periods.map(() => new Float64Array(rows.length));
  const code = new Int32Array(rows.length).fill(-1);
  for (let i = 0; i < rows.length; i++) {
    const k = rt.rel[rows[i]];
    if (Number.isNaN(k)) continue;
    const j = index.get(rt.binned(k));
    if (j !== undefined) {
      columns[j][i] = 1;
      code[i] = j;
    }
  }
  return { names: periods.map(relTerm), columns, periods, code };
}
