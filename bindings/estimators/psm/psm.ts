// PSM-DID: propensity-score matching of units, then the DID on the matched units' panel.
//   1. unit table: ever-treated vs never-treated units, covariates averaged over the pre period
//      (pre-period.ts);
//   2. propensity score: logit of treatment status on the averages (logit-core.ts), score = fitted
//      probability (MatchIt's distance = "glm");
//   3. optional common support (matching.ts), then matching on the score (matching.ts; defaults as
//      psmatch2 and MatchIt's nearest: 1 neighbour, with replacement, no caliper);
//   4. balance table in the manner of pstest (balance.ts);
//   5. the DID on the matched panel, weighted (weights.ts, did.ts).
import { toFrame, type DataInput } from "../../data/columns.js";
import { info, warning, type Note } from "../../notes.js";
import type { BackendName } from "../../engine/backend.js";
import { defaultEngine, type Engine } from "../../engine/engine.js";
import { DidwasmError } from "../../errors.js";
import type { Fit } from "../fit.js";
import { LOGIT_MAX_ITER, LOGIT_TOL, runLogit } from "../logit-core.js";
import { LogitResult } from "../logit.js";
import { balanceTable, type BalanceRow, type BalanceSummary } from "./balance.js";
import { didFormula, matchedDid } from "./did.js";
import { commonSupport, matchOnScore, type KernelType, type MatchMethod, type Matching } from "./matching.js";
import { preperiodTable, type UnitTable } from "./pre-period.js";
import { didUnitWeights, type DidWeighting } from "./weights.js";

/** psmatch2's default kernel bandwidth. */
export const DEFAULT_BANDWIDTH = 0.06;

export interface PsmOptions {
  readonly unit: string;
  readonly time: string;
  readonly cohort: string;
  readonly covariates: readonly string[];
  /** Inclusive pre period [lo, hi]; default every period before the first adoption. */
  readonly pre?: readonly [number, number] | null;
  readonly never?: number | string | null;
  readonly method?: MatchMethod;
  readonly neighbors?: number;
  readonly replace?: boolean;
  readonly caliper?: number | null;
  readonly kernel?: KernelType;
  readonly bandwidth?: number;
  /** Drop treated units outside the controls' score range before matching. Default false. */
  readonly common?: boolean;
  /** Outcome for the default DID formula `y ~ treat_post | unit + time`. */
  readonly y?: string | null;
  /** Controls added to the default DID formula. */
  readonly controls?: readonly string[] | null;
  /** DID formula (fixest syntax) on the matched panel; overrides y. */
  readonly formula?: string | null;
  readonly vcov?: string | null;
  readonly didWeights?: DidWeighting;
  /** "matchit-4.5.1" reproduces MatchIt 4.5.1-4.5.3's nearest-neighbour matches, whose distances are
   *  truncated to whole numbers (see matching.ts); default null: true nearest neighbours. */
  readonly compat?: "matchit-4.5.1" | null;
  /** Demeaning tolerance and sweeps of the DID. */
  readonly tol?: number;
  readonly maxIter?: number;
  readonly backend?: BackendName;
  readonly engine?: Engine;
}

interface ResolvedMatch {
  method: MatchMethod;
  neighbors: number;
  replace: boolean;
  caliper: number | null;
  kernel: KernelType;
  bandwidth: number;
  common: boolean;
  didWeights: DidWeighting;
  compat: "matchit-4.5.1" | null;
}

