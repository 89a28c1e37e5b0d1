// What the Newey-West and Driscoll-Kraay variances share: periods, lags and Bartlett weights, as fixest 0.12
// defines them (vcov_newey_west_internal, vcov_driscoll_kraay_internal):
//   - periods are the distinct values of the time variable in the sample, in increasing order: a lag of 1
//     is the next observed period, whatever the gap between their values;
//   - lag l gets the Bartlett weight 1 - l / (L + 1), computed as R's seq(1, 0, by = -1/(L + 1)) does;
//   - with T periods, lags beyond T - 2 never enter fixest's sum (its kernels stop at T - 1 weights), so a
//     lag L > T - 2 is refused here rather than silently shortened; without a lag, floor(T^(1/4)).
import { DidwasmError } from "../../errors.js";
import type { Groups } from "../../model/groups.js";

export interface Periods extends Groups {
  /** Rank of each sample row's period, 0 .. G - 1 in increasing time (G = T periods). */
  readonly ids: Int32Array;
}

/** The period rank of each sample row. */
export function periodsOf(time: Float64Array): Periods {
  const distinct = Float64Array.from(new Set(time)).sort();
  const rank = new Map<number, number>();
  distinct.forEach((v, i) => rank.set(v, i));
  return { ids: Int32Array.from(time, (v) => rank.get(v)!), G: distinct.length };
}

/** fixest's rule of thumb for the lag of a panel: floor(T^(1/4)), in integers (exact for every T). */
export function defaultLag(T: number): number {
  let L = 0;
  while ((L + 1) ** 4 <= T) L++;
  return L;
}

/** The lag to use: `lag` checked against T periods (see the header), or the rule of thumb. */
export function lagFor(lag: number | null, T: number, what: string, time: string): number {
  if (T < 2) {
    throw new DidwasmError("BAD_DATA", `the ${what} variance needs at least 2 periods of "${time}" in the sample; it has ${T}`, { column: time });
  }
  if (lag === null) return Math.min(defaultLag(T), T - 2);
  if (lag > T - 2) {
    throw new DidwasmError(
      "BAD_OPTION",
      `lag L = ${lag} is too large for the panel: "${time}" has T = ${T} period(s) in the sample, and lags beyond T - 2 = ${T - 2} ` +
        `have no pair of periods to enter (fixest silently drops them); give a lag of at most ${T - 2}`,
      { column: time, lag, periods: T },
    );
  }
  return lag;
}

/** Weights of lags 0 .. L: Bartlett's, with lag 0's halved (each meat adds its transpose). As R computes
 *  seq(1, 0, by = -(1 / (L + 1))): 1 + l * by, floored at 0; fixest then keeps a last weight that
 *  rounding left above 0, so the same is done here (it is at most 1e-16). */
export function bartlettWeights(L: number, T: number): Float64Array {
  const by = -(1 / (L + 1));
  const count = Math.floor(-1 / by + 1e-10) + 1;
  const w: number[] = [];
  for (let l = 0; l < count; l++) w.push(Math.max(1 + l * by, 0));
  w[0] = 0.5;
  let used = w.length;
  if (w[used - 1] === 0) used--;
  return Float64Array.from(w.slice(0, Math.min(used, T - 1)));
}
