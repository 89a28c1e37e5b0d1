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
  /** Per frame row, an outcome to use instead of the y column (covariate-adjusted outcomes). */
  readonly outcome?: Float64Array;
}

/** Whole-number periods spanning at most this many values are indexed through an array. */
const DENSE_PERIOD_SPAN = 1_000_000;

/** The distinct periods of the kept rows, increasing, and each kept row's period index. Whole-number
 *  periods (years, months) go through an array indexed by value, others through a Map: a million Map
 *  lookups cost more than the rest of the reshaping. */
function periodsOf(t: Float64Array, rows: Int32Array): { periods: number[]; index: Int32Array } {
  let lo = Infinity;
  let hi = -Infinity;
  let whole = true;
  for (let k = 0; k < rows.length; k++) {
    const v = t[rows[k]];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (whole && !Number.isInteger(v)) whole = false;
  }
  const index = new Int32Array(rows.length);
  if (whole && hi - lo < DENSE_PERIOD_SPAN) {
    const slot = new Int32Array(hi - lo + 1).fill(-1);
    for (let k = 0; k < rows.length; k++) slot[t[rows[k]] - lo] = 0;
    const periods: number[] = [];
    for (let v = 0; v < slot.length; v++) {
      if (slot[v] === 0) {
        slot[v] = periods.length;
        periods.push(lo + v);
      }
    }
    for (let k = 0; k < rows.length; k++) index[k] = slot[t[rows[k]] - lo];
    return { periods, index };
  }
  const distinct = new Set<number>();
  for (let k = 0; k < rows.length; k++) distinct.add(t[rows[k]]);
  const periods = [...distinct].sort((a, b) => a - b);
  const position = new Map(periods.map((p, k) => [p, k]));
  for (let k = 0; k < rows.length; k++) index[k] = position.get(t[rows[k]])!;
  return { periods, index };
}

export function widePanel(frame: Frame, spec: PanelSpec): WidePanel {
  const keep = spec.subset ? compileSubset(spec.subset, frame).evaluate() : null;
  const y = spec.outcome ?? frame.numeric(spec.y, "outcome");
  const t = frame.numeric(spec.time, "time variable");
  const d = frame.numeric(spec.treat, "treatment variable");
  const { ids: unitIds, G } = unitIdsOfFrame(frame, spec.unit);
  const unitName = frame.column(spec.unit).name;
  // typed arrays and plain loops throughout: this runs over every row of million-row panels
  const kept = new Int32Array(frame.nrow);
  let nkept = 0;
  for (let r = 0; r < frame.nrow; r++) {
    if (keep && !keep[r]) continue;
    const what = unitIds[r] < 0 ? `unit "${spec.unit}"` : Number.isNaN(t[r]) ? `time "${spec.time}"` : Number.isNaN(d[r]) ? `treatment "${spec.treat}"` : !Number.isFinite(y[r]) ? `outcome "${spec.y}"` : null;
    if (what) throw new DidwasmError("BAD_DATA", `synthetic DID needs a complete balanced panel, but ${frame.describeRow(r)} has no ${what}`, { row: r });
    if (d[r] !== 0 && d[r] !== 1) throw new DidwasmError("BAD_DATA", `treatment "${spec.treat}" must be 0 or 1, but ${frame.describeRow(r)} has ${d[r]}`, { column: spec.treat, row: r });
    kept[nkept++] = r;
  }
  if (nkept === 0) throw new DidwasmError("EMPTY_SAMPLE", "no observations left (check --subset)");
  const rows = kept.subarray(0, nkept);
  const { periods, index: periodIndex } = periodsOf(t, rows);
  const unitRow = new Int32Array(G).fill(-1);
  const units: string[] = [];
  for (let k = 0; k < nkept; k++) {
    const r = rows[k];
    if (unitRow[unitIds[r]] < 0) {
      unitRow[unitIds[r]] = units.length;
      units.push(frame.cellText(unitName, r));
    }
  }
  const N = units.length;
  const T = periods.length;
  const Y = new Float64Array(N * T).fill(NaN);
  const D = new Int8Array(N * T);
  const seen = new Int32Array(N * T).fill(-1);
  for (let k = 0; k < nkept; k++) {
    const r = rows[k];
    const cell = unitRow[unitIds[r]] * T + periodIndex[k];
    if (seen[cell] >= 0) {
      throw new DidwasmError("BAD_DATA", `unit ${frame.cellText(unitName, r)} has two rows for ${spec.time} ${t[r]} (${frame.describeRow(seen[cell])} and ${frame.describeRow(r)}); synthetic DID needs one row per unit and period`, { row: r });
    }
    seen[cell] = r;
    Y[cell] = y[r];
    D[cell] = d[r];
  }
  for (let u = 0; u < N; u++) {
    for (let k = 0; k < T; k++) {
      if (seen[u * T + k] < 0) throw new DidwasmError("BAD_DATA", `synthetic DID needs a balanced panel, but unit ${units[u]} has no row for ${spec.time} ${periods[k]}`, { column: spec.unit });
    }
  }
  const adoption = new Int32Array(N).fill(-1);
  for (let u = 0; u < N; u++) {
    for (let k = 0; k < T; k++) {
      const on = D[u * T + k] === 1;
      if (on && adoption[u] < 0) adoption[u] = k;
      if (!on && adoption[u] >= 0) {
        throw new DidwasmError(
          "BAD_DATA",
          `treatment "${spec.treat}" switches off: unit ${units[u]} is treated from ${periods[adoption[u]]} but untreated in ${periods[k]} (${frame.describeRow(seen[u * T + k])}). ` +
            "Synthetic DID assumes treatment stays on once it starts; for treatment that switches on and off use de Chaisemartin and D'Haultfoeuille's estimator (didwasm dcdh)",
          { column: spec.treat, row: seen[u * T + k] },
        );
      }
    }
    if (adoption[u] === 0) {
      throw new DidwasmError("BAD_DATA", `unit ${units[u]} is treated from the first period (${spec.time} ${periods[0]}): synthetic DID needs pre-treatment periods for every treated unit (drop it with --subset)`, { column: spec.treat });
    }
  }
  return { Y, N, T, periods, units, adoption, nobs: rows.length };
}
