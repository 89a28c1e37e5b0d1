// Resampling inference for one coefficient of a feols model, as `didwasm boot`:
//   wild   the wild cluster bootstrap (boottest / fwildclusterboot): restricted (the null imposed, default)
//          or unrestricted, CRV1 t statistics, symmetric and equal-tailed p-values, the confidence interval
//          by test inversion; Rademacher (enumerated exactly when 2^G <= reps), Webb, Mammen or normal weights.
//          wild-fast.ts (cluster-level algebra), assembly/resample.ts (the replicate loop), test-inversion.ts.
//   pairs  the cluster (pairs) bootstrap: bootstrap standard error, percentile interval, and the p-value of
//          the t test with the bootstrap standard error (t(G - 1)). pairs.ts.
//   ri     randomization inference: the tested regressor's values permuted across clusters (whole cluster
//          paths) or observations; p = share of |b*| >= |b_hat - r|. randomization.ts.
// The null hypothesis is b_C = r (option `null`, default 0). Replicate r draws from PRNG stream (seed, r), so
// seeded runs are the same on both backends (for normal weights: per backend; see weights.ts).
import { toFrame, type DataInput } from "../data/columns.js";
import { info, warning, type Note } from "../notes.js";
import { DidwasmError, nearestName } from "../errors.js";
import { fitDesign } from "../estimators/fit-design.js";
import type { Fit } from "../estimators/fit.js";
import { prepareModel, type FeolsOptions } from "../estimators/feols.js";
import { refuseVaryingSlopes } from "../estimators/slopes-demean.js";
import { groupIds, type Groups } from "../model/groups.js";
import { sampleValues } from "../model/sample.js";
import { assembleBoot, type BootMethod, type BootResult, type BootSummary } from "./boot-result.js";
import { buildClusterDesign } from "./cluster-design.js";
import { pairsCrossproducts, pairsDrawsRange } from "./pairs.js";
import { prepareRandomization, randomizationRange } from "./randomization.js";
import { checkSeed } from "./subset-fit.js";
import { checkWeights, weightCode, type WildWeights } from "./weights.js";
import { enumerationPlan } from "./wild-enumerate.js";
import { buildWildModel, wildDrawsRange } from "./wild-fast.js";

export type { BootMethod, BootResult, BootSummary } from "./boot-result.js";

/** More replicates than this add no precision worth the time (a p-value's Monte Carlo error at 10^6
 *  draws is below 0.0005). */
export const MAX_BOOT_REPLICATES = 1_000_000;
export const DEFAULT_BOOT_REPLICATES = 9999;

export const BOOT_METHODS: readonly BootMethod[] = ["wild", "pairs", "ri"];

