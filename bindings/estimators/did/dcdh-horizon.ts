// One event-study horizon of de Chaisemartin and D'Haultfoeuille's estimator, for one direction of switch
// (groups whose treatment went up, or down): DID_l or the placebo DID_l^pl, as each group's contribution
// U_g (the influence function the package calls U_Gg), so that DID_l = sum_g U_g / G.
//
//   effect l:  switcher g (first switch F_g, direction S_g) at t = F_g - 1 + l, outcome change Y_t - Y_{t-l},
//              minus the N-weighted mean change of the groups with the same period-one treatment that have
//              not switched yet at t (F_g' > t);
//   placebo l: the same switchers and controls, outcome change Y_{F_g-1-l} - Y_{F_g-1} (and the controls'
//              over the same periods), so a placebo exists only where the effect does.
//
// Variance: the package's U_Gg_var, where each cell's outcome change is centred on its cohort's mean
// (controls: same baseline and period; switchers: same baseline, F_g and treatment at F_g; a singleton
// cohort falls back to baseline x period with switchers and controls pooled) and scaled by sqrt(n/(n-1))
// with n the cohort's groups (or clusters): a small-sample correction that makes the variance consistent
// when effects are heterogeneous across cohorts. var(DID_l) = sum over clusters (sum of U_var)^2 / G^2.
import type { DcdhDesign } from "./dcdh-design.js";
import { freshF64 } from "../../engine/fresh-arrays.js";
import { forRowBlocks } from "../../engine/row-block.js";

export interface HorizonResult {
  /** Switchers' summed weight (N_l) and count. */
  readonly N: number;
  readonly count: number;
  /** Per group (design's indexing): contribution to the estimate, and to its variance. */
  readonly U: Float64Array;
  readonly Uvar: Float64Array;
  /** Mean over switchers of their summed treatment change from F_g to F_g - 1 + l (normalised effects). */
  readonly deltaNorm: number;
  /** Mean over switchers of their treatment change at F_g - 1 + l (the average total effect). */
  readonly deltaNow: number;
  /** The switchers. */
  readonly switchers: Int32Array;
}

const isNum = (x: number) => x === x;

/** The outcome change cell (g, t) contributes to horizon l (base = g * T - 1, so Y[base + t] is period t):
 *  Y_t - Y_{t-l} for an effect, Y_{t-2l} - Y_{t-l} for a placebo; NaN where a period falls before 1. A
 *  function of the module rather than a closure per call, so that the loops over every cell inline it. */
function cellChange(Y: Float64Array, base: number, t: number, l: number, placebo: boolean): number {
  if (placebo) return t - 2 * l >= 1 ? Y[base + t - 2 * l] - Y[base + t - l] : NaN;
  return t - l >= 1 ? Y[base + t] - Y[base + t - l] : NaN;
}

/** Controls' summed weight per (period, baseline) for effect l = 1..L (out[l - 1]): unswitched groups with
 *  an outcome change (for placebo l, only groups that also have the placebo's change). Every horizon's in
 *  one pass over the cells, each total's cells in group and period order. */
export function controlTotalsUpTo(ds: DcdhDesign, L: number, placebo = false): Float64Array[] {
  const { T, K, Y, N, F, dsqId } = ds;
  const out = Array.from({ length: L }, () => new Float64Array((T + 1) * K));
  for (let g = 0; g < F.length; g++) {
    const base = g * T - 1;
    const last = Math.min(F[g] - 1, T);
    const d = dsqId[g];
    for (let t = 2; t <= last; t++) {
      const key = t * K + d;
      const w = N[base + t];
      const top = Math.min(L, t - 1);
      for (let l = 1; l <= top; l++) {
        const dy = Y[base + t] - Y[base + t - l];
        if (isNum(dy) && (!placebo || isNum(cellChange(Y, base, t, l, true)))) out[l - 1][key] += w;
      }
    }
  }
  return out;
}

