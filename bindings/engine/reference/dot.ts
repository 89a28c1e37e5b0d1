// Mirror of assembly/dot.ts: the canonical two-lane summation order (even offsets in lane 0, odd in lane
// 1, a final odd element into lane 0, result lane0 + lane1), so sums are bit-identical to the wasm kernels.

export function dotTwoLane(a: Float64Array, aOff: number, b: Float64Array, bOff: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[aOff + i] * b[bOff + i];
    s1 += a[aOff + i + 1] * b[bOff + i + 1];
  }
  if (i < n) s0 += a[aOff + i] * b[bOff + i];
  return s0 + s1;
}

export function dotWeightedTwoLane(
  a: Float64Array, aOff: number, b: Float64Array, bOff: number, w: Float64Array, wOff: number, n: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += w[wOff + i] * a[aOff + i] * b[bOff + i];
    s1 += w[wOff + i + 1] * a[aOff + i + 1] * b[bOff + i + 1];
  }
  if (i < n) s0 += w[wOff + i] * a[aOff + i] * b[bOff + i];
  return s0 + s1;
}
