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
import { warning, type Note } from "../notes.js";
import { DidwasmError } from "../errors.js";
import { prepareModel, type FeolsOptions } from "../estimators/feols.js";
import { refuseVaryingSlopes } from "../estimators/slopes-demean.js";
import { groupIds, isNested } from "../model/groups.js";
import { sampleValues } from "../model/sample.js";
import { Xoshiro128 } from "../random/xoshiro.js";
import { DEFAULT_DRAWS, SubsetFitter, checkReps, checkSeed } from "./subset-fit.js";

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
    yield Int32Array.from(c);
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
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

/** The estimation state shared by all draws, built once (and identically in each worker). */
export interface PreparedBdiff {
  readonly options: BdiffOptions;
  readonly method: "permutation" | "bootstrap";
  readonly reps: number;
  readonly names: readonly [string, string];
  readonly estimates: readonly [number, number];
  readonly nobs: readonly [number, number];
  readonly diff: number;
  readonly fitter: SubsetFitter;
  readonly n: number;
  readonly n0: number;
  readonly units: { readonly count: number; readonly inGroup0: number; readonly rowsOf: readonly Int32Array[]; readonly distinct: readonly boolean[] } | null;
  /** Exact mode: group 0's members (rows or units) for every split. */
  readonly splits: readonly Int32Array[] | null;
}

export function prepareBdiff(data: DataInput, o: BdiffOptions): PreparedBdiff {
  const frame = toFrame(data);
  const method = o.method ?? "permutation";
  if (method !== "permutation" && method !== "bootstrap") throw new DidwasmError("BAD_OPTION", `method must be permutation or bootstrap, got "${method}"`);
  let reps = o.reps ?? DEFAULT_DRAWS;
  checkReps(reps);
  if (o.exact && method !== "permutation") throw new DidwasmError("BAD_OPTION", "exact enumeration applies to the permutation method");
  checkSeed(o.seed);
  const { formula, group, coef, method: _m, reps: _r, seed: _s, clusterLevel: _c, exact: _e, ...fitOpts } = o;
  const gcol = frame.column(group, "group variable");
  const presentGroup = new Uint8Array(frame.nrow);
  for (let r = 0; r < frame.nrow; r++) presentGroup[r] = gcol.kind === "text" ? (gcol.codes[r] >= 0 ? 1 : 0) : Number.isNaN(gcol.values[r]) ? 0 : 1;
  const prepared = prepareModel(frame, formula, { ...fitOpts, rowFilter: presentGroup, vcov: "iid" });
  if (prepared.formula.outcomes.length !== 1) throw new DidwasmError("MULTIPLE_OUTCOMES", "bdiff compares one outcome at a time");
  const { sample, design } = prepared.groups[0];
  refuseVaryingSlopes(sample.fixef, "bdiff");
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
  const numeric = names.every((v) => v !== "" && !Number.isNaN(Number(v)));
  const swap = numeric ? Number(names[0]) > Number(names[1]) : names[0] > names[1];
  const g = Uint8Array.from(labels.ids, (v) => (swap ? 1 - v : v));
  if (swap) names.reverse();

  const n = rows.length;
  const fitter = new SubsetFitter(prepared.common.engine, {
    y: sampleValues(prepared.frame, prepared.formula.outcomes[0], rows, "outcome"), X: design.columns, target, fixef: sample.fixef,
    weights: sample.weights, tol: prepared.common.tol, maxIter: prepared.common.maxIter,
  }, n);
  try {
    const idxOf = (k: number) => Int32Array.from({ length: n }, (_, i) => i).filter((i) => g[i] === k);
    const idx0 = idxOf(0);
    const idx1 = idxOf(1);
    const b0 = fitter.coefficient(idx0);
    const b1 = fitter.coefficient(idx1);
    if (!Number.isFinite(b0) || !Number.isFinite(b1)) {
      throw new DidwasmError("ALL_COLLINEAR", `"${coef}" cannot be estimated in group ${Number.isFinite(b0) ? names[1] : names[0]} of "${group}"`);
    }
    let units: PreparedBdiff["units"] = null;
    if (o.clusterLevel) {
      const u = groupIds(frame, o.clusterLevel, rows);
      const unitGroup = new Int8Array(u.G).fill(-1);
      const rowsOf: number[][] = Array.from({ length: u.G }, () => []);
      const uIds = u.ids; // once: ids may be read through a getter (model/groups.ts)
      for (let i = 0; i < n; i++) {
        const k = uIds[i];
        if (unitGroup[k] >= 0 && unitGroup[k] !== g[i]) {
          throw new DidwasmError("BAD_DATA", `group variable "${group}" varies within unit ${frame.cellText(o.clusterLevel, rows[i])} of "${o.clusterLevel}": unit-level permutation needs groups constant within units`);
        }
        unitGroup[k] = g[i];
        rowsOf[k].push(i);
      }
      units = {
        count: u.G, inGroup0: unitGroup.filter((v) => v === 0).length, rowsOf: rowsOf.map((r) => Int32Array.from(r)),
        distinct: sample.fixef.map((f) => isNested(f, u)),
      };
    }
    let splits: Int32Array[] | null = null;
    if (o.exact) {
      const items = units ? units.count : n;
      const k = units ? units.inGroup0 : idx0.length;
      const count = binomial(items, k);
      if (count > MAX_ENUMERATED) {
        throw new DidwasmError("BAD_OPTION", `exact enumeration would need ${count.toExponential(2)} splits (more than ${MAX_ENUMERATED.toLocaleString("en-US")}); use random permutations`);
      }
      splits = [...combinations(items, k)];
      reps = count;
    }
    return {
      options: o, method, reps, names, estimates: [b0, b1], nobs: [idx0.length, idx1.length], diff: b0 - b1, fitter, n, n0: idx0.length, units, splits,
    };
  } catch (e) {
    fitter.release();
    throw e;
  }
}

