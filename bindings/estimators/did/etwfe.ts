// Wooldridge's (2021, 2023) extended two-way fixed effects, as the R package etwfe builds it:
//   y ~ .Dtreat:i(cohort, i.time) / x_dm + x + i(cohort, x) + i(time, x) | cohort + time
// one treatment dummy per treated cohort x period cell (cgroup "notyet": the cells from the cohort's first
// treated period on, not-yet-treated observations are the controls; "never": every cell but the period
// before treatment, never-treated units are the controls), each control demeaned within its cohort and
// interacted with the cells, and the controls interacted with cohorts and periods. Aggregated as emfx()
// does (etwfe-effects.ts). The Poisson form (family "poisson") fits the cohort and period dummies as
// coefficients (etwfe's fe = "none", its default for non-linear families) and reports effects on the
// response scale. Always-treated units (treated in the first period) are dropped with a note.
import { toFrame, type DataInput } from "../../data/columns.js";
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import { info, warning, type Note } from "../../notes.js";
import { buildSample, sampleValues } from "../../model/sample.js";
import { vcovVariables } from "../../model/vcov-complete.js";
import { parseVcov, type VcovSpec } from "../../model/vcov-spec.js";
import { tQuantile } from "../../stats/distributions.js";
import { clusterEncoder, tidyRow, type TidyRow } from "../fit.js";
import { sampleNotes } from "../fit-design.js";
import { timingFromCohort, timingFromTreatment, unitIdsOfFrame, type Timing } from "./cohorts.js";
import { duplicateRowsNote } from "./duplicates.js";
import { fitLeastSquares, fitPoisson, rowsOnEngineBytes, type EtwfeRows } from "./etwfe-compressed.js";
import { etwfeEffects, type EtwfeEffect } from "./etwfe-effects.js";
import { etwfeLayout } from "./etwfe-layout.js";
import { etwfeVariance, type EtwfeFamily, type EtwfeFe } from "./etwfe-variance.js";
import { indexInSorted, sortedDistinct } from "./sorted-periods.js";
import { eventVcovJson, type EventVcovJson } from "./event-vcov.js";
import { freshI32, freshU8 } from "../../engine/fresh-arrays.js";
import { reserveFreshArrays, type ThreadsOption } from "../thread-choice.js";
import { defaultEngine } from "../../engine/engine.js";
import type { BackendName } from "../../engine/backend.js";

export type EtwfeType = "simple" | "group" | "calendar" | "event";

export interface EtwfeOptions {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  /** First treated period per unit (etwfe's gvar); or give `treat`, a 0/1 absorbing treatment. */
  readonly cohort?: string;
  readonly treat?: string;
  readonly controls?: readonly string[];
  readonly never?: number | string | null;
  readonly cgroup?: "notyet" | "never";
  readonly fe?: EtwfeFe;
  readonly family?: EtwfeFamily;
  /** emfx's type: which aggregation the effects are (default "simple"). */
  readonly aggregate?: EtwfeType;
  /** Default: clustered by the cohort (fixest's default, the first fixed effect) with fixed effects, else iid. */
  readonly vcov?: string | VcovSpec;
  readonly subset?: string | null;
  /** Threads that take the first touch of the per-row arrays (engine/fresh-arrays.ts; default: every core
   *  for 200,000 rows or more) and share the robust variance's products. The numbers are the same for any count. */
  readonly threads?: ThreadsOption;
  /** Where the fit's passes over the rows (etwfe-compressed.ts) and the robust variance's products
   *  (etwfe-meat.ts) run: the WebAssembly kernels (default) or their TypeScript twins ("reference", on one
   *  thread); the same numbers. */
  readonly backend?: BackendName;
}

