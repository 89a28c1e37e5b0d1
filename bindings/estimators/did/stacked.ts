// Stacked difference-in-differences with the corrective weights of Wing, Freedman and Hollingsworth (2024,
// "Stacked Difference-in-Differences", NBER WP 32054):
//   1. one sub-experiment per adoption cohort: its units and clean controls over the event window
//      (stacked-build.ts);
//   2. the sub-experiments stacked, a unit appearing once per sub-experiment it belongs to;
//   3. the corrective ("Q") weights (stacked-weights.ts), or none;
//   4. two weighted least-squares fits with sub-experiment x unit and sub-experiment x period fixed effects,
//      through the shared fit engine: the event-time coefficients (treated x event-time dummies, reference
//      period -1) and the static ATT (treated x post, post = event time >= 0). The stack is never written out
//      as data: its fixed effects are numbered from it (stacked-sample.ts) and absorbed one sub-experiment at
//      a time inside each fit (stacked-demean.ts).
// Standard errors are clustered by the original unit (it appears in several sub-experiments) unless
// another cluster is named. With one cohort the stack is that cohort's 2x2 design and the static ATT is
// the plain DID.
import { toFrame, type DataInput } from "../../data/columns.js";
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import type { Design } from "../../model/design.js";
import { designColumns, gatheredColumn, indicatorColumn, type LazyColumn } from "../../model/lazy-columns.js";
import { gatherRows } from "../../model/rows.js";
import { compileSubset } from "../../model/subset.js";
import { info, type Note } from "../../notes.js";
import { resolveCommon, type CommonFitOptions } from "../common-options.js";
import type { Fit, TidyRow } from "../fit.js";
import { fitDesign } from "../fit-design.js";
import { timingFromCohort, timingFromTreatment, unitIdsOfFrame, type Timing } from "./cohorts.js";
import { eventVcovOfTerms, type EventVcovJson } from "./event-vcov.js";
import { buildStack, planStack, type CleanControls, type Stack, type SubExperiment } from "./stacked-build.js";
import { SCRATCH_LIMIT, blockAbsorber } from "./stacked-demean.js";
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
  readonly eventFit: Fit;
  readonly attFit: Fit;
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
  const numeric = [{ name: o.y, role: "outcome" }, ...(o.controls ?? []).map((c) => ({ name: c, role: "control" })), { name: o.time, role: "time variable" }];
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

/** Per sample row: the slot of its treated x event-time dummy, -1 for a control or the reference period.
 *  Slots skip the reference: event times lo .. -2 are 0 .. -2 - lo, 0 .. hi follow from -1 - lo. A function
 *  of its own so that its loop is compiled on its own (see stacked-sample.ts). */
function eventCodes(stack: Stack, rows: Int32Array, lo: number): Int32Array {
  const code = new Int32Array(rows.length);
  const event = stack.event;
  const treated = stack.treated;
  for (let i = 0; i < rows.length; i++) {
    const k = rows[i];
    const e = event[k];
    code[i] = treated[k] !== 1 || e === REF ? -1 : e < REF ? e - lo : e - lo - 1;
  }
  return code;
}

/** Bytes the fits allocate first on `rows` stacked rows: for weighted blocks their ids and cells (4 + 4,
 *  then 4 + 8 a row: stacked-demean.ts prepare()), then the event-time fit's [y X] (`columns`), its
 *  weights, the absorber's scratch, and the ids its crossproduct (event-time slots) and variance
 *  (clusters) copy in. */
function firstBytes(rows: number, columns: number, weighted: boolean): number {
  return rows * (8 * columns + (weighted ? 20 + 8 : 0) + 4 + 4) + 8 * Math.min(SCRATCH_LIMIT, rows * columns);
}

