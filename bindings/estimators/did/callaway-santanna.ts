// Callaway and Sant'Anna (2021) group-time average treatment effects on a balanced panel or on repeated
// cross sections, as the R package did (att_gt + aggte). Without covariates,
//   ATT(g,t) = E[Y_t - Y_b | G = g] - E[Y_t - Y_b | C],
// b = the period before g (post periods, t >= g) or before t ("varying" base period, pre periods);
// C = never-treated units, or (control group "notyet") units not yet treated by max(t, b), excluding g
// (cs-cells.ts: anticipation and the universal base period). With covariates each cell is a doubly robust,
// IPW or outcome-regression 2x2 estimate (cs-panel-2x2.ts, cs-rc-2x2.ts). Each ATT(g,t) has an influence
// function over the n observations (units, or rows of the cross sections), unconditionally
//   psi_i = (n / n_g) 1{G_i = g} (dY_i - mean_g dY) - (n / n_C) 1{i in C} (dY_i - mean_C dY),
// and its standard error is sqrt(sum psi^2) / n. Aggregations weight cells by group shares P(G = g) and
// add the influence of estimating those shares (did's wif):
//   simple   = sum over post cells of P(g) ATT(g,t) / sum P(g)
//   dynamic  theta(e) over cells with t - g = e, weights P(g); overall = mean of theta(e), e >= 0
//   group    theta(g) = mean of ATT(g,t), t >= g; overall = sum P(g) theta(g) / sum P(g)
//   calendar theta(t) over cells with g <= t, weights P(g); overall = mean of theta(t)
// Optional multiplier bootstrap (Rademacher weights, seeded, replicate b from stream b): bootstrap
// standard errors (interquartile range / 1.349) and uniform 95% bands for ATT(g,t) and dynamic effects.
import { quantileSorted } from "../../stats/quantile.js";
import { warning, type Note } from "../../notes.js";
import { toFrame, type DataInput } from "../../data/columns.js";
import { DidwasmError } from "../../errors.js";
import { groupIds } from "../../model/groups.js";
import { buildSample, sampleValues } from "../../model/sample.js";
import { Xoshiro128 } from "../../random/xoshiro.js";
import { normalQuantile } from "../../stats/distributions.js";
import { distinctPeriods, timingFromCohort } from "./cohorts.js";
import { crossSectionObservations, panelObservations } from "./cs-observations.js";
import { crossSectionCellData, groupTimeCells, panelCellData, type CellPlan } from "./cs-cells.js";
import { addDivided, addScaled, crossProducts, sumOfSquares, type Param } from "./cs-influence.js";
import { EST_METHODS, type EstMethod } from "./cs-panel-2x2.js";
import { eventVcovJson } from "./event-vcov.js";
import type { BackendName } from "../../engine/backend.js";
import { defaultEngine } from "../../engine/engine.js";
import { freshF64 } from "../../engine/fresh-arrays.js";
import { forRowBlocks } from "../../engine/row-block.js";
import { reserveFreshArrays, type ThreadsOption } from "../thread-choice.js";

export interface CallawaySantAnnaOptions {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly cohort: string;
  readonly controlGroup?: "never" | "notyet";
  readonly never?: number | string | null;
  readonly subset?: string | null;
  /** Multiplier-bootstrap replicates (0 = analytic standard errors only). */
  readonly bootstrap?: number;
  readonly seed?: number;
  /** Significance level of the uniform bands (default 0.05). */
  readonly alpha?: number;
  /** Covariates, taken at the earlier of each cell's two periods (the base period after treatment), as did. */
  readonly controls?: readonly string[];
  /** 2x2 estimator of each cell (default "dr", the did package's default); see cs-panel-2x2.ts. */
  readonly estMethod?: EstMethod;
  /** Periods before its start in which a cohort may already react (default 0). */
  readonly anticipation?: number;
  /** "varying" (default: pre-period cells compare with the period before) or "universal" (every cell
   *  compares with the last period before treatment, whose own cell is 0). */
  readonly basePeriod?: "varying" | "universal";
  /** false: repeated cross sections (each row its own observation; default true, a balanced panel). */
  readonly panel?: boolean;
  /** Kernels of the balanced panel's cell passes: wasm (default) or reference (the TypeScript twin; the same
   *  numbers). Repeated cross sections run the twin on their own arrays. */
  readonly backend?: BackendName;
  /** Threads that take the first touch of the per-row arrays (engine/fresh-arrays.ts; default: every core
   *  for 200,000 rows or more). The numbers are the same for any count. */
  readonly threads?: ThreadsOption;
}

export interface Estimate {
  readonly att: number;
  readonly std_error: number;
  readonly conf_low?: number;
  readonly conf_high?: number;
}

