// Randomization inference for the treatment assignment: the tested regressor's values are permuted and the
// coefficient re-estimated; p = share of draws with |b*| >= |b_hat - r|.
//
// PERMUTATIONS (draw r from PRNG stream (seed, r), Fisher-Yates: for i = m-1 down to 1, swap i and below(i+1)):
//   with clusters   whole cluster paths move: clusters are permuted among clusters with the same number of
//                   observations (all of them in a balanced panel), and cluster g receives the values of
//                   cluster pi(g) position by position (rows of a cluster in sample order). Strata of one
//                   cluster stay put; strata are permuted in order of first appearance.
//   without         the values of all observations are permuted.
// A null r != 0 tests the sharp null that the effect is r: the outcome y - r d is used and b_hat - r compared.
// Each draw is the Frisch-Waugh-Lovell fast path of fwl-placebo.ts: the outcome and the other regressors are
// residualized on the fixed effects and projected once (buildPlaceboModel); per draw only the permuted
// column is demeaned (in blocks, one demeaning call and one crossproduct per block).
import type { Engine } from "../engine/engine.js";
import { DidwasmError } from "../errors.js";
import type { Groups } from "../model/groups.js";
import type { FixefEncoding } from "../model/sample.js";
import { Xoshiro128 } from "../random/xoshiro.js";
import { buildPlaceboModel, fwlCoefficients, type PlaceboModel } from "./fwl-placebo.js";

export interface RandomizationInputs {
  readonly y: Float64Array;
  /** The tested regressor's values over the sample rows. */
  readonly d: Float64Array;
  /** The other kept regressors (raw). */
  readonly others: readonly Float64Array[];
  readonly fixef: readonly FixefEncoding[];
  readonly weights: Float64Array | null;
  readonly cluster: Groups | null;
  readonly tol: number;
  readonly maxIter: number;
  readonly r0: number;
}

/** How draws permute the rows: a stratum is a set of units (clusters, or single rows) of equal size. */
export interface PermutationPlan {
  /** Rows of each unit, in sample order. */
  readonly unitRows: readonly Int32Array[];
  /** Units per stratum (strata of size >= 2 only). */
  readonly strata: readonly Int32Array[];
}

export function permutationPlan(n: number, cluster: Groups | null): PermutationPlan {
  if (!cluster) {
    const unitRows = Array.from({ length: n }, (_, i) => Int32Array.of(i));
    return { unitRows, strata: [Int32Array.from({ length: n }, (_, i) => i)] };
  }
  const lists: number[][] = Array.from({ length: cluster.G }, () => []);
  const clusterIds = cluster.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < n; i++) lists[clusterIds[i]].push(i);
  const bySize = new Map<number, number[]>();
  lists.forEach((rows, g) => bySize.set(rows.length, [...(bySize.get(rows.length) ?? []), g]));
  const strata = [...bySize.values()].filter((s) => s.length >= 2).map((s) => Int32Array.from(s));
  if (strata.length === 0) {
    throw new DidwasmError("BAD_DATA", "randomization inference by cluster needs at least two clusters with the same number of observations");
  }
  return { unitRows: lists.map((l) => Int32Array.from(l)), strata };
}

/** The permuted column of draw `rep`. */
export function permutedColumn(plan: PermutationPlan, d: Float64Array, seed: number, rep: number, out = new Float64Array(d.length)): Float64Array {
  const rng = new Xoshiro128(seed, rep);
  out.set(d);
  for (const units of plan.strata) {
    const pi = Int32Array.from(units);
    for (let i = pi.length - 1; i >= 1; i--) {
      const j = rng.below(i + 1);
      const t = pi[i];
      pi[i] = pi[j];
      pi[j] = t;
    }
    for (let s = 0; s < units.length; s++) {
      const to = plan.unitRows[units[s]];
      const from = plan.unitRows[pi[s]];
      for (let p = 0; p < to.length; p++) out[to[p]] = d[from[p]];
    }
  }
  return out;
}


/** The model and permutation plan, built once, and b_hat - r0 from the same algebra as the draws. */
export interface PreparedRandomization {
  readonly model: PlaceboModel;
  readonly plan: PermutationPlan;
  readonly d: Float64Array;
  readonly estimate: number;
}

export function prepareRandomization(engine: Engine, inp: RandomizationInputs): PreparedRandomization {
  const n = inp.y.length;
  const yr = Float64Array.from(inp.y, (v, i) => v - inp.r0 * inp.d[i]);
  const built = buildPlaceboModel(engine, {
    y: yr, others: inp.others, unitOfRow: new Int32Array(n), timeOfRow: new Float64Array(n), fixef: inp.fixef, weights: inp.weights,
    tol: inp.tol, maxIter: inp.maxIter, variance: null,
  });
  // Permuted columns are demeaned by sweeps (balanced: null), as the observed model's columns were.
  const model: PlaceboModel = { ...built, balanced: null };
  const plan = permutationPlan(n, inp.cluster);
  let estimate = NaN;
  fwlCoefficients(engine, model, 1, (_, out) => out.set(inp.d), "permuted treatment", (_, beta) => (estimate = beta));
  return { model, plan, d: inp.d, estimate };
}

/** b* for draws from .. to - 1 (NaN when a permuted column is collinear with the fixed effects or the
 *  other regressors). Each column is demeaned on its own (per-column convergence), so a draw's value does
 *  not depend on the range it is computed in. */
export function randomizationRange(
  engine: Engine, p: PreparedRandomization, seed: number, from: number, to: number, onProgress?: (done: number, total: number) => void,
): Float64Array {
  const reps = to - from;
  const draws = new Float64Array(reps);
  const col = new Float64Array(p.d.length);
  fwlCoefficients(
    engine, p.model, reps,
    (job, out) => out.set(permutedColumn(p.plan, p.d, seed, from + job, col)),
    "permuted treatment",
    (job, beta) => (draws[job] = beta),
    (done) => onProgress?.(done, reps),
  );
  return draws;
}