export interface EtwfeResult {
  readonly family: EtwfeFamily;
  readonly fe: EtwfeFe;
  readonly cgroup: "notyet" | "never";
  readonly type: EtwfeType;
  readonly formula: string;
  readonly nobs: number;
  readonly vcovLabel: string;
  readonly clusters: { readonly name: string; readonly G: number } | null;
  /** The overall ATT (emfx type "simple"). */
  readonly att: EtwfeEffect;
  /** The effects of the requested type. */
  readonly effects: readonly EtwfeEffect[];
  /** Event-time effects with their covariance (type "event" only). */
  readonly event: readonly EtwfeEffect[] | null;
  readonly eventVcov: EventVcovJson | null;
  /** The regression's reported coefficients (cells and their control interactions, and per `fe` the rest). */
  readonly coefficients: readonly TidyRow[];
  readonly iterations: number;
  readonly converged: boolean;
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

/** The timing, with an error that points treatment switching off to the estimator made for it. */
function absorbingTiming(frame: Frame, o: EtwfeOptions): Timing {
  if ((o.cohort === undefined) === (o.treat === undefined)) {
    throw new DidwasmError("BAD_OPTION", "etwfe needs exactly one of cohort (first treated period) and treat (0/1 treatment indicator)", { option: "cohort" });
  }
  if (o.cohort !== undefined) return timingFromCohort(frame, { unit: o.unit, time: o.time, cohort: o.cohort, never: o.never });
  if (o.never !== undefined && o.never !== null) throw new DidwasmError("BAD_OPTION", "never applies to a cohort column, not to treat", { option: "never" });
  return timingFromTreatment(frame, { unit: o.unit, time: o.time, treat: o.treat!, estimator: "Extended TWFE" });
}

export function etwfe(data: DataInput, o: EtwfeOptions): EtwfeResult {
  const frame = toFrame(data);
  const family = o.family ?? "gaussian";
  const fe = o.fe ?? (family === "gaussian" ? "feo" : "none");
  const cgroup = o.cgroup ?? "notyet";
  const type = o.aggregate ?? "simple";
  if (family === "poisson" && fe !== "none") {
    throw new DidwasmError("BAD_OPTION", `fe "${fe}" applies to the gaussian family only: the Poisson form fits the cohort and period dummies as coefficients (etwfe's fe = "none" for non-linear families)`, { option: "fe" });
  }
  const controls = o.controls ?? [];
  const cohortLabel = o.cohort ?? "cohort";
  // The per-row arrays (timing, cells, sample, fit, variance: about 56 bytes a row) come from memory that
  // kernel threads touch first while this thread works (engine/fresh-arrays.ts). The robust variance's
  // products run on those threads' engine, or on the asked backend's (an unknown name is refused there).
  const touching = reserveFreshArrays(o.threads, frame.nrow, 56);
  const wasm = (o.backend ?? "wasm") === "wasm";
  const meatBackend = (wasm ? touching.engine ?? defaultEngine("wasm") : defaultEngine(o.backend)).backend;
  const timing = absorbingTiming(frame, o);
  // The fit copies its rows into engine memory (etwfe-compressed.ts): kernel threads touch that memory first
  // while this thread builds the cells and the sample (engine/touch-ahead.ts).
  if (wasm) touching.engine?.backend.threads?.touchHeapAhead(frame.nrow * rowsOnEngineBytes(controls.length, family === "poisson"));
  const notes: Note[] = [...touching.notes];
  const finite = timing.cohorts.filter((g) => g > timing.firstPeriod);
  if (finite.length === 0) throw new DidwasmError("BAD_DATA", "no treated units with an untreated period: every unit is never treated or treated from the first period");
  // The control group: never-treated units; with not-yet-treated controls and none never treated, the last
  // cohort (etwfe's gref), whose periods from its treatment on are then left out.
  let gref = Infinity;
  if (timing.neverTreatedUnits === 0) {
    if (cgroup === "never") {
      throw new DidwasmError("BAD_DATA", 'no never-treated units: cgroup "never" needs units that are never treated; use cgroup "notyet" (the default), which then compares with the last cohort');
    }
    gref = finite[finite.length - 1];
    notes.push(info("data", `no never-treated units: the last cohort (${gref}) is the control group and the periods from ${gref} on are left out, as etwfe does`));
  }
  const treatedCohorts = finite.filter((g) => g !== gref);
  if (treatedCohorts.length === 0) throw new DidwasmError("BAD_DATA", "only one treated cohort and no never-treated units: there is no control group");
  if (timing.alwaysTreatedUnits) notes.push(info("data", `${timing.alwaysTreatedUnits} always-treated unit(s) (treated in the first period) dropped: they have no pre-period`));

  const time = frame.numeric(o.time, "time variable");
  const keep = estimableRows(timing.cohortOfRow, timing.firstPeriod, time, gref);
  const defaultVcov: VcovSpec = fe !== "none" && family === "gaussian" ? { type: "cluster", vars: [cohortLabel] } : { type: "iid" };
  const spec = o.vcov === undefined ? defaultVcov : parseVcov(o.vcov);
  const fromTreat = o.cohort === undefined;
  const vcovUses = spec === defaultVcov && fromTreat ? { numeric: [], categorical: [] } : vcovVariables(spec, [o.unit, o.time]);
  const sample = buildSample(frame, {
    numeric: [{ name: o.y, role: "outcome" }, ...controls.map((c) => ({ name: c, role: "control" })), { name: o.time, role: "time variable" }, ...vcovUses.numeric],
    categorical: [{ name: o.unit, role: "unit variable" }, ...vcovUses.categorical],
    subset: o.subset ?? null, rowFilter: keep, fixef: [], fixefRm: "none",
  });
  const rows = sample.rows;
  if (rows.length === 0) throw new DidwasmError("EMPTY_SAMPLE", "no observations left for the extended TWFE regression");

  // Cohort and period indices of each sample row: cohort 0 is the control group.
  const cohorts = [gref, ...treatedCohorts];
  const cohortIndex = new Map(treatedCohorts.map((g, a) => [g, a + 1]));
  const periods = sortedDistinct(time, rows);
  const T = periods.length;
  const cell = cellsOfRows(rows, timing.cohortOfRow, cohortIndex, time, periods);
  const isCellTreated = (c: number) => {
    const a = Math.floor(c / T);
    if (a === 0) return false;
    const g = cohorts[a];
    const t = periods[c % T];
    return cgroup === "notyet" ? t >= g : t !== g - 1;
  };
  const present = new Uint8Array(cohorts.length * T);
  for (const c of cell) present[c] = 1;
  const treatedCells = [...present.keys()].filter((c) => present[c] && isCellTreated(c));

  // Units per treated cohort: a cohort of one unit is estimable but its effects rest on one unit.
  const units = unitIdsOfFrame(frame, o.unit);
  const unitCounted = new Uint8Array(units.G);
  const unitsPerCohort = new Int32Array(cohorts.length);
  const unitIds = units.ids; // once: ids may be read through a getter (model/groups.ts)
  for (let i = 0; i < rows.length; i++) {
    const u = unitIds[rows[i]];
    if (unitCounted[u]) continue;
    unitCounted[u] = 1;
    unitsPerCohort[Math.floor(cell[i] / T)]++;
  }
  const lonely = treatedCohorts.filter((_, a) => unitsPerCohort[a + 1] === 1);
  if (lonely.length) notes.push(warning("data", `cohort(s) ${lonely.join(", ")} have a single unit: their effects rest on that one unit`));

  // Controls demeaned within cohorts over every row that has them, as etwfe's demean(x ~ cohort) does.
  const k = controls.length;
  const means = new Float64Array(cohorts.length * k);
  const cohortOfFrameRow = k ? cohortIndexOfRows(timing.cohortOfRow, cohortIndex) : new Int32Array(0);
  controls.forEach((x, l) => {
    const v = frame.numeric(x, "control");
    const sum = new Float64Array(cohorts.length);
    const cnt = new Float64Array(cohorts.length);
    for (let r = 0; r < frame.nrow; r++) {
      const a = cohortOfFrameRow[r];
      if (a < 0 || !Number.isFinite(v[r])) continue;
      sum[a] += v[r];
      cnt[a]++;
    }
    for (let a = 1; a < cohorts.length; a++) means[a * k + l] = sum[a] / cnt[a];
  });

  const layout = etwfeLayout({ cohortName: cohortLabel, timeName: o.time, controls, cohorts, periods, treatedCells, means });
  const sampleRows: EtwfeRows = { cell, y: sampleValues(frame, o.y, rows, "outcome"), xs: controls.map((x) => sampleValues(frame, x, rows, "control")) };
  if (family === "poisson") {
    const bad = sampleRows.y.findIndex((v) => v < 0);
    if (bad >= 0) throw new DidwasmError("BAD_DATA", `a Poisson outcome must be non-negative, but "${o.y}" is ${sampleRows.y[bad]} on ${frame.describeRow(rows[bad])}`, { column: o.y, row: rows[bad] });
  }
  const fit = family === "poisson" ? fitPoisson(layout, sampleRows, meatBackend) : fitLeastSquares(layout, sampleRows, meatBackend);
  const encode = clusterEncoder(frame, rows);
  const cohortGroups = () => ({ ids: perCell(cell, present.length, freshI32(rows.length), (c) => Math.floor(c / T)), G: cohorts.length });
  // The default clustering by the cohort, when the cohorts come from --treat, has no column to read.
  const clusterGroups = (name: string) => (fromTreat && spec === defaultVcov ? cohortGroups() : encode(name));
  const variance = etwfeVariance({ layout, fit, rows: sampleRows, spec, fe, family, clusterGroups, backend: meatBackend });

  const emfxRow = (c: number, all: boolean) => (isCellTreated(c) && (all || periods[c % T] >= cohorts[Math.floor(c / T)]) ? 1 : 0);
  const averaged = perCell(cell, present.length, freshU8(rows.length), (c) => emfxRow(c, type === "event"));
  const common = { layout, fit, vcov: variance.vcov, rows: sampleRows, family };
  const simpleRows = type === "event" ? perCell(cell, present.length, freshU8(rows.length), (c) => emfxRow(c, false)) : averaged;
  const att = etwfeEffects({ ...common, averaged: simpleRows, groupOf: () => 0, term: () => "ATT" }).effects[0];
  if (!att) throw new DidwasmError("BAD_DATA", "no treated observation could be estimated");
  const by = {
    simple: { groupOf: () => 0, term: () => "ATT" },
    group: { groupOf: (c: number) => cohorts[Math.floor(c / T)], term: (g: number) => `${cohortLabel}::${g}` },
    calendar: { groupOf: (c: number) => periods[c % T], term: (t: number) => `${o.time}::${t}` },
    event: { groupOf: (c: number) => periods[c % T] - cohorts[Math.floor(c / T)], term: (e: number) => `event::${e}` },
  }[type];
  const agg = type === "simple" ? { effects: [att], cov: [[att.std_error ** 2]] } : etwfeEffects({ ...common, averaged, ...by });
  const effects = type === "event" ? agg.effects.map((e) => ({ ...e, rel_time: e.group! })) : agg.effects;
  const eventVcov = type === "event" ? eventVcovJson(effects as Array<EtwfeEffect & { rel_time: number }>, (i, j) => agg.cov[i][j]) : null;

  const coefficients = reportedCoefficients(layout, fit, variance, fe);
  const dropped = Array.from({ length: layout.names.length }, (_, j) => j).filter((j) => !Number.isFinite(fit.coef[j]) && layout.kinds[j] !== "fe");
  if (dropped.length) notes.push(info("collinear_removed", `${dropped.length} term(s) removed because of collinearity: ${dropped.slice(0, 5).map((j) => layout.names[j]).join(", ")}${dropped.length > 5 ? ", ..." : ""}`));
  if (!fit.converged) notes.push(warning("not_converged", `the Poisson fit did not converge in ${fit.iterations} iterations`));
  const duplicates = duplicateRowsNote(frame, o.unit, o.time, rows);
  const allNotes = [...sampleNotes(sample), ...notes, ...(duplicates ? [duplicates] : [])];
  const xs = controls.length ? ` / ${controls.length > 1 ? `(${controls.map((x) => `${x}_dm`).join(" + ")})` : `${controls[0]}_dm`}` : "";
  const fes = fe === "none" ? "" : fe === "vs" && k ? ` | ${cohortLabel}[${controls.join(", ")}] + ${o.time}[${controls.join(", ")}]` : ` | ${cohortLabel} + ${o.time}`;
  const formula = `${o.y} ~ .Dtreat:i(${cohortLabel}, i.${o.time})${xs}${fe !== "vs" && k ? ` + ${controls.join(" + ")} + ${controls.map((x) => `i(${cohortLabel}, ${x}) + i(${o.time}, ${x})`).join(" + ")}` : ""}${fe === "none" ? ` + i(${cohortLabel}) + i(${o.time})` : ""}${fes}`;
  const result: Omit<EtwfeResult, "toJSON"> = {
    family, fe, cgroup, type, formula, nobs: rows.length, vcovLabel: variance.label, clusters: variance.clusters,
    att, effects, event: type === "event" ? effects : null, eventVcov, coefficients, iterations: fit.iterations, converged: fit.converged, notes: allNotes,
  };
  return {
    ...result,
    toJSON() {
      return {
        estimator: "extended TWFE (Wooldridge)",
        outcome: o.y, family, fe, cgroup, type, formula, nobs: rows.length, threads: touching.threads, vcov: variance.label,
        ...(variance.clusters ? { clusters: variance.clusters } : {}),
        ...(family === "poisson" ? { iterations: fit.iterations, converged: fit.converged } : {}),
        att, coefficients: effects,
        ...(type === "event" ? { event: effects, event_vcov: eventVcov } : {}),
        regression: coefficients,
        notes: allNotes,
      };
    },
  };
}

// Loops over every row are functions of their own (compiled on their own while they run), and look a cohort
// up only when it changes from the row before (a unit's rows share it), a period by its neighbour first.

/** Frame rows in the regression: a cohort known and after the first period, and a period before `gref`. */
function estimableRows(cohortOfRow: Float64Array, firstPeriod: number, time: Float64Array, gref: number): Uint8Array {
  const keep = freshU8(cohortOfRow.length);
  for (let r = 0; r < keep.length; r++) {
    const g = cohortOfRow[r];
    keep[r] = Number.isNaN(g) || g <= firstPeriod || time[r] >= gref ? 0 : 1;
  }
  return keep;
}

/** out[i] = valueOf(cell[i]), the value computed once per cell (there are few) and looked up per row. */
function perCell<A extends Int32Array | Uint8Array>(cell: Int32Array, C: number, out: A, valueOf: (c: number) => number): A {
  const value = Float64Array.from({ length: C }, (_, c) => valueOf(c));
  for (let i = 0; i < cell.length; i++) out[i] = value[cell[i]];
  return out;
}

/** Per sample row: its cell, cohort index (0: the control group, any cohort `index` lacks) * T + period index. */
function cellsOfRows(rows: Int32Array, cohortOfRow: Float64Array, index: ReadonlyMap<number, number>, time: Float64Array, periods: readonly number[]): Int32Array {
  const T = periods.length;
  const cell = freshI32(rows.length);
  let lastCohort = NaN;
  let a = 0;
  let p = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const g = cohortOfRow[r];
    if (g !== lastCohort) {
      lastCohort = g;
      a = index.get(g) ?? 0;
    }
    p = indexInSorted(periods, time[r], p);
    cell[i] = a * T + p;
  }
  return cell;
}

