// Callaway-Sant'Anna's group-time cells: which (g, t) pairs are estimated, against which base period and
// which controls (did's att_gt conventions), each by a 2x2 estimator on a balanced panel (cs-panel-2x2.ts)
// or on repeated cross sections (cs-rc-2x2.ts). Observations are the panel's units or the cross sections'
// rows; each cell's influence function is rescaled from its n1 observations to all n (n / n1), as did does,
// so that the aggregations add influence functions observation by observation.
//   base period: t - 1 for pre-treatment cells ("varying"), or for every cell ("universal") the last
//   period p with p + anticipation < g, which is also the base of every post-treatment cell (t >= g); the
//   universal base's own cell is 0 by construction (a reference, not an estimate).
//   controls: never treated, or ("notyet") also cohorts g' != g with g' > max(t, base) + anticipation.
import { warning, type Note } from "../../notes.js";
import { panelCell, panelPropensity, type CellFit, type EstMethod, type Propensity } from "./cs-panel-2x2.js";
import { rcCell } from "./cs-rc-2x2.js";

/** An estimate with its influence function over the n observations. */
export interface Param {
  readonly att: number;
  readonly inf: Float64Array;
}

/** A group-time effect; `reference` marks the universal base period's own cell. */
export type Cell = Param & { readonly g: number; readonly t: number; readonly reference?: boolean };

export interface CellPlan {
  readonly periods: readonly number[];
  readonly groups: readonly number[];
  /** Cohort of each observation (Infinity = never treated). */
  readonly G: Float64Array;
  readonly controlGroup: "never" | "notyet";
  readonly anticipation: number;
  readonly universal: boolean;
  readonly estMethod: EstMethod;
}

/** How one design turns a cell's observations into a 2x2 fit. */
export interface CellData {
  /** Observations that can enter the comparison of period index tk with base bk. */
  candidates(tk: number, bk: number): ArrayLike<number>;
  /** True when candidates() does not depend on the periods (a panel's units): a cohort's cells with the same
   *  controls then share one member list. */
  readonly fixedCandidates: boolean;
  fit(members: readonly number[], g: number, tk: number, bk: number, start: Float64Array | undefined): CellFit;
}

export function groupTimeCells(plan: CellPlan, data: CellData, notes: Note[]): Cell[] {
  const { periods, G, anticipation, universal } = plan;
  const T = periods.length;
  const n = G.length;
  const cells: Cell[] = [];
  for (const g of plan.groups) {
    let pretG = -1;
    for (let p = 0; p < T; p++) if (periods[p] + anticipation < g) pretG = p;
    if (pretG < 0) {
      notes.push(warning("data", `cohort ${g} has no period before its treatment${anticipation ? ` (with ${anticipation} anticipation period(s))` : ""}: its effects are not estimated`));
      continue;
    }
    let start: Float64Array | undefined;
    let shared: { later: number; members: number[]; nG: number } | null = null;
    for (let tk = universal ? 0 : 1; tk < T; tk++) {
      const t = periods[tk];
      const bk = universal || t >= g ? pretG : tk - 1;
      if (bk === tk) {
        cells.push({ g, t, att: 0, inf: new Float64Array(n), reference: true });
        continue;
      }
      // Controls: never treated, or (notyet) first treated after `later`; the cohort itself is never one.
      const later = plan.controlGroup === "notyet" ? periods[Math.max(tk, bk)] + anticipation : Infinity;
      let members: number[] = [];
      let nG = 0;
      if (shared && shared.later === later) ({ members, nG } = shared);
      else {
        const cand = data.candidates(tk, bk);
        for (let j = 0; j < cand.length; j++) {
          const i = cand[j];
          const gi = G[i];
          if (gi === g) {
            members.push(i);
            nG++;
          } else if (gi > later || gi === Infinity) members.push(i);
        }
        if (data.fixedCandidates) shared = { later, members, nG };
      }
      if (nG === 0 || members.length === nG) {
        notes.push(warning("data", `ATT(${g},${t}) not estimable: no ${nG === 0 ? "treated" : "control"} observations`));
        continue;
      }
      const fit = data.fit(members, g, tk, bk, start);
      if ("problem" in fit) {
        notes.push(warning("collinear_removed", `ATT(${g},${t}) not estimated: ${fit.problem}`));
        continue;
      }
      if (!fit.propensityConverged) notes.push(warning("not_converged", `ATT(${g},${t}): the propensity score fit did not converge (covariates may separate the cohort from its controls)`));
      start = fit.start;
      const inf = new Float64Array(n);
      const scale = n / members.length;
      for (let j = 0; j < members.length; j++) inf[members[j]] = scale * fit.inf[j];
      cells.push({ g, t, att: fit.att, inf });
    }
  }
  return cells;
}

