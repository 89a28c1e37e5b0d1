// Placebo tests in the manner of Stata's didplacebo:
//   time   the treatment moved s periods earlier for each shift s (observations of treated units from their
//          true start on dropped, unless keepPost), one refit per s;
//   space  whole treatment paths (cohorts) shuffled across units;
//   mixed  as many fake treated units as truly treated ones, drawn without replacement, with fake dates
//          (variant 1: one date for all; 2: each its own date between the earliest and latest true dates;
//          3: the true dates permuted, cohort sizes kept). See fake-assignments.ts for the exact draws.
// Space and mixed draws run on the Frisch-Waugh-Lovell fast path (fwl-placebo.ts); p-values are the shares
// of draws beyond the true estimate (tail-shares.ts).
import type { DataInput } from "../data/columns.js";
import { duplicateRowsNote } from "../estimators/did/duplicates.js";
import { warning, type Note } from "../notes.js";
import { toFrame } from "../data/columns.js";
import { DidwasmError } from "../errors.js";
import { checkSingleOutcome, feols, fitPrepared, prepareModel, type FeolsOptions } from "../estimators/feols.js";
import { refuseVaryingSlopes } from "../estimators/slopes-demean.js";
import { groupIds, type Groups } from "../model/groups.js";
import { vcovLabel } from "../model/vcov-spec.js";
import { sampleValues } from "../model/sample.js";
import { timingFromCohort, timingFromTreatment, type Timing } from "../estimators/did/cohorts.js";
import type { Fit } from "../estimators/fit.js";
import { checkAssignmentSpace, fakeCohortRange, fakeCohortWriter, type AssignmentSpace } from "./fake-assignments.js";
import { buildPlaceboModel, placeboCoefficients, type PlaceboModel } from "./fwl-placebo.js";
import { twoWayPlacebo, twoWaySolver, type TwoWayPlacebo } from "./two-way-placebo.js";
import { DEFAULT_DRAWS, checkReps, checkSeed } from "./subset-fit.js";
import { defaultEngine, type Engine } from "../engine/engine.js";
import { tailShares, type TailShares } from "./tail-shares.js";

export interface PlaceboOptions extends Omit<FeolsOptions, "rowFilter"> {
  readonly formula: string;
  /** The treatment regressor of the formula (0/1, on from the unit's first treated period). */
  readonly treat: string;
  readonly unit: string;
  readonly time: string;
  /** First treated period per unit; derived from `treat` when absent. */
  readonly cohort?: string | null;
  readonly never?: number | string | null;
  readonly kind: "time" | "space" | "mixed";
  readonly variant?: 1 | 2 | 3;
  /** In-time placebo: periods to move the treatment back (default 1, 2, 3). */
  readonly shifts?: readonly number[];
  /** In-time placebo: keep treated units' observations from their true start (default: drop them). */
  readonly keepPost?: boolean;
  readonly reps?: number;
  readonly seed: number;
  /** Also return the t statistic of every draw. */
  readonly tStats?: boolean;
}

export interface ShiftResult {
  readonly shift: number;
  readonly estimate: number;
  readonly std_error: number;
  readonly p_value: number;
  readonly conf_low: number;
  readonly conf_high: number;
  readonly nobs: number;
}

