// pow with ECMAScript's special cases (Math.pow's table, including NaN for 1^Infinity), and exact
// integer powers of ten. See ../libm.ts for why.
import { powPositive } from "./log.js";

function isOddInteger(y: number): boolean {
  // |y| >= 2^53 is even; below, y % 2 is exact
  return Math.abs(y) < 9007199254740992 && Number.isInteger(y) && y % 2 !== 0;
}

/** x^y, within 0.54 ulp for normal results (measured); subnormal results are rounded twice. */
export function pow(x: number, y: number): number {
  if (y !== y) return NaN;
  if (y === 0) return 1;
  if (x !== x) return NaN;
  const ax = Math.abs(x);
  if (y === Infinity || y === -Infinity) {
    if (ax === 1) return NaN;
    return (ax > 1) === (y > 0) ? Infinity : 0;
  }
  const sign = (x < 0 || Object.is(x, -0)) && isOddInteger(y) ? -1 : 1;
  if (ax === 0) return sign * (y > 0 ? 0 : Infinity);
  if (ax === Infinity) return sign * (y > 0 ? Infinity : 0);
  if (x < 0 && !Number.isInteger(y)) return NaN;
  if (ax === 1) return sign;
  return sign * powPositive(ax, y);
}

/** 10^n for an integer n, exact for 0 <= n <= 22 and correctly rounded for -22 <= n < 0 (one division
 *  of exact numbers); repeated multiplication beyond. */
export function pow10(n: number): number {
  if (!Number.isInteger(n)) throw new RangeError(`pow10 needs an integer, got ${n}`);
  let p = 1;
  for (let i = Math.min(Math.abs(n), 22); i > 0; i--) p *= 10;
  if (Math.abs(n) > 22) p *= pow(10, Math.abs(n) - 22);
  return n < 0 ? 1 / p : p;
}