function resolve(o: PsmOptions): ResolvedMatch {
  const method = o.method ?? "nearest";
  if (!["nearest", "radius", "kernel"].includes(method)) throw new DidwasmError("BAD_OPTION", `--method must be nearest, radius or kernel, got "${method}"`);
  const neighbors = o.neighbors ?? 1;
  if (!(Number.isInteger(neighbors) && neighbors >= 1)) throw new DidwasmError("BAD_OPTION", `--neighbors must be a positive whole number, got ${neighbors}`);
  const caliper = o.caliper ?? null;
  if (caliper !== null && !(caliper > 0 && Number.isFinite(caliper))) throw new DidwasmError("BAD_OPTION", `--caliper must be a positive number, got ${caliper}`);
  if (method === "radius" && caliper === null) throw new DidwasmError("BAD_OPTION", "radius matching needs --caliper C: the radius on the propensity score");
  const bandwidth = o.bandwidth ?? DEFAULT_BANDWIDTH;
  if (!(bandwidth > 0 && Number.isFinite(bandwidth))) throw new DidwasmError("BAD_OPTION", `--bandwidth must be a positive number, got ${bandwidth}`);
  const kernel = o.kernel ?? "epan";
  if (kernel !== "epan" && kernel !== "normal") throw new DidwasmError("BAD_OPTION", `--kernel must be epan or normal, got "${kernel}"`);
  const replace = o.replace ?? true;
  if (!replace && method !== "nearest") throw new DidwasmError("BAD_OPTION", `--replace false applies to nearest-neighbour matching only (${method} matching always reuses controls)`);
  const didWeights = o.didWeights ?? "count";
  if (!["count", "matchit", "none"].includes(didWeights)) throw new DidwasmError("BAD_OPTION", `--did-weights must be count, matchit or none, got "${didWeights}"`);
  const compat = o.compat ?? null;
  if (compat !== null && compat !== "matchit-4.5.1") throw new DidwasmError("BAD_OPTION", `--compat must be matchit-4.5.1, got "${compat}"`);
  if (compat !== null && method !== "nearest") throw new DidwasmError("BAD_OPTION", "--compat matchit-4.5.1 applies to nearest-neighbour matching only");
  return { method, neighbors, replace, caliper, kernel, bandwidth, common: o.common ?? false, didWeights, compat };
}

export interface PsmFields {
  readonly options: Readonly<ResolvedMatch>;
  readonly table: UnitTable;
  readonly covariates: readonly string[];
  readonly logit: LogitResult;
  /** Propensity score per unit of the table (NaN outside the logit sample). */
  readonly score: Float64Array;
  /** Per unit: 1 = in the logit (matching) sample. */
  readonly inSample: Uint8Array;
  readonly matching: Matching;
  readonly matchedTreated: number;
  readonly matchedControls: number;
  readonly offSupport: number;
  readonly balance: readonly BalanceRow[];
  readonly balanceSummary: BalanceSummary;
  /** DID weight per unit of the table. */
  readonly unitWeights: Float64Array;
  readonly did: Fit | null;
  readonly didFormula: string | null;
  readonly notes: readonly Note[];
}

/** The immutable result of psm(); the fields are those of PsmFields. */
export class PsmResult {
  readonly fields: PsmFields;
  constructor(f: PsmFields) {
    this.fields = Object.freeze({ ...f });
    Object.freeze(this);
  }
  get logit(): LogitResult {
    return this.fields.logit;
  }
  get did(): Fit | null {
    return this.fields.did;
  }
  get balance(): readonly BalanceRow[] {
    return this.fields.balance;
  }
  get matchedTreated(): number {
    return this.fields.matchedTreated;
  }
  get matchedControls(): number {
    return this.fields.matchedControls;
  }
  get notes(): readonly Note[] {
    return this.fields.notes;
  }

  /** Matched pairs with unit ids. */
  pairs(): Array<{ unit: number | string; match: number | string; weight: number; distance: number }> {
    const ids = this.fields.table.ids;
    return this.fields.matching.pairs.map((p) => ({ unit: ids[p.treated], match: ids[p.control], weight: p.weight, distance: p.distance }));
  }

  toJSON(): Record<string, unknown> {
    const f = this.fields;
    const o = f.options;
    let treated = 0;
    let controls = 0;
    for (let u = 0; u < f.inSample.length; u++) if (f.inSample[u]) f.table.treated[u] ? treated++ : controls++;
    return {
      model: "psm",
      method: o.method,
      ...(o.method === "nearest" ? { neighbors: o.neighbors, replace: o.replace } : {}),
      ...(o.method === "kernel" ? { kernel: o.kernel, bandwidth: o.bandwidth } : {}),
      caliper: o.caliper,
      common_support: o.common,
      ...(o.compat ? { compat: o.compat } : {}),
      pre: [...f.table.pre],
      covariates: [...f.covariates],
      units: { treated, controls, left_out: f.table.ids.length - treated - controls },
      logit: f.logit.toJSON(),
      matched_treated: f.matchedTreated,
      matched_controls: f.matchedControls,
      unmatched_treated: f.matching.unmatched,
      off_support: f.offSupport,
      pairs: this.pairs(),
      balance: f.balance.map((r) => ({ ...r })),
      balance_summary: { ...f.balanceSummary },
      did_weights: o.didWeights,
      did: f.did ? f.did.toJSON() : null,
      notes: [...f.notes],
    };
  }
}