/** --same-switchers: groups for which every effect 1..L can be computed (totals: controlTotalsUpTo(ds, L)). */
export function sameSwitchers(ds: DcdhDesign, L: number, totals: readonly Float64Array[]): Uint8Array {
  const { T, K, Y, F, Tg, dsqId } = ds;
  const still = new Uint8Array(F.length);
  for (let g = 0; g < F.length; g++) still[g] = F[g] - 1 + L <= Tg[g] ? 1 : 0;
  for (let q = 1; q <= L; q++) {
    const ctrl = totals[q - 1];
    for (let g = 0; g < F.length; g++) {
      if (!still[g]) continue;
      const t = F[g] - 1 + q;
      const dy = t <= T && t - q >= 1 ? Y[g * T + t - 1] - Y[g * T + t - 1 - q] : NaN;
      if (!(isNum(dy) && ctrl[t * K + dsqId[g]] > 0)) still[g] = 0;
    }
  }
  return still;
}

/** Weighted count, weighted sum of changes and degrees of freedom (groups, or distinct clusters) per cohort,
 *  cohorts numbered 0..size-1. */
class Cohorts {
  readonly n: Float64Array;
  readonly sum: Float64Array;
  readonly dof: Float64Array;
  private readonly seen: Set<number> | null;
  constructor(size: number, private readonly C: number, clustered: boolean) {
    this.n = new Float64Array(size);
    this.sum = new Float64Array(size);
    this.dof = new Float64Array(size);
    this.seen = clustered ? new Set() : null;
  }
  add(key: number, w: number, dv: number, cluster: number): void {
    this.n[key] += w;
    this.sum[key] += w * dv;
    if (!this.seen) this.dof[key]++;
    else {
      const id = key * this.C + cluster;
      if (!this.seen.has(id)) {
        this.seen.add(id);
        this.dof[key]++;
      }
    }
  }
}

const correction = (dof: number) => Math.sqrt(dof / (dof - 1));

/** Switchers' variance cohorts (same baseline, first switch and treatment at it), numbered in order of
 *  first appearance among `switchers`: numbers as keys (baseline and first switch in one, then the
 *  treatment), not a string built per switcher. */
function switcherCohorts(ds: DcdhDesign, switchers: Int32Array): { readonly of: Int32Array; readonly size: number } {
  const { T, F, dsqId, dfg } = ds;
  const ids = new Map<number, Map<number, number>>();
  const of = new Int32Array(switchers.length);
  let size = 0;
  for (let j = 0; j < switchers.length; j++) {
    const g = switchers[j];
    // F_g runs from 1 to T + 1: T + 2 first switches per baseline keep the key unique.
    const outer = dsqId[g] * (T + 2) + F[g];
    let byTreatment = ids.get(outer);
    if (!byTreatment) ids.set(outer, (byTreatment = new Map()));
    let id = byTreatment.get(dfg[g]);
    if (id === undefined) byTreatment.set(dfg[g], (id = size++));
    of[j] = id;
  }
  return { of, size };
}

/** inc: 1 for groups whose treatment went up, 0 down. still: --same-switchers' groups (or null). used: the
 *  cells this horizon uses get `usedBit` set (several horizons share one array, a bit each).
 *  ctrlEffect and ctrlPlacebo: horizon l's control totals (controlTotalsUpTo), which both directions share,
 *  the effect's also the placebo's; ctrlPlacebo is read for a placebo only.
 *  Each loop is a function of its own, called on blocks of groups (engine/row-block.ts: a long loop run once
 *  per call is compiled while it runs, and that code is thrown away at its end in every call). */