export interface PlaceboResult extends Partial<TailShares> {
  readonly kind: "time" | "space" | "mixed";
  readonly variant: 1 | 2 | 3 | null;
  readonly estimate: number;
  readonly std_error: number;
  readonly statistic: number;
  readonly reps: number;
  readonly seed: number;
  readonly draws: Float64Array | null;
  readonly tDraws: Float64Array | null;
  /** Tail shares of the t statistic draws around the true t statistic. */
  readonly tShares: TailShares | null;
  readonly shifts: readonly ShiftResult[] | null;
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

function timingOf(frame: ReturnType<typeof toFrame>, o: PlaceboOptions): Timing {
  return o.cohort
    ? timingFromCohort(frame, { unit: o.unit, time: o.time, cohort: o.cohort, never: o.never })
    : timingFromTreatment(frame, { unit: o.unit, time: o.time, treat: o.treat });
}

function fitOptions(o: PlaceboOptions): FeolsOptions {
  const { formula: _f, treat: _t, unit: _u, time: _ti, cohort: _c, never: _n, kind: _k, variant: _v, shifts: _s, keepPost: _kp, reps: _r, seed: _sd, tStats: _ts, ...rest } = o;
  return rest;
}

function inTime(frame: ReturnType<typeof toFrame>, o: PlaceboOptions, timing: Timing): ShiftResult[] {
  const shifts = o.shifts ?? [1, 2, 3];
  const t = frame.numeric(o.time, "time variable");
  return shifts.map((s) => {
    if (!Number.isInteger(s) || s < 1) throw new DidwasmError("BAD_OPTION", `shifts must be positive whole numbers, got ${s}`);
    const fake = new Float64Array(frame.nrow);
    const keep = new Uint8Array(frame.nrow).fill(1);
    for (let r = 0; r < frame.nrow; r++) {
      const g = timing.cohortOfRow[r];
      if (!Number.isFinite(g)) continue;
      fake[r] = t[r] >= g - s ? 1 : 0;
      if (!o.keepPost && t[r] >= g) keep[r] = 0;
    }
    const shifted = frame.withColumn({ kind: "numeric", name: o.treat, values: fake });
    let fit: Fit;
    try {
      fit = feols(shifted, o.formula, { ...fitOptions(o), rowFilter: keep });
    } catch (e) {
      if (e instanceof DidwasmError) throw new DidwasmError(e.code, `in-time placebo with shift ${s}: ${e.message}`, e.details);
      throw e;
    }
    if (!fit.coefNames.includes(o.treat)) {
      throw new DidwasmError("ALL_COLLINEAR", `in-time placebo with shift ${s}: the fake treatment is collinear with the fixed effects (no pre-period variation left)`);
    }
    const [lo, hi] = fit.confint()[o.treat];
    return { shift: s, estimate: fit.coef(o.treat), std_error: fit.se(o.treat), p_value: fit.pvalue(o.treat), conf_low: lo, conf_high: hi, nobs: fit.nobs };
  });
}

/** Everything the random draws need, computed once (and again in each worker, identically). */
export interface PreparedPlacebo {
  readonly options: PlaceboOptions;
  readonly engine: Engine;
  readonly estimate: number;
  readonly se: number;
  readonly reps: number;
  readonly variant: 1 | 2 | 3 | null;
  readonly space: AssignmentSpace | null;
  readonly model: PlaceboModel | null;
  /** The model's unit x period tables (two-way-placebo.ts), when its fixed effects are the unit and the
   *  period: built once here, not again for every range of draws. */
  readonly twoWay: TwoWayPlacebo | null;
  readonly shifts: readonly ShiftResult[] | null;
  readonly notes: Note[];
}

export function preparePlacebo(data: DataInput, o: PlaceboOptions): PreparedPlacebo {
  const frame = toFrame(data);
  if (!["time", "space", "mixed"].includes(o.kind)) throw new DidwasmError("BAD_OPTION", `kind must be time, space or mixed, got "${o.kind}"`);
  const variant = o.kind === "mixed" ? (o.variant ?? 1) : null;
  if (variant !== null && ![1, 2, 3].includes(variant)) throw new DidwasmError("BAD_OPTION", `variant must be 1, 2 or 3, got ${variant}`);
  const reps = o.reps ?? DEFAULT_DRAWS;
  checkReps(reps);
  checkSeed(o.seed);
  checkSingleOutcome(o.formula);
  const prepared = prepareModel(frame, o.formula, fitOptions(o));
  refuseVaryingSlopes(prepared.groups[0].sample.fixef, "placebo");
  const trueFit = fitPrepared(prepared, o.formula)[0];
  if (!trueFit.coefNames.includes(o.treat)) {
    throw new DidwasmError("UNKNOWN_COEFFICIENT", `"${o.treat}" is not a coefficient of the model (coefficients: ${trueFit.coefNames.join(", ")})`, { coefficient: o.treat });
  }
  const estimate = trueFit.coef(o.treat);
  const se = trueFit.se(o.treat);
  const timing = timingOf(frame, o);
  const notes: Note[] = [...trueFit.notes];
  const engine = o.engine ?? defaultEngine(o.backend ?? "wasm");
  if (o.kind === "time") {
    return { options: o, engine, estimate, se, reps, variant, space: null, model: null, twoWay: null, shifts: inTime(frame, o, timing), notes };
  }

  const { sample, design } = prepared.groups[0];
  const rows = sample.rows;
  const duplicates = duplicateRowsNote(frame, o.unit, o.time, rows);
  if (duplicates) notes.push(duplicates);
  const units: Groups = groupIds(frame, o.unit, rows);
  // Plain loops over the rows, not forEach: they run once, in V8's interpreter, where a callback per row
  // costs several times the loop's own work.
  const cohorts = new Float64Array(units.G).fill(Infinity);
  const unitIds = units.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < rows.length; i++) cohorts[unitIds[i]] = timing.cohortOfRow[rows[i]];
  const timeOfRow = sampleValues(frame, o.time, rows, "time variable");
  const space: AssignmentSpace = { cohorts, periods: [...new Set(timeOfRow)].sort((a, b) => a - b) };
  checkAssignmentSpace(space);
  const d = design.columns[design.names.indexOf(o.treat)];
  let mismatch = 0;
  for (let i = 0; i < rows.length; i++) if (d[i] !== (timeOfRow[i] >= cohorts[unitIds[i]] ? 1 : 0)) mismatch++;
  if (mismatch) notes.push(warning("treatment_mismatch", `${mismatch} observation(s) where "${o.treat}" differs from 1{${o.time} >= cohort}: fake treatments follow the cohort rule`));

