// Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens and Wager 2021), with the
// synthdid R package's weights (synthdid-block.ts, synthdid-solver.ts), Stata sdid's staggered designs
// (synthdid-design.ts) and the package's placebo, bootstrap and fixed-weights jackknife standard errors
// (synthdid-variance.ts). Also the synthetic control and DID estimates synthdid offers (`method`).
// A static estimator: one ATT, no event-time rows (and so no event_vcov).
// Runs in three steps so resampling can be split over workers or machines: prepare (the estimate and
// everything the replicates need), draws(from, to), assemble (summary + draws -> result).
import { toFrame, type DataInput } from "../../data/columns.js";
import type { Frame } from "../../data/frame.js";
import type { BackendName } from "../../engine/backend.js";
import { defaultEngine, type Engine } from "../../engine/engine.js";
import { DidwasmError } from "../../errors.js";
import { info, warning, type Note } from "../../notes.js";
import { normalCdf, normalQuantile } from "../../stats/distributions.js";
import { checkReps, checkSeed } from "../../resampling/subset-fit.js";
import type { ThreadsOption } from "../thread-choice.js";
import { covariateAdjustment } from "./synthdid-covariates.js";
import { gapSeries, type SynthMethod } from "./synthdid-block.js";
import { GramWorkspace } from "./synthdid-gram-fw.js";
import { designOf, fitDesign, type Design, type DesignFit } from "./synthdid-design.js";
import { widePanel, type WidePanel } from "./synthdid-panel.js";
import { bootstrapDraw, drawSe, jackknifeSe, placeboDraw, replicateContext, vcovRefusal, type ReplicateContext, type SynthVcov } from "./synthdid-variance.js";

export const SYNTH_METHODS = ["sdid", "sc", "did"] as const;
export const SYNTH_VCOVS = ["placebo", "bootstrap", "jackknife"] as const;
/** synthdid's default number of replications. */
export const DEFAULT_SYNTH_REPS = 200;

export interface SynthdidOptions {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  /** 0/1 treatment, on from the unit's adoption period (absorbing). */
  readonly treat: string;
  readonly method?: SynthMethod;
  readonly vcov?: SynthVcov;
  /** Placebo or bootstrap replicates. */
  readonly reps?: number;
  readonly seed?: number;
  /** Time-varying covariates, projected out first (Stata sdid's covariates(, projected)). */
  readonly controls?: readonly string[];
  readonly subset?: string | null;
  /** Threads of the covariate regression's demeaning (with controls; thread-choice.ts): default "auto". */
  readonly threads?: ThreadsOption;
  /** The engine the unit weights' Frank-Wolfe passes run on (default: the shared engine of `backend`). */
  readonly engine?: Engine;
  readonly backend?: BackendName;
}

export interface WeightRow {
  readonly unit: string;
  readonly weight: number;
}

export interface CohortResult {
  /** First treated period. */
  readonly adoption: number;
  readonly treated_units: number;
  readonly pre_periods: number;
  readonly post_periods: number;
  readonly estimate: number;
  /** Its weight in the ATT (share of treated cells). */
  readonly share: number;
  readonly noise_level: number;
  readonly zeta_omega: number;
  readonly zeta_lambda: number;
  readonly iterations: number;
  /** Control units with nonzero weight, largest first. */
  readonly unit_weights: readonly WeightRow[];
  readonly zero_weight_units: number;
  /** Pre-periods' weights (all of them, in period order). */
  readonly time_weights: readonly { readonly period: number; readonly weight: number }[];
  /** Treated mean and its synthetic counterpart (omega-weighted controls shifted by the lambda-weighted
   *  pre-period gap), per period: their post-period difference averages to the estimate. */
  readonly trajectory: readonly { readonly period: number; readonly treated: number; readonly synthetic: number }[];
}

/** Everything assembling needs, as plain data (it crosses to partial results as JSON). */
export interface SynthdidSummary {
  readonly outcome: string;
  readonly method: SynthMethod;
  readonly vcov: SynthVcov;
  readonly reps: number;
  readonly seed: number | null;
  readonly estimate: number;
  readonly nobs: number;
  readonly units: number;
  readonly controlUnits: number;
  readonly treatedUnits: number;
  readonly periods: number;
  readonly cohorts: readonly CohortResult[];
  readonly controls: readonly string[];
  readonly covariateCoefficients: Readonly<Record<string, number>>;
  readonly jackknifeSe: number | null;
  readonly notes: readonly Note[];
}

