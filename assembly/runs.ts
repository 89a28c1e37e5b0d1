// RUNS. Panels are usually stored unit by unit, so consecutive rows often share a group. The scatter-adds
// of the demeaning kernels walk such rows in runs of equal group id and keep the group's running sums in
// registers for the whole run, instead of a load-add-store chain through memory per row. The additions
// into each sum still happen one row at a time in increasing row order, so the results are bit-identical
// to a plain row loop (and to the TypeScript reference, which is one).

/** Rows must average at least this many per run for the run-wise loops to pay. */
const MIN_MEAN_RUN: i64 = 4;

@inline function idAt(ids: usize, i: i32): i32 { return load<i32>(ids + (<usize>i << 2)); }

/** End (exclusive) of the run of rows from i on that share ids[i]. */
@inline export function runEnd(ids: usize, i: i32, N: i32): i32 {
  const g = idAt(ids, i);
  let j = i + 1;
  while (j < N && idAt(ids, j) == g) j++;
  return j;
}

/** Whether the N ids come in runs long enough (on average) for the run-wise loops. */
export function storedInRuns(ids: usize, N: i32): bool {
  let runs: i64 = N > 0 ? 1 : 0;
  for (let i = 1; i < N; i++) if (idAt(ids, i) != idAt(ids, i - 1)) runs++;
  return runs * MIN_MEAN_RUN <= <i64>N;
}
