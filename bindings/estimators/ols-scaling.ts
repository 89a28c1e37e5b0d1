// Units-free least squares: every column of [Y X], and the weights, is brought near 1 by a power of two
// before the fit touches it, and the results are taken back to the data's units at the end.
//
// WHY. Sums of squares, crossproducts and the robust variances' meats multiply two to four data values:
// with values around 1e-90 the products underflow (the clustered SE of a regressor came out wrong, then
// NaN), around 1e80 they overflow, and at 1e-300 a regressor's squared norm was 0 and it was dropped as
// collinear. Least squares itself is equivariant to the units of each column (b_k scales as s_y / s_k),
// so nothing is lost by computing in other units.
//
// WHY POWERS OF TWO. Multiplying by 2^e changes only the exponent: it is exact, and every operation of the
// fit (sums, products, square roots, the demeaning's relative stopping rule, the relative collinearity
// tests) commutes with it exactly, so scaled and unscaled computations give the same bits as long as
// nothing under- or overflows. Columns whose largest |value| already lies in [2^-64, 2^64] are left as
// they are (no pass over them); there the largest products a fit forms (four factors, sums of up to 2^31
// rows) stay far inside f64's range.
//
// DECIDING CHEAPLY. The weighted moments of every column are computed anyway (columnMoments). A column is
// known to be in range from them when its weighted mean square m2 lies in [2^-96, 2^96] and the weights are
// not too uneven: max|x|^2 <= sum(w) m2 / min(w) <= 2^32 m2 then. Only the other columns (rare) are scanned
// for their largest and smallest |value|.
import { DidwasmError } from "../errors.js";
import { warning, type Note } from "../notes.js";
import { log10 } from "../stats/libm.js";

/** Columns whose largest |value| lies in [2^-UNSCALED_EXP, 2^UNSCALED_EXP] keep their units. */
const UNSCALED_EXP = 64;
/** Mean squares in [2^-MS_EXP, 2^MS_EXP] (with tame weights) prove a column is within the range above:
 *  max|x| <= 2^16 rms <= 2^64 and max|x| >= rms >= 2^-48. */
const MS_EXP = 96;
/** Weights whose sum over their smallest value exceeds this make the moment test inconclusive. */
const MAX_WEIGHT_SPREAD = 2 ** 32;
/** The smallest positive normal double: scaled values below it are subnormal and lose precision. */
const MIN_NORMAL = 2 ** -1022;

/** x * 2^e computed in steps, so that no intermediate product under- or overflows (Math.ldexp). */
export function timesPowerOfTwo(x: number, e: number): number {
  while (e > 1000) {
    x *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    x *= 2 ** -1000;
    e += 1000;
  }
  return x * 2 ** e;
}

/** The exponent e with max|x| / 2^e in [1, 2), or 0 when the column keeps its units (within range, or
 *  all zero). Clamped to [-1022, 1023] so that 2^-e is itself a normal double. */
export function scaleExponent(maxAbs: number): number {
  if (maxAbs === 0 || (maxAbs >= 2 ** -UNSCALED_EXP && maxAbs <= 2 ** UNSCALED_EXP)) return 0;
  let e = Math.floor(Math.log2(maxAbs));
  // log2 rounds: fix the exponent so that 2^e <= maxAbs < 2^(e+1) exactly.
  if (2 ** e > maxAbs) e--;
  else if (e < 1023 && 2 ** (e + 1) <= maxAbs) e++;
  return Math.max(-1022, Math.min(1023, e));
}

/** Largest |value| and smallest nonzero |value| of v[from, to) (maxAbs is Infinity when a value is). */
export function valueRange(v: Float64Array, from: number, to: number): { maxAbs: number; minAbs: number } {
  let maxAbs = 0;
  let minAbs = Infinity;
  for (let i = from; i < to; i++) {
    const a = Math.abs(v[i]);
    if (a > maxAbs) maxAbs = a;
    if (a !== 0 && a < minAbs) minAbs = a;
  }
  return { maxAbs, minAbs };
}

