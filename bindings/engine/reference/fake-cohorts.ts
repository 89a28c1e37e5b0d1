// Mirror of assembly/fake-cohorts.ts: the placebo tests' fake treatment assignments, a block of
// replicates at a time, each from PRNG stream (seed, from + r) (bindings/resampling/fake-assignments.ts
// specifies the draws).
import { Xoshiro128 } from "../../random/xoshiro.js";

function shuffle(a: Int32Array | Float64Array, len: number, g: Xoshiro128): void {
  for (let i = len - 1; i > 0; i--) {
    const j = g.below(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

export function placeboFakeCohorts(
  U: number, cohorts_U: Float64Array, T: number, periods_T: Float64Array, M: number, dates_M: Float64Array, C: number, candidates_C: Float64Array,
  kind: number, seed: number, from: number, R: number, units_U: Int32Array, shuffled_M: Float64Array, out_RU: Float64Array,
): void {
  for (let r = 0; r < R; r++) {
    const g = new Xoshiro128(seed >>> 0, (from + r) >>> 0);
    const out = out_RU.subarray(r * U, (r + 1) * U).fill(Infinity);
    for (let u = 0; u < U; u++) units_U[u] = u;
    if (kind === 0) {
      shuffle(units_U, U, g);
      for (let u = 0; u < U; u++) out[u] = cohorts_U[units_U[u]];
      continue;
    }
    for (let i = 0; i < M; i++) {
      const j = i + g.below(U - i);
      const t = units_U[i];
      units_U[i] = units_U[j];
      units_U[j] = t;
    }
    if (kind === 1) {
      const date = periods_T[1 + g.below(T - 1)];
      for (let k = 0; k < M; k++) out[units_U[k]] = date;
    } else if (kind === 2) {
      for (let k = 0; k < M; k++) out[units_U[k]] = candidates_C[g.below(C)];
    } else {
      shuffled_M.set(dates_M.subarray(0, M));
      shuffle(shuffled_M, M, g);
      for (let k = 0; k < M; k++) out[units_U[k]] = shuffled_M[k];
    }
  }
}