export interface CallawaySantAnnaResult {
  readonly attGt: ReadonlyArray<Estimate & { readonly group: number; readonly time: number }>;
  readonly dynamic: ReadonlyArray<Estimate & { readonly e: number }>;
  readonly group: ReadonlyArray<Estimate & { readonly group: number }>;
  readonly calendar: ReadonlyArray<Estimate & { readonly time: number }>;
  readonly overall: { readonly simple: Estimate; readonly dynamic: Estimate; readonly group: Estimate; readonly calendar: Estimate };
  readonly units: number;
  readonly controlGroup: "never" | "notyet";
  readonly estMethod: EstMethod;
  readonly controls: readonly string[];
  readonly anticipation: number;
  readonly basePeriod: "varying" | "universal";
  readonly panel: boolean;
  readonly bootstrap: { readonly reps: number; readonly seed: number; readonly criticalValue: { readonly attGt: number; readonly dynamic: number } } | null;
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

/** Each observation's cohort as an index into `groups` (groups.length for never treated). */
interface UnitGroups {
  readonly groups: readonly number[];
  readonly index: Int32Array;
}

/** sum_j w_j theta_j with w_j = P(g_j) / S, plus the influence of estimating the P(g_j):
 *    d w_j = (1{G = g_j} - p_j) / S - p_j / S^2 sum_k (1{G = g_k} - p_k),
 *  summed against theta_j in closed form: with A_g = sum of theta_j over items of group g,
 *  B = sum_j p_j theta_j, P = sum_j p_j and m_g = number of items of group g, unit i adds
 *    A_{G_i} / S - B / S - (m_{G_i} - P) B / S^2,
 *  which costs O(units + items) instead of O(units x items). */
function weightedByGroupShare(items: ReadonlyArray<Param & { readonly g: number }>, unitGroup: UnitGroups, share: ReadonlyMap<number, number>): Param {
  const n = unitGroup.index.length;
  let S = 0;
  let B = 0;
  const A = new Map<number, number>();
  const m = new Map<number, number>();
  for (const it of items) {
    const p = share.get(it.g)!;
    S += p;
    B += p * it.att;
    A.set(it.g, (A.get(it.g) ?? 0) + it.att);
    m.set(it.g, (m.get(it.g) ?? 0) + 1);
  }
  const P = S;
  let att = 0;
  const inf = freshF64(n);
  for (const it of items) {
    const w = share.get(it.g)! / S;
    att += w * it.att;
    addScaled(inf, w, it);
  }
  // The addend depends on the unit only through its cohort: one value per cohort (last: never treated).
  const addend = [...unitGroup.groups, NaN].map((gi) => {
    const ag = A.get(gi) ?? 0;
    const mg = m.get(gi) ?? 0;
    return ag / S - B / S - ((mg - P) * B) / (S * S);
  });
  const byGroup = Float64Array.from(addend);
  const { index } = unitGroup;
  forRowBlocks(n, (from, to) => addByGroup(inf, index, byGroup, from, to));
  return { att, inf };
}

/** inf[i] += addend[index[i]] for rows [from, to) (in blocks: row-block.ts says why). */
function addByGroup(inf: Float64Array, index: Int32Array, addend: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) inf[i] += addend[index[i]];
}

function simpleMean(items: readonly Param[], n: number): Param {
  const inf = freshF64(n);
  let att = 0;
  for (const it of items) {
    att += it.att / items.length;
    addDivided(inf, it, items.length);
  }
  return { att, inf };
}