  const kept = trueFit.coefNames.filter((nm) => nm !== o.treat);
  const others = kept.map((nm) => design.columns[design.names.indexOf(nm)]);
  const vc = prepared.common.vcov;
  // The draws' t statistics recompute iid, hetero or one-way clustered variances only (fwl-placebo.ts).
  const oneWay = vc.type === "cluster" && vc.vars.length === 1 && !vc.vars[0].includes("^");
  if (o.tStats && !(vc.type === "iid" || vc.type === "hetero" || oneWay)) {
    throw new DidwasmError("BAD_OPTION", `t-statistic draws support iid, hetero and one-way clustered variances (on one column), not ${vcovLabel(vc)}`);
  }
  const model: PlaceboModel = buildPlaceboModel(engine, {
    y: sampleValues(frame, prepared.groups[0].outcomes[0], rows, "outcome"),
    others, unitOfRow: units.ids, timeOfRow, fixef: sample.fixef, weights: sample.weights,
    tol: prepared.common.tol, maxIter: prepared.common.maxIter,
    variance: vc.type === "iid" || vc.type === "hetero" || oneWay ? {
      type: vc.type as "iid" | "hetero" | "cluster", dofK: trueFit.dofK, cluster: vc.type === "cluster" ? clusterGroups(frame, vc.vars[0], rows, o.unit, units) : null,
      adj: prepared.common.ssc.adj, clusterAdj: prepared.common.ssc.clusterAdj,
    } : null,
  });
  return { options: o, engine, estimate, se, reps, variant, space, model, twoWay: twoWayPlacebo(engine, model), shifts: null, notes };
}

/** The draws' cluster groups: the units' own encoding when clustering by the unit (the usual case), the
 *  same ids groupIds would compute again, else that column's. */
function clusterGroups(frame: ReturnType<typeof toFrame>, name: string, rows: Int32Array, unit: string, units: Groups): Groups {
  return name === unit ? units : groupIds(frame, name, rows);
}

/** Draws of replicates [from, to): coefficient (and t statistic) of the fake treatment. */
export function placeboDraws(p: PreparedPlacebo, from: number, to: number): Float64Array[] {
  const o = p.options;
  const kind = o.kind as "space" | "mixed";
  const variant = p.variant ?? 1;
  const withT = o.tStats ?? false;
  if (p.twoWay && !withT) return [twoWayDraws(p, kind, variant, from, to)];
  const fakes = fakeCohortRange(p.engine, p.space!, kind, variant, o.seed, from, to - from);
  const { coef, t } = placeboCoefficients(p.engine, p.model!, fakes, withT, p.twoWay);
  return t ? [coef, t] : [coef];
}

/** Draws per pair of kernel calls: the fake cohorts of a chunk (chunk x units doubles) stay small enough to
 *  reuse memory the engine already has, where a whole run's block would grow it (and fault its new pages in). */
const DRAW_CHUNK = 128;

/** placeboDraws on the unit x period tables: each chunk of draws in two kernel calls (the fake cohorts,
 *  then the coefficients), the fake cohorts never leaving the engine's memory. */
