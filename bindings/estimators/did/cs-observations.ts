// The observations Callaway-Sant'Anna works on, from the sample's rows: a balanced panel's units (outcome
// and covariates per unit and period) or repeated cross sections' rows. Units or rows of cohorts treated
// from the first period on have no pre-period and are dropped, as the did package does; so are units not
// observed in every period (did's default, allow_unbalanced_panel = FALSE), each with a note.
import { DidwasmError } from "../../errors.js";
import { info, type Note } from "../../notes.js";

export interface Observations {
  readonly n: number;
  /** Cohort per observation (Infinity = never treated). */
  readonly G: Float64Array;
  /** Panel: n x T outcomes, unit-major. Cross sections: one outcome per row. */
  readonly Y: Float64Array;
  /** Panel: n x T x kc covariates. Cross sections: n x kc. */
  readonly X: Float64Array;
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
  const out = new Int32Array(time.length);
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

export function panelObservations(o: RowsIn & { readonly unitIds: Int32Array; readonly units: number; readonly unitName: (row: number) => string }): Observations {
  const { periods, xs, y, time } = o;
  const T = periods.length;
  const kc = xs.length;
  const pIndex = periodIndex(time, periods);
  const Y = new Float64Array(o.units * T).fill(NaN);
  const X = new Float64Array(o.units * T * kc);
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
  for (let c = 0; c < kc; c++) {
    const xc = xs[c];
    for (let i = 0; i < y.length; i++) X[(unitIds[i] * T + pIndex[i]) * kc + c] = xc[i];
  }
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
  const Yk = new Float64Array(keep.length * T);
  keep.forEach((u, i) => Yk.set(Y.subarray(u * T, (u + 1) * T), i * T));
  const Xk = new Float64Array(keep.length * T * kc);
  if (kc) keep.forEach((u, i) => Xk.set(X.subarray(u * T * kc, (u + 1) * T * kc), i * T * kc));
  return { n: keep.length, G, Y: Yk, X: Xk, periodOf: new Int32Array(0), notes };
}

export function crossSectionObservations(o: RowsIn): Observations {
  const { periods, xs, y, time } = o;
  const kc = xs.length;
  const pIndex = periodIndex(time, periods);
  const keep: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const g = o.cohortOfRow[o.rowOf[i]];
    if (!(Number.isFinite(g) && g <= periods[0])) keep.push(i);
  }
  const notes: Note[] = [];
  const always = y.length - keep.length;
  if (always) notes.push(info("data", `${always} row(s) of cohorts already treated in the first period dropped, as the did package does`));
  const X = new Float64Array(keep.length * kc);
  keep.forEach((i, j) => {
    for (let c = 0; c < kc; c++) X[j * kc + c] = xs[c][i];
  });
  return {
    n: keep.length,
    G: Float64Array.from(keep, (i) => o.cohortOfRow[o.rowOf[i]]),
    Y: Float64Array.from(keep, (i) => y[i]),
    X,
    periodOf: Int32Array.from(keep, (i) => pIndex[i]),
    notes,
  };
}
