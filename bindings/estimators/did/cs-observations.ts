// The observations Callaway-Sant'Anna works on, from the sample's rows: a balanced panel's units (outcome
// and covariates per unit and period) or repeated cross sections' rows. Units or rows of cohorts treated
// from the first period on have no pre-period and are dropped, as the did package does; so are units not
// observed in every period (did's default, allow_unbalanced_panel = FALSE), each with a note.
import { DidwasmError } from "../../errors.js";
import { info, type Note } from "../../notes.js";
import { freshF64, freshI32 } from "../../engine/fresh-arrays.js";

export interface Observations {
  readonly n: number;
  /** Cohort per observation (Infinity = never treated). */
  readonly G: Float64Array;
  /** Panel: n x T outcomes, unit-major. Cross sections: one outcome per row. */
  readonly Y: Float64Array;
  /** One array per covariate, laid out as Y (panel: n x T, unit-major; cross sections: one value per row).
   *  Column by column so that a panel already sorted by unit and period is used as it is, without a copy. */
  readonly X: readonly Float64Array[];
  /** Cross sections: each row's period index (empty for panels). */
  readonly periodOf: Int32Array;
  readonly notes: readonly Note[];
}

interface RowsIn {
  /** Frame row of each sample row (for messages). */
  readonly rowOf: ArrayLike<number>;
  readonly time: Float64Array;
  readonly y: Float64Array;
  readonly xs: readonly Float64Array[];
  /** Cohort of each frame row. */
  readonly cohortOfRow: Float64Array;
  readonly periods: readonly number[];
}

/** Each row's period index: a direct table when the periods are integers in a short range (years, months:
 *  the usual case, and a Map lookup per row costs more than the rest of the row's work), else a Map. */
function periodIndex(time: Float64Array, periods: readonly number[]): Int32Array {
  const out = freshI32(time.length);
  const lo = periods[0];
  const span = periods[periods.length - 1] - lo;
  if (periods.every(Number.isInteger) && span < 1e6) {
    const table = new Int32Array(span + 1);
    periods.forEach((p, k) => (table[p - lo] = k));
    for (let i = 0; i < time.length; i++) out[i] = table[time[i] - lo];
    return out;
  }
  const index = new Map(periods.map((p, k) => [p, k]));
  for (let i = 0; i < time.length; i++) out[i] = index.get(time[i])!;
  return out;
}

export function panelObservations(o: PanelRowsIn): Observations {
  const { periods } = o;
  const T = periods.length;
  const { Y, X, seen, cohortOfUnit } = isSortedPanel(o) ? sortedPanel(o) : scatteredPanel(o);
  const keep: number[] = [];
  let unbalanced = 0;
  let always = 0;
  for (let u = 0; u < o.units; u++) {
    if (seen[u] !== T) unbalanced++;
    else if (Number.isFinite(cohortOfUnit[u]) && cohortOfUnit[u] <= periods[0]) always++;
    else keep.push(u);
  }
  const notes: Note[] = [];
  if (unbalanced) notes.push(info("data", `${unbalanced} unit(s) not observed in every period dropped (balanced panel, as the did package does by default)`));
  if (always) notes.push(info("data", `${always} unit(s) already treated in the first period dropped, as the did package does`));
  const G = Float64Array.from(keep, (u) => cohortOfUnit[u]);
  if (keep.length === o.units) return { n: o.units, G, Y, X, periodOf: new Int32Array(0), notes };
  const keptRows = (v: Float64Array) => {
    const out = new Float64Array(keep.length * T);
    keep.forEach((u, i) => out.set(v.subarray(u * T, (u + 1) * T), i * T));
    return out;
  };
  return { n: keep.length, G, Y: keptRows(Y), X: X.map(keptRows), periodOf: new Int32Array(0), notes };
}

type PanelRowsIn = RowsIn & { readonly unitIds: Int32Array; readonly units: number; readonly unitName: (row: number) => string };

/** The panel laid out unit by unit, each unit's periods in order, and which units have every period. */
interface PanelLayout {
  readonly Y: Float64Array;
  readonly X: readonly Float64Array[];
  /** Periods observed per unit (T when complete). */
  readonly seen: Int32Array;
  readonly cohortOfUnit: Float64Array;
}

/** True when row i is unit floor(i / T)'s period i mod T (a balanced panel sorted by unit, then period,
 *  units numbered by first appearance): the rows are then already the unit-major layout. */
function isSortedPanel(o: PanelRowsIn): boolean {
  const { periods, time, unitIds } = o;
  const T = periods.length;
  if (time.length !== o.units * T) return false;
  for (let u = 0, i = 0; u < o.units; u++) {
    for (let p = 0; p < T; p++, i++) if (unitIds[i] !== u || time[i] !== periods[p]) return false;
  }
  return true;
}

/** A sorted balanced panel: its columns are the layout (no copy, no scatter). */
function sortedPanel(o: PanelRowsIn): PanelLayout {
  const T = o.periods.length;
  const cohortOfUnit = new Float64Array(o.units);
  for (let u = 0; u < o.units; u++) cohortOfUnit[u] = o.cohortOfRow[o.rowOf[u * T]];
  return { Y: o.y, X: o.xs, seen: new Int32Array(o.units).fill(T), cohortOfUnit };
}

/** Any other row order: each row scattered to its unit and period (NaN outcome where a unit lacks one). */
function scatteredPanel(o: PanelRowsIn): PanelLayout {
  const { periods, xs, y, time } = o;
  const T = periods.length;
  const pIndex = periodIndex(time, periods);
  const Y = freshF64(o.units * T).fill(NaN);
  const seen = new Int32Array(o.units);
  const cohortOfUnit = new Float64Array(o.units);
  const { unitIds, rowOf, cohortOfRow } = o;
  for (let i = 0; i < y.length; i++) {
    const u = unitIds[i];
    const k = u * T + pIndex[i];
    if (!Number.isNaN(Y[k])) throw new DidwasmError("BAD_DATA", `unit ${o.unitName(rowOf[i])} appears twice in period ${time[i]} (for repeated cross sections use --panel false)`, { row: rowOf[i] });
    Y[k] = y[i];
    seen[u]++;
    cohortOfUnit[u] = cohortOfRow[rowOf[i]];
  }
  const X = xs.map((xc) => {
    const out = freshF64(o.units * T);
    for (let i = 0; i < y.length; i++) out[unitIds[i] * T + pIndex[i]] = xc[i];
    return out;
  });
  return { Y, X, seen, cohortOfUnit };
}

export function crossSectionObservations(o: RowsIn): Observations {
  const { periods, xs, y, time } = o;
  const pIndex = periodIndex(time, periods);
  const keep: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const g = o.cohortOfRow[o.rowOf[i]];
    if (!(Number.isFinite(g) && g <= periods[0])) keep.push(i);
  }
  const notes: Note[] = [];
  const always = y.length - keep.length;
  if (always) notes.push(info("data", `${always} row(s) of cohorts already treated in the first period dropped, as the did package does`));
  const X = keep.length === y.length ? xs : xs.map((xc) => Float64Array.from(keep, (i) => xc[i]));
  return {
    n: keep.length,
    G: Float64Array.from(keep, (i) => o.cohortOfRow[o.rowOf[i]]),
    Y: Float64Array.from(keep, (i) => y[i]),
    X,
    periodOf: Int32Array.from(keep, (i) => pIndex[i]),
    notes,
  };
}