function twoWayDraws(p: PreparedPlacebo, kind: "space" | "mixed", variant: 1 | 2 | 3, from: number, to: number): Float64Array {
  const count = to - from;
  const coef = new Float64Array(count);
  const a = p.engine.backend.arena();
  try {
    const chunk = Math.max(1, Math.min(DRAW_CHUNK, count));
    const cohorts = a.f64(chunk * p.twoWay!.U, false);
    const out = a.f64(chunk, false);
    const write = fakeCohortWriter(p.engine, a, p.space!, kind, variant, p.options.seed);
    const solve = twoWaySolver(p.engine, a, p.twoWay!, p.model!.ZtZinv, p.model!.k);
    for (let s = 0; s < count; s += chunk) {
      const c = Math.min(chunk, count - s);
      write(from + s, c, cohorts);
      solve(cohorts, c, out);
      coef.set(out.view.subarray(0, c), s);
    }
    return coef;
  } finally {
    a.release();
  }
}

/** A worker's start (a runtime, the library and the kernels: about 0.1 s) in the multiply-adds of draws. */
const WORKER_START_WORK = 1e8;
/** Passes over the rows and columns that preparing the model takes (the true fit, the demeaning, the tables). */
const PREPARE_PASSES = 20;

/**
 * Whether the draws of a prepared run are worth worker threads, by the size of the work: each worker
 * prepares the model again and must be started. On the unit x period tables a draw costs its treated
 * units times (2 periods + columns) and a period block solve, whatever the number of rows, so a panel's
 * draws usually cost less than one worker's start (the bundled panel's 500 draws: about 2 million
 * multiply-adds, a millisecond). Draws that pass over the rows (the general path, t statistics) are left
 * to the callers' rows x draws rule.
 */
export function drawsRepayWorkers(p: PreparedPlacebo): boolean {
  const t = p.twoWay;
  if (!t || p.options.tStats || !p.space || !p.model) return true;
  let treated = 0;
  for (const c of p.space.cohorts) if (Number.isFinite(c)) treated++;
  const drawWork = p.reps * (treated * (2 * t.P + t.K1) + t.P * t.P);
  return drawWork > WORKER_START_WORK + PREPARE_PASSES * p.model.n * t.K1;
}

/** What assembling needs of a prepared run: plain data, so partial results can carry it (commands/partial/). */
export type PlaceboSummary = Pick<PreparedPlacebo, "options" | "estimate" | "se" | "reps" | "variant" | "shifts" | "notes">;

export function placeboSummary(p: PreparedPlacebo): PlaceboSummary {
  const { engine: _e, ...options } = p.options;
  return { options, estimate: p.estimate, se: p.se, reps: p.reps, variant: p.variant, shifts: p.shifts, notes: [...p.notes] };
}

/** The result from the prepared model and all draws (coefficients, then t statistics when asked). */
export function assemblePlacebo(p: PlaceboSummary, draws: readonly Float64Array[] | null): PlaceboResult {
  const o = p.options;
  const { estimate, se, notes, variant } = p;
  const base = { kind: o.kind, variant, estimate, std_error: se, statistic: estimate / se, seed: o.seed };
  if (!draws) {
    const shifts = p.shifts!;
    return {
      ...base, reps: shifts.length, draws: null, tDraws: null, tShares: null, shifts, notes,
      toJSON() {
        return { kind: o.kind, estimate, std_error: se, reps: shifts.length, shifts, keep_post: o.keepPost ?? false, notes };
      },
    };
  }
  const [coef, t = null] = draws;
  const reps = p.reps;
  const valid = coef.filter((v) => Number.isFinite(v));
  if (valid.length < coef.length) notes.push(warning("draws_left_out", `${coef.length - valid.length} draw(s) gave a fake treatment collinear with the fixed effects and were left out`));
  const shares = tailShares(valid, estimate);
  const tShares = t ? tailShares(t.filter(Number.isFinite), estimate / se) : null;
  return {
    ...base, reps, draws: valid, tDraws: t, tShares, shifts: null, notes, ...shares,
    toJSON() {
      return {
        kind: o.kind, variant, estimate, std_error: se, statistic: estimate / se, reps, seed: o.seed, ...shares,
        draws: Array.from(valid),
        ...(t ? { t_draws: Array.from(t), t_p_left: tShares!.p_left, t_p_right: tShares!.p_right, t_p_two: tShares!.p_two } : {}),
        notes,
      };
    },
  };
}

export function placebo(data: DataInput, o: PlaceboOptions): PlaceboResult {
  const p = preparePlacebo(data, o);
  return assemblePlacebo(p, p.model ? placeboDraws(p, 0, p.reps) : null);
}
