// sin and cos from IEEE-exact operations only (see ../libm.ts for why).
//
// METHOD. x = n pi/2 + r with n = round(x 2/pi) and |r| <= pi/4, r as a double-double (rh + rl):
//  - |x| < 2^20 pi/2: pi/2 in three parts (PIO2_1, PIO2_2 with 33 bits each, so n PIO2_i is exact for
//    n < 2^20, and PIO2_3), x - n PIO2_1 exact by Sterbenz's lemma, the rest with exact sums;
//  - beyond: exactly, with BigInt, from 1200 bits of 2/pi (x = M 2^E, M 2/pi read off around the binary
//    point; a double is never closer than about 2^-62 to a multiple of pi/2, so 128 fraction bits leave
//    more than 60 significant ones).
// Then sin and cos of r by their Taylor series to r^17 and r^18 (next terms below 1e-19 relative), with
// sin's r - r^3/6 and cos's 1 - r^2/2 summed in double-double and rl entering through the derivative. n mod 4 picks the quadrant.
// Error within 0.56 ulp (measured) for every finite argument.
import * as consts from "./constants.js";
import { integerMantissa, twoProdErr, twoSumErr } from "./exact.js";

// The constants as this module's own (see exp-fast.ts: V8 folds a module's consts, not imported bindings).
const { MINUS_SIXTH_HI, MINUS_SIXTH_LO, PIO2_1, PIO2_2, PIO2_3, PIO2_HI, PIO2_LO, TWO_OVER_PI_1200 } = consts;

const TWO_OVER_PI = 0.6366197723675814; // only chooses n: its rounding does not matter
const PIO4 = 0.7853981633974483;
/** Above this, n PIO2_1 would no longer be exact: huge arguments take the BigInt path. */
const MEDIUM = 1647099.3291652855; // 2^20 pi/2
/** Below this, sin x rounds to x and cos x to 1 (x^3/6 and x^2/2 under half an ulp). */
const TINY = 3.725290298461914e-9; // 2^-28

const BITS = 1200n;
const FRACTION_BITS = 128n;
const TWO_M128 = 2.938735877055719e-39; // 2^-128

// 1/n! with alternating signs: sin's coefficients of r^5..r^17 (r^3's is MINUS_SIXTH), cos's of r^4..r^18.
const S5 = 1 / 120;
const S7 = -1 / 5040;
const S9 = 1 / 362880;
const S11 = -1 / 39916800;
const S13 = 1 / 6227020800;
const S15 = -1 / 1307674368000;
const S17 = 1 / 355687428096000;
const C4 = 1 / 24;
const C6 = -1 / 720;
const C8 = 1 / 40320;
const C10 = -1 / 3628800;
const C12 = 1 / 479001600;
const C14 = -1 / 87178291200;
const C16 = 1 / 20922789888000;
const C18 = -1 / 6402373705728000;

// The reduction's outputs [quadrant, rh, rl], written by reduce() and read at once by its caller.
// Module-private scratch, never observable (JavaScript runs one call at a time); a typed array is faster
// than lets.
const red = new Float64Array(3);

/** |x| pi/2-reduced, for finite x >= 0. */
function reduce(x: number): void {
  if (x <= PIO4) {
    red[0] = 0;
    red[1] = x;
    red[2] = 0;
    return;
  }
  if (x < MEDIUM) {
    const n = Math.floor(x * TWO_OVER_PI + 0.5);
    const t = x - n * PIO2_1; // exact
    const w = n * PIO2_2; // exact
    const a = t - w;
    const al = twoSumErr(t, -w, a) - n * PIO2_3;
    const rh = a + al;
    red[0] = n % 4;
    red[1] = rh;
    red[2] = twoSumErr(a, al, rh);
    return;
  }
  // x 2/pi = M C 2^(E - 1200) with C = TWO_OVER_PI_1200; E >= -32 here, so at least 1200 - 971 fraction bits
  const { M, E } = integerMantissa(x);
  const shift = BITS - BigInt(E);
  const product = M * TWO_OVER_PI_1200;
  let n = Number((product >> shift) & 3n);
  let g = (product >> (shift - FRACTION_BITS)) & ((1n << FRACTION_BITS) - 1n); // fraction, 128 bits
  if (g >= 1n << (FRACTION_BITS - 1n)) {
    g -= 1n << FRACTION_BITS; // fraction >= 1/2: round n up, r negative
    n = (n + 1) % 4;
  }
  const gh = Number(g);
  const gl = Number(g - BigInt(gh));
  // r = (gh + gl) 2^-128 pi/2, as a double-double
  const fh = gh * TWO_M128;
  const fl = gl * TWO_M128;
  const p = fh * PIO2_HI;
  const pl = twoProdErr(fh, PIO2_HI, p) + fh * PIO2_LO + fl * PIO2_HI;
  const rh = p + pl;
  red[0] = n;
  red[1] = rh;
  red[2] = twoSumErr(p, pl, rh);
}

function sinKernel(rh: number, rl: number): number {
  const z = rh * rh;
  const zl = twoProdErr(rh, rh, z);
  const c = rh * z; // rh^3 = c + cl
  const cl = twoProdErr(rh, z, c) + rh * zl;
  const t = c * MINUS_SIXTH_HI; // -rh^3/6 = t + tl
  const tl = twoProdErr(c, MINUS_SIXTH_HI, t) + c * MINUS_SIXTH_LO + cl * MINUS_SIXTH_HI;
  const rest = c * z * (S5 + z * (S7 + z * (S9 + z * (S11 + z * (S13 + z * (S15 + z * S17))))));
  const a = rh + t;
  return a + (twoSumErr(rh, t, a) + tl + rest + rl * (1 - 0.5 * z));
}

function cosKernel(rh: number, rl: number): number {
  const z = rh * rh;
  const zl = twoProdErr(rh, rh, z);
  const hz = 0.5 * z; // r^2/2 = hz + 0.5 zl exactly
  const w = 1 - hz;
  const tail = z * z * (C4 + z * (C6 + z * (C8 + z * (C10 + z * (C12 + z * (C14 + z * (C16 + z * C18)))))));
  return w + (twoSumErr(1, -hz, w) - 0.5 * zl + tail - rh * rl);
}

/** sin(q pi/2 + r) for r = rh + rl: sin r, cos r, -sin r, -cos r by quadrant. cos(x) is sin(x + pi/2),
 *  so cos uses the same dispatch one quadrant on. */
function sinOfQuadrant(q: number, rh: number, rl: number): number {
  return q === 0 ? sinKernel(rh, rl) : q === 1 ? cosKernel(rh, rl) : q === 2 ? -sinKernel(rh, rl) : -cosKernel(rh, rl);
}

export function sin(x: number): number {
  if (!(Math.abs(x) < Infinity)) return NaN;
  const a = Math.abs(x);
  if (a < TINY) return x;
  reduce(a);
  const v = sinOfQuadrant(red[0], red[1], red[2]);
  return x < 0 ? -v : v;
}

export function cos(x: number): number {
  if (!(Math.abs(x) < Infinity)) return NaN;
  const a = Math.abs(x);
  if (a < TINY) return 1;
  reduce(a);
  return sinOfQuadrant((red[0] + 1) % 4, red[1], red[2]);
}
