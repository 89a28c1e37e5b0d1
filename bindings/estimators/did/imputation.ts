// The imputation estimator of Borusyak, Jaravel and Spiess (2024, "Revisiting Event-Study Designs"):
//   1. on the untreated observations, y on unit and period fixed effects (and controls), as did2s's first
//      stage (untreated-first-stage.ts, shared with two-stage.ts);
//   2. each treated observation's effect tau_it = Y_it - Y_it(0) with Y(0) imputed from step 1;
//   3. estimands as weighted averages of these (imputation-targets.ts): the overall ATT and, with
//      `horizons`, one per number of periods since treatment started (tau_h), weights from `wtr`.
// Point estimates equal did2s's (its second stage regresses the same y - Y(0) on the treatment or on
// horizon dummies). Standard errors: the paper's conservative clustered variance (Theorem 3), by default
// in its leave-out form (imputation-variance.ts); `pretrends` adds the paper's pre-trend test
// (imputation-pretrends.ts). Inference on the effects is normal, as did_imputation reports it.
import { toFrame, type DataInput } from "../../data/columns.js";
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import { groupIds } from "../../model/groups.js";
import { warning, type Note } from "../../notes.js";
import { normalCdf, normalQuantile } from "../../stats/distributions.js";
import { resolveCommon, type CommonFitOptions } from "../common-options.js";
import { timingFromTreatment, type Timing } from "./cohorts.js";
import { eventVcovJson, type EventVcovJson } from "./event-vcov.js";
import { pretrendTest, type PretrendTest } from "./imputation-pretrends.js";
import { horizonTargets, overallTarget, parseHorizons, type TargetInput, type Targets } from "./imputation-targets.js";
import { imputationVariance } from "./imputation-variance.js";
import { timingTouchingAhead, withUntreatedFit } from "./untreated-first-stage.js";
import { freshF64, freshI32 } from "../../engine/fresh-arrays.js";

/** Groups within which effects are averaged for the residuals of the variance (did_imputation's avgeffectsby). */
export type AvgEffectsBy = "cohort-time" | "cohort" | "horizon" | "treated";

export interface ImputationOptions extends Omit<CommonFitOptions, "vcov" | "ssc"> {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  /** 0/1 treatment, 1 from the unit's first treated period on (staggered adoption). */
  readonly treat: string;
  readonly controls?: readonly string[];
  /** Event-time effects: "all", "0:5", "0,2" or a list of non-negative whole numbers. */
  readonly horizons?: string | readonly number[] | null;
  /** Column of weights on the treated observations defining the estimand (did_imputation's wtr). */
  readonly wtr?: string | null;
  /** Pre-trend test with this many pre-period dummies. */
  readonly pretrends?: number | null;
  /** Cluster variable (default: the unit). */
  readonly cluster?: string | null;
  /** Leave-out averaging in the variance (default true). */
  readonly leaveOut?: boolean;
  readonly avgEffectsBy?: AvgEffectsBy;
  /** Solve the fixed effects directly when the panel allows (default); false forces sweeps (tests). */
  readonly directFixef?: boolean;
}

export interface ImputationEstimate {
  readonly term: string;
  /** Periods since treatment started (null: the overall ATT). */
  readonly rel_time: number | null;
  readonly estimate: number;
  readonly std_error: number;
  readonly statistic: number;
  readonly p_value: number;
  readonly conf_low: number;
  readonly conf_high: number;
  /** Treated observations it averages (with a nonzero weight). */
  readonly nobs: number;
}