/** Per frame row: its cohort's index, -1 for a cohort `index` lacks. */
function cohortIndexOfRows(cohortOfRow: Float64Array, index: ReadonlyMap<number, number>): Int32Array {
  const out = freshI32(cohortOfRow.length);
  let last = NaN;
  let a = -1;
  for (let r = 0; r < out.length; r++) {
    const g = cohortOfRow[r];
    if (g !== last) {
      last = g;
      a = index.get(g) ?? -1;
    }
    out[r] = a;
  }
  return out;
}

function reportedCoefficients(layout: ReturnType<typeof etwfeLayout>, fit: ReturnType<typeof fitLeastSquares>, v: ReturnType<typeof etwfeVariance>, fe: EtwfeFe): TidyRow[] {
  const K = fit.kept.length;
  const q = tQuantile(0.975, v.dfT);
  const out: TidyRow[] = [];
  for (let a = 0; a < K; a++) {
    const j = fit.kept[a];
    const kind = layout.kinds[j];
    const shown = kind === "cell" || kind === "cell_x" || (fe === "feo" && kind !== "fe") || fe === "none";
    if (!shown) continue;
    const b = fit.coef[j];
    out.push(tidyRow(layout.names[j], b, Math.sqrt(Math.max(v.vcov[a * K + a], 0)), v.dfT, q));
  }
  return out;
}
