// The fake treatment assignments of the placebo tests, a block of replicates at a time: every draw of
// bindings/resampling/fake-assignments.ts (which specifies them exactly) made here in the same order from
// the same stream, so both backends give the same dates. Replicate from + r uses stream (seed, from + r).
// The reference twin is bindings/engine/reference/fake-cohorts.ts.
//
//   cohorts_U    : f64 true cohort per unit (Infinity: never treated).   periods_T : f64 sorted periods.
//   dates_M      : f64 the M true cohorts that are finite, sorted.       candidates_C : variant 2's dates.
//   kind         : 0 space; 1, 2, 3 the mixed variants.
//   units_U      : i32 scratch.   shuffled_M : f64 scratch.   out_RU : f64 [R][U] fake cohort per unit.
import { rngBelow, rngSeed } from "./rng";

@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function f64Put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
@inline function i32Put(base: usize, i: i32, v: i32): void { store<i32>(base + (<usize>i << 2), v); }

/** Swaps a[i] and a[j] of 32-bit integers at a. */
@inline function swapI32(a: usize, i: i32, j: i32): void {
  const t = i32At(a, i);
  i32Put(a, i, i32At(a, j));
  i32Put(a, j, t);
}

/** Fisher-Yates from the end: for i = len - 1 .. 1, j = below(i + 1), swap. */
function shuffleI32(a: usize, len: i32): void {
  for (let i = len - 1; i > 0; i--) swapI32(a, i, <i32>rngBelow(<f64>(i + 1)));
}

function shuffleF64(a: usize, len: i32): void {
  for (let i = len - 1; i > 0; i--) {
    const j = <i32>rngBelow(<f64>(i + 1));
    const t = f64At(a, i);
    f64Put(a, i, f64At(a, j));
    f64Put(a, j, t);
  }
}

export function placeboFakeCohorts(
  U: i32, cohorts_U: usize, T: i32, periods_T: usize, M: i32, dates_M: usize, C: i32, candidates_C: usize, kind: i32, seed: u32, from: u32,
  R: i32, units_U: usize, shuffled_M: usize, out_RU: usize,
): void {
  for (let r = 0; r < R; r++) {
    rngSeed(seed, from + <u32>r);
    const out = out_RU + (<usize>r * <usize>U << 3);
    for (let u = 0; u < U; u++) {
      f64Put(out, u, Infinity);
      i32Put(units_U, u, u);
    }
    if (kind == 0) {
      // space: unit u gets the cohort of unit perm[u]
      shuffleI32(units_U, U);
      for (let u = 0; u < U; u++) f64Put(out, u, f64At(cohorts_U, i32At(units_U, u)));
      continue;
    }
    // pick(M): partial Fisher-Yates from the front; the fake units are units[0 .. M)
    for (let i = 0; i < M; i++) swapI32(units_U, i, i + <i32>rngBelow(<f64>(U - i)));
    if (kind == 1) {
      const date = f64At(periods_T, 1 + <i32>rngBelow(<f64>(T - 1)));
      for (let k = 0; k < M; k++) f64Put(out, i32At(units_U, k), date);
    } else if (kind == 2) {
      for (let k = 0; k < M; k++) f64Put(out, i32At(units_U, k), f64At(candidates_C, <i32>rngBelow(<f64>C)));
    } else {
      memory.copy(shuffled_M, dates_M, <usize>M << 3);
      shuffleF64(shuffled_M, M);
      for (let k = 0; k < M; k++) f64Put(out, i32At(units_U, k), f64At(shuffled_M, k));
    }
  }
}