export function dcdhHorizon(
  ds: DcdhDesign, l: number, inc: 0 | 1, placebo: boolean, still: Uint8Array | null, used: Uint8Array, usedBit: number,
  ctrlEffect: Float64Array, ctrlPlacebo: Float64Array | null,
): HorizonResult {
  const { T, K, C, clustered, G } = ds;
  const G0 = ds.F.length;
  const U = freshF64(G0);
  const Uvar = freshF64(G0);
  // controls: unswitched at t with the effect's change (and, for a placebo, the placebo's change)
  if (placebo && !ctrlPlacebo) throw new Error("internal: a placebo horizon needs its control totals");
  const ctrl = placebo ? ctrlPlacebo! : ctrlEffect;
  const { switchers, sw, N: Nl } = findSwitchers(ds, l, inc, placebo, still, ctrlEffect, ctrl);
  if (Nl === 0) return { N: 0, count: 0, U, Uvar, deltaNorm: 0, deltaNow: 0, switchers: new Int32Array(0) };
  const swAtT = new Float64Array(T + 1);
  for (let t = 1; t <= T; t++) for (let k = 0; k < K; k++) swAtT[t] += sw[t * K + k];
  // cohort means for the variance: controls and pooled by (period, baseline), switchers by (baseline, F_g, D at F_g)
  const ns = new Cohorts((T + 1) * K, C, clustered);
  const nss = new Cohorts((T + 1) * K, C, clustered);
  const sCohorts = switcherCohorts(ds, switchers);
  const s = new Cohorts(sCohorts.size, C, clustered);
  controlCohorts(ds, l, placebo, swAtT, ns, nss);
  switcherCohortSums(ds, l, placebo, switchers, sCohorts.of, s, nss);
  const scale = G / Nl;
  const { deltaNorm, deltaNow } = switcherTerms(ds, l, placebo, switchers, sCohorts.of, s, nss, scale, Nl, U, Uvar, used, usedBit);
  // controls' terms, each cell's centring (its cohort's mean change) and correction taken per cohort
  const centre = new Float64Array((T + 1) * K);
  const dofOf = new Float64Array((T + 1) * K).fill(1);
  for (let key = 0; key < centre.length; key++) {
    if (ns.dof[key] >= 2) {
      centre[key] = ns.sum[key] / ns.n[key];
      dofOf[key] = correction(ns.dof[key]);
    } else if (nss.dof[key] >= 2) {
      centre[key] = nss.sum[key] / nss.n[key];
      dofOf[key] = correction(nss.dof[key]);
    }
  }
  controlTerms(ds, l, placebo, sw, ctrl, centre, dofOf, scale, U, Uvar, used, usedBit);
  return { N: Nl, count: switchers.length, U, Uvar, deltaNorm, deltaNow, switchers };
}

/** Switchers of direction `inc` with the horizon's change and controls (for a placebo, its change and
 *  controls too), in group order; their summed weight per (period, baseline) and in all. */
function findSwitchers(
  ds: DcdhDesign, l: number, inc: 0 | 1, placebo: boolean, still: Uint8Array | null, ctrlEffect: Float64Array, ctrl: Float64Array,
): { switchers: Int32Array; sw: Float64Array; N: number } {
  const { T, K } = ds;
  const G0 = ds.F.length;
  const found = new Int32Array(G0);
  const sw = new Float64Array((T + 1) * K);
  const state = { count: 0, Nl: 0 };
  forRowBlocks(G0, (from, to) => switchersIn(ds, l, inc, placebo, still, ctrlEffect, ctrl, from, to, found, sw, state));
  return { switchers: found.slice(0, state.count), sw, N: state.Nl };
}

/** findSwitchers over groups from .. to - 1, appending to found (state.count of them so far) and adding to
 *  sw and state.Nl. */
function switchersIn(
  ds: DcdhDesign, l: number, inc: 0 | 1, placebo: boolean, still: Uint8Array | null, ctrlEffect: Float64Array, ctrl: Float64Array, from: number, to: number,
  found: Int32Array, sw: Float64Array, state: { count: number; Nl: number },
): void {
  const { T, K, Y, N, F, S, L, dsqId } = ds;
  let { count, Nl } = state;
  for (let g = from; g < to; g++) {
    if (S[g] !== inc || l > L[g] || (still !== null && !still[g])) continue;
    const t = F[g] - 1 + l;
    if (t > T) continue;
    const base = g * T - 1;
    const key = t * K + dsqId[g];
    if (!(isNum(Y[base + t] - Y[base + t - l]) && ctrlEffect[key] > 0)) continue;
    if (placebo && !(isNum(cellChange(Y, base, t, l, true)) && ctrl[key] > 0)) continue;
    found[count++] = g;
    sw[key] += N[base + t];
    Nl += N[base + t];
  }
  state.count = count;
  state.Nl = Nl;
}

