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

export function widePanel(frame: Frame, spec: PanelSpec): WidePanel {
  const keep = spec.subset ? compileSubset(spec.subset, frame).evaluate() : null;
  const y = spec.outcome ?? frame.numeric(spec.y, "outcome");
  const t = frame.numeric(spec.time, "time variable");
  const d = frame.numeric(spec.treat, "treatment variable");
  const unitIds = unitIdsOfFrame(frame, spec.unit).ids;
  const unitName = frame.column(spec.unit).name;
  const rows: number[] = [];
  for (let r = 0; r < frame.nrow; r++) {
    if (keep && !keep[r]) continue;
    const what = unitIds[r] < 0 ? `unit "${spec.unit}"` : Number.isNaN(t[r]) ? `time "${spec.time}"` : Number.isNaN(d[r]) ? `treatment "${spec.treat}"` : !Number.isFinite(y[r]) ? `outcome "${spec.y}"` : null;
    if (what) throw new DidwasmError("BAD_DATA", `synthetic DID needs a complete balanced panel, but ${frame.describeRow(r)} has no ${what}`, { row: r });
    if (d[r] !== 0 && d[r] !== 1) throw new DidwasmError("BAD_DATA", `treatment "${spec.treat}" must be 0 or 1, but ${frame.describeRow(r)} has ${d[r]}`, { column: spec.treat, row: r });
    rows.push(r);
  }
  if (rows.length === 0) throw new DidwasmError("EMPTY_SAMPLE", "no observations left (check --subset)");
  const periods = [...new Set(rows.map((r) => t[r]))].sort((a, b) => a - b);
  const position = new Map(periods.map((p, k) => [p, k]));
  const unitRow = new Map<number, number>();
  const units: string[] = [];
  for (const r of rows) {
    if (!unitRow.has(unitIds[r])) {
      unitRow.set(unitIds[r], units.length);
      units.push(frame.cellText(unitName, r));
    }
  }
  const N = units.length;
  const T = periods.length;
  const Y = new Float64Array(N * T).fill(NaN);
  const D = new Int8Array(N * T);
  const seen = new Int32Array(N * T).fill(-1);
  for (const r of rows) {
    const cell = unitRow.get(unitIds[r])! * T + position.get(t[r])!;
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
