// Fake treatment assignments for placebo tests (Stata didplacebo semantics). Replicate r draws from PRNG
// stream (seed, r), so a replicate's assignment does not depend on which worker computes it. Every draw
// is specified here exactly (Xoshiro128.below gives unbiased integers):
//   shuffle(a):  Fisher-Yates from the end: for i = len-1 .. 1: j = below(i + 1); swap a[i], a[j].
//   pick(m):     partial Fisher-Yates from the front over units 0..U-1:
//                for i = 0 .. m-1: j = i + below(U - i); swap a[i], a[j]; the fake units are a[0..m-1].
// Kinds (m = number of truly treated units; cohorts are first treated periods, Infinity = never):
//   space    shuffle the units' cohorts: unit u gets the cohort of unit perm[u] (whole treatment paths).
//   mixed 1  pick(m) fake units; one fake date for all of them: periods[1 + below(T - 1)] (2nd..last).
//   mixed 2  pick(m) fake units; each its own date periods'[below(P)], drawn with replacement from the
//            periods between the earliest and the latest true adoption date (inclusive), in pick order.
//   mixed 3  pick(m) fake units; the true cohorts of the treated units, sorted then shuffled, assigned in
//            pick order (cohort sizes kept, dates permuted).
import { DidwasmError } from "../errors.js";
import { Xoshiro128 } from "../random/xoshiro.js";

export type PlaceboKind = "space" | "mixed";

export interface AssignmentSpace {
  /** True cohort per unit (Infinity = never treated). */
  readonly cohorts: Float64Array;
  /** Sorted distinct periods. */
  readonly periods: readonly number[];
}

function shuffle(a: { length: number; [i: number]: number }, g: Xoshiro128): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = g.below(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

export function fakeCohorts(space: AssignmentSpace, kind: PlaceboKind, variant: 1 | 2 | 3, seed: number, replicate: number): Float64Array {
  return fakeCohortSampler(space)(kind, variant, seed, replicate);
}

/** fakeCohorts for one assignment space, with what every draw shares (the sorted true dates, variant 2's
 *  candidate dates) computed once: a placebo run draws hundreds of replicates from the same space. */
export function fakeCohortSampler(space: AssignmentSpace): (kind: PlaceboKind, variant: 1 | 2 | 3, seed: number, replicate: number) => Float64Array {
  const U = space.cohorts.length;
  const trueDates = Array.from(space.cohorts).filter(Number.isFinite).sort((a, b) => a - b);
  const m = trueDates.length;
  const P = space.periods;
  const candidates = P.filter((p) => p >= trueDates[0] && p <= trueDates[m - 1]);
  // pick(m)'s units, the identity again after every draw: the m swaps are undone in reverse order (a fresh
  // identity per draw cost O(units) of interpreted work per draw, more than the m swaps themselves).
  const units = identity(U);
  const swapped = new Int32Array(m);
  return (kind, variant, seed, replicate) => {
    const g = new Xoshiro128(seed, replicate);
    const out = new Float64Array(U).fill(Infinity);
    if (kind === "space") {
      const perm = identity(U);
      shuffle(perm, g);
      for (let u = 0; u < U; u++) out[u] = space.cohorts[perm[u]];
      return out;
    }
    for (let i = 0; i < m; i++) {
      const j = i + g.below(U - i);
      swapped[i] = j;
      const t = units[i];
      units[i] = units[j];
      units[j] = t;
    }
    if (variant === 1) {
      const date = P[1 + g.below(P.length - 1)];
      for (let k = 0; k < m; k++) out[units[k]] = date;
    } else if (variant === 2) {
      for (let k = 0; k < m; k++) out[units[k]] = candidates[g.below(candidates.length)];
    } else {
      const dates = Float64Array.from(trueDates);
      shuffle(dates, g);
      for (let k = 0; k < m; k++) out[units[k]] = dates[k];
    }
    for (let i = m - 1; i >= 0; i--) {
      const j = swapped[i];
      const t = units[i];
      units[i] = units[j];
      units[j] = t;
    }
    return out;
  };
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

export function checkAssignmentSpace(space: AssignmentSpace): void {
  const treated = Array.from(space.cohorts).filter(Number.isFinite).length;
  if (treated === 0) throw new DidwasmError("BAD_DATA", "no treated units: there is no treatment to reassign");
  if (treated === space.cohorts.length) {
    throw new DidwasmError("BAD_DATA", "every unit is treated: placebo reassignment needs untreated units to draw fake treated units from");
  }
  if (space.periods.length < 2) throw new DidwasmError("BAD_DATA", "the panel has fewer than two periods");
}