/** v[from, to) *= 2^-e in place (exact unless a result is subnormal). */
export function scaleRange(v: Float64Array, from: number, to: number, e: number): void {
  if (e === 0) return;
  const f = 2 ** -e;
  for (let i = from; i < to; i++) v[i] *= f;
}

/** The note for a column whose values span so many orders of magnitude that, brought to a common
 *  exponent, the smallest ones become subnormal: f64 cannot hold them together with the largest. */
function wideSpanNote(what: string, maxAbs: number, minAbs: number): Note {
  return warning(
    "precision_loss",
    `the values of ${what} span more than f64 can hold at one exponent (largest |value| ${maxAbs.toPrecision(3)}, smallest ${minAbs.toPrecision(3)}): ` +
      "its smallest values lose precision in the fit; rescale or transform it",
  );
}

export interface WeightScaling {
  /** The weights were multiplied by 2^-exp. */
  readonly exp: number;
  /** sum(w) / min(w): how far the weighted moments can hide a column's largest value. */
  readonly spread: number;
  readonly notes: Note[];
}

/** The power of two the weights are divided by (they are finite and positive: see model/sample.ts). */
export function weightScaling(weights: Float64Array, what: string): WeightScaling {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  const { maxAbs, minAbs } = valueRange(weights, 0, weights.length);
  const exp = scaleExponent(maxAbs);
  const notes = minAbs * 2 ** -exp < MIN_NORMAL ? [wideSpanNote(what, maxAbs, minAbs)] : [];
  return { exp, spread: sum / minAbs, notes };
}

export interface ColumnScaling {
  /** Per column of [Y X]: the column was multiplied by 2^-exp[c]. */
  readonly exp: Int32Array;
  readonly notes: Note[];
}

/** Chooses the exponent of each column of data (n x C, column-major) from its weighted moments (see the
 *  header), scanning only the columns the moments leave in doubt. A column holding an infinite value (a
 *  product of regressors beyond f64's range; inputs are finite) is refused. */
export function columnScaling(
  v: Float64Array, n: number, labels: readonly string[], mean: Float64Array, ss: Float64Array, sumW: number, weightSpread: number,
): ColumnScaling {
  const C = labels.length;
  const exp = new Int32Array(C);
  const notes: Note[] = [];
  const tameWeights = weightSpread <= MAX_WEIGHT_SPREAD;
  for (let c = 0; c < C; c++) {
    const m2 = ss[c] / sumW + mean[c] * mean[c];
    if (tameWeights && m2 >= 2 ** -MS_EXP && m2 <= 2 ** MS_EXP) continue;
    const { maxAbs, minAbs } = valueRange(v, c * n, (c + 1) * n);
    if (!Number.isFinite(maxAbs)) {
      throw new DidwasmError("NOT_FINITE", `${labels[c]} is too large: some of its values overflow f64 (a product of large values?); rescale it`, {
        column: labels[c],
      });
    }
    exp[c] = scaleExponent(maxAbs);
    if (minAbs * 2 ** -exp[c] < MIN_NORMAL) notes.push(wideSpanNote(labels[c], maxAbs, minAbs));
  }
  return { exp, notes };
}

/** Whether a result that is a normal nonzero number in the fit's internal units became infinite, zero or
 *  subnormal in the data's units (beyond f64's range there). */
export function lostInDataUnits(internal: number, real: number): boolean {
  return internal !== 0 && Number.isFinite(internal) && (!Number.isFinite(real) || Math.abs(real) < MIN_NORMAL);
}

/** The note for `what`, whose value internal * 2^exp is beyond f64's range (its order of magnitude said),
 *  and what that does to the result (`consequence`). */
export function outOfRangeNote(what: string, internal: number, exp: number, consequence: string): Note {
  const decimalExp = Math.floor(log10(Math.abs(internal)) + exp * log10(2));
  return warning(
    "precision_loss",
    `${what} is about 1e${decimalExp >= 0 ? "+" : ""}${decimalExp} in the data's units, beyond the range of f64 numbers: ${consequence}; rescale the data`,
  );
}