/** treated x post from the dummies' slots: 1 where the slot is `first` (event time 0) or later. */
function postColumn(code: Int32Array, first: number): LazyColumn {
  const write = (out: Float64Array, offset: number) => {
    for (let i = 0; i < code.length; i++) out[offset + i] = code[i] >= first ? 1 : 0;
  };
  return {
    make: () => {
      const out = new Float64Array(code.length);
      write(out, 0);
      return out;
    },
    write,
  };
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
  common.engine.backend.threads?.touchHeapAhead(firstBytes(plan.rows, 1 + controls.length + window[1] - window[0], weighting === "corrective"));
  const stack = buildStack(stackRequest, plan);
  const weights = weighting === "corrective" ? correctiveWeights(stack, window) : null;
  const { frame: sframe, sample, source, blocks, blockFixef, clusterGroups } = stackedSample({
    stack, window, unitIds: units.ids, units: units.G, names: { unitFe: SU, periodFe: ST, cluster: clusterName, weights: W },
    cluster: o.cluster ? clusterValues(frame, o.cluster) : { codes: units.ids, count: units.G }, weights, describeRow: (r) => frame.describeRow(r),
  });
  const rows = sample.rows;
  // The outcome over the sample's stacked rows; the controls and the dummies are written by the fits
  // straight into their buffers (lazy-columns.ts), so the stack's columns are never made as arrays.
  const outcome = [{ name: o.y, values: gatherRows(frame.numeric(o.y, "outcome"), source) }];
  const controlColumn = (c: string) => gatheredColumn(frame.numeric(c, "control"), source);

  // Event-time design: treated x 1(event = e) for every e in the window but the reference.
  const [lo, hi] = window;
  const periods: number[] = [];
  for (let e = lo; e <= hi; e++) if (e !== REF) periods.push(e);
  const code = eventCodes(stack, rows, lo);
  const eventNames = periods.map((e) => `treated::${e}`);
  const eventDesign: Design = {
    names: [...controls, ...eventNames],
    columns: designColumns([...controls.map(controlColumn), ...periods.map((_, j) => indicatorColumn(code, j))]),
    intercept: false,
    indicators: [{ start: controls.length, count: periods.length, code }],
  };
  // treated x post is 1 where the dummy's slot is that of event time 0 or later.
  const attDesign: Design = { names: [...controls, "ATT"], columns: designColumns([...controls.map(controlColumn), postColumn(code, -lo - 1)]), intercept: false };
  // Both models absorb sub-experiment x unit and x period one sub-experiment at a time (stacked-demean.ts).
  const blockFe = blockAbsorber(blocks, blockFixef, common.tol, common.maxIter);
  const absorber = blockFe.absorber;
  const fe = `| sub_exp^${o.unit} + sub_exp^${o.time}`;
  let eventFit: Fit;
  let attFit: Fit;
  try {
    blockFe.prepare(common.engine.backend, sample.weights);
    [eventFit] = fitDesign({ frame: sframe, label: `${o.y} ~ ${[...controls, "treated x i(event_time, ref = -1)"].join(" + ")} ${fe}`, outcomes: outcome, sample, design: eventDesign, common, absorber, clusterGroups });
    [attFit] = fitDesign({ frame: sframe, label: `${o.y} ~ ${[...controls, "treated x post"].join(" + ")} ${fe}`, outcomes: outcome, sample, design: attDesign, common, absorber, clusterGroups });
  } finally {
    blockFe.release();
  }

  const tidy = eventFit.tidy();
  const relOf = new Map(eventNames.map((nm, j) => [nm, periods[j]]));
  const event = tidy.filter((r) => relOf.has(r.term)).map((r) => ({ ...r, rel_time: relOf.get(r.term)! }));
  const att = attFit.tidy().find((r) => r.term === "ATT");
  if (!att) throw new DidwasmError("BAD_DATA", "the ATT is not identified: treated x post is collinear with the fixed effects (no post-period treated observation?)");
  const notes: Note[] = [];
  if (missing) notes.push(info("missing_dropped", `${missing} observation(s) of the data removed because of missing values before stacking`));
  notes.push(...stack.notes);
  const removedEvents = eventNames.filter((nm) => !tidy.some((r) => r.term === nm));
  if (removedEvents.length) notes.push(info("collinear_removed", `event time(s) without identifying variation removed: ${removedEvents.map((nm) => relOf.get(nm)).join(", ")}`));
  notes.push(...eventFit.notes.filter((nt) => nt.kind !== "collinear_removed"));
  const cl = eventFit.clusters[0] ?? { name: clusterName, G: NaN };
  return stackedResult({
    outcome: o.y, att, event, eventVcov: eventVcovOfTerms(eventFit, event), experiments: stack.experiments, window, cleanControls, weighting,
    nobs: eventFit.nobs, cluster: { name: clusterName, G: cl.G }, eventFit, attFit, notes,
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
        models: { event: r.eventFit.formula, att: r.attFit.formula },
        notes: r.notes,
      };
    },
  };
}
