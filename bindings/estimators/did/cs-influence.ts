// Influence functions of Callaway-Sant'Anna's estimates over the n observations. A group-time cell's is zero
// outside the cell's own units (its cohort and its controls, about half of a staggered panel), so a cell
// keeps only those rows' values: half the memory, and the aggregations add only the rows that can be
// nonzero. The rows skipped would add exact zeros, so every sum is the same, bit for bit, as over the
// dense array; the dense array is still built (once) for a consumer that wants it, such as the bootstrap.

/** An estimate with its influence function over the n observations. */
export interface Param {
  readonly att: number;
  readonly inf: Float64Array;
  /** When present, inf is zero outside support.rows. */
  readonly support?: Support;
}

/** The rows (increasing) where an influence function can be nonzero, and its values there. */
export interface Support {
  readonly rows: readonly number[];
  readonly values: Float64Array;
}

/** `fields` plus a Param whose influence function is stored on `support` only (rows increasing, so that
 *  sums over it run in the dense array's order); `inf` is built from it on first use. */
export function sparseParam<T extends object>(fields: T, att: number, n: number, support: Support): T & Param {
  let dense: Float64Array | null = null;
  return {
    ...fields,
    att,
    support,
    get inf() {
      if (!dense) {
        dense = new Float64Array(n);
        const { rows, values } = support;
        for (let j = 0; j < rows.length; j++) dense[rows[j]] = values[j];
      }
      return dense;
    },
  };
}

/** out[i] += w * inf[i] for every row. */
export function addScaled(out: Float64Array, w: number, p: Param): void {
  if (p.support) {
    const { rows, values } = p.support;
    for (let j = 0; j < rows.length; j++) out[rows[j]] += w * values[j];
    return;
  }
  const f = p.inf;
  for (let i = 0; i < out.length; i++) out[i] += w * f[i];
}

/** out[i] += inf[i] / d for every row. */
export function addDivided(out: Float64Array, p: Param, d: number): void {
  if (p.support) {
    const { rows, values } = p.support;
    for (let j = 0; j < rows.length; j++) out[rows[j]] += values[j] / d;
    return;
  }
  const f = p.inf;
  for (let i = 0; i < out.length; i++) out[i] += f[i] / d;
}

/** sum of inf[i]^2, in row order. */
export function sumOfSquares(p: Param): number {
  const f = p.support ? p.support.values : p.inf;
  let s = 0;
  for (let i = 0; i < f.length; i++) s += f[i] * f[i];
  return s;
}

/** Rows per block of crossProducts: a block of every array (a few dozen event times) stays in cache. */
const CROSS_BLOCK = 1024;

/** sum_i a_i b_i for every pair of the n-length arrays (m x m, symmetric), each sum over the rows in order,
 *  as a plain dot product adds it. The rows go in blocks, every pair's partial sum carried over from block
 *  to block: each array is read from memory once rather than once per pair. */
export function crossProducts(arrays: readonly Float64Array[], n: number): Float64Array {
  const m = arrays.length;
  const out = new Float64Array(m * m);
  for (let i0 = 0; i0 < n; i0 += CROSS_BLOCK) {
    const i1 = Math.min(n, i0 + CROSS_BLOCK);
    for (let a = 0; a < m; a++) {
      const fa = arrays[a];
      for (let b = a; b < m; b++) {
        const fb = arrays[b];
        out[a * m + b] = addDot(fa, fb, i0, i1, out[a * m + b]);
      }
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) out[a * m + b] = out[b * m + a];
  return out;
}

/** s + sum_{i0 <= i < i1} a_i b_i, in row order. A function of its own, called once per pair and block:
 *  compiled as a whole after its first calls, where the loop inside crossProducts (called once) would run
 *  mostly unoptimised (engine/row-block.ts says why). */
function addDot(a: Float64Array, b: Float64Array, i0: number, i1: number, s: number): number {
  for (let i = i0; i < i1; i++) s += a[i] * b[i];
  return s;
}