export interface ImputationResult {
  readonly outcome: string;
  readonly overall: ImputationEstimate;
  /** Horizons' effects, in increasing order (empty without `horizons`). */
  readonly event: readonly ImputationEstimate[];
  /** Their covariance (null without `horizons`). */
  readonly eventVcov: EventVcovJson | null;
  readonly pretrends: PretrendTest | null;
  readonly nobs: number;
  readonly treatedObs: number;
  readonly firstStage: { readonly nobs: number; readonly coefficients: Readonly<Record<string, number>>; readonly removed: readonly string[] };
  readonly cluster: { readonly name: string; readonly G: number };
  readonly leaveOut: boolean;
  readonly avgEffectsBy: AvgEffectsBy;
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

/** The normal 97.5% quantile, computed when a result needs it: at the module's top level it ran at every
 *  import of the library (its Newton steps in V8's interpreter, a few ms per process). */
const z975 = (): number => normalQuantile(0.975);

/** The treatment timing, with an error that points treatment switching off to the estimator made for it. */
function absorbingTiming(frame: Frame, o: ImputationOptions): Timing {
  return timingFromTreatment(frame, { unit: o.unit, time: o.time, treat: o.treat, estimator: "The imputation estimator" });
}

function estimateRow(term: string, relTime: number | null, b: number, variance: number, nobs: number): ImputationEstimate {
  const se = Math.sqrt(Math.max(variance, 0));
  const z = b / se;
  return { term, rel_time: relTime, estimate: b, std_error: se, statistic: z, p_value: 2 * (1 - normalCdf(Math.abs(z))), conf_low: b - z975() * se, conf_high: b + z975() * se, nobs };
}

/** The overall ATT from every horizon's effect: weights s_h = total_h / sum of totals. */
function combined(targets: Targets, event: readonly ImputationEstimate[], vcov: Float64Array): ImputationEstimate {
  const K = event.length;
  let sum = 0;
  for (let j = 0; j < K; j++) sum += targets.totals[j];
  const s = Array.from(targets.totals, (t) => t / sum);
  let b = 0;
  let v = 0;
  for (let j = 0; j < K; j++) {
    b += s[j] * event[j].estimate;
    for (let k = 0; k < K; k++) v += s[j] * s[k] * vcov[j * K + k];
  }
  return estimateRow("ATT", null, b, v, event.reduce((n, e) => n + e.nobs, 0));
}

/** Dense-id tables up to this many entries; beyond (thousands of periods), a Map. */
const MAX_TABLE = 4_000_000;

/** Each treated row's averaging group (treatedRows[t]: a sample row), dense from 0, and how to name a group.
 *  Keys are whole numbers made from period positions (no strings or nested maps per row: this runs on
 *  every treated row). */
function averagingGroups(
  by: AvgEffectsBy, treatedRows: Int32Array, periods: readonly number[], cohortOf: (i: number) => number, periodOf: (i: number) => number,
): { group: Int32Array; groups: number; describe: (g: number) => string } {
  const group = freshI32(treatedRows.length);
  if (by === "treated") return { group, groups: 1, describe: () => "the treated observations" };
  const P = periods.length;
  const position = new Map(periods.map((t, k) => [t, k]));
  // horizons are time differences (periods may have gaps), at most the span of the periods
  const size = by === "cohort-time" ? P * P : by === "cohort" ? P : periods[P - 1] - periods[0] + 1;
  const table = size <= MAX_TABLE ? new Int32Array(size).fill(-1) : null;
  const map = table ? null : new Map<number, number>();
  const labels: string[] = [];
  let lastCohort = NaN;
  let ci = 0;
  for (let t = 0; t < treatedRows.length; t++) {
    const i = treatedRows[t];
    const cohort = cohortOf(i);
    const period = periodOf(i);
    if (cohort !== lastCohort) {
      lastCohort = cohort;
      ci = position.get(lastCohort)!;
    }
    const pi = by === "cohort-time" ? position.get(period)! : 0;
    const key = by === "cohort-time" ? ci * P + pi : by === "cohort" ? ci : period - cohort;
    let g = table ? table[key] : (map!.get(key) ?? -1);
    if (g < 0) {
      g = labels.length;
      if (table) table[key] = g;
      else map!.set(key, g);
      labels.push(by === "cohort" ? `cohort ${cohort}` : by === "horizon" ? `horizon ${period - cohort}` : `cohort ${cohort}, period ${period}`);
    }
    group[t] = g;
  }
  return { group, groups: Math.max(labels.length, 1), describe: (g) => labels[g] };
}

export function imputation(data: DataInput, o: ImputationOptions): ImputationResult {
  const frame = toFrame(data);
  const cluster = o.cluster ?? o.unit;
  const leaveOut = o.leaveOut ?? true;
  const avgEffectsBy = o.avgEffectsBy ?? "cohort-time";
  if (!["cohort-time", "cohort", "horizon", "treated"].includes(avgEffectsBy)) {
    throw new DidwasmError("BAD_OPTION", `avgEffectsBy must be cohort-time, cohort, horizon or treated, got "${avgEffectsBy}"`, { option: "avgEffectsBy" });
  }
  const horizons = parseHorizons(o.horizons);
  if (o.pretrends !== undefined && o.pretrends !== null && !(Number.isInteger(o.pretrends) && o.pretrends >= 1)) {
    throw new DidwasmError("BAD_OPTION", `pretrends must be a positive whole number of pre-periods, got ${o.pretrends}`, { option: "pretrends" });
  }
  const common = resolveCommon({ ...o, vcov: "iid" }, { type: "iid" }, frame.nrow);
  // Fresh memory touched ahead by kernel threads; besides the first stage's, the targets' arrays: the
  // pre-trend test's horizons (8 bytes a row), horizon targets' GMM sums (two (units + periods) x horizons
  // arrays, up to 16 bytes a row on a balanced panel) and the treated rows' horizons.
  const extraBytes = (o.pretrends ? 8 : 0) + (o.horizons ? 20 : 0);
  const timing = timingTouchingAhead(common.engine.backend.threads, frame.nrow, (o.controls ?? []).length, extraBytes, () => absorbingTiming(frame, o));
  if (timing.cohorts.length === 0) throw new DidwasmError("BAD_DATA", `no treated observations: "${o.treat}" is 0 everywhere`);
  const controls = o.controls ?? [];
  const notes: Note[] = [...common.threadNotes];
  if (o.wtr) frame.column(o.wtr, "wtr weights");

  return withUntreatedFit(
    frame, { y: o.y, unit: o.unit, time: o.time, treat: o.treat, controls, categorical: [{ name: cluster, role: "cluster variable" }], rowFilter: null, directFixef: o.directFixef, keepAbsorbed: !!o.pretrends },
    common, notes,
    (fit) => {
      const { rows, n } = fit;
      // Periods since treatment started: a row's period and cohort are read through its frame row and unit
      // when needed (sample rows have their unit, period and treatment, so their unit's cohort is theirs);
      // an n-length column of them only for the pre-trend test, which reads them on untreated rows (a new
      // n-length array costs more to touch than to fill).
      const timeOfRow = frame.numeric(o.time, "time variable");
      const { unitIds, cohortOfUnit } = timing;
      const horizonOf = (i: number) => timeOfRow[rows[i]] - cohortOfUnit[unitIds[rows[i]]];
      const horizon = (): Float64Array => {
        const out = freshF64(n);
        for (let i = 0; i < n; i++) out[i] = horizonOf(i);
        return out;
      };
      const treatedRows = freshI32(n - fit.untreated.length);
      for (let i = 0, t = 0; i < n; i++) if (fit.treated[i] !== 0) treatedRows[t++] = i;
      const wtr = o.wtr ? frame.numeric(o.wtr, "wtr weights") : null;
      const input: TargetInput = {
        treatedRows, horizonOf,
        w: fit.w, wtr: wtr ? Float64Array.from(rows, (r) => wtr[r]) : null, wtrName: o.wtr ?? null,
        describeRow: (i) => frame.describeRow(rows[i]),
      };
      const cl = groupIds(frame, cluster, rows);
      const clusterCol = frame.column(cluster);
      const firstRowOfCluster = new Int32Array(cl.G);
      const clIds = cl.ids; // once: ids may be read through a getter (model/groups.ts)
      for (let i = n - 1; i >= 0; i--) firstRowOfCluster[clIds[i]] = rows[i];
      const groups = averagingGroups(avgEffectsBy, treatedRows, timing.periods, (i) => cohortOfUnit[unitIds[rows[i]]], (i) => timeOfRow[rows[i]]);
      const estimate = (targets: Targets) => {
        const b = new Float64Array(targets.names.length);
        for (let t = 0; t < treatedRows.length; t++) {
          const j = targets.code[t];
          if (j >= 0) b[j] += (fit.w ? fit.w[treatedRows[t]] : 1) * targets.value[t] * fit.ytilde[treatedRows[t]];
        }
        const v = imputationVariance({
          fit, targets, group: groups.group, groups: groups.groups, cluster: cl.ids, G: cl.G, leaveOut,
          describeGroup: groups.describe, describeCluster: (c) => frame.cellText(clusterCol.name, firstRowOfCluster[c]), clusterName: cluster,
        });
        notes.push(...v.notes);
        const K = targets.names.length;
        return { rows: targets.names.map((nm, j) => estimateRow(nm, targets.horizons[j], b[j], v.vcov[j * K + j], targets.nobs[j])), vcov: v.vcov };
      };
      let overall: ImputationEstimate;
      let event: ImputationEstimate[] = [];
      let eventVcov: EventVcovJson | null = null;
      if (horizons) {
        const targets = horizonTargets(input, horizons);
        const e = estimate(targets);
        event = e.rows;
        const K = event.length;
        eventVcov = eventVcovJson(event.map((r) => ({ rel_time: r.rel_time!, estimate: r.estimate })), (a, c) => e.vcov[a * K + c]);
        // With every horizon, the overall ATT is their weighted sum, sum_h s_h tau_h with s_h the horizon's
        // share of the treated weight, and so is its estimator's weight vector v; when the averaging groups
        // lie within horizons, the residuals are the same too (scaling a group's weights by s_h leaves its
        // tau_tilde and leave-out factor unchanged), so its variance is s'Vs: no second pass.
        overall = horizons === "all" && (avgEffectsBy === "cohort-time" || avgEffectsBy === "horizon") ? combined(targets, event, e.vcov) : estimate(overallTarget(input)).rows[0];
      } else overall = estimate(overallTarget(input)).rows[0];
      if (fit.solver.notConverged) notes.push(warning("not_converged", `${fit.solver.notConverged} fixed-effect solve(s) did not converge within ${common.maxIter} sweeps`));
      let pretrends: PretrendTest | null = null;
      if (o.pretrends) {
        const p = pretrendTest({ fit, periods: o.pretrends, horizon: horizon(), cluster: cl.ids, G: cl.G, clusterName: cluster, clusterIsUnit: cluster === o.unit, controls });
        pretrends = p.test;
        notes.push(...p.notes.map((nt) => ({ ...nt, message: `pre-trend regression: ${nt.message}` })));
      }
      const { keptControls, beta } = fit.first;
      const removed = controls.filter((_, k) => !keptControls.includes(k));
      if (removed.length) notes.push(warning("collinear_removed", `first stage: control(s) collinear with the fixed effects removed: ${removed.join(", ")}`));
      return imputationResult({
        outcome: o.y, overall, event, eventVcov, pretrends, nobs: n, treatedObs: n - fit.untreated.length,
        firstStage: { nobs: fit.untreated.length, coefficients: Object.fromEntries(keptControls.map((k, a) => [controls[k], beta[a]])), removed },
        cluster: { name: cluster, G: cl.G }, leaveOut, avgEffectsBy, notes,
      });
    },
  );
}

function imputationResult(r: Omit<ImputationResult, "toJSON">): ImputationResult {
  return {
    ...r,
    toJSON() {
      return {
        estimator: "imputation (Borusyak, Jaravel and Spiess 2024)",
        outcome: r.outcome,
        nobs: r.nobs,
        treated_obs: r.treatedObs,
        overall: r.overall,
        coefficients: [r.overall, ...r.event],
        event: r.event,
        ...(r.eventVcov ? { event_vcov: r.eventVcov } : {}),
        ...(r.pretrends ? { pretrends: r.pretrends } : {}),
        first_stage: r.firstStage,
        variance: {
          type: `conservative (Theorem 3)${r.leaveOut ? ", leave-out" : ""}, clustered by ${r.cluster.name}`,
          cluster: r.cluster.name, clusters: r.cluster.G, leave_out: r.leaveOut, avg_effects_by: r.avgEffectsBy,
        },
        notes: r.notes,
      };
    },
  };
}