/** The switchers' changes into their own cohorts (s) and, after the controls, the pooled ones (nss). */
function switcherCohortSums(ds: DcdhDesign, l: number, placebo: boolean, switchers: Int32Array, sOf: Int32Array, s: Cohorts, nss: Cohorts): void {
  forRowBlocks(switchers.length, (from, to) => switcherCohortSumsIn(ds, l, placebo, switchers, sOf, s, nss, from, to));
}

function switcherCohortSumsIn(
  ds: DcdhDesign, l: number, placebo: boolean, switchers: Int32Array, sOf: Int32Array, s: Cohorts, nss: Cohorts, from: number, to: number,
): void {
  const { T, K, Y, N, F, dsqId, cluster } = ds;
  for (let j = from; j < to; j++) {
    const g = switchers[j];
    const t = F[g] - 1 + l;
    const base = g * T - 1;
    const v = cellChange(Y, base, t, l, placebo);
    s.add(sOf[j], N[base + t], v, cluster[g]);
    nss.add(t * K + dsqId[g], N[base + t], v, cluster[g]);
  }
}

/** The switchers' own contributions to U and Uvar, and their mean treatment changes (normalised and
 *  average total effects). */
function switcherTerms(
  ds: DcdhDesign, l: number, placebo: boolean, switchers: Int32Array, sOf: Int32Array, s: Cohorts, nss: Cohorts, scale: number, Nl: number,
  U: Float64Array, Uvar: Float64Array, used: Uint8Array, usedBit: number,
): { deltaNorm: number; deltaNow: number } {
  const deltas = { deltaNorm: 0, deltaNow: 0 };
  forRowBlocks(switchers.length, (from, to) => switcherTermsIn(ds, l, placebo, switchers, sOf, s, nss, scale, Nl, U, Uvar, used, usedBit, from, to, deltas));
  return deltas;
}

/** switcherTerms over switchers from .. to - 1, adding to deltas. */
function switcherTermsIn(
  ds: DcdhDesign, l: number, placebo: boolean, switchers: Int32Array, sOf: Int32Array, s: Cohorts, nss: Cohorts, scale: number, Nl: number,
  U: Float64Array, Uvar: Float64Array, used: Uint8Array, usedBit: number, from: number, to: number, deltas: { deltaNorm: number; deltaNow: number },
): void {
  const { T, K, Y, D, N, F, S, Tg, dsq, dsqId } = ds;
  let { deltaNorm, deltaNow } = deltas;
  for (let j = from; j < to; j++) {
    const g = switchers[j];
    const t = F[g] - 1 + l;
    const base = g * T - 1;
    const w = N[base + t];
    const v = cellChange(Y, base, t, l, placebo);
    if (l <= Tg[g] - 1 && t >= l + 1 && t <= Tg[g]) {
      U[g] += scale * w * v;
      const c = sOf[j];
      const p = t * K + dsqId[g];
      let e = NaN;
      let dof = 1;
      if (s.dof[c] >= 2) {
        e = s.sum[c] / s.n[c];
        dof = correction(s.dof[c]);
      } else if (nss.dof[p] >= 2) {
        e = nss.sum[p] / nss.n[p];
        dof = correction(nss.dof[p]);
      }
      if (isNum(e)) Uvar[g] += scale * w * dof * (v - e);
      used[base + t] |= usedBit;
    }
    const sign = S[g] === 1 ? 1 : -1;
    let cum = 0;
    for (let k = F[g]; k <= t; k++) if (isNum(D[base + k])) cum += D[base + k] - dsq[g];
    deltaNorm += (w / Nl) * sign * cum;
    deltaNow += (w / Nl) * sign * (D[base + t] - dsq[g]);
  }
  deltas.deltaNorm = deltaNorm;
  deltas.deltaNow = deltaNow;
}