export function psm(data: DataInput, options: PsmOptions): PsmResult {
  const o = resolve(options);
  const frame = toFrame(data);
  const covariates = [...options.covariates];
  const table = preperiodTable(frame, {
    unit: options.unit, time: options.time, cohort: options.cohort, covariates, pre: options.pre ?? null, never: options.never ?? null,
  });
  const notes = [...table.notes];
  const U = table.ids.length;

  // Propensity score on the units with complete pre-period covariates.
  const members: number[] = [];
  for (let u = 0; u < U; u++) if (table.complete[u]) members.push(u);
  const n = members.length;
  const y = Float64Array.from(members, (u) => table.treated[u]);
  const columns = [new Float64Array(n).fill(1), ...table.X.map((x) => Float64Array.from(members, (u) => x[u]))];
  const engine = options.engine ?? defaultEngine(options.backend ?? "wasm");
  const core = runLogit({
    backend: engine.backend, names: ["(Intercept)", ...covariates], columns, intercept: true, y, weights: null,
    tol: LOGIT_TOL, maxIter: LOGIT_MAX_ITER, outcomeLabel: "treatment status (ever treated)",
  });
  if (!core.converged) notes.push(warning("not_converged", `the propensity-score logit did not converge within ${core.iterations} iterations`));
  if (core.removed.length) notes.push(warning("collinear_removed", `covariate(s) collinear with the others left out of the propensity score: ${core.removed.join(", ")}`));
  const logit = new LogitResult({ formula: `treated ~ ${covariates.join(" + ")}`, outcome: "treated", core, notes: [] });
  const score = new Float64Array(U).fill(NaN);
  const inSample = new Uint8Array(U);
  members.forEach((u, i) => {
    score[u] = core.fitted[i];
    inSample[u] = 1;
  });

  // Common support, then matching.
  let eligible: Uint8Array = inSample;
  let offSupport = 0;
  if (o.common) {
    const cs = commonSupport(score, table.treated, inSample);
    eligible = cs.eligible;
    offSupport = cs.offSupport;
    if (offSupport) notes.push(info("data", `${offSupport} treated unit(s) outside the controls' score range dropped (common support)`));
  }
  const matching = matchOnScore(score, table.treated, eligible, o);
  let matchedTreated = 0;
  let matchedControls = 0;
  let eligibleTreated = 0;
  for (let u = 0; u < U; u++) {
    matchedTreated += matching.treatedMatched[u];
    if (matching.controlWeight[u] > 0) matchedControls++;
    if (eligible[u] && table.treated[u]) eligibleTreated++;
  }
  const why = o.method === "kernel" ? `no control with positive kernel weight (bandwidth ${o.bandwidth}${o.caliper !== null ? `, caliper ${o.caliper}` : ""})` : o.caliper !== null ? `no control within the caliper ${o.caliper}` : "no unused control left";
  if (matchedTreated === 0) {
    throw new DidwasmError("NO_MATCHES", `no treated unit could be matched: all ${eligibleTreated} have ${why}; widen the caliper or bandwidth`, {
      treated: eligibleTreated,
    });
  }
  if (matching.unmatched) notes.push(warning("unmatched", `${matching.unmatched} of ${eligibleTreated} treated unit(s) dropped: ${why}`));

  const bal = balanceTable(covariates, table.X, inSample, table.treated, matching.treatedMatched, matching.controlWeight);
  const unitWeights = didUnitWeights(matching.treatedMatched, matching.controlWeight, o.didWeights);

  const didSpec = {
    unit: options.unit, time: options.time, y: options.y, controls: options.controls, formula: options.formula, vcov: options.vcov, tol: options.tol, maxIter: options.maxIter,
    backend: options.backend, engine: options.engine,
  };
  let did: Fit | null = null;
  const formula = didFormula(didSpec);
  if (formula) {
    const r = matchedDid(frame, table, unitWeights, didSpec);
    did = r.fit;
    notes.push(...r.notes);
  } else notes.push(info("method", "no DID estimated: give --y Y (or --formula F) for the regression on the matched panel"));

  return new PsmResult({
    options: o, table, covariates, logit, score, inSample, matching, matchedTreated, matchedControls, offSupport, balance: bal.rows,
    balanceSummary: bal.summary, unitWeights, did, didFormula: formula, notes,
  });
}
