// The wide outcome matrix synthetic DID works on (synthdid's panel.matrices): one row per unit, one column
// per period, from a balanced long panel, with each unit's adoption period. Treatment must be absorbing
// (0 before adoption, 1 from it on); a unit treated in the first period has no pre-period and is refused.
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import { compileSubset } from "../../model/subset.js";
import { unitIdsOfFrame } from "./cohorts.js";

export interface WidePanel {
  /** Units x periods outcomes, row-major (unit u's row at u * T). */
  readonly Y: Float64Array;
  readonly N: number;
  readonly T: number;
  /** Periods, increasing. */
  readonly periods: readonly number[];
  /** Unit labels, in row order. */
  readonly units: readonly string[];
  /** Per unit: index of its first treated period, or -1 when never treated. */
  readonly adoption: Int32Array;
  readonly nobs: number;
}

export interface PanelSpec {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly treat: string;
  readonly subset?: string | null;
  /** Covariates projected out of the outcome: each cell holds y - b_1 x_1 - b_2 x_2 - ..., subtracted in
   *  that order (synthdid-covariates.ts). Applied as the cells are filled, so no adjusted copy of the whole
   *  y column is made. */
  readonly adjustment?: OutcomeAdjustment;
}

export interface OutcomeAdjustment {
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
  readonly coefficients: readonly number[];
}

/** Whole-number periods spanning at most this many values are indexed through an array. */
const DENSE_PERIOD_SPAN = 1_000_000;

/** The distinct periods of the kept rows, increasing, and how to find a value's index among them: whole
 *  numbers (years, months) through an array indexed by value (`slot[v - lo]`), others through a Map (a
 *  million Map lookups cost more than the rest of the reshaping). */
interface PeriodIndex {
  readonly periods: number[];
  readonly lo: number;
  readonly slot: Int32Array | null;
  readonly position: Map<number, number> | null;
}

function periodsOf(t: Float64Array, keep: Uint8Array | null, lo: number, hi: number, whole: boolean): PeriodIndex {
  const n = t.length;
  if (whole && hi - lo < DENSE_PERIOD_SPAN) {
    const slot = new Int32Array(hi - lo + 1).fill(-1);
    for (let r = 0; r < n; r++) if (!keep || keep[r]) slot[t[r] - lo] = 0;
    const periods: number[] = [];
    for (let v = 0; v < slot.length; v++) {
      if (slot[v] === 0) {
        slot[v] = periods.length;
        periods.push(lo + v);
      }
    }
    return { periods, lo, slot, position: null };
  }
  const distinct = new Set<number>();
  for (let r = 0; r < n; r++) if (!keep || keep[r]) distinct.add(t[r]);
  const periods = [...distinct].sort((a, b) => a - b);
  return { periods, lo, slot: null, position: new Map(periods.map((p, k) => [p, k])) };
}

/** The first kept row (in frame order) that lands in `cell`: only for error messages, so the common path
 *  keeps no row per cell (a 4 MB array on a million-row panel). */
function firstRowIn(cell: number, rowCell: (r: number) => number, nrow: number): number {
  for (let r = 0; r < nrow; r++) if (rowCell(r) === cell) return r;
  return -1;
}

/** The columns the reshaping reads, per frame row. */
interface PanelColumns {
  readonly keep: Uint8Array | null;
  readonly y: Float64Array;
  readonly t: Float64Array;
  readonly d: Float64Array;
  readonly unitIds: Int32Array;
  readonly adjustment: OutcomeAdjustment | null;
}

/** The kept rows' range of periods and count, after checking each row; numbers the units by first
 *  appearance (unitRow: frame unit id -> panel row, units: labels). */
function scanRows(frame: Frame, spec: PanelSpec, c: PanelColumns, unitName: string, unitRow: Int32Array, units: string[]): { nkept: number; lo: number; hi: number; whole: boolean } {
  const { keep, y, t, d, unitIds } = c;
  let nkept = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let whole = true;
  for (let r = 0; r < frame.nrow; r++) {
    if (keep && !keep[r]) continue;
    const what = unitIds[r] < 0 ? `unit "${spec.unit}"` : Number.isNaN(t[r]) ? `time "${spec.time}"` : Number.isNaN(d[r]) ? `treatment "${spec.treat}"` : !Number.isFinite(y[r]) ? `outcome "${spec.y}"` : missingCovariate(c.adjustment, r);
    if (what) throw new DidwasmError("BAD_DATA", `synthetic DID needs a complete balanced panel, but ${frame.describeRow(r)} has no ${what}`, { row: r });
    if (d[r] !== 0 && d[r] !== 1) throw new DidwasmError("BAD_DATA", `treatment "${spec.treat}" must be 0 or 1, but ${frame.describeRow(r)} has ${d[r]}`, { column: spec.treat, row: r });
    nkept++;
    const v = t[r];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (whole && !Number.isInteger(v)) whole = false;
    const g = unitIds[r];
    if (unitRow[g] < 0) {
      unitRow[g] = units.length;
      units.push(frame.cellText(unitName, r));
    }
  }
  return { nkept, lo, hi, whole };
}

/** The covariate that row r lacks (not finite), as an error's words, or null. */
function missingCovariate(a: OutcomeAdjustment | null, r: number): string | null {
  if (a) for (let j = 0; j < a.columns.length; j++) if (!Number.isFinite(a.columns[j][r])) return `covariate "${a.names[j]}"`;
  return null;
}

/** Y and D (treatment + 1, 0 while empty) cell by cell; returns the cells filled, or -1 - r when row r
 *  lands in a cell already filled. */
