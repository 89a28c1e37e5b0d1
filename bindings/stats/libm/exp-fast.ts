// e^x for long loops (the Poisson means of every IRLS iteration: a million-row fit takes some ten million
// of them), from IEEE-exact operations only, like exp.ts, so the same bits in Node and in every browser.
//
// WHY A SECOND exp. exp.ts carries the reduced argument as a double-double and sums the first terms
// exactly, for 0.54 ulp; that costs about 2.5 times Math.exp. Here the reduction is the same (k = round(x /
// ln 2), r = x - k LN2_HI - k LN2_LO, the first product exact) but r is a plain double and e^r is one
// Horner sum of the Taylor series to r^13: within 1 ulp of e^x (measured against exp.ts in
// test/stats/exp-fast.test.ts), at about the speed of Math.exp. An ulp in a mean is far below what any
// estimate built on it can show.
import * as ln2 from "./constants.js";
import { scaleByPow2 } from "./exact.js";
import * as c from "./exp-constants.js";

// The constants as this module's own: V8 reads an imported binding through its module cell at every use
// (it does not fold it as a constant), about a fifth of this function's time in a long loop (measured in
// Node 20: 34 -> 27 ns a call); a module's own consts it folds. The same values, so the same bits.
const { LN2_HI, LN2_LO } = ln2;
const { EXP_OVERFLOW, EXP_UNDERFLOW, F10, F11, F12, F13, F2, F3, F4, F5, F6, F7, F8, F9, INV_LN2 } = c;

/** e^x within 1 ulp; Infinity above 709.8, 0 below -745.2, NaN for NaN. */
export function expFast(x: number): number {
  if (!(x <= EXP_OVERFLOW)) return x !== x ? NaN : Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  const k = Math.floor(x * INV_LN2 + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  const p = 1 + r * (1 + r * (F2 + r * (F3 + r * (F4 + r * (F5 + r * (F6 + r * (F7 + r * (F8 + r * (F9 + r * (F10 + r * (F11 + r * (F12 + r * F13))))))))))));
  return scaleByPow2(p, k);
}
