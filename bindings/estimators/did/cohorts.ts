// Treatment timing for staggered designs. A cohort is the first treated period of a unit. Never-treated
// units are coded in the cohort column as 0, empty, or a value beyond the last period (or a value the user
// names with `never`); units treated in the first period of the panel are "always treated", which each
// estimator handles as its reference package does and says so in its notes.
import { vcovVariables } from "../../model/vcov-complete.js";
import type { Column, Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import { groupIds } from "../../model/groups.js";
import { buildSample, type Sample } from "../../model/sample.js";
import type { ResolvedCommon } from "../common-options.js";
import { freshF64 } from "../../engine/fresh-arrays.js";
import { forRowBlocks } from "../../engine/row-block.js";

export interface Timing {
  /** Per frame row: the unit's first treated period, Infinity when never treated, NaN when the row is unusable.
   *  Built when first read (a fresh n-long array costs ~20 ms per million rows to touch): an estimator that
   *  reads usable rows only can read cohortOfUnit[unitIds[r]] instead. */
  readonly cohortOfRow: Float64Array;
  /** Dense unit id per frame row (-1: unit missing) and each unit's cohort (as cohortOfRow; NaN: a unit
   *  with no usable row). */
  readonly unitIds: Int32Array;
  readonly cohortOfUnit: Float64Array;
  /** Distinct treated cohorts, increasing (finite, including always-treated ones). */
  readonly cohorts: readonly number[];
  readonly firstPeriod: number;
  readonly lastPeriod: number;
  /** Distinct periods, increasing. */
  readonly periods: readonly number[];
  readonly neverTreatedUnits: number;
  readonly alwaysTreatedUnits: number;
}

export interface CohortSpec {
  readonly unit: string;
  readonly time: string;
  readonly cohort: string;
  /** A cohort value that means "never treated", besides 0, empty and values beyond the panel: a number, or
   *  for a text cohort column the text code (e.g. "never"); a number given as text is read as a number. */
  readonly never?: number | string | null;
}

/** A cohort column as numbers, with the never-treated code (if any) as NaN, so every estimator reads
 *  text cohort columns ("2008", "never") as it reads numeric ones. */
function cohortValues(frame: Frame, spec: CohortSpec): { values: Float64Array; never: number | null } {
  const col = frame.column(spec.cohort, "cohort variable");
  const never = spec.never ?? null;
  if (col.kind === "numeric") {
    if (never === null || typeof never === "number") return { values: col.values, never };
    const x = Number(never);
    if (never.trim() === "" || !Number.isFinite(x)) {
      throw new DidwasmError("BAD_OPTION", `never-treated code "${never}" is not a number, but cohort variable "${spec.cohort}" holds numbers`, { option: "never", column: spec.cohort });
    }
    return { values: col.values, never: x };
  }
  const code = never === null ? -1 : col.levels.indexOf(String(never));
  if (never !== null && code < 0 && !col.levels.includes(String(never))) {
    const x = Number(never);
    if (!Number.isFinite(x)) throw new DidwasmError("BAD_OPTION", `never-treated code "${never}" does not occur in cohort variable "${spec.cohort}"`, { option: "never", column: spec.cohort });
  }
  const values = new Float64Array(frame.nrow);
  for (let r = 0; r < frame.nrow; r++) {
    const k = col.codes[r];
    if (k < 0 || k === code) {
      values[r] = NaN;
      continue;
    }
    const text = col.levels[k];
    const x = Number(text);
    if (text.trim() === "" || !Number.isFinite(x)) {
      throw new DidwasmError(
        "NOT_NUMERIC",
        `cohort variable "${spec.cohort}" must hold first treated periods, but ${frame.describeRow(r)} has "${text.length > 40 ? `${text.slice(0, 40)}...` : text}"` +
          (never === null ? `; if "${text.slice(0, 40)}" means never treated, say so with --never "${text.slice(0, 40)}"` : ""),
        { column: spec.cohort, row: r },
      );
    }
    values[r] = x;
  }
  return { values, never: typeof never === "number" ? never : never !== null && code < 0 ? Number(never) : null };
}

// An estimator reads the unit ids and the periods of a frame several times (treatment timing, cohorts,
// encodings); they are computed once per column object (columns are never modified in place).
const unitIdsCache = new WeakMap<object, { readonly ids: Int32Array; readonly G: number }>();
const periodsCache = new WeakMap<object, readonly number[]>();

/** Dense unit ids over every frame row (-1 where the unit is missing), by the fast group encoder. */
export function unitIdsOfFrame(frame: Frame, unit: string): { readonly ids: Int32Array; readonly G: number } {
  const col = frame.column(unit, "unit variable");
  const cached = unitIdsCache.get(col);
  if (cached) return cached;
  const out = computeUnitIds(frame, unit, col);
  unitIdsCache.set(col, out);
  return out;
}

function computeUnitIds(frame: Frame, unit: string, col: Column): { readonly ids: Int32Array; readonly G: number } {
  const n = frame.nrow;
  let present = 0;
  if (frame.knownFinite(unit)) present = n; // the reader saw no missing value
  else if (col.kind === "text") for (let r = 0; r < n; r++) present += col.codes[r] >= 0 ? 1 : 0;
  else for (let r = 0; r < n; r++) present += col.values[r] === col.values[r] ? 1 : 0; // not NaN
  // Usually every row has its unit: the whole column's (shared) encoding is the answer.
  if (present === n) return groupIds(frame, unit, null);
  const rows = new Int32Array(present);
  for (let r = 0, k = 0; r < n; r++) if (col.kind === "text" ? col.codes[r] >= 0 : !Number.isNaN(col.values[r])) rows[k++] = r;
  const g = groupIds(frame, unit, rows);
  const ids = new Int32Array(n).fill(-1);
  const gIds = g.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let k = 0; k < present; k++) ids[rows[k]] = gIds[k];
  return { ids, G: g.G };
}

