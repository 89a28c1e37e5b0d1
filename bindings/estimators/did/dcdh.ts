// de Chaisemartin and D'Haultfoeuille's event-study estimators ("Difference-in-differences estimators of
// intertemporal treatment effects", 2024), as the DIDmultiplegtDYN package computes them: for a treatment
// that may be non-binary and may go up and down, DID_l compares the outcome change of each switcher from
// F_g - 1 to F_g - 1 + l with that of groups with the same period-one treatment that have not switched yet
// (dcdh-horizon.ts), averaged over switchers; groups whose treatment went down enter with their sign flipped,
// weighted by their number (N1_l, N0_l). Also: placebos DID_l^pl, normalised effects DID_l / delta_l (delta_l:
// switchers' mean cumulative treatment change), the average total effect per unit of treatment
// (sum_l N_l DID_l / sum_l N_l * treatment change at l), joint tests of the placebos and of the effects, and
// the full covariance of effects and placebos, all from the groups' influence functions clustered by group
// (or a coarser cluster) with the package's cohort-centred small-sample variance.
//
// Numbering: effect l (Effect_l, l = 1..L) is event time l - 1 (0 = first period of the switch), placebo l
// (Placebo_l) is event time -1 - l; the reference period F_g - 1 is event time -1 and is not a row.
import { toFrame, type DataInput } from "../../data/columns.js";
import { DidwasmError } from "../../errors.js";
import { info, warning, type Note } from "../../notes.js";
import { normalCdf, normalQuantile } from "../../stats/distributions.js";
import { dcdhDesign, type DcdhDesign } from "./dcdh-design.js";
import { controlTotalsUpTo, dcdhHorizon, sameSwitchers, type HorizonResult } from "./dcdh-horizon.js";
import { UsedCells } from "./dcdh-used-cells.js";
import { clusterSums, covarianceMatrix, waldTest, type WaldTest } from "./dcdh-inference.js";
import { eventVcovJson, type EventVcovJson } from "./event-vcov.js";
import { reserveFreshArrays, type ThreadsOption } from "../thread-choice.js";
import { freshF64 } from "../../engine/fresh-arrays.js";

export type DcdhSwitchers = "both" | "in" | "out";

export interface DcdhOptions {
  readonly y: string;
  /** The group variable (the package's `group`). */
  readonly unit: string;
  readonly time: string;
  /** Treatment: any numeric values, may change several times in either direction. */
  readonly treat: string;
  /** Number of event-study effects (default 1, as the package). */
  readonly effects?: number;
  /** Number of placebos (default 0); at most the number of effects. */
  readonly placebo?: number;
  readonly normalized?: boolean;
  /** Only switchers for whom every effect can be estimated. */
  readonly sameSwitchers?: boolean;
  /** Test that all effects are equal. */
  readonly effectsEqual?: boolean;
  /** Only switchers whose treatment went up ("in") or down ("out"). */
  readonly switchers?: DcdhSwitchers;
  readonly cluster?: string | null;
  readonly weights?: string | null;
  readonly subset?: string | null;
  /** Not supported: refused with an explanation. */
  readonly controls?: readonly string[];
  /** Threads that take the first touch of the per-row arrays (engine/fresh-arrays.ts; default: every core
   *  for 200,000 rows or more). The numbers are the same for any count. */
  readonly threads?: ThreadsOption;
}

export interface DcdhEstimate {
  readonly term: string;
  readonly rel_time: number | null;
  readonly estimate: number;
  readonly std_error: number;
  readonly statistic: number;
  readonly p_value: number;
  readonly conf_low: number;
  readonly conf_high: number;
  /** Group x period cells used, and switchers (groups); weighted sums when weights are given. */
  readonly nobs: number;
  readonly switchers: number;
  readonly nobs_weighted: number;
  readonly switchers_weighted: number;
}

