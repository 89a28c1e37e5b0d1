// A generic synthetic panel for benchmarks and golden tests: units nested in states, years, k regressors,
// a known coefficient vector, optionally string unit ids, analytic weights, missing values and singleton
// units. Deterministic for a given seed.
//
// DGP: x_j = 0.5 a_i + N(0,1) (correlated with the unit effect a_i ~ N(0,1)), year effect b_t = 0.1 t,
// y = a_i + b_t + sum_j beta_j x_j + u, beta_j = 1 / j, u ~ N(0, (1 + 0.5 |x_1|)^2) (heteroskedastic)
// plus a state shock N(0, 0.3^2) per (state, year) so clustering by state matters.
import { Xoshiro128 } from "../../random/xoshiro.js";
import type { ColumnData } from "../columns.js";

export interface SyntheticPanelOptions {
  readonly units: number;
  readonly periods: number;
  readonly regressors: number;
  readonly seed?: number;
  /** Units per state (cluster level above the unit). Default 20. */
  readonly unitsPerState?: number;
  /** Share of cells of y and x1 set missing. Default 0. */
  readonly missingRate?: number;
  /** Extra units observed once (singletons). Default 0. */
  readonly singletons?: number;
  /** Unit ids as strings "u00001" instead of integers. */
  readonly stringIds?: boolean;
  /** Add a weight column w ~ U(0.5, 2). */
  readonly weights?: boolean;
  /** Staggered adoption: each unit draws a cohort (first treated year) from these, or never (cohort 0) with
   *  probability neverShare; adds columns cohort and treat (0/1) and `effect` to y of treated rows.
   *  Drawn from stream 1 of the seed, so the other columns are the same with or without it. */
  readonly staggered?: { readonly cohorts: readonly number[]; readonly neverShare: number; readonly effect: number };
}

/** Values are rounded to 12 decimals: the CSV stays compact (~125 bytes per row with 6 regressors) and
 *  what a reader parses is exactly what was generated. */
const round12 = (x: number) => Math.round(x * 1e12) / 1e12;

export function syntheticBeta(j: number): number {
  return 1 / j;
}

export function generateSyntheticPanel(o: SyntheticPanelOptions): ColumnData {
  const g = new Xoshiro128(o.seed ?? 1);
  const perState = o.unitsPerState ?? 20;
  const k = o.regressors;
  const n = o.units * o.periods + (o.singletons ?? 0);
  const unit: Array<number | string> = new Array(n);
  const state = new Float64Array(n);
  const year = new Float64Array(n);
  const xs = Array.from({ length: k }, () => new Float64Array(n));
  const y = new Float64Array(n);
  const w = o.weights ? new Float64Array(n) : null;
  const nStates = Math.ceil((o.units + (o.singletons ?? 0)) / perState);
  const shock = Array.from({ length: nStates * o.periods }, () => 0.3 * g.normal());
  const id = (i: number) => (o.stringIds ? `u${String(i + 1).padStart(6, "0")}` : i + 1);
  let r = 0;
  const addRow = (i: number, t: number, a: number) => {
    unit[r] = id(i);
    state[r] = Math.floor(i / perState) + 1;
    year[r] = 2000 + t;
    let lin = a + 0.1 * t + shock[(Math.floor(i / perState) % nStates) * o.periods + t];
    for (let j = 0; j < k; j++) {
      const x = round12(0.5 * a + g.normal());
      xs[j][r] = x;
      lin += syntheticBeta(j + 1) * x;
    }
    y[r] = round12(lin + (1 + 0.5 * Math.abs(xs[0]?.[r] ?? 0)) * g.normal());
    if (w) w[r] = round12(0.5 + 1.5 * g.uniform());
    r++;
  };
  for (let i = 0; i < o.units; i++) {
    const a = g.normal();
    for (let t = 0; t < o.periods; t++) addRow(i, t, a);
  }
  for (let s = 0; s < (o.singletons ?? 0); s++) addRow(o.units + s, g.below(o.periods), g.normal());
  let cohort: Float64Array | null = null;
  let treat: Float64Array | null = null;
  if (o.staggered) {
    const sg = new Xoshiro128(o.seed ?? 1, 1);
    const { cohorts, neverShare, effect } = o.staggered;
    const unitCohort = Array.from({ length: o.units + (o.singletons ?? 0) }, () =>
      sg.uniform() < neverShare ? 0 : cohorts[sg.below(cohorts.length)],
    );
    cohort = new Float64Array(n);
    treat = new Float64Array(n);
    const unitIndex = (r: number) => (typeof unit[r] === "number" ? (unit[r] as number) - 1 : Number(String(unit[r]).slice(1)) - 1);
    for (let r = 0; r < n; r++) {
      const c = unitCohort[unitIndex(r)];
      cohort[r] = c;
      treat[r] = c > 0 && year[r] >= c ? 1 : 0;
      y[r] = round12(y[r] + effect * treat[r]);
    }
  }
  const miss = o.missingRate ?? 0;
  if (miss > 0) {
    for (let i = 0; i < n; i++) {
      if (g.uniform() < miss) y[i] = NaN;
      if (k > 0 && g.uniform() < miss) xs[0][i] = NaN;
    }
  }
  const cols: Record<string, ArrayLike<number | string>> = { unit, state, year };
  xs.forEach((x, j) => (cols[`x${j + 1}`] = x));
  if (w) cols.w = w;
  if (cohort && treat) {
    cols.cohort = cohort;
    cols.treat = treat;
  }
  cols.y = y;
  return cols;
}
