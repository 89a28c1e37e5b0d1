// The unit-level table PSM matches on: one row per unit, treated = ever treated (a finite cohort), and each
// covariate averaged over the unit's non-missing values in the pre period (default: every period before
// the first adoption). Units are ordered by their id (numbers ascending, text by code units, as R's
// aggregate() orders numeric ids and as the C locale orders text ids): this order breaks ties in matching.
import type { Frame } from "../../data/frame.js";
import { info, warning, type Note } from "../../notes.js";
import { DidwasmError } from "../../errors.js";
import { timingFromCohort, type Timing } from "../did/cohorts.js";

export interface PreSpec {
  readonly unit: string;
  readonly time: string;
  readonly cohort: string;
  readonly covariates: readonly string[];
  /** Inclusive range of periods; default [first period, first adoption - 1]. */
  readonly pre?: readonly [number, number] | null;
  readonly never?: number | string | null;
}

export interface UnitTable {
  readonly timing: Timing;
  /** Unit ids in table order (increasing). */
  readonly ids: ReadonlyArray<number | string>;
  /** Unit index of each frame row, -1 for rows without a usable unit. */
  readonly rowUnit: Int32Array;
  /** 1 = ever treated. */
  readonly treated: Uint8Array;
  /** First treated period, Infinity = never treated. */
  readonly cohort: Float64Array;
  /** Pre-period averages per covariate (NaN when the unit has no value in the pre period). */
  readonly X: readonly Float64Array[];
  /** 1 = every covariate has a pre-period average (the unit can enter the logit). */
  readonly complete: Uint8Array;
  readonly pre: readonly [number, number];
  readonly notes: readonly Note[];
}