/** Balanced panel: Y (n x T) and X (n x T x kc), unit-major; the cell's covariates are read at the earlier
 *  of its two periods, as did does. The propensity score depends only on the cell's units, that period and
 *  the cohort, so it is fitted once for all of a cohort's cells that share them (its post-treatment cells
 *  all read the covariates at the same base period). */
export function panelCellData(plan: CellPlan, Y: Float64Array, X: Float64Array, kc: number): CellData {
  const T = plan.periods.length;
  const n = plan.G.length;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const k = kc + 1;
  let cached: { g: number; xk: number; members: readonly number[]; x: Float64Array; D: Float64Array; ps: Propensity | null } | null = null;
  const sameMembers = (a: readonly number[], b: readonly number[]) => {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
    return true;
  };
  return {
    candidates: () => all,
    fixedCandidates: true,
    fit(members, g, tk, bk, start) {
      const n1 = members.length;
      const xk = Math.min(tk, bk);
      if (!cached || cached.g !== g || cached.xk !== xk || !sameMembers(cached.members, members)) {
        const x = new Float64Array(n1 * k);
        const D = new Float64Array(n1);
        for (let j = 0; j < n1; j++) {
          const i = members[j];
          D[j] = plan.G[i] === g ? 1 : 0;
          x[j * k] = 1;
          const src = (i * T + xk) * kc;
          for (let c = 0; c < kc; c++) x[j * k + 1 + c] = X[src + c];
        }
        const ps = panelPropensity(plan.estMethod, { x, n: n1, k }, D, start);
        cached = { g, xk, members, x, D, ps };
      }
      const dy = new Float64Array(n1);
      for (let j = 0; j < n1; j++) {
        const i = members[j];
        dy[j] = Y[i * T + tk] - Y[i * T + bk];
      }
      const fit = panelCell(plan.estMethod, dy, cached.D, { x: cached.x, n: n1, k }, cached.ps);
      return "problem" in fit ? fit : { ...fit, start: cached.ps?.coef };
    },
  };
}

/** Repeated cross sections: y and X (n x kc) per row, `period` the row's period index. */
export function crossSectionCellData(plan: CellPlan, y: Float64Array, X: Float64Array, kc: number, period: Int32Array): CellData {
  const T = plan.periods.length;
  const byPeriod: number[][] = Array.from({ length: T }, () => []);
  period.forEach((p, i) => byPeriod[p].push(i));
  const k = kc + 1;
  return {
    candidates: (tk, bk) => [...byPeriod[bk], ...byPeriod[tk]],
    fixedCandidates: false,
    fit(members, g, tk, bk, start) {
      const n1 = members.length;
      const yy = new Float64Array(n1);
      const post = new Float64Array(n1);
      const D = new Float64Array(n1);
      const x = new Float64Array(n1 * k);
      const count = [0, 0, 0, 0];
      members.forEach((i, j) => {
        yy[j] = y[i];
        post[j] = period[i] === tk ? 1 : 0;
        D[j] = plan.G[i] === g ? 1 : 0;
        count[2 * D[j] + post[j]]++;
        x[j * k] = 1;
        for (let c = 0; c < kc; c++) x[j * k + 1 + c] = X[i * kc + c];
      });
      const empty = count.findIndex((c) => c === 0);
      if (empty >= 0) {
        const who = empty >= 2 ? "cohort" : "control";
        return { problem: `no ${who} observations in period ${plan.periods[empty % 2 ? tk : bk]}` };
      }
      return rcCell(plan.estMethod, yy, post, D, { x, n: n1, k }, start);
    },
  };
}
