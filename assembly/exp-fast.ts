// bindings/stats/libm/exp-fast.ts's expFast, operation for operation (within 1 ulp of e^x): the kernels
// that take exponentials (poisson.ts, cs-cells.ts) give the bits of their TypeScript twins.
import { scaleByPow2 } from "./exact-log";

// libm/exp-fast.ts's constants.
const LN2_HI: f64 = 0.6931471805598903;
const LN2_LO: f64 = 5.497923018708371e-14;
const INV_LN2: f64 = 1.4426950408889634;
const EXP_OVERFLOW: f64 = 709.8;
const EXP_UNDERFLOW: f64 = -745.2;
const F2: f64 = 1.0 / 2.0;
const F3: f64 = 1.0 / 6.0;
const F4: f64 = 1.0 / 24.0;
const F5: f64 = 1.0 / 120.0;
const F6: f64 = 1.0 / 720.0;
const F7: f64 = 1.0 / 5040.0;
const F8: f64 = 1.0 / 40320.0;
const F9: f64 = 1.0 / 362880.0;
const F10: f64 = 1.0 / 3628800.0;
const F11: f64 = 1.0 / 39916800.0;
const F12: f64 = 1.0 / 479001600.0;
const F13: f64 = 1.0 / 6227020800.0;

/** e^x within 1 ulp; Infinity above 709.8, 0 below -745.2, NaN for NaN. */
export function expFast(x: f64): f64 {
  if (!(x <= EXP_OVERFLOW)) return x != x ? NaN : Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  const k = Math.floor(x * INV_LN2 + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  const p = 1 + r * (1 + r * (F2 + r * (F3 + r * (F4 + r * (F5 + r * (F6 + r * (F7 + r * (F8 + r * (F9 + r * (F10 + r * (F11 + r * (F12 + r * F13))))))))))));
  return scaleByPow2(p, <i32>k);
}
