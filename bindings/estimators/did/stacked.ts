// Stacked difference-in-differences with the corrective weights of Wing, Freedman and Hollingsworth (2024,
// "Stacked Difference-in-Differences", NBER WP 32054):
//   1. one sub-experiment per adoption cohort: its units and clean controls over the event window
//      (stacked-build.ts);
//   2. the sub-experiments stacked, a unit appearing once per sub-experiment it belongs to;
//   3. the corrective ("Q") weights (stacked-weights.ts), or none;
//   4. two weighted least-squares fits with sub-experiment x unit and sub-experiment x period fixed effects:
//      the event-time coefficients (treated x event-time dummies, reference period -1) and the static ATT
//      (treated x post, post = event time >= 0), from one absorption of y and the controls
//      (stacked-regression.ts). The stack is never written out as data: its fixed effects are numbered from
//      it (stacked-sample.ts) and absorbed one sub-experiment at a time (stacked-demean.ts), and the dummies
//      are never columns.
// Standard errors are clustered by the original unit (it appears in several sub-experiments) unless
// another cluster is named. With one cohort the stack is that cohort's 2x2 design and the static ATT is
// the plain DID.
import { toFrame, type DataInput } from "../../data/columns.js";
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import { gatheredColumn } from "../../model/lazy-columns.js";
import { compileSubset } from "../../model/subset.js";
import { info, warning, type Note } from "../../notes.js";
import { tQuantile } from "../../stats/distributions.js";
import { resolveCommon, type CommonFitOptions } from "../common-options.js";
import { clusterEncoder, tidyRow, type TidyRow } from "../fit.js";
import { sampleNotes } from "../fit-design.js";
import { timingFromCohort, timingFromTreatment, unitIdsOfFrame, type Timing } from "./cohorts.js";
import { eventVcovJson, type EventVcovJson } from "./event-vcov.js";
import { buildStack, planStack, type CleanControls, type StackPlan, type SubExperiment } from "./stacked-build.js";
import { COLUMNS_PER_THREAD, SCRATCH_LIMIT, blockAbsorber } from "./stacked-demean.js";
import { stackedRegression, type StackedRegression } from "./stacked-regression.js";
import { stackedSample } from "./stacked-sample.js";
import { correctiveWeights } from "./stacked-weights.js";

export type StackedWeighting = "corrective" | "none";

export interface StackedOptions extends Omit<CommonFitOptions, "vcov" | "ssc" | "weights"> {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  /** First treated period per unit; or `treat`, a 0/1 treatment that stays on once it starts. */
  readonly cohort?: string;
  readonly treat?: string;
  readonly never?: number | string | null;
  readonly controls?: readonly string[];
  /** Event window lo:hi around each cohort's adoption, lo <= -1 <= 0 <= hi. */
  readonly window: readonly [number, number];
  /** Clean controls: never-treated and not-yet-treated by the window's end (default), or never-treated only. */
  readonly cleanControls?: CleanControls;
  readonly weighting?: StackedWeighting;
  /** Cluster variable (default: the unit). */
  readonly cluster?: string | null;
}

export interface StackedEvent extends TidyRow {
  readonly rel_time: number;
}

export interface StackedResult {
  readonly outcome: string;
  readonly att: TidyRow;
  readonly event: readonly StackedEvent[];
  readonly eventVcov: EventVcovJson;
  readonly experiments: readonly SubExperiment[];
  readonly window: readonly [number, number];
  readonly cleanControls: CleanControls;
  readonly weighting: StackedWeighting;
  readonly nobs: number;
  readonly cluster: { readonly name: string; readonly G: number };
  /** The two regressions, as formulas. */
  readonly models: { readonly event: string; readonly att: string };
  /** Threads the fits ran on. */
  readonly threads: number;
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

const REF = -1;
const SU = "sub_exp^unit";
const ST = "sub_exp^period";
const W = "stack_weight";

function stackedTiming(frame: Frame, o: StackedOptions): Timing {
  if ((o.cohort === undefined) === (o.treat === undefined)) {
    throw new DidwasmError("BAD_OPTION", "give the cohort column (first treated period) or the 0/1 treatment column (treat), one of them");
  }
  if (o.cohort !== undefined) return timingFromCohort(frame, { unit: o.unit, time: o.time, cohort: o.cohort, never: o.never });
  return timingFromTreatment(frame, { unit: o.unit, time: o.time, treat: o.treat!, estimator: "Stacked DID" });
}

function checkWindow(w: readonly [number, number]): void {
  const [lo, hi] = w;
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo <= REF && hi >= 0)) {
    throw new DidwasmError("BAD_OPTION", `window must be lo:hi with lo <= -1 (the reference period) and hi >= 0 (the first treated period), got ${lo}:${hi}`, { option: "window" });
  }
}