export interface SynthdidResult extends SynthdidSummary {
  readonly std_error: number;
  readonly statistic: number;
  readonly p_value: number;
  readonly conf_low: number;
  readonly conf_high: number;
  readonly draws: Float64Array | null;
  toJSON(): Record<string, unknown>;
}

export interface PreparedSynthdid {
  readonly summary: SynthdidSummary;
  /** Replicates [from, to): one estimate each. */
  draws(from: number, to: number): Float64Array[];
  /** Frees the engine buffers the replicates reuse (call once no more draws are wanted). */
  release(): void;
}

function cohortResult(panel: WidePanel, design: Design, fit: DesignFit, k: number): CohortResult {
  const c = design.cohorts[k];
  const b = fit.blocks[k];
  const weights: WeightRow[] = [];
  design.controls.forEach((u, j) => {
    if (b.omega[j] !== 0) weights.push({ unit: panel.units[u], weight: b.omega[j] });
  });
  weights.sort((a, z) => z.weight - a.weight);
  const gap = gapSeries(panel, { controls: design.controls, treated: c.treated, T0: c.T0 }, b.omega);
  let offset = 0;
  for (let t = 0; t < c.T0; t++) offset += b.lambda[t] * gap[t];
  const T = panel.T;
  // the treated mean, accumulated unit by unit along rows (the panel is row-major)
  const treated = new Float64Array(T);
  for (const u of c.treated) for (let t = 0; t < T; t++) treated[t] += panel.Y[u * T + t] / c.treated.length;
  const trajectory = panel.periods.map((period, t) => ({ period, treated: treated[t], synthetic: treated[t] - gap[t] + offset }));
  return {
    adoption: panel.periods[c.T0], treated_units: c.treated.length, pre_periods: c.T0, post_periods: T - c.T0,
    estimate: b.tau, share: fit.shares[k], noise_level: b.tuning.noise, zeta_omega: b.tuning.zetaOmega, zeta_lambda: b.tuning.zetaLambda,
    iterations: b.iterations, unit_weights: weights, zero_weight_units: design.controls.length - weights.length,
    time_weights: Array.from(b.lambda, (weight, t) => ({ period: panel.periods[t], weight })), trajectory,
  };
}

function checkOptions(o: SynthdidOptions): { method: SynthMethod; vcov: SynthVcov; reps: number } {
  const method = o.method ?? "sdid";
  if (!SYNTH_METHODS.includes(method)) throw new DidwasmError("BAD_OPTION", `method must be sdid, sc or did, got "${method}"`, { option: "method" });
  const vcov = o.vcov ?? "placebo";
  if (!SYNTH_VCOVS.includes(vcov)) throw new DidwasmError("BAD_OPTION", `vcov must be placebo, bootstrap or jackknife, got "${vcov}"`, { option: "vcov" });
  const reps = vcov === "jackknife" ? 0 : (o.reps ?? DEFAULT_SYNTH_REPS);
  if (o.threads !== undefined && !o.controls?.length) {
    throw new DidwasmError("BAD_OPTION", "threads applies with controls only: they set the threads of the covariate regression's demeaning (the weights are solved on one thread)", { option: "threads" });
  }
  if (vcov !== "jackknife") {
    checkReps(reps);
    if (o.seed === undefined) throw new DidwasmError("BAD_OPTION", `the ${vcov} standard error needs a seed`, { option: "seed" });
    checkSeed(o.seed);
  }
  return { method, vcov, reps };
}

