// Seeded random panels for the oracle tests: unbalanced (rows dropped at random), with unit and year
// effects, regressors correlated with the unit effects, heteroskedastic errors correlated within states,
// positive weights, a state nested in units (for nested fixed effects) and a "region" crossing them (for
// two-way clustering). Drawn with the project's xoshiro128** only as a source of numbers.
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

export interface OraclePanel {
  readonly n: number;
  /** Columns for fromColumns / feols: y, x1..xK, unit, year, state, region, w (and any added below). */
  readonly columns: Record<string, Float64Array>;
  readonly xNames: readonly string[];
}

export interface PanelOptions {
  readonly seed: number;
  readonly units: number;
  readonly periods: number;
  /** Number of regressors x1..xK. */
  readonly K: number;
  /** Units per state (states are unions of units). */
  readonly unitsPerState?: number;
  /** Share of unit-period rows dropped, making the panel unbalanced. */
  readonly dropRate?: number;
}

export function randomPanel(o: PanelOptions): OraclePanel {
  const rng = new Xoshiro128(o.seed);
  const perState = o.unitsPerState ?? 3;
  const unitEffect = Array.from({ length: o.units }, () => rng.normal());
  const yearEffect = Array.from({ length: o.periods }, () => 0.5 * rng.normal());
  const stateShock = Array.from({ length: Math.ceil(o.units / perState) * o.periods }, () => rng.normal());
  const beta = Array.from({ length: o.K }, (_, k) => (k % 2 ? -1 : 1) * (0.5 + k / 4));
  const cols: Record<string, number[]> = { y: [], unit: [], year: [], state: [], region: [], w: [] };
  const xNames = Array.from({ length: o.K }, (_, k) => `x${k + 1}`);
  xNames.forEach((x) => (cols[x] = []));
  for (let u = 0; u < o.units; u++) {
    for (let t = 0; t < o.periods; t++) {
      // Keep each unit's first two periods so that no unit is a singleton.
      if (t >= 2 && rng.uniform() < (o.dropRate ?? 0.15)) continue;
      const state = Math.floor(u / perState);
      let y = unitEffect[u] + yearEffect[t];
      xNames.forEach((x, k) => {
        const v = rng.normal() + 0.6 * unitEffect[u] + 0.2 * t;
        cols[x].push(v);
        y += beta[k] * v;
      });
      const scale = 0.5 + Math.abs(cols.x1[cols.x1.length - 1]) / 2;
      cols.y.push(y + scale * (rng.normal() + 0.7 * stateShock[state * o.periods + t]));
      cols.unit.push(u);
      cols.year.push(2000 + t);
      cols.state.push(state);
      cols.region.push((u * 7 + t * 3) % 5);
      cols.w.push(0.5 + 1.5 * rng.uniform());
    }
  }
  const columns: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(cols)) columns[k] = Float64Array.from(v);
  return { n: cols.y.length, columns, xNames };
}

/** A copy of `source` plus scale times standard normal noise (seeded): near-collinear with it. */
export function nearCopy(source: Float64Array, scale: number, seed: number): Float64Array {
  const rng = new Xoshiro128(seed, 7);
  return source.map((v) => v + scale * rng.normal());
}

/** Dummy columns (0/1), one per distinct value of `ids` in order of first appearance, omitting the
 *  first `skip` of them. */
export function dummies(ids: ArrayLike<number>, skip = 0): Float64Array[] {
  const levels = [...new Set(Array.from(ids))];
  return levels.slice(skip).map((level) => Float64Array.from(ids, (v) => (v === level ? 1 : 0)));
}
