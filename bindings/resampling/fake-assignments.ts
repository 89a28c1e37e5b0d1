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
// The draws are a kernel (assembly/fake-cohorts.ts, its twin in engine/reference/): a run draws hundreds
// of replicates, and interpreted per-draw JavaScript cost a 500-draw run more than its arithmetic.
import type { Arena, F64Buffer } from "../engine/buffers.js";
import type { Engine } from "../engine/engine.js";
import { DidwasmError } from "../errors.js";

export type PlaceboKind = "space" | "mixed";

export interface AssignmentSpace {
  /** True cohort per unit (Infinity = never treated). */
  readonly cohorts: Float64Array;
  /** Sorted distinct periods. */
  readonly periods: readonly number[];
}

/** The kernel's code of a kind: 0 space, else the mixed variant. */
const kindCode = (kind: PlaceboKind, variant: 1 | 2 | 3): number => (kind === "space" ? 0 : variant);

/** Writes the fake cohorts of replicates from .. from + count - 1 into out ([count][U], one unit's cohort
 *  per entry, Infinity: not treated); what every draw shares is copied into arena a once. */
export type FakeCohortWriter = (from: number, count: number, out: F64Buffer) => void;

export function fakeCohortWriter(engine: Engine, a: Arena, space: AssignmentSpace, kind: PlaceboKind, variant: 1 | 2 | 3, seed: number): FakeCohortWriter {
  const U = space.cohorts.length;
  const trueDates = Array.from(space.cohorts).filter(Number.isFinite).sort((x, y) => x - y);
  const m = trueDates.length;
  const candidates = space.periods.filter((p) => p >= trueDates[0] && p <= trueDates[m - 1]);
  if (kind === "mixed" && variant === 2 && candidates.length === 0) {
    throw new DidwasmError("BAD_DATA", "mixed placebo variant 2: no period of the panel lies between the earliest and the latest true adoption date");
  }
  const cohorts = a.f64From(space.cohorts);
  const periods = a.f64From(space.periods);
  const dates = a.f64From(trueDates);
  const candidateDates = a.f64From(candidates.length ? candidates : [0]);
  const units = a.i32(U, false);
  const shuffled = a.f64(Math.max(1, m), false);
  const code = kindCode(kind, variant);
  return (from, count, out) =>
    engine.backend.placeboFakeCohorts(U, cohorts, periods.length, periods, m, dates, candidates.length, candidateDates, code, seed, from, count, units, shuffled, out);
}

/** The fake cohorts of replicates from .. from + count - 1, one array per replicate. */
export function fakeCohortRange(engine: Engine, space: AssignmentSpace, kind: PlaceboKind, variant: 1 | 2 | 3, seed: number, from: number, count: number): Float64Array[] {
  const a = engine.backend.arena();
  try {
    const U = space.cohorts.length;
    const out = a.f64(Math.max(1, count * U), false);
    fakeCohortWriter(engine, a, space, kind, variant, seed)(from, count, out);
    const block = out.view;
    return Array.from({ length: count }, (_, r) => block.slice(r * U, (r + 1) * U));
  } finally {
    a.release();
  }
}

/** The fake cohorts of one replicate. */
export function fakeCohorts(engine: Engine, space: AssignmentSpace, kind: PlaceboKind, variant: 1 | 2 | 3, seed: number, replicate: number): Float64Array {
  return fakeCohortRange(engine, space, kind, variant, seed, replicate, 1)[0];
}

export function checkAssignmentSpace(space: AssignmentSpace): void {
  const treated = Array.from(space.cohorts).filter(Number.isFinite).length;
  if (treated === 0) throw new DidwasmError("BAD_DATA", "no treated units: there is no treatment to reassign");
  if (treated === space.cohorts.length) {
    throw new DidwasmError("BAD_DATA", "every unit is treated: placebo reassignment needs untreated units to draw fake treated units from");
  }
  if (space.periods.length < 2) throw new DidwasmError("BAD_DATA", "the panel has fewer than two periods");
}
