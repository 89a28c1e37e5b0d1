// Randomization p-values from placebo draws (didplacebo's definitions): the share of draws at or below
// the estimate (left), at or above it (right), and with absolute value at or above its absolute value.

export interface TailShares {
  readonly p_left: number;
  readonly p_right: number;
  readonly p_two: number;
}

export function tailShares(draws: ArrayLike<number>, estimate: number): TailShares {
  let left = 0;
  let right = 0;
  let two = 0;
  const a = Math.abs(estimate);
  for (let i = 0; i < draws.length; i++) {
    const d = draws[i];
    if (d <= estimate) left++;
    if (d >= estimate) right++;
    if (Math.abs(d) >= a) two++;
  }
  const n = draws.length;
  return { p_left: left / n, p_right: right / n, p_two: two / n };
}