export interface DcdhResult {
  readonly outcome: string;
  /** Threads that took the first touch of its arrays (1: this one alone). */
  readonly threads: number;
  readonly effects: readonly DcdhEstimate[];
  readonly placebos: readonly DcdhEstimate[];
  readonly ate: DcdhEstimate;
  /** Average number of periods over which a treatment change's effects are accumulated in the ATE. */
  readonly avgPeriodsAccumulated: number;
  readonly event: readonly DcdhEstimate[];
  readonly eventVcov: EventVcovJson;
  readonly jointPlacebos: WaldTest | null;
  readonly jointEffects: WaldTest | null;
  readonly effectsEqual: WaldTest | null;
  readonly normalized: boolean;
  /** delta_l of the normalised effects (null unless normalized). */
  readonly deltas: readonly number[] | null;
  readonly groups: number;
  readonly cluster: { readonly name: string; readonly G: number };
  readonly nobs: number;
  readonly notes: readonly Note[];
  toJSON(): Record<string, unknown>;
}

/** The normal 97.5% quantile, computed when a result needs it: at the module's top level it ran at every
 *  import of the library (its Newton steps in V8's interpreter, a few ms per process). */
const z975 = (): number => normalQuantile(0.975);

function checkCount(name: string, v: number | undefined, min: number, def: number): number {
  if (v === undefined || v === null) return def;
  if (!(Number.isInteger(v) && v >= min)) throw new DidwasmError("BAD_OPTION", `${name} must be a whole number >= ${min}, got ${v}`, { option: name });
  return v;
}

/** Largest horizon any switcher of a direction has (effects: L_g; placebos: min(L_g, F_g - 2)). */
function maxHorizon(ds: DcdhDesign, dir: 0 | 1, placebo: boolean): number {
  let m = 0;
  for (let g = 0; g < ds.F.length; g++) {
    if (ds.S[g] !== dir) continue;
    const h = placebo ? (ds.F[g] >= 3 ? Math.min(ds.L[g], ds.F[g] - 2) : 0) : ds.L[g];
    if (h > m) m = h;
  }
  return m;
}

interface Combined {
  readonly U: Float64Array;
  readonly Uvar: Float64Array;
  readonly N: number;
  readonly count: number;
  readonly delta: number;
  readonly nobs: number;
  readonly nobsWeighted: number;
}

