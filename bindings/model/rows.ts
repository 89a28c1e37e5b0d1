// Row sets of an estimation sample: increasing positions into a frame's rows.

import { freshI32 } from "../engine/fresh-arrays.js";

/** values[rows[i]] for every i, written at out[offset + i]; a fresh array when `out` is not given. When
 *  rows are every row (increasing, as many as the values, the last one last), `values` itself is returned
 *  without `out`: callers must not modify it. */
export function gatherRows(values: Float64Array, rows: Int32Array, out?: Float64Array, offset = 0): Float64Array {
  const n = rows.length;
  const every = n === values.length && (n === 0 || rows[n - 1] === n - 1);
  if (!out) {
    if (every) return values;
    out = new Float64Array(n);
  }
  if (every) out.set(values, offset);
  else for (let i = 0; i < n; i++) out[offset + i] = values[rows[i]];
  return out;
}

/** 0, 1, ..., n - 1 (a shared array: callers must not modify it). */
export function everyRow(n: number): Int32Array {
  if (identity.length < n) {
    identity = freshI32(Math.max(n, 2 * identity.length));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
  }
  return identity.subarray(0, n);
}
let identity: Int32Array = new Int32Array(0);