/** Puts the chosen members first, the others after, in increasing order. */
function chosenFirst(chosen: Int32Array, items: number): Int32Array {
  const inFirst = new Uint8Array(items);
  for (const c of chosen) inFirst[c] = 1;
  const out = new Int32Array(items);
  let k = 0;
  for (const c of chosen) out[k++] = c;
  for (let i = 0; i < items; i++) if (!inFirst[i]) out[k++] = i;
  return out;
}

/** Fisher-Yates from the end (permutation) or draws with replacement (bootstrap), as documented above. */
function order(p: PreparedBdiff, items: number, r: number): Int32Array {
  if (p.splits) return chosenFirst(p.splits[r], items);
  const rng = new Xoshiro128(p.options.seed, r);
  const a = Int32Array.from({ length: items }, (_, i) => i);
  if (p.method === "permutation") {
    for (let i = items - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  } else for (let i = 0; i < items; i++) a[i] = rng.below(items);
  return a;
}

/** d* = b0* - b1* for replicates [from, to). */
export function bdiffDraws(p: PreparedBdiff, from: number, to: number): Float64Array[] {
  const out = new Float64Array(to - from);
  for (let r = from; r < to; r++) {
    if (!p.units) {
      const ord = order(p, p.n, r);
      out[r - from] = p.fitter.coefficient(ord.subarray(0, p.n0)) - p.fitter.coefficient(ord.subarray(p.n0));
      continue;
    }
    const units = p.units;
    const ord = order(p, units.count, r);
    const collect = (a: number, b: number) => {
      let len = 0;
      for (let k = a; k < b; k++) len += units.rowsOf[ord[k]].length;
      const idx = new Int32Array(len);
      const copy = new Int32Array(len);
      let at = 0;
      for (let k = a; k < b; k++) for (const i of units.rowsOf[ord[k]]) {
        idx[at] = i;
        copy[at++] = k;
      }
      return { idx, copy };
    };
    const s0 = collect(0, units.inGroup0);
    const s1 = collect(units.inGroup0, units.count);
    const copies = p.method === "bootstrap";
    out[r - from] = p.fitter.coefficient(s0.idx, copies ? s0.copy : null, units.distinct) - p.fitter.coefficient(s1.idx, copies ? s1.copy : null, units.distinct);
  }
  return [out];
}

/** What assembling needs of a prepared run: plain data, so partial results can carry it (commands/partial/). */
export type BdiffSummary = Pick<PreparedBdiff, "options" | "method" | "reps" | "names" | "estimates" | "nobs" | "diff">;

export function bdiffSummary(p: PreparedBdiff): BdiffSummary {
  const { engine: _e, ...options } = p.options;
  return { options, method: p.method, reps: p.reps, names: p.names, estimates: p.estimates, nobs: p.nobs, diff: p.diff };
}

export function assembleBdiff(p: BdiffSummary, draws: readonly Float64Array[]): BdiffResult {
  const o = p.options;
  const all = draws[0];
  const valid = all.filter(Number.isFinite);
  const notes: Note[] = [];
  if (valid.length < all.length) notes.push(warning("draws_left_out", `${all.length - valid.length} draw(s) where "${o.coef}" could not be estimated in a resampled group were left out`));
  if (valid.length === 0) throw new DidwasmError("BAD_DATA", "no draw could be estimated");
  const diff = p.diff;
  let pv = valid.filter((v) => v >= diff).length / valid.length;
  if (pv > 0.5) pv = 1 - pv;
  const clusterLevel = o.clusterLevel ?? null;
  return {
    coef: o.coef, groups: p.names as [string, string], estimates: p.estimates as [number, number], nobs: p.nobs as [number, number], diff, reps: p.reps,
    p_value: pv, draws: valid, method: p.method, clusterLevel, seed: o.seed, notes,
    toJSON() {
      return {
        coefficient: o.coef, group: o.group, groups: p.names, estimates: p.estimates, nobs: p.nobs, diff, reps: p.reps, p_value: pv,
        method: p.method, cluster_level: clusterLevel, exact: o.exact ?? false, seed: o.seed, draws: Array.from(valid), notes,
      };
    },
  };
}

export function bdiff(data: DataInput, o: BdiffOptions): BdiffResult {
  const p = prepareBdiff(data, o);
  try {
    return assembleBdiff(p, bdiffDraws(p, 0, p.reps));
  } finally {
    p.fitter.release();
  }
}