/** Up- and down-switchers' horizons as one estimator: (N1 U+ - N0 U-) / (N1 + N0). */
function combine(ds: DcdhDesign, parts: ReadonlyArray<{ dir: 0 | 1; h: HorizonResult }>, used: Uint8Array, bit: number): Combined {
  const G0 = ds.F.length;
  const U = freshF64(G0);
  const Uvar = freshF64(G0);
  let N = 0;
  let count = 0;
  for (const { h } of parts) {
    N += h.N;
    count += h.count;
  }
  let delta = 0;
  for (const { dir, h } of parts) {
    if (h.N === 0) continue;
    const w = ((dir === 1 ? 1 : -1) * h.N) / N;
    for (let g = 0; g < G0; g++) {
      U[g] += w * h.U[g];
      Uvar[g] += w * h.Uvar[g];
    }
    delta += (h.N / N) * h.deltaNorm;
  }
  let nobs = 0;
  let nobsWeighted = 0;
  for (let k = 0; k < used.length; k++) {
    if (used[k] & bit) {
      nobs++;
      nobsWeighted += ds.N[k];
    }
  }
  return { U, Uvar, N, count, delta, nobs, nobsWeighted };
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

function estimateRow(term: string, relTime: number | null, b: number, variance: number, c: { nobs: number; count: number; nobsWeighted: number; N: number }): DcdhEstimate {
  const se = Math.sqrt(Math.max(variance, 0));
  const z = b / se;
  return {
    term, rel_time: relTime, estimate: b, std_error: se, statistic: z, p_value: 2 * (1 - normalCdf(Math.abs(z))),
    conf_low: b - z975() * se, conf_high: b + z975() * se, nobs: c.nobs, switchers: c.count, nobs_weighted: c.nobsWeighted, switchers_weighted: c.N,
  };
}

export function dcdh(data: DataInput, o: DcdhOptions): DcdhResult {
  const frame = toFrame(data);
  if (o.controls && o.controls.length) {
    throw new DidwasmError(
      "BAD_OPTION",
      "dcdh does not support controls yet (the package residualises first differences on the controls' first differences within each baseline treatment, with a variance correction that is not implemented); run it without --controls",
      { option: "controls" },
    );
  }
  const effects = checkCount("effects", o.effects, 1, 1);
  const placebo = checkCount("placebo", o.placebo, 0, 0);
  const switchersOpt = o.switchers ?? "both";
  if (!["both", "in", "out"].includes(switchersOpt)) throw new DidwasmError("BAD_OPTION", `switchers must be both, in or out, got "${switchersOpt}"`, { option: "switchers" });
  const normalized = o.normalized ?? false;
  const clusterName = o.cluster && o.cluster !== o.unit ? o.cluster : null;
  // The design's per-row arrays come from memory that kernel threads touch first while this thread works
  // (engine/fresh-arrays.ts; about 64 bytes a row with its horizons).
  const touching = reserveFreshArrays(o.threads, frame.nrow, 64);
  const ds = dcdhDesign(frame, { y: o.y, unit: o.unit, time: o.time, treat: o.treat, cluster: clusterName, weights: o.weights ?? null, subset: o.subset ?? null });
  const notes: Note[] = [...touching.notes, ...ds.notes];
  const dirs: (0 | 1)[] = switchersOpt === "in" ? [1] : switchersOpt === "out" ? [0] : [1, 0];
  const Lmax = { 1: maxHorizon(ds, 1, false), 0: maxHorizon(ds, 0, false) };
  const Lpl = { 1: maxHorizon(ds, 1, true), 0: maxHorizon(ds, 0, true) };
  const lAll = Math.max(...dirs.map((d) => Lmax[d]));
  if (lAll === 0) {
    throw new DidwasmError(
      "BAD_DATA",
      `no effect can be estimated: no group${switchersOpt === "both" ? "" : switchersOpt === "in" ? " whose treatment went up" : " whose treatment went down"} changes treatment while a group with the same period-one treatment has not changed yet (Design Restriction 1 of de Chaisemartin and D'Haultfoeuille 2024)`,
    );
  }
  const lXX = Math.min(effects, lAll);
  if (lXX < effects) notes.push(warning("data", `${effects} effects requested, but at most ${lXX} can be estimated: estimating ${lXX}`));
  const lPl = Math.min(placebo, Math.max(...dirs.map((d) => Lpl[d])), lXX);
  if (lPl < placebo) notes.push(warning("data", `${placebo} placebos requested, but at most ${lPl} can be estimated${placebo > effects ? " (no more placebos than effects)" : ""}: estimating ${lPl}`));

  const T = ds.T;
  const G0 = ds.F.length;

  // Horizon l's control totals serve its effect and its placebo in both directions, and --same-switchers:
  // computed once, every horizon's in one pass over the cells.
  const totals = controlTotalsUpTo(ds, lXX);
  const placeboTotals = controlTotalsUpTo(ds, lPl, true);
  const still = o.sameSwitchers ? sameSwitchers(ds, lXX, totals) : null;
  // runs 0 .. lXX - 1: the effects, then the placebos
  const usedCells = new UsedCells(G0 * T, lXX + lPl);
  const run = (l: number, pl: boolean) => {
    const r = pl ? lXX + l - 1 : l - 1;
    const used = usedCells.plane(r);
    const bit = UsedCells.bit(r);
    const parts = dirs.filter((d) => l <= Math.min(pl ? Math.min(placebo, Lpl[d]) : Lmax[d], lXX)).map((dir) => ({ dir, h: dcdhHorizon(ds, l, dir, pl, still, used, bit, totals[l - 1], pl ? placeboTotals[l - 1] : null) }));
    return { parts, c: combine(ds, parts, used, bit) };
  };
  const eff = Array.from({ length: lXX }, (_, i) => run(i + 1, false));
  const pls = Array.from({ length: lPl }, (_, i) => run(i + 1, true));

  // average total effect per unit of treatment, per direction then combined
  const ate = { U: freshF64(G0), Uvar: freshF64(G0) };
  const dirAte = dirs.map((dir) => {
    let sumN = 0;
    for (const e of eff) for (const p of e.parts) if (p.dir === dir) sumN += p.h.N;
    const U = freshF64(G0);
    const Uvar = freshF64(G0);
    let den = 0;
    for (const e of eff) {
      for (const p of e.parts) {
        if (p.dir !== dir || p.h.N === 0) continue;
        const w = p.h.N / sumN;
        den += w * p.h.deltaNow;
        for (let g = 0; g < G0; g++) {
          U[g] += w * p.h.U[g];
          Uvar[g] += w * p.h.Uvar[g];
        }
      }
    }
    return { dir, sumN, den, U, Uvar };
  });
  let totalWeight = 0;
  for (const a of dirAte) totalWeight += a.den * a.sumN;
  for (const a of dirAte) {
    if (a.sumN === 0 || a.den === 0) continue;
    const w = ((a.dir === 1 ? 1 : -1) * a.den * a.sumN) / totalWeight / a.den;
    for (let g = 0; g < G0; g++) {
      ate.U[g] += w * a.U[g];
      ate.Uvar[g] += w * a.Uvar[g];
    }
  }

  // average number of periods over which effects accumulate: each switch's treatment change at F_g - 1 + j
  // counts the periods from j to the last effect estimated for the group
  let accNum = 0;
  let accDen = 0;
  eff.forEach((e, j) => {
    for (const p of e.parts) {
      for (const g of p.h.switchers) {
        const dD = Math.abs(ds.D[g * T + ds.F[g] - 1 + j] - ds.dsq[g]);
        if (!(dD > 0)) continue;
        const M = Math.min(lXX, ds.Tg[g] - ds.F[g] + 1);
        accNum += dD * (M - j);
        accDen += dD;
      }
    }
  });

  const G = ds.G;
  const scaleOf = (c: Combined) => (normalized ? c.delta : 1);
  const all = [...eff.map((e) => e.c), ...pls.map((p) => p.c)];
  const sums = clusterSums([...all.map((c) => c.Uvar), ate.Uvar], ds.cluster, ds.C);
  const V = covarianceMatrix(sums, G, [...all.map(scaleOf), 1]);
  const estimateOf = (c: Combined) => (c.N === 0 ? NaN : sum(c.U) / G / scaleOf(c));
  const effectsRows = eff.map((e, i) => estimateRow(`Effect_${i + 1}`, i, estimateOf(e.c), e.c.N === 0 ? NaN : V[i][i], e.c));
  const placeboRows = pls.map((p, i) => estimateRow(`Placebo_${i + 1}`, -2 - i, estimateOf(p.c), p.c.N === 0 ? NaN : V[lXX + i][lXX + i], p.c));
  effectsRows.forEach((r, i) => {
    if (Number.isNaN(r.estimate)) notes.push(warning("data", `Effect_${i + 1} cannot be estimated: no switcher has a control for it`));
  });
  placeboRows.forEach((r, i) => {
    if (Number.isNaN(r.estimate)) notes.push(warning("data", `Placebo_${i + 1} cannot be estimated: no switcher has a control for it`));
  });
  // the average total effect uses every cell some effect uses
  const ateN = { nobs: 0, nobsWeighted: 0, count: 0, N: 0 };
  for (const e of eff) {
    ateN.count += e.c.count;
    ateN.N += e.c.N;
  }
  const usedByAny = usedCells.byAnyOf(lXX);
  for (let k = 0; k < usedByAny.length; k++) {
    if (usedByAny[k]) {
      ateN.nobs++;
      ateN.nobsWeighted += ds.N[k];
    }
  }
  const K = all.length;
  const ateRow = estimateRow("Av_tot_eff", null, sum(ate.U) / G, V[K][K], ateN);
  if (normalized) notes.push(info("method", "normalised effects: DID_l divided by delta_l, the switchers' mean cumulative treatment change from F_g to F_g - 1 + l"));
  const event = [...placeboRows, ...effectsRows].filter((r) => !Number.isNaN(r.estimate)).sort((a, b) => a.rel_time! - b.rel_time!);
  const index = (r: DcdhEstimate) => (r.term.startsWith("Effect_") ? Number(r.term.slice(7)) - 1 : lXX + Number(r.term.slice(8)) - 1);
  const eventVcov = eventVcovJson(event.map((r) => ({ rel_time: r.rel_time!, estimate: r.estimate })), (a, b) => V[index(event[a])][index(event[b])]);
  const okEffects = effectsRows.every((r) => Number.isFinite(r.estimate));
  const okPlacebos = placeboRows.every((r) => Number.isFinite(r.estimate));
  const jointEffects = lXX >= 2 && okEffects ? waldTest(effectsRows.map((r) => r.estimate), V.slice(0, lXX).map((row) => row.slice(0, lXX))) : null;
  const jointPlacebos = lPl >= 2 && okPlacebos ? waldTest(placeboRows.map((r) => r.estimate), V.slice(lXX, K).map((row) => row.slice(lXX, K))) : null;
  let effectsEqual: WaldTest | null = null;
  if (o.effectsEqual) {
    if (lXX < 2) throw new DidwasmError("BAD_OPTION", `effectsEqual needs at least two effects, but ${lXX} can be estimated`, { option: "effectsEqual" });
    if (okEffects) {
      // contrasts b_i - mean(b), i = 1..L-1, as the package's test
      const Dm = Array.from({ length: lXX - 1 }, (_, i) => Array.from({ length: lXX }, (_, j) => (i === j ? 1 : 0) - 1 / lXX));
      const b = Dm.map((row) => row.reduce((s, v, j) => s + v * effectsRows[j].estimate, 0));
      const Vd = Dm.map((ri) => Dm.map((rj) => ri.reduce((s, vi, a) => s + vi * rj.reduce((t, vj, c) => t + V[a][c] * vj, 0), 0)));
      effectsEqual = waldTest(b, Vd);
    }
  }
  return dcdhResult({
    outcome: o.y, effects: effectsRows, placebos: placeboRows, ate: ateRow, avgPeriodsAccumulated: accDen > 0 ? accNum / accDen : NaN,
    event, eventVcov, jointPlacebos, jointEffects, effectsEqual, normalized, deltas: normalized ? eff.map((e) => e.c.delta) : null,
    groups: G, cluster: { name: clusterName ?? o.unit, G: clusterName ? ds.C : G }, nobs: ds.rows, threads: touching.threads, notes,
  });
}

function dcdhResult(r: Omit<DcdhResult, "toJSON">): DcdhResult {
  return {
    ...r,
    toJSON() {
      return {
        estimator: "de Chaisemartin and D'Haultfoeuille (2024) event-study DID (did_multiplegt_dyn)",
        outcome: r.outcome,
        nobs: r.nobs,
        threads: r.threads,
        groups: r.groups,
        normalized: r.normalized,
        coefficients: [...r.effects, r.ate, ...r.placebos],
        effects: r.effects,
        placebos: r.placebos,
        average_total_effect: { ...r.ate, periods_accumulated: r.avgPeriodsAccumulated },
        event: r.event,
        event_vcov: r.eventVcov,
        joint_test_placebos: r.jointPlacebos,
        joint_test_effects: r.jointEffects,
        ...(r.effectsEqual ? { test_effects_equal: r.effectsEqual } : {}),
        ...(r.deltas ? { delta: r.deltas } : {}),
        variance: { type: `influence functions clustered by ${r.cluster.name}, cohort-centred with small-sample correction (as did_multiplegt_dyn)`, cluster: r.cluster.name, clusters: r.cluster.G },
        notes: r.notes,
      };
    },
  };
}
