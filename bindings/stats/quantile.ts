// Quantiles of sorted draws (bootstrap bands, percentile intervals).

/** The p-quantile of increasing values by linear interpolation between order statistics (R's type 7):
 *  h = (n - 1) p. NaN for no values. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
