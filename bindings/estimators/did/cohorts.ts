// Treatment timing for staggered designs. A cohort is the first treated period of a unit. Never-treated
// units are coded in the cohort column as 0, empty, or a value beyond the last period (or a value the user
// names with `never`); units treated in the first period of the panel are "always treated", which each
// estimator handles as its reference package does and says so in its notes.
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";

export interface Timing {
  /** Per frame row: the unit's first treated period, Infinity when never treated, NaN when the row is unusable. */
  readonly cohortOfRow: Float64Array;
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
  /** A cohort value that means "never treated", besides 0, empty and values beyond the panel. */
  readonly never?: number | null;
}

/** A key identifying the unit of each row (text or numeric ids). */
export function unitKeys(frame: Frame, unit: string): (row: number) => number | string {
  const col = frame.column(unit, "unit variable");
  if (col.kind === "text") return (r) => col.codes[r];
  return (r) => col.values[r];
}

function periodRange(frame: Frame, time: string): { periods: number[] } {
  const t = frame.numeric(time, "time variable");
  const seen = new Set<number>();
  for (let r = 0; r < t.length; r++) {
    const v = t[r];
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) {
      throw new DidwasmError("BAD_DATA", `time variable "${time}" must hold whole numbers (periods), but ${frame.describeRow(r)} has ${v}`, {
        column: time, row: r,
      });
    }
    seen.add(v);
  }
  if (seen.size < 2) throw new DidwasmError("BAD_DATA", `time variable "${time}" has fewer than two periods`, { column: time });
  return { periods: [...seen].sort((a, b) => a - b) };
}

/** Reads and checks a cohort column: constant within each unit. */
export function timingFromCohort(frame: Frame, spec: CohortSpec): Timing {
  const { periods } = periodRange(frame, spec.time);
  const first = periods[0];
  const last = periods[periods.length - 1];
  const g = frame.numeric(spec.cohort, "cohort variable");
  const key = unitKeys(frame, spec.unit);
  const byUnit = new Map<number | string, { value: number; row: number }>();
  const cohortOfRow = new Float64Array(frame.nrow).fill(NaN);
  const isNever = (v: number) => Number.isNaN(v) || v === 0 || v > last || (spec.never !== undefined && spec.never !== null && v === spec.never);
  for (let r = 0; r < frame.nrow; r++) {
    const u = key(r);
    if (typeof u === "number" && Number.isNaN(u)) continue;
    if (typeof u === "number" && u < 0 && frame.column(spec.unit).kind === "text") continue; // missing text id
    const v = isNever(g[r]) ? Infinity : g[r];
    const prev = byUnit.get(u);
    if (prev === undefined) byUnit.set(u, { value: v, row: r });
    else if (prev.value !== v) {
      throw new DidwasmError(
        "BAD_DATA",
        `cohort variable "${spec.cohort}" varies within unit ${frame.cellText(spec.unit, r)}: ` +
          `${frame.describeRow(prev.row)} has ${prev.value === Infinity ? "never" : prev.value}, ${frame.describeRow(r)} has ${v === Infinity ? "never" : v}`,
        { column: spec.cohort, row: r },
      );
    }
    cohortOfRow[r] = v;
  }
  return summarise(cohortOfRow, byUnit, periods, first, last);
}

function summarise(
  cohortOfRow: Float64Array, byUnit: Map<number | string, { value: number }>, periods: number[], first: number, last: number,
): Timing {
  const cohorts = new Set<number>();
  let never = 0;
  let always = 0;
  for (const { value } of byUnit.values()) {
    if (value === Infinity) never++;
    else {
      cohorts.add(value);
      if (value <= first) always++;
    }
  }
  return {
    cohortOfRow, cohorts: [...cohorts].sort((a, b) => a - b), firstPeriod: first, lastPeriod: last, periods,
    neverTreatedUnits: never, alwaysTreatedUnits: always,
  };
}

/** Derives cohorts from a 0/1 treatment column, checking it is binary and never switches off. */
export function timingFromTreatment(frame: Frame, spec: { unit: string; time: string; treat: string }): Timing {
  const { periods } = periodRange(frame, spec.time);
  const d = frame.numeric(spec.treat, "treatment variable");
  const t = frame.numeric(spec.time, "time variable");
  const key = unitKeys(frame, spec.unit);
  for (let r = 0; r < frame.nrow; r++) {
    if (!Number.isNaN(d[r]) && d[r] !== 0 && d[r] !== 1) {
      throw new DidwasmError("BAD_DATA", `treatment "${spec.treat}" must be 0 or 1, but ${frame.describeRow(r)} has ${d[r]}`, {
        column: spec.treat, row: r,
      });
    }
  }
  // First treated period per unit, then check no 0 after it (absorbing treatment).
  const firstTreated = new Map<number | string, number>();
  for (let r = 0; r < frame.nrow; r++) {
    if (d[r] !== 1 || Number.isNaN(t[r])) continue;
    const u = key(r);
    const f = firstTreated.get(u);
    if (f === undefined || t[r] < f) firstTreated.set(u, t[r]);
  }
  const byUnit = new Map<number | string, { value: number }>();
  const cohortOfRow = new Float64Array(frame.nrow).fill(NaN);
  for (let r = 0; r < frame.nrow; r++) {
    if (Number.isNaN(t[r]) || Number.isNaN(d[r])) continue;
    const u = key(r);
    const f = firstTreated.get(u) ?? Infinity;
    if (d[r] === 0 && t[r] >= f) {
      throw new DidwasmError(
        "BAD_DATA",
        `treatment "${spec.treat}" switches off: unit ${frame.cellText(spec.unit, r)} is treated from ${f} but untreated in ${t[r]} (${frame.describeRow(r)}); ` +
          "these estimators need treatment that stays on once it starts",
        { column: spec.treat, row: r },
      );
    }
    byUnit.set(u, { value: f });
    cohortOfRow[r] = f;
  }
  return summarise(cohortOfRow, byUnit, periods, periods[0], periods[periods.length - 1]);
}