/** Frame rows that may enter: the subset, a unit, a period, and finite outcome, controls and cluster. */
function usableRows(frame: Frame, o: StackedOptions, cluster: string | null): { usable: Uint8Array; missing: number } {
  const n = frame.nrow;
  const usable = new Uint8Array(n).fill(1);
  if (o.subset) {
    const mask = compileSubset(o.subset, frame).evaluate();
    for (let r = 0; r < n; r++) if (!mask[r]) usable[r] = 0;
  }
  // The treatment too: a row without it has no cohort (timing reads none from it), so it cannot enter.
  const numeric = [
    { name: o.y, role: "outcome" }, ...(o.controls ?? []).map((c) => ({ name: c, role: "control" })), { name: o.time, role: "time variable" },
    ...(o.treat !== undefined ? [{ name: o.treat, role: "treatment variable" }] : []),
  ];
  let missing = 0;
  const drop = (r: number) => {
    if (usable[r]) missing++;
    usable[r] = 0;
  };
  for (const { name, role } of numeric) {
    const v = frame.numeric(name, role);
    for (let r = 0; r < n; r++) {
      const x = v[r];
      if (x === x && x - x !== 0) throw new DidwasmError("BAD_DATA", `${role} "${name}" is infinite in ${frame.describeRow(r)}`, { column: name, row: r });
      if (x !== x) drop(r);
    }
  }
  const units = unitIdsOfFrame(frame, o.unit).ids;
  for (let r = 0; r < n; r++) if (units[r] < 0) drop(r);
  if (cluster !== null) {
    const col = frame.column(cluster, "cluster variable");
    for (let r = 0; r < n; r++) if (col.kind === "text" ? col.codes[r] < 0 : Number.isNaN(col.values[r])) drop(r);
  }
  return { usable, missing };
}

/** The cluster per data row: a text column's codes, or the numbers (usableRows dropped missing ones). */
function clusterValues(frame: Frame, name: string): Float64Array | { readonly codes: Int32Array; readonly count: number } {
  const col = frame.column(name, "cluster variable");
  return col.kind === "text" ? { codes: col.codes, count: col.levels.length } : col.values;
}

/** Bytes the fits allocate first on a stack of `rows` rows: for weighted blocks their ids and cells (4 + 4,
 *  then 4 + 8 a row: stacked-demean.ts prepare()), then [controls y] (`columns`) and the weights
 *  (stacked-regression.ts), the absorber's scratch (as many columns of the largest block as blockAbsorber
 *  takes at once), and the scores' copies of the slot codes, clusters and both fixed effects' ids (4 x 4 a
 *  row, stacked-regression.ts scores()). */
function firstBytes(plan: StackPlan, columns: number, weighted: boolean, threads: number): number {
  const scratchColumns = Math.min(columns, Math.max(COLUMNS_PER_THREAD * threads, Math.floor(SCRATCH_LIMIT / Math.max(1, plan.largest))));
  return plan.rows * (8 * columns + (weighted ? 20 + 8 + 8 : 0) + 4 * 4) + 8 * scratchColumns * plan.largest;
}