export function callawaySantAnna(data: DataInput, o: CallawaySantAnnaOptions): CallawaySantAnnaResult {
  const frame = toFrame(data);
  const controlGroup = o.controlGroup ?? "never";
  if (controlGroup !== "never" && controlGroup !== "notyet") throw new DidwasmError("BAD_OPTION", `control group must be "never" or "notyet", got "${controlGroup}"`);
  const controls = o.controls ?? [];
  // The per-row and per-unit arrays (the unit x period panels of y and the controls, in both layouts, each
  // cell's influence function: about 16 (1 + controls) + 40 bytes a row) come from memory that kernel threads touch first
  // while this thread works (engine/fresh-arrays.ts).
  const touching = reserveFreshArrays(o.threads, frame.nrow, 16 * (1 + controls.length) + 40);
  const timing = timingFromCohort(frame, { unit: o.unit, time: o.time, cohort: o.cohort, never: o.never });
  const notes: Note[] = [...touching.notes];
  const estMethod: EstMethod = o.estMethod ?? "dr";
  if (!EST_METHODS.includes(estMethod)) throw new DidwasmError("BAD_OPTION", `estimation method must be one of ${EST_METHODS.join(", ")}, got "${estMethod}"`);
  const anticipation = o.anticipation ?? 0;
  if (!(Number.isInteger(anticipation) && anticipation >= 0)) throw new DidwasmError("BAD_OPTION", `anticipation must be a whole number of periods, 0 or more, got ${anticipation}`);
  const basePeriod = o.basePeriod ?? "varying";
  if (basePeriod !== "varying" && basePeriod !== "universal") throw new DidwasmError("BAD_OPTION", `base period must be "varying" or "universal", got "${basePeriod}"`);
  const universal = basePeriod === "universal";
  const panel = o.panel ?? true;
  if (!panel && o.backend === "reference") {
    throw new DidwasmError("BAD_OPTION", "backend applies only to a panel (panel: true): repeated cross sections run in TypeScript", { option: "backend" });
  }
  const sample = buildSample(frame, {
    numeric: [{ name: o.y, role: "outcome" }, { name: o.time, role: "time variable" }, ...controls.map((name) => ({ name, role: "control" }))],
    categorical: [{ name: o.unit, role: "unit variable" }],
    subset: o.subset ?? null, fixef: [], fixefRm: "none",
  });
  const unit = groupIds(frame, o.unit, sample.rows);
  const time = sampleValues(frame, o.time, sample.rows, "time variable");
  const y = sampleValues(frame, o.y, sample.rows, "outcome");
  const xs = controls.map((name) => sampleValues(frame, name, sample.rows, "control"));
  // Every row in the sample: the time column's distinct periods, already found (and cached) for the timing.
  const periods = sample.rows.length === frame.nrow ? distinctPeriods(frame, o.time) : [...new Set(time)].sort((a, b) => a - b);
  const obs = panel
    ? panelObservations({ unitIds: unit.ids, units: unit.G, rowOf: sample.rows, time, y, xs, cohortOfRow: timing.cohortOfRow, periods, unitName: (r) => frame.cellText(o.unit, r) })
    : crossSectionObservations({ rowOf: sample.rows, time, y, xs, cohortOfRow: timing.cohortOfRow, periods });
  notes.push(...obs.notes);
  const { n, G, Y: Yk, X: Xk, periodOf } = obs;
  const groups = [...new Set(G)].filter(Number.isFinite).sort((a, b) => a - b);
  if (groups.length === 0) throw new DidwasmError("BAD_DATA", "no treated cohort starts inside the panel");
  const neverCount = G.filter((g) => g === Infinity).length;
  if (controlGroup === "never" && neverCount === 0) {
    throw new DidwasmError("BAD_DATA", 'no never-treated units: use the not-yet-treated control group (--control-group notyet)');
  }
  if (controlGroup === "notyet" && neverCount === 0 && groups.length < 2) {
    throw new DidwasmError("BAD_DATA", "no never-treated and no not-yet-treated units to serve as controls: every unit starts treatment at the same time");
  }
  const share = new Map(groups.map((g) => [g, G.filter((x) => x === g).length / n]));
  const groupPos = new Map(groups.map((g, k) => [g, k]));
  const unitGroups: UnitGroups = { groups, index: Int32Array.from(G, (g) => groupPos.get(g) ?? groups.length) };

  for (const g of groups) {
    const size = G.filter((x) => x === g).length;
    if (panel && size === 1) notes.push(warning("data", `cohort ${g} has a single unit: its effects rest on one unit and their standard errors are unreliable`));
  }

  const plan: CellPlan = { periods, groups, G, controlGroup, anticipation, universal, estMethod };
  const cells = groupTimeCells(plan, panel ? panelCellData(plan, Yk, Xk, defaultEngine(o.backend ?? "wasm").backend) : crossSectionCellData(plan, Yk, Xk, periodOf), notes);

  const post = cells.filter((c) => c.t >= c.g);
  if (post.length === 0) {
    const why = notes.filter((x) => x.severity === "warning").map((x) => x.message);
    throw new DidwasmError("BAD_DATA", `no post-treatment group-time effect could be estimated${why.length ? `: ${why[0]}${why.length > 1 ? ` (and ${why.length - 1} more)` : ""}` : ""}`);
  }
  const simple = weightedByGroupShare(post, unitGroups, share);
  const es = [...new Set(cells.map((c) => c.t - c.g))].sort((a, b) => a - b);
  const dynamicParams = es.map((e) => ({ e, ...weightedByGroupShare(cells.filter((c) => c.t - c.g === e), unitGroups, share) }));
  const referenceTimes = new Set(cells.filter((c) => c.reference).map((c) => c.t - c.g));
  const eventRows = dynamicParams.filter((d) => !(referenceTimes.has(d.e) && cells.every((c) => c.t - c.g !== d.e || c.reference)));
  const dynamicOverall = simpleMean(dynamicParams.filter((d) => d.e >= 0), n);
  const groupParams = groups
    .map((g) => ({ g, items: post.filter((c) => c.g === g) }))
    .filter((x) => x.items.length > 0)
    .map(({ g, items }) => ({ g, ...simpleMean(items, n) }));
  const groupOverall = weightedByGroupShare(groupParams, unitGroups, share);
  const calTimes = [...new Set(post.map((c) => c.t))].sort((a, b) => a - b);
  const calendarParams = calTimes.map((t) => ({ t, ...weightedByGroupShare(post.filter((c) => c.t === t), unitGroups, share) }));
  const calendarOverall = simpleMean(calendarParams, n);

  // Multiplier bootstrap.
  const reps = o.bootstrap ?? 0;
  let boot: CallawaySantAnnaResult["bootstrap"] = null;
  const bootSe = new Map<Param, number>();
  const alpha = o.alpha ?? 0.05;
  if (reps > 0) {
    if (!Number.isInteger(reps) || reps > 1_000_000) throw new DidwasmError("BAD_OPTION", `bootstrap replicates must be a whole number up to 1,000,000, got ${reps}`);
    const seed = o.seed ?? 1;
    const params: Param[] = [...cells, ...dynamicParams, simple, dynamicOverall, groupOverall, calendarOverall, ...groupParams, ...calendarParams];
    const draws = params.map(() => new Float64Array(reps));
    const v = new Float64Array(n);
    for (let b = 0; b < reps; b++) {
      const rng = new Xoshiro128(seed, b);
      for (let i = 0; i < n; i++) v[i] = rng.u32() & 1 ? 1 : -1;
      params.forEach((p, k) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += v[i] * p.inf[i];
        draws[k][b] = s / n;
      });
    }
    const iqrScale = normalQuantile(0.75) - normalQuantile(0.25);
    params.forEach((p, k) => {
      const sorted = Float64Array.from(draws[k]).sort();
      bootSe.set(p, (quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25)) / iqrScale);
    });
    const critical = (ps: Param[]) => {
      const ks = ps.map((p) => params.indexOf(p));
      const maxT = new Float64Array(reps);
      for (let b = 0; b < reps; b++) {
        let m = 0;
        for (const k of ks) {
          const s = bootSe.get(params[k])!;
          if (s > 0) m = Math.max(m, Math.abs(draws[k][b]) / s);
        }
        maxT[b] = m;
      }
      return quantileSorted(maxT.sort(), 1 - alpha);
    };
    boot = { reps, seed, criticalValue: { attGt: critical(cells), dynamic: critical(dynamicParams) } };
  }
  const z = normalQuantile(1 - alpha / 2);
  const est = (p: Param, c?: number): Estimate => {
    const s = bootSe.get(p) ?? Math.sqrt(sumOfSquares(p)) / n;
    const crit = c ?? z;
    return { att: p.att, std_error: s, conf_low: p.att - crit * s, conf_high: p.att + crit * s };
  };
  const attGt = cells.map((c) => ({ group: c.g, time: c.t, ...est(c, boot?.criticalValue.attGt) }));
  const dynamic = dynamicParams.map((d) => ({ e: d.e, ...est(d, boot?.criticalValue.dynamic) }));
  const group = groupParams.map((g) => ({ group: g.g, ...est(g) }));
  const calendar = calendarParams.map((c) => ({ time: c.t, ...est(c) }));
  const overall = { simple: est(simple), dynamic: est(dynamicOverall), group: est(groupOverall), calendar: est(calendarOverall) };
  return {
    attGt, dynamic, group, calendar, overall, units: n, controlGroup, estMethod, controls, anticipation, basePeriod, panel, bootstrap: boot, notes,
    toJSON() {
      // The dynamic effects' influence functions' cross products, every pair in one blocked pass.
      const gram = crossProducts(eventRows.map((d) => d.inf), n);
      const m = eventRows.length;
      return {
        control_group: controlGroup, est_method: estMethod, controls, anticipation, base_period: basePeriod, panel,
        // Units of the balanced panel, or rows of the repeated cross sections.
        units: n, threads: touching.threads, att_gt: attGt, dynamic, group, calendar, overall,
        // The dynamic effects' covariance from their influence functions (sum psi_a psi_b / n^2, analytic
        // even with the bootstrap), for honestdid --from. The universal base period's own event time (0
        // by construction) is the reference, not a row.
        event_vcov: {
          ...eventVcovJson(eventRows.map((d) => ({ rel_time: d.e, estimate: d.att })), (a, b) => gram[a * m + b] / (n * n)),
          base_period: basePeriod,
        },
        standard_errors: boot ? `multiplier bootstrap (${boot.reps} Rademacher replicates, seed ${boot.seed}); uniform ${Math.round((1 - alpha) * 100)}% bands` : "analytic (influence functions); pointwise intervals",
        bootstrap: boot ? { reps: boot.reps, seed: boot.seed, critical_value: { att_gt: boot.criticalValue.attGt, dynamic: boot.criticalValue.dynamic } } : null,
        notes,
      };
    },
  };
}

