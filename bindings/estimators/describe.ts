// Descriptive statistics, as Stata's `summarize` (and `summarize, detail` for percentiles): per variable
// the number of non-missing values, mean, standard deviation (n - 1 denominator), minimum, maximum and
// optional percentiles, over all rows or within each group of a `by` variable. Missing values are left
// out variable by variable, so N can differ between variables.
//
// Percentiles follow Stata's summarize (R's quantile type 2): with the n values sorted x[1] <= ... <= x[n]
// and P = n p / 100, the p-th percentile is (x[P] + x[P+1]) / 2 when P is a whole number, else x[ceil(P)];
// p = 0 and p = 100 give the minimum and maximum.
import { toFrame, type DataInput } from "../data/columns.js";
import type { Frame } from "../data/frame.js";
import { DidwasmError } from "../errors.js";

export interface DescribeOptions {
  /** Variables described, in this order; default every numeric column (except `by`). */
  readonly vars?: readonly string[];
  /** Describe within each value of this column (rows where it is missing are left out). */
  readonly by?: string;
  /** Percentiles to add, between 0 and 100, e.g. [25, 50, 75]. */
  readonly percentiles?: readonly number[];
}

export interface DescribeRow {
  readonly variable: string;
  /** The `by` value (as text), when grouped. */
  readonly group?: string;
  readonly n: number;
  /** NaN (null in JSON) when n = 0; sd also when n = 1. */
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /** p25, p50, p2.5, ... when percentiles were asked for. */
  readonly [percentile: `p${number}`]: number;
}

export interface DescribeResult {
  readonly vars: readonly string[];
  readonly by: string | null;
  /** The `by` values in sorted order (numbers ascending, text by code point), or null. */
  readonly groups: readonly string[] | null;
  readonly percentiles: readonly number[];
  /** Ungrouped: one row per variable. Grouped: per group, one row per variable. */
  readonly rows: readonly DescribeRow[];
  /** Rows of the data (and, when grouped, rows with a missing `by` value, which were left out). */
  readonly nrow: number;
  readonly byMissing: number;
  readonly notes: readonly string[];
}

/** Relative tolerance for deciding that n p / 100 is a whole number despite rounding (p = 0.1, 2.5, ...). */
const WHOLE_TOL = 1e-9;

/** Percentile p of ascending-sorted values, Stata's summarize definition (see the header). */
export function percentileSorted(x: Float64Array, p: number): number {
  const n = x.length;
  if (n === 0) return NaN;
  if (p <= 0) return x[0];
  if (p >= 100) return x[n - 1];
  const P = (n * p) / 100;
  const j = Math.round(P);
  if (Math.abs(P - j) <= WHOLE_TOL * Math.max(1, P)) return j >= n ? x[n - 1] : j <= 0 ? x[0] : (x[j - 1] + x[j]) / 2;
  return x[Math.ceil(P) - 1];
}

export const percentileKey = (p: number) => `p${p}` as const;

function summarize(values: Float64Array, rows: ArrayLike<number> | null, percentiles: readonly number[]) {
  const n0 = rows ? rows.length : values.length;
  const x = new Float64Array(n0);
  let n = 0;
  for (let i = 0; i < n0; i++) {
    const v = values[rows ? rows[i] : i];
    if (Number.isFinite(v)) x[n++] = v;
  }
  const kept = x.subarray(0, n);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    sum += kept[i];
    if (kept[i] < min) min = kept[i];
    if (kept[i] > max) max = kept[i];
  }
  const mean = n > 0 ? sum / n : NaN;
  // Two passes: deviations from the mean, for accuracy when the mean is large relative to the spread.
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (kept[i] - mean) ** 2;
  const out: Record<string, number> = { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN, min: n > 0 ? min : NaN, max: n > 0 ? max : NaN };
  if (percentiles.length) {
    kept.sort();
    for (const p of percentiles) out[percentileKey(p)] = percentileSorted(kept, p);
  }
  return out;
}

function groupRows(frame: Frame, by: string): { groups: string[]; rows: Int32Array[]; missing: number } {
  const col = frame.column(by, "by variable");
  const buckets = new Map<string, number[]>();
  const sortKey = new Map<string, number | string>();
  let missing = 0;
  for (let r = 0; r < frame.nrow; r++) {
    let key: string;
    if (col.kind === "numeric") {
      const v = col.values[r];
      if (Number.isNaN(v)) {
        missing++;
        continue;
      }
      key = String(v);
      sortKey.set(key, v);
    } else {
      if (col.codes[r] < 0) {
        missing++;
        continue;
      }
      key = col.levels[col.codes[r]];
      sortKey.set(key, key);
    }
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = []));
    b.push(r);
  }
  const groups = [...buckets.keys()].sort((a, b) => {
    const x = sortKey.get(a)!;
    const y = sortKey.get(b)!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return { groups, rows: groups.map((g) => Int32Array.from(buckets.get(g)!)), missing };
}

export function describe(data: DataInput, o: DescribeOptions = {}): DescribeResult {
  const frame = toFrame(data);
  const percentiles = [...(o.percentiles ?? [])];
  for (const p of percentiles) {
    if (typeof p !== "number" || !(p >= 0 && p <= 100)) {
      throw new DidwasmError("BAD_OPTION", `--percentiles must be numbers from 0 to 100, got ${JSON.stringify(p)}`, { option: "--percentiles" });
    }
  }
  if (o.by !== undefined) frame.column(o.by, "by variable");
  const vars = o.vars && o.vars.length ? [...o.vars] : frame.columns.filter((c) => c.kind === "numeric" && c.name !== o.by).map((c) => c.name);
  if (vars.length === 0) throw new DidwasmError("NO_REGRESSORS", "there are no numeric variables to describe");
  const dup = vars.find((v, i) => vars.indexOf(v) !== i);
  if (dup !== undefined) throw new DidwasmError("BAD_OPTION", `--vars names "${dup}" twice`, { option: "--vars" });
  const columns = vars.map((v) => frame.numeric(v, "variable"));
  const notes: string[] = [];
  const infinite = vars.filter((_, i) => columns[i].some((x) => x === Infinity || x === -Infinity));
  if (infinite.length) notes.push(`infinite values counted as missing in: ${infinite.join(", ")}`);

  if (o.by === undefined) {
    const rows = vars.map((v, i) => ({ variable: v, ...summarize(columns[i], null, percentiles) }) as DescribeRow);
    return { vars, by: null, groups: null, percentiles, rows, nrow: frame.nrow, byMissing: 0, notes };
  }
  const g = groupRows(frame, o.by);
  if (g.groups.length === 0) throw new DidwasmError("ALL_MISSING", `by variable "${o.by}" is missing on every row`, { column: o.by });
  if (g.missing) notes.push(`${g.missing} row${g.missing === 1 ? "" : "s"} with a missing ${o.by} left out`);
  const rows = g.groups.flatMap((group, gi) => vars.map((v, i) => ({ variable: v, group, ...summarize(columns[i], g.rows[gi], percentiles) }) as DescribeRow));
  return { vars, by: o.by, groups: g.groups, percentiles, rows, nrow: frame.nrow, byMissing: g.missing, notes };
}