export function prepareSynthdid(data: DataInput | Frame, o: SynthdidOptions): PreparedSynthdid {
  const frame = toFrame(data);
  const { method, vcov, reps } = checkOptions(o);
  const controls = o.controls ?? [];
  const notes: Note[] = [];
  const adjusted = controls.length ? covariateAdjustment(frame, { y: o.y, unit: o.unit, time: o.time, treat: o.treat, controls, subset: o.subset ?? null, threads: o.threads }) : null;
  if (adjusted) notes.push(...adjusted.notes);
  const panel = widePanel(frame, { y: o.y, unit: o.unit, time: o.time, treat: o.treat, subset: o.subset, adjustment: adjusted?.adjustment });
  const design = designOf(panel.adoption, (k) => `${o.time} ${panel.periods[k]}`);
  const refusal = vcovRefusal(design, vcov);
  if (refusal) throw new DidwasmError("BAD_OPTION", refusal, { option: "vcov" });
  const workspace = method === "did" ? null : new GramWorkspace((o.engine ?? defaultEngine(o.backend ?? "wasm")).backend);
  const fit = fitDesign(panel, design, method, () => ({ workspace: workspace ?? undefined }));
  const ctx: ReplicateContext = replicateContext(panel, design, fit, method, panel.units, workspace);
  if (method === "sc" && vcov === "jackknife") notes.push(info("method", "the jackknife is not recommended for synthetic control (Arkhangelsky et al. 2021, section 5)"));
  if (design.cohorts.length > 1) notes.push(info("method", `staggered adoption: ${design.cohorts.length} cohorts, each estimated on the never-treated units; the ATT weights them by treated cells (as Stata's sdid)`));
  const treatedUnits = design.cohorts.reduce((s, c) => s + c.treated.length, 0);
  const summary: SynthdidSummary = {
    outcome: o.y, method, vcov, reps, seed: vcov === "jackknife" ? null : o.seed!, estimate: fit.att, nobs: panel.nobs,
    units: design.controls.length + treatedUnits, controlUnits: design.controls.length, treatedUnits, periods: panel.T,
    cohorts: design.cohorts.map((_, k) => cohortResult(panel, design, fit, k)), controls: [...controls],
    covariateCoefficients: adjusted ? Object.fromEntries(adjusted.adjustment.names.map((c, j) => [c, adjusted.adjustment.coefficients[j]])) : {}, jackknifeSe: vcov === "jackknife" ? jackknifeSe(ctx) : null, notes,
  };
  const draw = vcov === "placebo" ? placeboDraw : bootstrapDraw;
  return {
    summary,
    draws(from, to) {
      const out = new Float64Array(to - from);
      for (let r = from; r < to; r++) out[r - from] = draw(ctx, o.seed!, r);
      return [out];
    },
    release: () => workspace?.release(),
  };
}

/** The normal 97.5% quantile, computed when a result needs it: at the module's top level it ran at every
 *  import of the library (its Newton steps in V8's interpreter, a few ms per process). */
const z975 = (): number => normalQuantile(0.975);

export function assembleSynthdid(s: SynthdidSummary, draws: readonly Float64Array[] | null): SynthdidResult {
  const d = s.vcov === "jackknife" ? null : draws![0];
  const notes = [...s.notes];
  const finite = d ? d.filter(Number.isFinite) : null;
  if (d && finite!.length < d.length) notes.push(warning("draws_left_out", `${d.length - finite!.length} replicate(s) gave no estimate and were left out`));
  const se = finite ? drawSe(finite) : s.jackknifeSe!;
  const z = s.estimate / se;
  const r = {
    ...s, notes, std_error: se, statistic: z, p_value: 2 * (1 - normalCdf(Math.abs(z))), conf_low: s.estimate - z975() * se, conf_high: s.estimate + z975() * se, draws: finite,
  };
  return {
    ...r,
    toJSON() {
      const name = { sdid: "synthetic difference-in-differences", sc: "synthetic control", did: "difference-in-differences" }[s.method];
      return {
        estimator: `${name} (Arkhangelsky et al. 2021, synthdid's weights)`,
        method: s.method, outcome: s.outcome, design: s.cohorts.length > 1 ? "staggered" : "block",
        nobs: s.nobs, units: s.units, control_units: s.controlUnits, treated_units: s.treatedUnits, periods: s.periods,
        estimate: s.estimate, std_error: se, statistic: z, p_value: r.p_value, conf_low: r.conf_low, conf_high: r.conf_high,
        coefficients: [{ term: "ATT", estimate: s.estimate, std_error: se, statistic: z, p_value: r.p_value, conf_low: r.conf_low, conf_high: r.conf_high }],
        variance: { method: s.vcov, ...(s.vcov === "jackknife" ? { fixed_weights: true } : { reps: s.reps, seed: s.seed, replicates_used: finite!.length }) },
        ...(s.controls.length ? { covariates: { method: "projected", coefficients: s.covariateCoefficients } } : {}),
        cohorts: s.cohorts,
        ...(s.cohorts.length === 1 ? { unit_weights: s.cohorts[0].unit_weights, time_weights: s.cohorts[0].time_weights } : {}),
        ...(finite ? { draws: Array.from(finite) } : {}),
        notes,
      };
    },
  };
}

export function synthdid(data: DataInput | Frame, o: SynthdidOptions): SynthdidResult {
  const p = prepareSynthdid(data, o);
  try {
    return assembleSynthdid(p.summary, p.summary.vcov === "jackknife" ? null : p.draws(0, p.summary.reps));
  } finally {
    p.release();
  }
}
