// Fixed-effect groups that fit their outcome perfectly: a Poisson group whose outcome is 0 in every row (its
// fixed effect would go to minus infinity), and for logit and probit also a group whose outcome is 1 in
// every row. Their observations carry no information on the coefficients and would stop the iterations
// from converging, so fixest (fixef.rm = "perfect", its default) removes them before estimating, and so
// does this, by fixest 0.12.2's rule (cpp_quf_table_sum in its src/quf.cpp):
//   - every fixed effect is checked on the same sample, and a row goes when any of its groups is perfect;
//   - this is done once, not repeated: for Poisson one round is final (removing all-zero rows cannot leave
//     another group with only zeros that was not one already), but for binary outcomes removing an all-1
//     group of one fixed effect can leave a group of another with only zeros. fixest keeps such groups
//     (their fixed effects then diverge while the coefficients converge); so does this, with a warning
//     naming them, so that the sample and the degrees of freedom are fixest's;
//   - when every group left of some fixed effect fits perfectly, nothing is left to estimate: an error.
import type { Backend } from "../../engine/backend.js";
import { DidwasmError } from "../../errors.js";
import type { FixefEncoding } from "../../model/sample.js";

export interface PerfectGroups {
  readonly name: string;
  /** Groups of this fixed effect found perfect. */
  readonly groups: number;
  /** A sample position in each of the first few of them (to name their levels). */
  readonly examples: readonly number[];
}

export interface PerfectFitRemoval {
  /** 1 for rows kept; null when nothing is removed. */
  readonly keep: Uint8Array | null;
  readonly removedRows: number;
  /** Per fixed effect, the groups removed. */
  readonly removed: readonly PerfectGroups[];
  /** Binary outcomes: groups left perfect after the one round, which fixest keeps (see the header). */
  readonly leftPerfect: readonly PerfectGroups[];
}

const EXAMPLES = 3;

/** Per group of f: rows and sum of the outcome (unweighted, as fixest), over the rows where keep is 1. */
function groupSums(f: FixefEncoding, y: Float64Array, keep: Uint8Array | null): { count: Float64Array; sum: Float64Array } {
  const count = new Float64Array(f.G);
  const sum = new Float64Array(f.G);
  const fIds = f.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < y.length; i++) {
    if (keep && !keep[i]) continue;
    count[fIds[i]]++;
    sum[fIds[i]] += y[i];
  }
  return { count, sum };
}

/** The same sums over every row, on the backend's crossprodIndicators kernel (the first round's, over the
 *  whole sample: a kernel runs compiled in a fresh process). The outcome is >= 0, so a group's sum is 0
 *  exactly when its outcome is, and a binary outcome's sums are whole numbers: the order of the additions
 *  cannot change a flag. */
function groupSumsOnBackend(backend: Backend, f: FixefEncoding, y: Float64Array): { count: Float64Array; sum: Float64Array } {
  const n = y.length;
  const arena = backend.arena();
  try {
    const cols = arena.f64(2 * n, false);
    cols.view.fill(1, 0, n);
    cols.view.set(y, n);
    const out = arena.f64(2 * f.G, false);
    backend.crossprodIndicators(n, 2, cols, null, arena.i32From(f.ids), f.G, out);
    return { count: out.view.slice(0, f.G), sum: out.view.slice(f.G) };
  } finally {
    arena.release();
  }
}

/** Groups with rows whose outcome is all 0 (or, binary, all 1). */
function perfectFlags(f: FixefEncoding, y: Float64Array, binary: boolean, keep: Uint8Array | null, backend: Backend | null = null): Uint8Array {
  const { count, sum } = backend && !keep ? groupSumsOnBackend(backend, f, y) : groupSums(f, y, keep);
  const flags = new Uint8Array(f.G);
  for (let g = 0; g < f.G; g++) flags[g] = count[g] > 0 && (sum[g] === 0 || (binary && sum[g] === count[g])) ? 1 : 0;
  return flags;
}

/** keep[i] = 0 where row i's group is flagged; returns the rows newly dropped. */
function dropFlagged(keep: Uint8Array, ids: Int32Array, flags: Uint8Array): number {
  let dropped = 0;
  for (let i = 0; i < keep.length; i++) {
    if (keep[i] && flags[ids[i]]) {
      keep[i] = 0;
      dropped++;
    }
  }
  return dropped;
}

function describeGroups(name: string, f: FixefEncoding, flags: Uint8Array, keep: Uint8Array | null): PerfectGroups {
  let groups = 0;
  for (let g = 0; g < f.G; g++) groups += flags[g];
  const examples: number[] = [];
  const seen = new Uint8Array(f.G);
  const fIds = f.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < fIds.length && examples.length < Math.min(EXAMPLES, groups); i++) {
    const g = fIds[i];
    if (flags[g] && !seen[g] && (!keep || keep[i])) {
      seen[g] = 1;
      examples.push(i);
    }
  }
  return { name, groups, examples };
}

/** fixest's perfect-fit removal over the sample (outcome y, fixed effects encoded over it). */
export function perfectFitRemoval(
  y: Float64Array, fixef: readonly FixefEncoding[], binary: boolean, outcomeLabel: string, backend: Backend | null = null,
): PerfectFitRemoval {
  const n = y.length;
  const flags = fixef.map((f) => perfectFlags(f, y, binary, null, backend));
  const keep = new Uint8Array(n).fill(1);
  let removedRows = 0;
  for (let q = 0; q < fixef.length; q++) removedRows += dropFlagged(keep, fixef[q].ids, flags[q]);
  if (removedRows === 0) return { keep: null, removedRows: 0, removed: [], leftPerfect: [] };
  const removed = fixef.map((f, q) => describeGroups(f.name, f, flags[q], null)).filter((r) => r.groups > 0);
  const what = binary ? "all 0 or all 1" : "all 0";
  if (removedRows === n) {
    throw new DidwasmError("NO_VARIANCE", `${outcomeLabel} is ${what} in every fixed-effect group (${removed.map((r) => r.name).join(", ")}): the fixed effects explain it perfectly, nothing is left to estimate`);
  }
  const leftPerfect: PerfectGroups[] = [];
  if (binary) {
    fixef.forEach((f, q) => {
      const left = perfectFlags(f, y, binary, keep);
      const { count } = groupSums(f, y, keep);
      let remaining = 0;
      let perfect = 0;
      for (let g = 0; g < f.G; g++) {
        if (count[g] > 0) remaining++;
        perfect += left[g];
      }
      if (perfect === remaining) {
        throw new DidwasmError("NO_VARIANCE", `after removing the fixed-effect groups whose ${outcomeLabel} is ${what}, every group of "${f.name}" left is ${what}: the fixed effects explain the outcome perfectly`);
      }
      if (perfect > 0) leftPerfect.push(describeGroups(f.name, f, left, keep));
    });
  }
  return { keep, removedRows, removed, leftPerfect };
}
