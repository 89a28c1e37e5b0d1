// Group-difference test of one coefficient (Stata bdiff semantics): d0 = b(group 0) - b(group 1), the
// model estimated separately in each group (group 0 = the smaller of the two values). Draws:
//   permutation  the sample's observations re-split at random into groups of the original sizes
//                (shuffle of row indices from the end, below(i + 1), keep the first n0 as group 0);
//   bootstrap    the pooled sample resampled with replacement (n draws of below(n)), then split the same way;
//   clusterLevel whole units permuted (or resampled) instead of observations: the better test for panels,
//                since a unit's observations are not independent. Resampled copies of a unit count as
//                distinct units in fixed effects defined by the unit variable.
// p = share of draws >= d0, reported as 1 - p when that exceeds 0.5 (as bdiff reports).
import { toFrame, type DataInput } from "../data/columns.js";
import { DidwasmError } from "../errors.js";
import { prepareModel, type FeolsOptions } from "../estimators/feols.js";
import { groupIds, isNested } from "../model/groups.js";
import { sampleValues } from "../model/sample.js";
import { Xoshiro128 } from "../random/xoshiro.js";
import { SubsetFitter, checkReps } from "./subset-fit.js";

export interface BdiffOptions extends Omit<FeolsOptions, "rowFilter" | "vcov"> {
  readonly formula: string;
  /** Variable with exactly two values in the sample. */
  readonly group: string;
  /** The coefficient compared. */
  readonly coef: string;
  readonly method?: "permutation" | "bootstrap";
  readonly reps?: number;
  readonly seed: number;
  /** Permute or resample whole units of this variable (e.g. the panel's unit) instead of observations. */
  readonly clusterLevel?: string | null;
  /** Permutation only: use every split into groups of the original sizes (exact p-value; at most
   *  MAX_ENUMERATED splits), instead of `reps` random ones. */
  readonly exact?: boolean;
}

/** Exact enumeration is refused beyond this many splits. */
export const MAX_ENUMERATED = 1_000_000;

/** Every way to choose k of n items, in lexicographic order. */
function* combinations(n: number, k: number): Generator<Int32Array> {
  const c = Int32Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield c;
    let i = k - 1;
    while (i >= 0 && c[i] === n - k + i) i--;
    if (i < 0) return;
    c[i]++;
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
  }
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

export interface BdiffResult {
  readonly coef: string;
  readonly groups: readonly [string, string];
  readonly estimates: readonly [number, number];
  readonly nobs: readonly [number, number];
  readonly diff: number;
  readonly reps: number;
  readonly p_value: number;
  readonly draws: Float64Array;
  readonly method: "permutation" | "bootstrap";
  readonly clusterLevel: string | null;
  readonly seed: number;
  readonly notes: readonly string[];
  toJSON(): Record<string, unknown>;
}