function unitIndex(frame: Frame, unit: string, cohortOfRow: Float64Array): { ids: Array<number | string>; rowUnit: Int32Array } {
  const col = frame.column(unit, "unit variable");
  const rowUnit = new Int32Array(frame.nrow).fill(-1);
  if (col.kind === "text") {
    const used = new Set<number>();
    for (let r = 0; r < frame.nrow; r++) if (col.codes[r] >= 0 && !Number.isNaN(cohortOfRow[r])) used.add(col.codes[r]);
    const labels = [...used].map((c) => col.levels[c]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const pos = new Map(labels.map((l, i) => [l, i]));
    const byCode = new Int32Array(col.levels.length).fill(-1);
    for (const c of used) byCode[c] = pos.get(col.levels[c])!;
    for (let r = 0; r < frame.nrow; r++) if (col.codes[r] >= 0 && !Number.isNaN(cohortOfRow[r])) rowUnit[r] = byCode[col.codes[r]];
    return { ids: labels, rowUnit };
  }
  const v = col.values;
  const distinct = new Set<number>();
  for (let r = 0; r < frame.nrow; r++) if (!Number.isNaN(v[r]) && !Number.isNaN(cohortOfRow[r])) distinct.add(v[r]);
  const ids = [...distinct].sort((a, b) => a - b);
  const pos = new Map(ids.map((x, i) => [x, i]));
  for (let r = 0; r < frame.nrow; r++) if (!Number.isNaN(v[r]) && !Number.isNaN(cohortOfRow[r])) rowUnit[r] = pos.get(v[r])!;
  return { ids, rowUnit };
}

const rangeText = (p: readonly [number, number]) => (p[0] === p[1] ? `${p[0]}` : `${p[0]}:${p[1]}`);

export function preperiodTable(frame: Frame, spec: PreSpec): UnitTable {
  if (spec.covariates.length === 0) throw new DidwasmError("BAD_OPTION", "--covariates is required: the variables the propensity score is built from");
  const timing = timingFromCohort(frame, { unit: spec.unit, time: spec.time, cohort: spec.cohort, never: spec.never });
  if (timing.cohorts.length === 0) {
    throw new DidwasmError("BAD_DATA", `cohort variable "${spec.cohort}" marks no unit as treated: PSM needs treated and never-treated units`, { column: spec.cohort });
  }
  if (timing.neverTreatedUnits === 0) {
    throw new DidwasmError("BAD_DATA", `every unit is treated at some point (cohort variable "${spec.cohort}"): PSM needs never-treated units to match with`, {
      column: spec.cohort,
    });
  }
  const first = timing.firstPeriod;
  const last = timing.lastPeriod;
  let pre: [number, number];
  if (spec.pre) {
    pre = [spec.pre[0], spec.pre[1]];
    if (pre[0] > pre[1]) throw new DidwasmError("BAD_OPTION", `--pre ${pre[0]}:${pre[1]} is empty: give lo:hi with lo <= hi`);
  } else {
    const firstAdoption = timing.cohorts[0];
    if (firstAdoption <= first) {
      throw new DidwasmError(
        "EMPTY_SAMPLE",
        `the pre period is empty: the first adoption (${firstAdoption}) is at or before the first period of the panel (${first}); give the pre period with --pre lo:hi`,
      );
    }
    pre = [first, firstAdoption - 1];
  }
  const { ids, rowUnit } = unitIndex(frame, spec.unit, timing.cohortOfRow);
  const U = ids.length;
  const t = frame.numeric(spec.time, "time variable");
  let preRows = 0;
  for (let r = 0; r < frame.nrow; r++) if (rowUnit[r] >= 0 && t[r] >= pre[0] && t[r] <= pre[1]) preRows++;
  if (preRows === 0) {
    throw new DidwasmError(
      "EMPTY_SAMPLE",
      `no observations in the pre period ${rangeText(pre)}: the panel covers ${first}-${last}`,
      { pre },
    );
  }

  const treated = new Uint8Array(U);
  const cohort = new Float64Array(U);
  for (let r = 0; r < frame.nrow; r++) {
    const u = rowUnit[r];
    if (u < 0) continue;
    cohort[u] = timing.cohortOfRow[r];
    treated[u] = Number.isFinite(timing.cohortOfRow[r]) ? 1 : 0;
  }
  const X = spec.covariates.map((name) => {
    const v = frame.numeric(name, "covariate");
    const sum = new Float64Array(U);
    const cnt = new Float64Array(U);
    for (let r = 0; r < frame.nrow; r++) {
      const u = rowUnit[r];
      if (u < 0 || !(t[r] >= pre[0] && t[r] <= pre[1]) || Number.isNaN(v[r])) continue;
      if (!Number.isFinite(v[r])) throw new DidwasmError("NOT_FINITE", `covariate "${name}" is infinite on ${frame.describeRow(r)}`, { column: name, row: r });
      sum[u] += v[r];
      cnt[u]++;
    }
    let any = 0;
    const mean = new Float64Array(U);
    for (let u = 0; u < U; u++) {
      mean[u] = cnt[u] > 0 ? sum[u] / cnt[u] : NaN;
      if (cnt[u] > 0) any++;
    }
    if (any === 0) {
      throw new DidwasmError("ALL_MISSING", `covariate "${name}" has no value in the pre period ${rangeText(pre)}`, { column: name, pre });
    }
    return mean;
  });

  const complete = new Uint8Array(U);
  let missT = 0;
  let missC = 0;
  let inT = 0;
  let inC = 0;
  let adoptInPre = 0;
  for (let u = 0; u < U; u++) {
    complete[u] = X.every((x) => !Number.isNaN(x[u])) ? 1 : 0;
    if (!complete[u]) {
      if (treated[u]) missT++;
      else missC++;
      continue;
    }
    if (treated[u]) {
      inT++;
      if (cohort[u] <= pre[1]) adoptInPre++;
    } else inC++;
  }
  if (inT === 0 || inC === 0) {
    throw new DidwasmError(
      "EMPTY_SAMPLE",
      `no ${inT === 0 ? "treated" : "never-treated"} unit has all covariates (${spec.covariates.join(", ")}) in the pre period ${rangeText(pre)}`,
      { pre },
    );
  }
  spec.covariates.forEach((name, j) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let u = 0; u < U; u++) {
      if (!complete[u]) continue;
      lo = Math.min(lo, X[j][u]);
      hi = Math.max(hi, X[j][u]);
    }
    if (lo === hi) {
      throw new DidwasmError(
        "NO_VARIANCE",
        `covariate "${name}" has no variance across units: its pre-period (${rangeText(pre)}) average is ${lo} for all ${inT + inC} units; remove it from --covariates`,
        { column: name },
      );
    }
  });
  const notes: Note[] = [];
  if (missT || missC) {
    notes.push(info("missing_dropped", `${missT + missC} unit(s) (${missT} treated, ${missC} never treated) left out: no pre-period value of some covariate`));
  }
  if (adoptInPre) notes.push(warning("data", `${adoptInPre} treated unit(s) adopt within the pre period ${rangeText(pre)}: their covariate averages include treated periods`));
  return { timing, ids, rowUnit, treated, cohort, X, complete, pre, notes };
}
