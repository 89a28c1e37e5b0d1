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

/** Controls' summed weight per (period, baseline) for effect l: unswitched groups with an outcome change
 *  (for placebo l, only groups that also have the placebo's change). */
export function controlTotals(ds: DcdhDesign, l: number, placebo = false): Float64Array {
  const { T, K, Y, N, F, dsqId } = ds;
  const out = new Float64Array((T + 1) * K);
  for (let g = 0; g < F.length; g++) {
    const base = g * T - 1;
    const last = Math.min(F[g] - 1, T);
    for (let t = l + 1; t <= last; t++) {
      const dy = Y[base + t] - Y[base + t - l];
      if (isNum(dy) && (!placebo || isNum(cellChange(Y, base, t, l, true)))) out[t * K + dsqId[g]] += N[base + t];
    }
  }
  return out;
}

/** --same-switchers: groups for which every effect 1..L can be computed. */
export function sameSwitchers(ds: DcdhDesign, L: number): Uint8Array {
  const { T, K, Y, F, Tg, dsqId } = ds;
  const still = new Uint8Array(F.length);
  for (let g = 0; g < F.length; g++) still[g] = F[g] - 1 + L <= Tg[g] ? 1 : 0;
  for (let q = 1; q <= L; q++) {
    const ctrl = controlTotals(ds, q);
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
function switcherCohorts(ds: DcdhDesign, switchers: readonly number[]): { readonly of: Int32Array; readonly size: number } {
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

/** inc: 1 for groups whose treatment went up, 0 down. still: --same-switchers' groups (or null).
 *  ctrlEffect: controlTotals(ds, l), which the effect and the placebo of a horizon and both directions share. */
export function dcdhHorizon(
  ds: DcdhDesign, l: number, inc: 0 | 1, placebo: boolean, still: Uint8Array | null, used: Uint8Array, ctrlEffect: Float64Array = controlTotals(ds, l),
): HorizonResult {
  const { T, K, Y, D, N, F, S, Tg, L, dsq, dsqId, cluster, clustered, G } = ds;
  const G0 = F.length;
  const U = freshF64(G0);
  const Uvar = freshF64(G0);
  // controls: unswitched at t with the effect's change (and, for a placebo, the placebo's change)
  const ctrl = placebo ? controlTotals(ds, l, true) : ctrlEffect;
  const switchers: number[] = [];
  const sw = new Float64Array((T + 1) * K);
  let Nl = 0;
  for (let g = 0; g < G0; g++) {
    if (S[g] !== inc || l > L[g] || (still && !still[g])) continue;
    const t = F[g] - 1 + l;
    if (t > T) continue;
    const base = g * T - 1;
    const key = t * K + dsqId[g];
    if (!(isNum(Y[base + t] - Y[base + t - l]) && ctrlEffect[key] > 0)) continue;
    if (placebo && !(isNum(cellChange(Y, base, t, l, true)) && ctrl[key] > 0)) continue;
    switchers.push(g);
    sw[key] += N[base + t];
    Nl += N[base + t];
  }
  const empty = { N: 0, count: 0, U, Uvar, deltaNorm: 0, deltaNow: 0, switchers: new Int32Array(0) };
  if (Nl === 0) return empty;
  const swAtT = new Float64Array(T + 1);
  for (let t = 1; t <= T; t++) for (let k = 0; k < K; k++) swAtT[t] += sw[t * K + k];
  // cohort means for the variance: controls and pooled by (period, baseline), switchers by (baseline, F_g, D at F_g)
  const ns = new Cohorts((T + 1) * K, ds.C, clustered);
  const nss = new Cohorts((T + 1) * K, ds.C, clustered);
  const sCohorts = switcherCohorts(ds, switchers);
  const sOf = sCohorts.of;
  const s = new Cohorts(sCohorts.size, ds.C, clustered);
  // A control cell (t < F_g: the loops below stop at F_g - 1) has the horizon's change, and for a placebo
  // the effect's change too.
  for (let g = 0; g < G0; g++) {
    const base = g * T - 1;
    const last = Math.min(F[g] - 1, T);
    for (let t = l + 1; t <= last; t++) {
      if (!(N[base + t] > 0 && swAtT[t] > 0)) continue;
      const v = cellChange(Y, base, t, l, placebo);
      if (!isNum(v) || (placebo && !isNum(Y[base + t] - Y[base + t - l]))) continue;
      ns.add(t * K + dsqId[g], N[base + t], v, cluster[g]);
      nss.add(t * K + dsqId[g], N[base + t], v, cluster[g]);
    }
  }
  for (let j = 0; j < switchers.length; j++) {
    const g = switchers[j];
    const t = F[g] - 1 + l;
    const base = g * T - 1;
    const v = cellChange(Y, base, t, l, placebo);
    s.add(sOf[j], N[base + t], v, cluster[g]);
    nss.add(t * K + dsqId[g], N[base + t], v, cluster[g]);
  }
  const scale = G / Nl;
  // switchers' own terms
  let deltaNorm = 0;
  let deltaNow = 0;
  for (let j = 0; j < switchers.length; j++) {
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
      used[base + t] = 1;
    }
    const sign = S[g] === 1 ? 1 : -1;
    let cum = 0;
    for (let k = F[g]; k <= t; k++) if (isNum(D[base + k])) cum += D[base + k] - dsq[g];
    deltaNorm += (w / Nl) * sign * cum;
    deltaNow += (w / Nl) * sign * (D[base + t] - dsq[g]);
  }
  // controls' terms
  for (let g = 0; g < G0; g++) {
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
      let e = 0;
      let dof = 1;
      if (ns.dof[key] >= 2) {
        e = ns.sum[key] / ns.n[key];
        dof = correction(ns.dof[key]);
      } else if (nss.dof[key] >= 2) {
        e = nss.sum[key] / nss.n[key];
        dof = correction(nss.dof[key]);
      }
      Uvar[g] += scale * w * dof * (v - e);
      used[base + t] = 1;
    }
  }
  return { N: Nl, count: switchers.length, U, Uvar, deltaNorm, deltaNow, switchers: Int32Array.from(switchers) };
}