function fillCells(c: PanelColumns, cellOf: CellOf, Y: Float64Array, D: Int8Array): number {
  const { keep, y, d, t, unitIds } = c;
  const { unitRow, T, slot, lo, position } = cellOf;
  const xs = c.adjustment?.columns ?? [];
  const bs = c.adjustment?.coefficients ?? [];
  let filled = 0;
  for (let r = 0; r < y.length; r++) {
    if (keep && !keep[r]) continue;
    const cell = unitRow[unitIds[r]] * T + (slot ? slot[t[r] - lo] : position!.get(t[r])!);
    if (D[cell] !== 0) return -1 - r;
    filled++;
    let v = y[r];
    for (let j = 0; j < xs.length; j++) v -= bs[j] * xs[j][r];
    Y[cell] = v;
    D[cell] = d[r] + 1;
  }
  return filled;
}

/** Where a row goes: panel row unitRow[unit] times T plus its period's index. */
interface CellOf {
  readonly unitRow: Int32Array;
  readonly T: number;
  readonly slot: Int32Array | null;
  readonly lo: number;
  readonly position: Map<number, number> | null;
}

/** Per unit: its first treated period's index, or -1. Stops at the first unit (in row order) whose
 *  treatment switches off (stop: that cell) or that is treated from the first period (stop: -2 - unit);
 *  stop is -1 when every unit passes. */
function adoptionOf(D: Int8Array, N: number, T: number): { adoption: Int32Array; stop: number } {
  const adoption = new Int32Array(N).fill(-1);
  for (let u = 0; u < N; u++) {
    for (let k = 0; k < T; k++) {
      const on = D[u * T + k] === 2;
      if (on && adoption[u] < 0) adoption[u] = k;
      if (!on && adoption[u] >= 0) return { adoption, stop: u * T + k };
    }
    if (adoption[u] === 0) return { adoption, stop: -2 - u };
  }
  return { adoption, stop: -1 };
}

export function widePanel(frame: Frame, spec: PanelSpec): WidePanel {
  const keep = spec.subset ? compileSubset(spec.subset, frame).evaluate() : null;
  const y = frame.numeric(spec.y, "outcome");
  const t = frame.numeric(spec.time, "time variable");
  const d = frame.numeric(spec.treat, "treatment variable");
  const { ids: unitIds, G } = unitIdsOfFrame(frame, spec.unit);
  const unitName = frame.column(spec.unit).name;
  const nrow = frame.nrow;
  // typed arrays, plain loops, few passes over the rows, and each pass in a small function of its own: this
  // runs once per process over every row of million-row panels, mostly before V8 has optimised it (it
  // optimises a loop by compiling its whole function, which for a small one comes sooner).
  const columns: PanelColumns = { keep, y, t, d, unitIds, adjustment: spec.adjustment ?? null };
  const unitRow = new Int32Array(G).fill(-1);
  const units: string[] = [];
  const { nkept, lo, hi, whole } = scanRows(frame, spec, columns, unitName, unitRow, units);
  if (nkept === 0) throw new DidwasmError("EMPTY_SAMPLE", "no observations left (check --subset)");
  const { periods, slot, position } = periodsOf(t, keep, lo, hi, whole);
  const N = units.length;
  const T = periods.length;
  const cellOf: CellOf = { unitRow, T, slot, lo, position };
  const rowCell = (r: number): number => (keep && !keep[r] ? -1 : unitRow[unitIds[r]] * T + (slot ? slot[t[r] - lo] : position!.get(t[r])!));
  const Y = new Float64Array(N * T);
  // Per cell: 0 while no row has filled it, else its treatment + 1 (marks duplicates and holes without a
  // row index per cell)
  const D = new Int8Array(N * T);
  const filled = fillCells(columns, cellOf, Y, D);
  if (filled < 0) {
    const r = -1 - filled;
    throw new DidwasmError("BAD_DATA", `unit ${frame.cellText(unitName, r)} has two rows for ${spec.time} ${t[r]} (${frame.describeRow(firstRowIn(rowCell(r), rowCell, nrow))} and ${frame.describeRow(r)}); synthetic DID needs one row per unit and period`, { row: r });
  }
  if (filled < N * T) {
    for (let u = 0; u < N; u++) {
      for (let k = 0; k < T; k++) {
        if (D[u * T + k] === 0) throw new DidwasmError("BAD_DATA", `synthetic DID needs a balanced panel, but unit ${units[u]} has no row for ${spec.time} ${periods[k]}`, { column: spec.unit });
      }
    }
  }
  const { adoption, stop } = adoptionOf(D, N, T);
  if (stop >= 0) {
    const u = Math.floor(stop / T);
    const k = stop - u * T;
    const row = firstRowIn(stop, rowCell, nrow);
    throw new DidwasmError(
      "BAD_DATA",
      `treatment "${spec.treat}" switches off: unit ${units[u]} is treated from ${periods[adoption[u]]} but untreated in ${periods[k]} (${frame.describeRow(row)}). ` +
        "Synthetic DID assumes treatment stays on once it starts; for treatment that switches on and off use de Chaisemartin and D'Haultfoeuille's estimator (didwasm dcdh)",
      { column: spec.treat, row },
    );
  }
  if (stop < -1) {
    const u = -2 - stop;
    throw new DidwasmError("BAD_DATA", `unit ${units[u]} is treated from the first period (${spec.time} ${periods[0]}): synthetic DID needs pre-treatment periods for every treated unit (drop it with --subset)`, { column: spec.treat });
  }
  return { Y, N, T, periods, units, adoption, nobs: nkept };
}
