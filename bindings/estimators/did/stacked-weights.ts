// The corrective weights of Wing, Freedman and Hollingsworth (2024). Unweighted, a stacked regression
// weights each sub-experiment by its treatment-control balance, not by its share of the treated, so its
// estimate is not the trimmed aggregate ATT. The weights fix the control share of every sub-experiment:
// treated observations weigh 1; a control observation of sub-experiment a at event time e weighs
//   Q_ae = (N^D_ae / N^D_e) / (N^C_ae / N^C_e),
// N^D_ae and N^C_ae the treated and control observations of sub-experiment a at event time e, N^D_e and
// N^C_e their totals over the stack at e. The counts are taken by event time, as the authors' own code
// does (in a balanced panel they are the unit counts of the paper's formula).
import type { Stack } from "./stacked-build.js";

/** Treated and control observations per (sub-experiment, event time) cell, cell = a * E + (e - lo). */
function cellCounts(stack: Stack, lo: number, E: number): { treatedN: Float64Array; controlN: Float64Array } {
  const A = stack.experiments.length;
  const treatedN = new Float64Array(A * E);
  const controlN = new Float64Array(A * E);
  const { starts, event, treated } = stack;
  for (let a = 0; a < A; a++) {
    for (let i = starts[a]; i < starts[a + 1]; i++) {
      const cell = a * E + (event[i] - lo);
      if (treated[i]) treatedN[cell]++;
      else controlN[cell]++;
    }
  }
  return { treatedN, controlN };
}

export function correctiveWeights(stack: Stack, window: readonly [number, number]): Float64Array {
  const [lo, hi] = window;
  const E = hi - lo + 1;
  const A = stack.experiments.length;
  const { treatedN, controlN } = cellCounts(stack, lo, E);
  const treatedTotal = new Float64Array(E);
  const controlTotal = new Float64Array(E);
  for (let a = 0; a < A; a++) {
    for (let e = 0; e < E; e++) {
      treatedTotal[e] += treatedN[a * E + e];
      controlTotal[e] += controlN[a * E + e];
    }
  }
  // One weight per cell for its controls, then one table look-up per row. A control cell is never empty
  // when a row reads it (that row is in it); a cell without treated rows weighs 0.
  const controlWeight = new Float64Array(A * E);
  for (let a = 0; a < A; a++) {
    for (let e = 0; e < E; e++) {
      const cell = a * E + e;
      controlWeight[cell] = treatedTotal[e] > 0 ? (treatedN[cell] / treatedTotal[e]) / (controlN[cell] / controlTotal[e]) : 0;
    }
  }
  return rowWeights(stack, lo, E, controlWeight);
}

/** Treated rows weigh 1, control rows their cell's weight. */
function rowWeights(stack: Stack, lo: number, E: number, controlWeight: Float64Array): Float64Array {
  const n = stack.source.length;
  const { starts, event, treated } = stack;
  const w = new Float64Array(n);
  for (let a = 0; a + 1 < starts.length; a++) {
    for (let i = starts[a]; i < starts[a + 1]; i++) w[i] = treated[i] ? 1 : controlWeight[a * E + (event[i] - lo)];
  }
  return w;
}