// The two passes over every control cell, functions of their own called on blocks of groups
// (engine/row-block.ts), as are the passes over the switchers above.

/** A control cell (t < F_g: the loop stops at F_g - 1) at a period with switchers, with the horizon's
 *  change (and for a placebo the effect's change too), counts in its (period, baseline) cohort, for the
 *  controls alone (ns) and pooled with the switchers (nss, whose switchers come after). */
function controlCohorts(ds: DcdhDesign, l: number, placebo: boolean, swAtT: Float64Array, ns: Cohorts, nss: Cohorts): void {
  forRowBlocks(ds.F.length, (from, to) => controlCohortsIn(ds, l, placebo, swAtT, ns, nss, from, to));
}

function controlCohortsIn(ds: DcdhDesign, l: number, placebo: boolean, swAtT: Float64Array, ns: Cohorts, nss: Cohorts, from: number, to: number): void {
  const { T, K, Y, N, F, dsqId, cluster } = ds;
  const clustered = ds.clustered;
  const { n: nsN, sum: nsSum, dof: nsDof } = ns;
  const { n: nssN, sum: nssSum, dof: nssDof } = nss;
  for (let g = from; g < to; g++) {
    const base = g * T - 1;
    const last = Math.min(F[g] - 1, T);
    for (let t = l + 1; t <= last; t++) {
      const w = N[base + t];
      if (!(w > 0 && swAtT[t] > 0)) continue;
      const v = cellChange(Y, base, t, l, placebo);
      if (!isNum(v) || (placebo && !isNum(Y[base + t] - Y[base + t - l]))) continue;
      const key = t * K + dsqId[g];
      if (clustered) {
        ns.add(key, w, v, cluster[g]);
        nss.add(key, w, v, cluster[g]);
        continue;
      }
      // Cohorts.add without clusters, inline
      nsN[key] += w;
      nsSum[key] += w * v;
      nsDof[key]++;
      nssN[key] += w;
      nssSum[key] += w * v;
      nssDof[key]++;
    }
  }
}

/** The controls' contributions to U and Uvar: each control cell of a (period, baseline) with switchers
 *  takes -N_gt (switchers' weight / controls' weight) of the change, and of its centred change. */
function controlTerms(
  ds: DcdhDesign, l: number, placebo: boolean, sw: Float64Array, ctrl: Float64Array, centre: Float64Array, dofOf: Float64Array, scale: number,
  U: Float64Array, Uvar: Float64Array, used: Uint8Array, usedBit: number,
): void {
  forRowBlocks(ds.F.length, (from, to) => controlTermsIn(ds, l, placebo, sw, ctrl, centre, dofOf, scale, U, Uvar, used, usedBit, from, to));
}

function controlTermsIn(
  ds: DcdhDesign, l: number, placebo: boolean, sw: Float64Array, ctrl: Float64Array, centre: Float64Array, dofOf: Float64Array, scale: number,
  U: Float64Array, Uvar: Float64Array, used: Uint8Array, usedBit: number, from: number, to: number,
): void {
  const { T, K, Y, N, F, Tg, dsqId } = ds;
  for (let g = from; g < to; g++) {
    if (!(l <= Tg[g] - 1)) continue;
    const base = g * T - 1;
    const last = Math.min(F[g] - 1, T, Tg[g]);
    for (let t = l + 1; t <= last; t++) {
      const key = t * K + dsqId[g];
      if (sw[key] === 0 || N[base + t] === 0) continue;
      const v = cellChange(Y, base, t, l, placebo);
      if (!isNum(v) || (placebo && !isNum(Y[base + t] - Y[base + t - l]))) continue;
      const w = -N[base + t] * sw[key] / ctrl[key];
      U[g] += scale * w * v;
      Uvar[g] += scale * w * dofOf[key] * (v - centre[key]);
      used[base + t] |= usedBit;
    }
  }
}