export function stacked(data: DataInput, o: StackedOptions): StackedResult {
  const frame = toFrame(data);
  checkWindow(o.window);
  const window: [number, number] = [o.window[0], o.window[1]];
  const cleanControls = o.cleanControls ?? "notyet";
  const weighting = o.weighting ?? "corrective";
  if (cleanControls !== "notyet" && cleanControls !== "never") throw new DidwasmError("BAD_OPTION", `cleanControls must be "notyet" or "never", got "${cleanControls}"`);
  if (weighting !== "corrective" && weighting !== "none") throw new DidwasmError("BAD_OPTION", `weighting must be "corrective" or "none", got "${weighting}"`);
  const timing = stackedTiming(frame, o);
  if (timing.cohorts.length === 0) throw new DidwasmError("BAD_DATA", `no treated units: ${o.cohort !== undefined ? `cohort variable "${o.cohort}"` : `treatment "${o.treat}"`} marks every unit as never treated`);
  if (cleanControls === "never" && timing.neverTreatedUnits === 0) {
    throw new DidwasmError("BAD_DATA", "no never-treated units, but the clean controls are never-treated units only (--clean-controls never); use --clean-controls notyet (units treated after the window)", { option: "cleanControls" });
  }
  const clusterName = o.cluster ?? o.unit;
  const { usable, missing } = usableRows(frame, o, o.cluster ?? null);
  const units = unitIdsOfFrame(frame, o.unit);
  const stackRequest = { timing, time: frame.numeric(o.time, "time variable"), unitIds: units.ids, units: units.G, usable, window, cleanControls };
  const plan = planStack(stackRequest);
  // Threads for the stack's rows (at most plan.rows: a cohort without treated or control rows is left out).
  const common = resolveCommon(o, { type: "cluster", vars: [clusterName] }, plan.rows);
  const controls = (o.controls ?? []).filter((c) => c !== o.y);
  // The fits' first buffers are fresh memory: with kernel threads, they touch it while this thread builds
  // the stack, the weights and the sample (engine/touch-ahead.ts).
  common.engine.backend.threads?.touchHeapAhead(firstBytes(plan, 1 + controls.length, weighting === "corrective", common.threads));
  const stack = buildStack(stackRequest, plan);
  const weights = weighting === "corrective" ? correctiveWeights(stack, window) : null;
  const { frame: sframe, sample, source, blocks, blockFixef, clusterGroups, code } = stackedSample({
    stack, window, unitIds: units.ids, units: units.G, names: { unitFe: SU, periodFe: ST, cluster: clusterName, weights: W },
    cluster: o.cluster ? clusterValues(frame, o.cluster) : { codes: units.ids, count: units.G }, weights, describeRow: (r) => frame.describeRow(r),
  });
  const [lo, hi] = window;
  const periods: number[] = [];
  for (let e = lo; e <= hi; e++) if (e !== REF) periods.push(e);
  const cluster = clusterGroups(clusterName) ?? clusterEncoder(sframe, sample.rows, sample.fixef)(clusterName);
  // Both models absorb sub-experiment x unit and x period one sub-experiment at a time (stacked-demean.ts),
  // y and the controls once for both (stacked-regression.ts); their columns are gathered straight into the
  // fit's buffer.
  const blockFe = blockAbsorber(blocks, blockFixef, common.tol, common.maxIter);
  let fits: StackedRegression;
  try {
    blockFe.prepare(common.engine.backend, sample.weights);
    fits = stackedRegression({
      backend: common.engine.backend, n: code.length,
      outcome: { name: o.y, write: gatheredColumn(frame.numeric(o.y, "outcome"), source).write },
      controls: controls.map((c) => ({ name: c, write: gatheredColumn(frame.numeric(c, "control"), source).write })),
      weights: sample.weights, code, slots: periods.length, firstPost: -lo - 1, blocks, blockFixef, fixef: sample.fixef,
      absorber: blockFe.absorber, keptCells: (b) => blockFe.keptCells(b), cluster, clusterName, ssc: common.ssc, tol: common.tol, maxIter: common.maxIter,
    });
  } finally {
    blockFe.release();
  }

  const m = fits.event.kept.length;
  const qEvent = tQuantile(0.975, fits.event.dfT);
  const event = fits.event.kept.map((slot, i) => ({ ...tidyRow(`treated::${periods[slot]}`, fits.event.coef[i], Math.sqrt(fits.event.vcov[i * m + i]), fits.event.dfT, qEvent), rel_time: periods[slot] }));
  if (fits.att.kept.length === 0) throw new DidwasmError("BAD_DATA", "the ATT is not identified: treated x post is collinear with the fixed effects (no post-period treated observation?)");
  const att = tidyRow("ATT", fits.att.coef[0], Math.sqrt(fits.att.vcov[0]), fits.att.dfT, tQuantile(0.975, fits.att.dfT));
  const notes: Note[] = [];
  if (missing) notes.push(info("missing_dropped", `${missing} observation(s) of the data removed because of missing values before stacking`));
  notes.push(...stack.notes);
  const removedEvents = periods.filter((_, slot) => !fits.event.kept.includes(slot));
  if (removedEvents.length) notes.push(info("collinear_removed", `event time(s) without identifying variation removed: ${removedEvents.join(", ")}`));
  notes.push(...sampleNotes(sample), ...common.threadNotes, ...fits.precisionNotes);
  if (fits.notConverged.length) {
    notes.push(warning("not_converged", `demeaning did not converge within ${common.maxIter} sweeps (tol ${common.tol}) for: ${fits.notConverged.join(", ")}`));
  }
  if (fits.dummiesNotConverged) {
    notes.push(warning("not_converged", `the event-time dummies' fixed effects did not converge within ${common.maxIter} sweeps (tol ${common.tol}) in ${fits.dummiesNotConverged} sub-experiment(s)`));
  }
  const fe = `| sub_exp^${o.unit} + sub_exp^${o.time}`;
  return stackedResult({
    outcome: o.y, att, event, eventVcov: eventVcovJson(event, (a, b) => fits.event.vcov[a * m + b]), experiments: stack.experiments, window, cleanControls, weighting,
    nobs: fits.nobs, cluster: { name: clusterName, G: fits.G }, threads: common.threads, notes,
    models: {
      event: `${o.y} ~ ${[...controls, "treated x i(event_time, ref = -1)"].join(" + ")} ${fe}`,
      att: `${o.y} ~ ${[...controls, "treated x post"].join(" + ")} ${fe}`,
    },
  });
}

function stackedResult(r: Omit<StackedResult, "toJSON">): StackedResult {
  return {
    ...r,
    toJSON() {
      return {
        estimator: "stacked DID (Wing, Freedman and Hollingsworth 2024)",
        outcome: r.outcome,
        nobs: r.nobs,
        window: r.window,
        reference_period: REF,
        clean_controls: r.cleanControls,
        weighting: r.weighting,
        att: r.att,
        coefficients: [r.att, ...r.event],
        event: r.event,
        event_vcov: r.eventVcov,
        composition: r.experiments.map((x) => ({
          cohort: x.cohort, treated_units: x.treatedUnits, control_units: x.controlUnits, periods: [x.firstPeriod, x.lastPeriod], rows: x.rows,
        })),
        variance: { type: `clustered by ${r.cluster.name}`, cluster: r.cluster.name, clusters: r.cluster.G },
        models: r.models,
        notes: r.notes,
      };
    },
  };
}