export function bdiff(data: DataInput, o: BdiffOptions): BdiffResult {
  const frame = toFrame(data);
  const method = o.method ?? "permutation";
  if (method !== "permutation" && method !== "bootstrap") throw new DidwasmError("BAD_OPTION", `method must be permutation or bootstrap, got "${method}"`);
  let reps = o.reps ?? 500;
  checkReps(reps);
  if (o.exact && method !== "permutation") throw new DidwasmError("BAD_OPTION", "exact enumeration applies to the permutation method");
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) throw new DidwasmError("BAD_OPTION", `seed must be an integer in [0, 2^32), got ${o.seed}`);
  const { formula, group, coef, method: _m, reps: _r, seed: _s, clusterLevel: _c, exact: _e, ...fitOpts } = o;
  const gcol = frame.column(group, "group variable");
  const presentGroup = new Uint8Array(frame.nrow);
  for (let r = 0; r < frame.nrow; r++) presentGroup[r] = gcol.kind === "text" ? (gcol.codes[r] >= 0 ? 1 : 0) : Number.isNaN(gcol.values[r]) ? 0 : 1;
  const prepared = prepareModel(frame, formula, { ...fitOpts, rowFilter: presentGroup, vcov: "iid" });
  if (prepared.formula.outcomes.length !== 1) throw new DidwasmError("MULTIPLE_OUTCOMES", "bdiff compares one outcome at a time");
  const { sample, design } = prepared.groups[0];
  const rows = sample.rows;
  const target = design.names.indexOf(coef);
  if (target < 0) throw new DidwasmError("UNKNOWN_COEFFICIENT", `no coefficient "${coef}" in the model (it has: ${design.names.join(", ")})`, { coefficient: coef });

  const labels = groupIds(frame, group, rows);
  if (labels.G !== 2) {
    throw new DidwasmError("BAD_DATA", `group variable "${group}" has ${labels.G} value${labels.G === 1 ? "" : "s"} in the sample; bdiff needs exactly two`, { column: group });
  }
  // Group 0 is the smaller value (numerically, else as text).
  const valueOf = (k: number) => frame.cellText(group, rows[labels.ids.indexOf(k)]);
  const names: [string, string] = [valueOf(0), valueOf(1)];
  const numeric = names.every((s) => s !== "" && !Number.isNaN(Number(s)));
  const swap = numeric ? Number(names[0]) > Number(names[1]) : names[0] > names[1];
  const g = Uint8Array.from(labels.ids, (v) => (swap ? 1 - v : v));
  if (swap) names.reverse();

  const y = sampleValues(frame, prepared.formula.outcomes[0], rows, "outcome");
  const n = rows.length;
  const fitter = new SubsetFitter(prepared.common.engine, {
    y, X: design.columns, target, fixef: sample.fixef, weights: sample.weights, tol: prepared.common.tol, maxIter: prepared.common.maxIter,
  }, n);
  const notes: string[] = [];
  try {
    const idxOf = (k: number) => Int32Array.from({ length: n }, (_, i) => i).filter((i) => g[i] === k);
    const idx0 = idxOf(0);
    const idx1 = idxOf(1);
    const b0 = fitter.coefficient(idx0);
    const b1 = fitter.coefficient(idx1);
    if (!Number.isFinite(b0) || !Number.isFinite(b1)) {
      throw new DidwasmError("ALL_COLLINEAR", `"${coef}" cannot be estimated in group ${Number.isFinite(b0) ? names[1] : names[0]} of "${group}"`);
    }
    const diff = b0 - b1;
    const n0 = idx0.length;

    let unitIds: Int32Array | null = null;
    let unitCount = 0;
    let unitsInGroup0 = 0;
    let distinct: boolean[] = [];
    let rowsOfUnit: number[][] = [];
    if (o.clusterLevel) {
      const u = groupIds(frame, o.clusterLevel, rows);
      unitIds = u.ids;
      unitCount = u.G;
      const unitGroup = new Int8Array(u.G).fill(-1);
      rowsOfUnit = Array.from({ length: u.G }, () => []);
      for (let i = 0; i < n; i++) {
        const k = u.ids[i];
        if (unitGroup[k] >= 0 && unitGroup[k] !== g[i]) {
          throw new DidwasmError("BAD_DATA", `group variable "${group}" varies within unit ${frame.cellText(o.clusterLevel, rows[i])} of "${o.clusterLevel}": unit-level permutation needs groups constant within units`);
        }
        unitGroup[k] = g[i];
        rowsOfUnit[k].push(i);
      }
      unitsInGroup0 = unitGroup.filter((v) => v === 0).length;
      distinct = sample.fixef.map((f) => isNested(f, u));
    }

    // Exact enumeration: every choice of group 0's observations (or units).
    let splits: Generator<Int32Array> | null = null;
    if (o.exact) {
      const items = unitIds ? unitCount : n;
      const k = unitIds ? unitsInGroup0 : n0;
      const count = binomial(items, k);
      if (count > MAX_ENUMERATED) {
        throw new DidwasmError("BAD_OPTION", `exact enumeration would need ${count.toExponential(2)} splits (more than ${MAX_ENUMERATED.toLocaleString("en-US")}); use random permutations`);
      }
      reps = count;
      splits = combinations(items, k);
    }
    const draws = new Float64Array(reps);
    let failed = 0;
    for (let r = 0; r < reps; r++) {
      const rng = new Xoshiro128(o.seed, r);
      let a: number;
      let b: number;
      const chosen = splits ? splits.next().value as Int32Array : null;
      const complementOrder = (items: number) => {
        const inFirst = new Uint8Array(items);
        for (const c of chosen!) inFirst[c] = 1;
        return Int32Array.from([...chosen!, ...Array.from({ length: items }, (_, i) => i).filter((i) => !inFirst[i])]);
      };
      if (!unitIds) {
        let order = Int32Array.from({ length: n }, (_, i) => i);
        if (chosen) order = complementOrder(n);
        else if (method === "permutation") {
          for (let i = n - 1; i > 0; i--) {
            const j = rng.below(i + 1);
            const t = order[i];
            order[i] = order[j];
            order[j] = t;
          }
        } else for (let i = 0; i < n; i++) order[i] = rng.below(n);
        a = fitter.coefficient(order.subarray(0, n0));
        b = fitter.coefficient(order.subarray(n0));
      } else {
        let units = Int32Array.from({ length: unitCount }, (_, i) => i);
        if (chosen) units = complementOrder(unitCount);
        else if (method === "permutation") {
          for (let i = unitCount - 1; i > 0; i--) {
            const j = rng.below(i + 1);
            const t = units[i];
            units[i] = units[j];
            units[j] = t;
          }
        } else for (let i = 0; i < unitCount; i++) units[i] = rng.below(unitCount);
        const collect = (from: number, to: number) => {
          const idx: number[] = [];
          const copy: number[] = [];
          for (let k = from; k < to; k++) for (const i of rowsOfUnit[units[k]]) {
            idx.push(i);
            copy.push(k);
          }
          return { idx: Int32Array.from(idx), copy: Int32Array.from(copy) };
        };
        const s0 = collect(0, unitsInGroup0);
        const s1 = collect(unitsInGroup0, unitCount);
        const withCopies = method === "bootstrap";
        a = fitter.coefficient(s0.idx, withCopies ? s0.copy : null, distinct);
        b = fitter.coefficient(s1.idx, withCopies ? s1.copy : null, distinct);
      }
      draws[r] = a - b;
      if (!Number.isFinite(draws[r])) failed++;
    }
    const valid = draws.filter(Number.isFinite);
    if (failed) notes.push(`${failed} draw(s) where "${coef}" could not be estimated in a resampled group were left out`);
    if (valid.length === 0) throw new DidwasmError("BAD_DATA", "no draw could be estimated");
    let p = valid.filter((v) => v >= diff).length / valid.length;
    if (p > 0.5) p = 1 - p;
    const result = {
      coef, groups: names, estimates: [b0, b1] as [number, number], nobs: [idx0.length, idx1.length] as [number, number], diff, reps,
      p_value: p, draws: valid, method, clusterLevel: o.clusterLevel ?? null, seed: o.seed, notes,
    };
    return {
      ...result,
      toJSON() {
        return {
          coefficient: coef, group, groups: names, estimates: result.estimates, nobs: result.nobs, diff, reps, p_value: p,
          method, cluster_level: result.clusterLevel, exact: o.exact ?? false, seed: o.seed, draws: Array.from(valid), notes,
        };
      },
    };
  } finally {
    fitter.release();
  }
}