export interface BootOptions extends Omit<FeolsOptions, "rowFilter" | "vcov"> {
  readonly formula: string;
  /** The tested coefficient. */
  readonly coef: string;
  /** Cluster variable: required for wild and pairs; for ri, whole clusters are permuted. */
  readonly cluster?: string | null;
  readonly method?: BootMethod;
  /** Wild bootstrap weight distribution (default rademacher). */
  readonly weightType?: WildWeights;
  /** Wild bootstrap: impose the null on the residuals (WCR, default) or not (WCU). */
  readonly imposeNull?: boolean;
  /** The null value r of H0: b_C = r (default 0). */
  readonly null?: number;
  readonly reps?: number;
  readonly seed: number;
  /** Wild bootstrap: enumerate all 2^G Rademacher sign vectors (automatic when 2^G <= reps). */
  readonly enumerate?: boolean;
  /** Level of the test-inversion interval is 1 - alpha (default 0.05). */
  readonly alpha?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

function checkOptions(o: BootOptions): { method: BootMethod; reps: number; alpha: number; r0: number; weights: WildWeights } {
  const method = o.method ?? "wild";
  if (!BOOT_METHODS.includes(method)) throw new DidwasmError("BAD_OPTION", `method must be one of ${BOOT_METHODS.join(", ")}, got "${method}"`);
  const reps = o.reps ?? DEFAULT_BOOT_REPLICATES;
  if (!Number.isInteger(reps) || reps < 1) throw new DidwasmError("BAD_OPTION", `reps must be a positive whole number, got ${reps}`);
  if (reps > MAX_BOOT_REPLICATES) {
    throw new DidwasmError("BAD_OPTION", `reps = ${reps} is more than ${MAX_BOOT_REPLICATES.toLocaleString("en-US")} replicates: that many adds no precision worth the time`);
  }
  checkSeed(o.seed);
  const alpha = o.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new DidwasmError("BAD_OPTION", `alpha must be between 0 and 1, got ${alpha}`);
  const r0 = o.null ?? 0;
  if (!Number.isFinite(r0)) throw new DidwasmError("BAD_OPTION", `the null value must be a finite number, got ${r0}`);
  const weights = checkWeights(o.weightType ?? "rademacher");
  if (method !== "wild" && o.enumerate) throw new DidwasmError("BAD_OPTION", "enumeration applies to the wild bootstrap only");
  if (method !== "ri" && !o.cluster) {
    throw new DidwasmError("BAD_OPTION", `the ${method === "wild" ? "wild cluster" : "pairs cluster"} bootstrap needs a cluster variable (cluster / --cluster)`);
  }
  if (o.cluster && /[+,]/.test(o.cluster)) {
    throw new DidwasmError("BAD_OPTION", `boot resamples clusters of one variable; "${o.cluster}" names several (multiway clustering is not supported here)`);
  }
  return { method, reps, alpha, r0, weights };
}

function fitOptions(o: BootOptions): Omit<FeolsOptions, "vcov"> {
  const { formula: _f, coef: _c, cluster: _cl, method: _m, weightType: _w, imposeNull: _i, null: _n, reps: _r, seed: _s, enumerate: _e, alpha: _a, onProgress: _p, ...rest } = o;
  return rest;
}

function coefficientIndex(fit: Fit, name: string): number {
  const i = fit.coefNames.indexOf(name);
  if (i >= 0) return i;
  if (fit.removed.includes(name)) {
    throw new DidwasmError("UNKNOWN_COEFFICIENT", `coefficient "${name}" was removed from the model as collinear: there is nothing to test`, { coefficient: name });
  }
  const near = nearestName(name, fit.coefNames);
  throw new DidwasmError(
    "UNKNOWN_COEFFICIENT",
    `"${name}" is not a coefficient of the model${near ? ` (did you mean "${near}"?)` : ""}; coefficients: ${fit.coefNames.join(", ")}`,
    { coefficient: name },
  );
}

/** A boot run prepared once (on every machine of a split run): what the result needs besides the draws,
 *  and the draws of any range of replicates. */
export interface PreparedBoot {
  readonly summary: BootSummary;
  /** Draws of replicates [from, to): wild [t*, moments (5 per replicate)], pairs and ri [b*]. */
  draws(from: number, to: number, onProgress?: (done: number, total: number) => void): Float64Array[];
}

export function prepareBoot(data: DataInput, o: BootOptions): PreparedBoot {
  const { method, reps, alpha, r0, weights } = checkOptions(o);
  const frame = toFrame(data);
  const vcov = o.cluster ? `cluster:${o.cluster}` : "hetero";
  const prepared = prepareModel(frame, o.formula, { ...fitOptions(o), vcov });
  if (prepared.formula.outcomes.length !== 1) {
    throw new DidwasmError("MULTIPLE_OUTCOMES", `the formula has ${prepared.formula.outcomes.length} outcomes: boot tests one coefficient of one model`);
  }
  const { sample, design } = prepared.groups[0];
  refuseVaryingSlopes(sample.fixef, "boot");
  const outcome = prepared.formula.outcomes[0];
  // The prepared frame: it holds the formula's transforms (log(y) ~ ...).
  const y = sampleValues(prepared.frame, outcome, sample.rows, "outcome");
  const [fit] = fitDesign({ frame: prepared.frame, label: o.formula, outcomes: [{ name: outcome, values: y }], sample, design, common: prepared.common });
  const cIdx = coefficientIndex(fit, o.coef);
  const regressors = fit.coefNames.map((nm) => design.columns[design.names.indexOf(nm)]);
  const cl: Groups | null = o.cluster ? groupIds(frame, o.cluster, sample.rows) : null;
  const n = sample.rows.length;
  const engine = prepared.common.engine;
  const ssc = prepared.common.ssc;
  const notes: Note[] = [];
  const { engine: _e, onProgress: _p, ...reported } = o;
  const base = {
    options: reported, method, reps, alpha, r0, weights: null, enumerated: false, estimate: fit.coef(o.coef), stdError: fit.se(o.coef), nobs: n,
    clusters: cl ? cl.G : null, notes, wild: null, riEstimate: null,
  };

  if (method === "wild" || method === "pairs") {
    const G = cl!.G;
    const factor = (ssc.clusterAdj ? G / (G - 1) : 1) * (ssc.adj ? (n - 1) / (n - fit.dofK) : 1);
    const arena = engine.backend.arena();
    let model;
    let pairs;
    let expanded: readonly string[] = [];
    try {
      const d = buildClusterDesign(engine.backend, arena, {
        y, regressors, names: fit.coefNames, fixef: sample.fixef, weights: sample.weights, cluster: cl!, clusterName: o.cluster!,
        tol: prepared.common.tol, maxIter: prepared.common.maxIter,
      });
      expanded = d.expanded;
      if (method === "wild") model = buildWildModel(engine.backend, arena, d, cl!, sample.weights, cIdx, factor, r0, o.imposeNull ?? true);
      else pairs = pairsCrossproducts(d, cl!, sample.weights);
    } finally {
      arena.release();
    }
    for (const fe of expanded) notes.push(info("not_nested", `fixed effect "${fe}" is not nested within the clusters: the bootstrap carries it as dummy regressors`));
    if (method === "pairs") {
      const pc = pairs!;
      return { summary: base, draws: (from, to, onProgress) => [pairsDrawsRange(pc, cIdx, o.seed, from, to, onProgress)] };
    }
    const m = model!;
    const plan = enumerationPlan(G, reps, weights, o.enumerate ?? false);
    if (plan.note) notes.push(info("method", plan.note));
    if (G < 12 && !plan.enumerate) notes.push(warning("few_clusters", `only ${G} clusters: the wild bootstrap distribution has at most ${2 ** G} distinct Rademacher draws`));
    const kind = weightCode(weights, plan.enumerate);
    return {
      summary: {
        ...base, reps: plan.reps, weights: plan.enumerate ? "rademacher" : weights, enumerated: plan.enumerate, wild: { estimate: m.estimate, se: m.se, factor: m.factor },
      },
      draws: (from, to, onProgress) => {
        const dr = wildDrawsRange(engine, m, kind, o.seed, from, to, onProgress);
        return [dr.t, dr.moments];
      },
    };
  }
  if (!frame.has(o.coef)) {
    throw new DidwasmError("BAD_OPTION", `randomization inference permutes a data column, and "${o.coef}" is a constructed regressor (interaction or factor level), not a column`);
  }
  const d = sampleValues(frame, o.coef, sample.rows, "regressor");
  const col = regressors[cIdx];
  for (let i = 0; i < n; i++) {
    if (d[i] !== col[i]) throw new DidwasmError("BAD_OPTION", `randomization inference permutes column "${o.coef}", which does not enter the model as it is`);
  }
  const ri = prepareRandomization(engine, {
    y, d, others: regressors.filter((_, j) => j !== cIdx), fixef: sample.fixef, weights: sample.weights, cluster: cl,
    tol: prepared.common.tol, maxIter: prepared.common.maxIter, r0,
  });
  return { summary: { ...base, riEstimate: ri.estimate }, draws: (from, to, onProgress) => [randomizationRange(engine, ri, o.seed, from, to, onProgress)] };
}

export function boot(data: DataInput, o: BootOptions): BootResult {
  const p = prepareBoot(data, o);
  return assembleBoot(p.summary, p.draws(0, p.summary.reps, o.onProgress));
}
