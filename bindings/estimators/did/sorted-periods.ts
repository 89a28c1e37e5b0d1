// Periods of panel rows as indices into their distinct values in increasing order, without a hash-map
// look-up per row: a panel's rows mostly follow one another in time, so the index of the row before, or
// the next one, is tried first, and a binary search finds the others. (Numbers compare as a Map's keys
// would: -0 and 0 are one period.)

/** The distinct values of values[rows[i]] (of every value when rows is null), increasing. */
export function sortedDistinct(values: Float64Array, rows: Int32Array | null): number[] {
  const seen = new Set<number>();
  if (rows) for (let i = 0; i < rows.length; i++) seen.add(values[rows[i]]);
  else for (let i = 0; i < values.length; i++) seen.add(values[i]);
  return [...seen].sort((a, b) => a - b);
}

/** Index of p in `sorted` (increasing, p among them): `guess` or the one after it, else a binary search. */
export function indexInSorted(sorted: readonly number[], p: number, guess: number): number {
  if (sorted[guess] === p) return guess;
  if (guess + 1 < sorted.length && sorted[guess + 1] === p) return guess + 1;
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
