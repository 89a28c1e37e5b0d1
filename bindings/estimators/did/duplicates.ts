// Duplicated (unit, period) rows in a panel estimator's sample. The regression-based estimators (event
// study, Sun-Abraham, did2s, placebo) still estimate on them, treating each row as an observation, which is
// rarely what a panel means: they say so in a warning naming the first duplicated pair.
import type { Frame } from "../../data/frame.js";
import { warning, type Note } from "../../notes.js";
import { distinctPeriods, unitIdsOfFrame } from "./cohorts.js";

/** Unit x period cells above which a hash set replaces the dense table (memory). */
const DENSE_CELLS = 50_000_000;

/** Whether the rows with a unit and a period run unit by unit (units numbered by first appearance, so in
 *  increasing id), periods increasing within each unit: then no (unit, period) pair repeats. One pass, no
 *  table; most panels are stored this way. */
function inPanelOrder(unitIds: Int32Array, t: Float64Array, rows: ArrayLike<number>): boolean {
  let pu = -1;
  let pt = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const u = unitIds[r];
    const v = t[r];
    if (u < 0 || v !== v) continue;
    if (u > pu || (u === pu && v > pt)) {
      pu = u;
      pt = v;
    } else return false;
  }
  return true;
}

/** A warning when two rows of `rows` share a unit and a period (rows: frame row numbers). */
export function duplicateRowsNote(frame: Frame, unit: string, time: string, rows: ArrayLike<number>): Note | null {
  const units = unitIdsOfFrame(frame, unit);
  const t = frame.numeric(time, "time variable");
  if (inPanelOrder(units.ids, t, rows)) return null;
  const periods = distinctPeriods(frame, time);
  const index = new Map<number, number>();
  periods.forEach((p, k) => index.set(p, k));
  const T = periods.length;
  const dense = units.G * T <= DENSE_CELLS ? new Int32Array(units.G * T).fill(-1) : null;
  const sparse = dense ? null : new Map<number, number>();
  let count = 0;
  let first: [number, number] | null = null;
  const unitIds = units.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const u = unitIds[r];
    const k = index.get(t[r]);
    if (u < 0 || k === undefined) continue;
    const cell = u * T + k;
    const prev = dense ? dense[cell] : (sparse!.get(cell) ?? -1);
    if (prev >= 0) {
      count++;
      first ??= [prev, r];
      continue;
    }
    if (dense) dense[cell] = r;
    else sparse!.set(cell, r);
  }
  if (!first) return null;
  const [a, b] = first;
  return warning(
    "duplicate_rows",
    `${count} row(s) repeat a (${unit}, ${time}) pair already in the sample, first ${frame.describeRow(a)} and ${frame.describeRow(b)} ` +
      `(${unit} ${frame.cellText(unit, b)}, ${time} ${t[b]}): each row counts as an observation; a panel has one row per unit and period`,
  );
}