/** The distinct periods (whole numbers) of the time column, increasing. */
export function distinctPeriods(frame: Frame, time: string): readonly number[] {
  const col = frame.column(time, "time variable");
  const cached = periodsCache.get(col);
  if (cached) return cached;
  const out = computePeriods(frame, time);
  periodsCache.set(col, out);
  return out;
}

// The passes over rows below run on blocks of rows (engine/row-block.ts: a loop run once over a million rows
// would run mostly unoptimised). Each returns -1 - r for a bad row r that stops it, else 0.

/** Runs pass(from, to) over consecutive blocks of n rows until one stops at a bad row: that row, or -1 when
 *  every block passed. */
function firstBadRow(n: number, pass: (from: number, to: number) => number): number {
  let code = 0;
  forRowBlocks(n, (from, to) => {
    if (code === 0) code = pass(from, to);
  });
  return code < 0 ? -1 - code : -1;
}

function computePeriods(frame: Frame, time: string): number[] {
  const t = frame.numeric(time, "time variable");
  const range = { lo: Infinity, hi: -Infinity };
  const r = firstBadRow(t.length, (from, to) => periodRange(t, from, to, range));
  if (r >= 0) {
    throw new DidwasmError("BAD_DATA", `time variable "${time}" must hold whole numbers (periods), but ${frame.describeRow(r)} has ${t[r]}`, {
      column: time, row: r,
    });
  }
  const { lo, hi } = range;
  let periods: number[];
  if (hi - lo < 4 * t.length + 1024) {
    const seen = new Uint8Array(hi - lo + 1);
    forRowBlocks(t.length, (from, to) => markPeriods(t, lo, from, to, seen));
    periods = [];
    for (let k = 0; k < seen.length; k++) if (seen[k]) periods.push(lo + k);
  } else periods = [...new Set(Array.from(t).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  if (periods.length < 2) throw new DidwasmError("BAD_DATA", `time variable "${time}" has fewer than two periods`, { column: time });
  return periods;
}

// computePeriods's two passes.

/** Widens [range.lo, range.hi] to the periods of rows from .. to - 1 (missing ones skipped); stops at the
 *  first fractional period r, returning -1 - r. */
function periodRange(t: Float64Array, from: number, to: number, range: { lo: number; hi: number }): number {
  let lo = range.lo;
  let hi = range.hi;
  let code = 0;
  for (let r = from; r < to; r++) {
    const v = t[r];
    if (v !== v) continue;
    if (Math.floor(v) !== v || v - v !== 0) {
      code = -1 - r;
      break;
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  range.lo = lo;
  range.hi = hi;
  return code;
}

/** seen[v - lo] = 1 for the periods v of rows from .. to - 1. */
function markPeriods(t: Float64Array, lo: number, from: number, to: number, seen: Uint8Array): void {
  for (let r = from; r < to; r++) {
    const v = t[r];
    if (v === v) seen[v - lo] = 1;
  }
}

/** Reads and checks a cohort column: constant within each unit. */
export function timingFromCohort(frame: Frame, spec: CohortSpec): Timing {
  const periods = distinctPeriods(frame, spec.time);
  const first = periods[0];
  const last = periods[periods.length - 1];
  const { values: g, never } = cohortValues(frame, spec);
  const units = unitIdsOfFrame(frame, spec.unit);
  const cohortOfUnit = new Float64Array(units.G).fill(NaN);
  const firstRow = new Int32Array(units.G);
  const cohortOfRow = freshF64(frame.nrow).fill(NaN);
  const unitIds = units.ids; // once: ids may be read through a getter (model/groups.ts)
  const pass: CohortPass = { g, unitIds, last, never: never ?? NaN, cohortOfUnit, firstRow, cohortOfRow };
  const r = firstBadRow(frame.nrow, (from, to) => readCohorts(pass, from, to));
  if (r >= 0) {
    const u = unitIds[r];
    const prev = cohortOfUnit[u];
    const v = cohortValue(g[r], last, pass.never);
    throw new DidwasmError(
      "BAD_DATA",
      `cohort variable "${spec.cohort}" varies within unit ${frame.cellText(spec.unit, r)}: ` +
        `${frame.describeRow(firstRow[u])} has ${prev === Infinity ? "never" : prev}, ${frame.describeRow(r)} has ${v === Infinity ? "never" : v}`,
      { column: spec.cohort, row: r },
    );
  }
  return summarise(() => cohortOfRow, unitIds, cohortOfUnit, periods);
}

interface CohortPass {
  readonly g: Float64Array;
  readonly unitIds: Int32Array;
  readonly last: number;
  /** The never-treated code, NaN when there is none (no value equals it). */
  readonly never: number;
  readonly cohortOfUnit: Float64Array;
  readonly firstRow: Int32Array;
  readonly cohortOfRow: Float64Array;
}

/** A row's cohort: Infinity for never treated (missing, 0, past the last period, or the never code). */
function cohortValue(x: number, last: number, never: number): number {
  return Number.isNaN(x) || x === 0 || x > last || x === never ? Infinity : x;
}

/** timingFromCohort's pass over rows from .. to - 1: each unit's cohort and first row, each row's cohort;
 *  -1 - r for the first row r whose cohort differs from its unit's, else 0. */
function readCohorts(p: CohortPass, from: number, to: number): number {
  const { g, unitIds, last, never, cohortOfUnit, firstRow, cohortOfRow } = p;
  for (let r = from; r < to; r++) {
    const u = unitIds[r];
    if (u < 0) continue;
    const v = cohortValue(g[r], last, never);
    const prev = cohortOfUnit[u];
    if (Number.isNaN(prev)) {
      cohortOfUnit[u] = v;
      firstRow[u] = r;
    } else if (prev !== v) return -1 - r;
    cohortOfRow[r] = v;
  }
  return 0;
}

function summarise(cohortOfRow: () => Float64Array, unitIds: Int32Array, cohortOfUnit: Float64Array, periods: readonly number[]): Timing {
  const first = periods[0];
  const last = periods[periods.length - 1];
  const cohorts = new Set<number>();
  let never = 0;
  let always = 0;
  // An indexed loop: this runs once per estimation, mostly before V8 optimises it, and the interpreter
  // runs an iterator over a typed array several times slower.
  for (let u = 0; u < cohortOfUnit.length; u++) {
    const value = cohortOfUnit[u];
    if (Number.isNaN(value)) continue;
    if (value === Infinity) never++;
    else {
      cohorts.add(value);
      if (value <= first) always++;
    }
  }
  let rows: Float64Array | null = null;
  return {
    get cohortOfRow(): Float64Array {
      return (rows ??= cohortOfRow());
    },
    unitIds, cohortOfUnit, cohorts: [...cohorts].sort((a, b) => a - b), firstPeriod: first, lastPeriod: last, periods,
    neverTreatedUnits: never, alwaysTreatedUnits: always,
  };
}

// timingFromTreatment's passes, called on blocks of rows through firstBadRow.

/** First treated period per unit (Infinity: never), checking that the treatment is 0 or 1 (or missing),
 *  over rows from .. to - 1: -1 - r for the first row r that is not, else 0. */
function firstTreatedPeriods(d: Float64Array, t: Float64Array, unitIds: Int32Array, firstTreated: Float64Array, from: number, to: number): number {
  for (let r = from; r < to; r++) {
    const x = d[r];
    if (x !== 1) {
      if (x === 0 || x !== x) continue;
      return -1 - r;
    }
    const u = unitIds[r];
    const v = t[r];
    if (u < 0 || v !== v) continue;
    if (v < firstTreated[u]) firstTreated[u] = v;
  }
  return 0;
}

/** Each unit's cohort (its first treated period) where unit, time and treatment are present on some row,
 *  over rows from .. to - 1; -1 - r for the first row r untreated on or after its unit's first treated
 *  period, else 0. */
function cohortsOfUnits(
  d: Float64Array, t: Float64Array, unitIds: Int32Array, firstTreated: Float64Array, cohortOfUnit: Float64Array, from: number, to: number,
): number {
  for (let r = from; r < to; r++) {
    const u = unitIds[r];
    const v = t[r];
    const x = d[r];
    if (u < 0 || v !== v || x !== x) continue;
    const f = firstTreated[u];
    if (x === 0 && v >= f) return -1 - r;
    cohortOfUnit[u] = f;
  }
  return 0;
}

/** Each row's cohort where unit, time and treatment are present (its unit's), else NaN. */
function cohortsOfRows(d: Float64Array, t: Float64Array, unitIds: Int32Array, cohortOfUnit: Float64Array): Float64Array {
  const out = freshF64(d.length);
  forRowBlocks(d.length, (from, to) => rowCohorts(d, t, unitIds, cohortOfUnit, from, to, out));
  return out;
}

function rowCohorts(d: Float64Array, t: Float64Array, unitIds: Int32Array, cohortOfUnit: Float64Array, from: number, to: number, out: Float64Array): void {
  for (let r = from; r < to; r++) {
    const u = unitIds[r];
    out[r] = u < 0 || t[r] !== t[r] || d[r] !== d[r] ? NaN : cohortOfUnit[u];
  }
}

/** `estimator` (e.g. "Stacked DID"): a treatment that switches off is refused in its name, pointing to dcdh. */
export function timingFromTreatment(frame: Frame, spec: { unit: string; time: string; treat: string; estimator?: string }): Timing {
  const periods = distinctPeriods(frame, spec.time);
  const d = frame.numeric(spec.treat, "treatment variable");
  const t = frame.numeric(spec.time, "time variable");
  const units = unitIdsOfFrame(frame, spec.unit);
  const unitIds = units.ids; // once: ids may be read through a getter (model/groups.ts)
  const firstTreated = new Float64Array(units.G).fill(Infinity);
  const notBinary = firstBadRow(d.length, (from, to) => firstTreatedPeriods(d, t, unitIds, firstTreated, from, to));
  if (notBinary >= 0) {
    throw new DidwasmError("BAD_DATA", `treatment "${spec.treat}" must be 0 or 1, but ${frame.describeRow(notBinary)} has ${d[notBinary]}`, {
      column: spec.treat, row: notBinary,
    });
  }
  const cohortOfUnit = new Float64Array(units.G).fill(NaN);
  const r = firstBadRow(d.length, (from, to) => cohortsOfUnits(d, t, unitIds, firstTreated, cohortOfUnit, from, to));
  if (r >= 0) {
    const f = firstTreated[unitIds[r]];
    throw new DidwasmError(
      "BAD_DATA",
      `treatment "${spec.treat}" switches off: unit ${frame.cellText(spec.unit, r)} is treated from ${f} but untreated in ${t[r]} (${frame.describeRow(r)})` +
        (spec.estimator === undefined
          ? "; these estimators need treatment that stays on once it starts"
          : `. ${spec.estimator} assumes staggered adoption (treatment stays on once it starts); ` +
            "for treatment that switches on and off use de Chaisemartin and D'Haultfoeuille's estimator (didwasm dcdh)"),
      { column: spec.treat, row: r },
    );
  }
  return summarise(() => cohortsOfRows(d, t, unitIds, cohortOfUnit), unitIds, cohortOfUnit, periods);
}

/** The sample of a regression of y on unit and period fixed effects (and controls) over the rows `keep`
 *  allows: the event study's and Sun-Abraham's, clustered as `common` says. */
export function unitTimeSample(
  frame: Frame, y: string, unit: string, time: string, controls: readonly string[], common: ResolvedCommon, keep: Uint8Array,
): Sample {
  // The variance's columns (clusters, coordinates); NW and DK default to this panel's unit and time.
  const vcovUses = vcovVariables(common.vcov, [unit, time]);
  return buildSample(frame, {
    numeric: [{ name: y, role: "outcome" }, ...controls.map((c) => ({ name: c, role: "control" })), { name: time, role: "time variable" }, ...vcovUses.numeric],
    categorical: [{ name: unit, role: "unit variable" }, ...vcovUses.categorical],
    weights: common.weights, subset: common.subset, rowFilter: keep,
    fixef: [{ vars: [unit], name: unit, pos: 0 }, { vars: [time], name: time, pos: 0 }],
    fixefRm: "none",
  });
}
