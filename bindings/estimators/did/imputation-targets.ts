// The estimands of the imputation estimator: weighted averages of the treated observations' effects,
// sum_i w_i a_i tau_i with the weights a (on the treated rows of one target) normalized so that
// sum_i w_i a_i = 1 (w: estimation weights). The overall ATT weighs every treated observation; horizon h
// (tau_h) only those h periods after their unit's first treated period. A --wtr column replaces the equal
// weights within each target (did_imputation's wtr). Targets are disjoint, so each row belongs to at most
// one: a code (target per row, -1 none) and a value (its a_i) describe them all. Only treated rows enter
// targets, so both are kept per treated row (a fraction of the sample: new arrays cost more to touch
// first than to fill).
import { DidwasmError } from "../../errors.js";
import { freshF64, freshI32 } from "../../engine/fresh-arrays.js";

export interface Targets {
  readonly names: readonly string[];
  /** Horizon of each target (null: the overall ATT). */
  readonly horizons: ReadonlyArray<number | null>;
  /** Positions (in the sample) of the treated rows, increasing: TargetInput.treatedRows. */
  readonly rows: Int32Array;
  /** Target of each treated row (rows[t]), -1 when none. */
  readonly code: Int32Array;
  /** a_i of each treated row, normalized within each target. */
  readonly value: Float64Array;
  /** Treated observations with a nonzero weight, per target. */
  readonly nobs: readonly number[];
  /** sum_i w_i a_i per target before normalizing (each target's share of the treated weight). */
  readonly totals: Float64Array;
}

/** "all", "0:5", "0..5" or "0,1,4" (non-negative whole numbers); null when not given. */
export function parseHorizons(spec: string | readonly number[] | null | undefined): "all" | number[] | null {
  if (spec === null || spec === undefined) return null;
  const bad = (why: string) => new DidwasmError("BAD_OPTION", `horizons "${String(spec)}": ${why}; give "all", a range like 0:5 (or 0..5), or a list like 0,1,4`, { option: "horizons" });
  let list: number[];
  if (typeof spec !== "string") list = [...spec];
  else {
    const s = spec.trim();
    if (s === "all") return "all";
    const range = /^(-?\d+)\s*(?::|\.\.)\s*(-?\d+)$/.exec(s);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a > b) throw bad(`the range runs backwards (${a} > ${b})`);
      list = Array.from({ length: b - a + 1 }, (_, k) => a + k);
    } else list = s.split(",").map((x) => (x.trim() === "" ? NaN : Number(x)));
  }
  for (const h of list) {
    if (!Number.isInteger(h)) throw bad(`${h} is not a whole number`);
    if (h < 0) throw bad(`${h} is negative: horizons count periods since treatment started (0 = the first treated period); pre-treatment periods are tested with --pretrends`);
  }
  if (list.length === 0) throw bad("no horizon given");
  return [...new Set(list)].sort((a, b) => a - b);
}

export interface TargetInput {
  /** Positions (in the sample) of the treated rows, increasing. */
  readonly treatedRows: Int32Array;
  /** Periods since the unit's first treated period of sample row i (read on treated rows only). */
  readonly horizonOf: (i: number) => number;
  /** Estimation weights per row, or null when unweighted. */
  readonly w: Float64Array | null;
  /** The --wtr weights per row, or null. */
  readonly wtr: Float64Array | null;
  readonly wtrName: string | null;
  /** Describes a sample row, for errors. */
  readonly describeRow: (i: number) => string;
}

function checkWtr(o: TargetInput): void {
  if (!o.wtr) return;
  for (const i of o.treatedRows) { // did_imputation ignores wtr on untreated rows
    const v = o.wtr[i];
    if (!(v >= 0) || v === Infinity) {
      throw new DidwasmError("BAD_DATA", `wtr column "${o.wtrName}" must hold non-negative numbers on treated observations, but ${o.describeRow(i)} has ${Number.isNaN(v) ? "a missing value" : v}`, { column: o.wtrName ?? undefined });
    }
  }
}

/** The targets from each treated row's code (filled by the caller), with weights normalized within each. */
function normalize(o: TargetInput, names: string[], horizons: Array<number | null>, code: Int32Array): Targets {
  const K = names.length;
  const rows = o.treatedRows;
  const value = freshF64(rows.length);
  const total = new Float64Array(K);
  const nobs = new Array<number>(K).fill(0);
  for (let t = 0; t < rows.length; t++) {
    const j = code[t];
    if (j < 0) continue;
    const i = rows[t];
    const a = o.wtr ? o.wtr[i] : 1;
    value[t] = a;
    total[j] += o.w ? o.w[i] * a : a;
    if (a !== 0) nobs[j]++;
  }
  for (let j = 0; j < K; j++) {
    if (!(total[j] > 0)) {
      throw new DidwasmError("BAD_DATA", `${names[j]}: the treated observations it averages have weights summing to 0${o.wtrName ? ` (wtr column "${o.wtrName}")` : ""}`);
    }
  }
  for (let t = 0; t < rows.length; t++) if (code[t] >= 0) value[t] /= total[code[t]];
  return { names, horizons, rows, code, value, nobs, totals: total };
}

/** The overall ATT: every treated observation. */
export function overallTarget(o: TargetInput): Targets {
  checkWtr(o);
  return normalize(o, ["ATT"], [null], freshI32(o.treatedRows.length));
}

/** One target per horizon asked for ("all": every horizon among the treated observations). */
export function horizonTargets(o: TargetInput, asked: "all" | readonly number[]): Targets {
  checkWtr(o);
  const rows = o.treatedRows;
  // the treated rows' horizons (a treated-length array, not a sample-length one)
  const horizon = freshF64(rows.length);
  for (let t = 0; t < rows.length; t++) horizon[t] = o.horizonOf(rows[t]);
  let hi = -1;
  for (let t = 0; t < rows.length; t++) hi = Math.max(hi, horizon[t]);
  const present = new Uint8Array(hi + 1);
  for (let t = 0; t < rows.length; t++) present[horizon[t]] = 1;
  const list = asked === "all" ? [...present.keys()].filter((h) => present[h]) : [...asked];
  const missing = list.filter((h) => !(h <= hi && present[h]));
  if (missing.length) {
    throw new DidwasmError("BAD_OPTION", `horizons: no treated observation is ${missing.join(", ")} period(s) after its treatment started (treated observations run from horizon 0 to ${hi})`, { option: "horizons" });
  }
  const index = new Int32Array(hi + 1).fill(-1);
  list.forEach((h, j) => (index[h] = j));
  const code = freshI32(rows.length);
  for (let t = 0; t < rows.length; t++) code[t] = index[horizon[t]];
  return normalize(o, list.map((h) => `tau${h}`), list, code);
}
