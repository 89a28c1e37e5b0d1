// The estimands of the imputation estimator: weighted averages of the treated observations' effects,
// sum_i w_i a_i tau_i with the weights a (on the treated rows of one target) normalized so that
// sum_i w_i a_i = 1 (w: estimation weights). The overall ATT weighs every treated observation; horizon h
// (tau_h) only those h periods after their unit's first treated period. A --wtr column replaces the equal
// weights within each target (did_imputation's wtr). Targets are disjoint, so each row belongs to at most
// one: a code (target per row, -1 none) and a value (its a_i) describe them all.
import { DidwasmError } from "../../errors.js";

export interface Targets {
  readonly names: readonly string[];
  /** Horizon of each target (null: the overall ATT). */
  readonly horizons: ReadonlyArray<number | null>;
  /** Target of each sample row, -1 when none. */
  readonly code: Int32Array;
  /** a_i, normalized within each target. */
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
  readonly n: number;
  readonly treated: Float64Array;
  /** Periods since the unit's first treated period, per sample row (meaningful on treated rows). */
  readonly horizon: Float64Array;
  /** Estimation weights per row (ones when unweighted). */
  readonly wt: Float64Array;
  /** The --wtr weights per row, or null. */
  readonly wtr: Float64Array | null;
  readonly wtrName: string | null;
  /** Describes a sample row, for errors. */
  readonly describeRow: (i: number) => string;
}

function checkWtr(o: TargetInput): void {
  if (!o.wtr) return;
  for (let i = 0; i < o.n; i++) {
    if (o.treated[i] === 0) continue; // did_imputation ignores wtr on untreated rows
    const v = o.wtr[i];
    if (!(v >= 0) || v === Infinity) {
      throw new DidwasmError("BAD_DATA", `wtr column "${o.wtrName}" must hold non-negative numbers on treated observations, but ${o.describeRow(i)} has ${Number.isNaN(v) ? "a missing value" : v}`, { column: o.wtrName ?? undefined });
    }
  }
}

function normalize(o: TargetInput, names: string[], horizons: Array<number | null>, code: Int32Array): Targets {
  const K = names.length;
  const value = new Float64Array(o.n);
  const total = new Float64Array(K);
  const nobs = new Array<number>(K).fill(0);
  for (let i = 0; i < o.n; i++) {
    const j = code[i];
    if (j < 0) continue;
    const a = o.wtr ? o.wtr[i] : 1;
    value[i] = a;
    total[j] += o.wt[i] * a;
    if (a !== 0) nobs[j]++;
  }
  for (let j = 0; j < K; j++) {
    if (!(total[j] > 0)) {
      throw new DidwasmError("BAD_DATA", `${names[j]}: the treated observations it averages have weights summing to 0${o.wtrName ? ` (wtr column "${o.wtrName}")` : ""}`);
    }
  }
  for (let i = 0; i < o.n; i++) if (code[i] >= 0) value[i] /= total[code[i]];
  return { names, horizons, code, value, nobs, totals: total };
}

/** The overall ATT: every treated observation. */
export function overallTarget(o: TargetInput): Targets {
  checkWtr(o);
  const code = new Int32Array(o.n);
  for (let i = 0; i < o.n; i++) code[i] = o.treated[i] !== 0 ? 0 : -1;
  return normalize(o, ["ATT"], [null], code);
}

/** One target per horizon asked for ("all": every horizon among the treated observations). */
export function horizonTargets(o: TargetInput, asked: "all" | readonly number[]): Targets {
  checkWtr(o);
  let hi = -1;
  for (let i = 0; i < o.n; i++) if (o.treated[i] !== 0 && o.horizon[i] > hi) hi = o.horizon[i];
  const present = new Uint8Array(hi + 1);
  for (let i = 0; i < o.n; i++) if (o.treated[i] !== 0) present[o.horizon[i]] = 1;
  const list = asked === "all" ? [...present.keys()].filter((h) => present[h]) : [...asked];
  const missing = list.filter((h) => !(h <= hi && present[h]));
  if (missing.length) {
    throw new DidwasmError("BAD_OPTION", `horizons: no treated observation is ${missing.join(", ")} period(s) after its treatment started (treated observations run from horizon 0 to ${hi})`, { option: "horizons" });
  }
  const index = new Int32Array(hi + 1).fill(-1);
  list.forEach((h, j) => (index[h] = j));
  const code = new Int32Array(o.n);
  for (let i = 0; i < o.n; i++) code[i] = o.treated[i] !== 0 ? index[o.horizon[i]] : -1;
  return normalize(o, list.map((h) => `tau${h}`), list, code);
}
