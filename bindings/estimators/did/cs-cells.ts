// Callaway-Sant'Anna's group-time cells: which (g, t) pairs are estimated, against which base period and
// which controls (did's att_gt conventions), each by a 2x2 estimator on a balanced panel (cs-panel-2x2.ts)
// or on repeated cross sections (cs-rc-2x2.ts). Observations are the panel's units or the cross sections'
// rows; each cell's influence function is rescaled from its n1 observations to all n (n / n1), as did does,
// so that the aggregations add influence functions observation by observation.
//   base period: t - 1 for pre-treatment cells ("varying"), or for every cell ("universal") the last
//   period p with p + anticipation < g, which is also the base of every post-treatment cell (t >= g); the
//   universal base's own cell is 0 by construction (a reference, not an estimate).
//   controls: never treated, or ("notyet") also cohorts g' != g with g' > max(t, base) + anticipation.
import { everyRow } from "../../model/rows.js";
import { warning, type Note } from "../../notes.js";
import { sparseParam, type Param } from "./cs-influence.js";
import type { Backend } from "../../engine/backend.js";
import { panelCell, panelPropensity, type CellFit, type EstMethod, type Propensity } from "./cs-panel-2x2.js";
import { EngineCellPasses, type CellPasses } from "../../engine/cs-cell-passes.js";
import { rcCell } from "./cs-rc-2x2.js";
import { freshF64 } from "../../engine/fresh-arrays.js";
import { forRowBlocks } from "../../engine/row-block.js";

export type { Param } from "./cs-influence.js";

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
  /** The cell's fit; its influence function may be a working array that the next fit overwrites. */
  fit(members: readonly number[], g: number, tk: number, bk: number, start: Float64Array | undefined): CellFit;
  /** Frees what the fits held (called once every cell is done). */
  release?(): void;
}

export function groupTimeCells(plan: CellPlan, data: CellData, notes: Note[]): Cell[] {
  try {
    return estimateCells(plan, data, notes);
  } finally {
    data.release?.();
  }
}

function estimateCells(plan: CellPlan, data: CellData, notes: Note[]): Cell[] {
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
        cells.push({ g, t, att: 0, inf: freshF64(n), reference: true });
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
      const scale = n / members.length;
      const values = freshF64(members.length); // kept by the cell: fresh memory, touched ahead
      const cellInf = fit.inf;
      forRowBlocks(values.length, (from, to) => scaleInto(values, cellInf, scale, from, to));
      // A panel's members are in increasing order (the sparse form's requirement); cross sections' are not.
      if (data.fixedCandidates) cells.push(sparseParam({ g, t }, fit.att, n, { rows: members, values }));
      else {
        const inf = freshF64(n);
        for (let j = 0; j < members.length; j++) inf[members[j]] = values[j];
        cells.push({ g, t, att: fit.att, inf });
      }
    }
  }
  return cells;
}

/** Balanced panel: Y and each covariate of X (n x T, unit-major); the cell's covariates are read at the
 *  earlier of its two periods, as did does. The propensity score depends only on the cell's units, that
 *  period and the cohort, so it is fitted once for all of a cohort's cells that share them (its
 *  post-treatment cells all read the covariates at the same base period). The cell-length working arrays
 *  are allocated once, at the panel's size, and reused by every cell. Y and X are read period-major (a
 *  copy): a cell reads two periods of its members, in increasing order, so its reads then move through
 *  memory in order instead of one cache line per unit and value. */
export function panelCellData(plan: CellPlan, unitMajorY: Float64Array, unitMajorX: readonly Float64Array[], backend: Backend): CellData {
  const T = plan.periods.length;
  const n = plan.G.length;
  const Y = periodMajor(unitMajorY, n, T);
  const X = unitMajorX.map((x) => periodMajor(x, n, T));
  const kc = X.length;
  const all = everyRow(n);
  const k = kc + 1;
  // The cells' arrays live in the backend's buffers, where its kernels run the passes. Nothing else
  // allocates on the backend while the cells run, so the views taken below stay valid from cell to cell.
  const engine = new EngineCellPasses(backend, n, k);
  let cached: { g: number; xk: number; members: readonly number[]; passes: CellPasses; ps: Propensity | null } | null = null;
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
        // The previous propensity's arrays are overwritten here: it is not used again.
        const passes = engine.forCell(n1);
        const { x, D } = passes.arrays();
        forRowBlocks(n1, (from, to) => writeCellDesign(x, D, members, from, to, plan.G, g, X, xk * n));
        const ps = panelPropensity(plan.estMethod, { x, n: n1, k }, D, start, passes);
        cached = { g, xk, members, passes, ps };
      }
      const { x, D, dy } = cached.passes.arrays();
      forRowBlocks(n1, (from, to) => writeChange(dy, members, from, to, Y, tk * n, bk * n));
      const fit = panelCell(plan.estMethod, dy, D, { x, n: n1, k }, cached.ps, cached.passes);
      return "problem" in fit ? fit : { ...fit, start: cached.ps?.coef };
    },
    release: () => engine.release(),
  };
}

/** out[j] = scale * v[j] for j in [from, to) (in blocks: engine/row-block.ts says why). */
function scaleInto(out: Float64Array, v: Float64Array, scale: number, from: number, to: number): void {
  for (let j = from; j < to; j++) out[j] = scale * v[j];
}

/** Rows [from, to) of a cell's design (intercept, then each covariate read at offset `at` of its
 *  period-major array) and of its cohort indicator D. */
function writeCellDesign(
  x: Float64Array, D: Float64Array, members: readonly number[], from: number, to: number, G: Float64Array, g: number, X: readonly Float64Array[], at: number,
): void {
  const kc = X.length;
  const k = kc + 1;
  for (let j = from; j < to; j++) {
    const i = members[j];
    D[j] = G[i] === g ? 1 : 0;
    x[j * k] = 1;
    const src = at + i;
    for (let c = 0; c < kc; c++) x[j * k + 1 + c] = X[c][src];
  }
}

/** Rows [from, to) of the cell's outcome change Y_t - Y_base (offsets `at` and `base` of the period-major Y). */
function writeChange(dy: Float64Array, members: readonly number[], from: number, to: number, Y: Float64Array, at: number, base: number): void {
  for (let j = from; j < to; j++) {
    const i = members[j];
    dy[j] = Y[at + i] - Y[base + i];
  }
}

/** Units per block of the transposition: a block's rows (units x T) stay in cache while its periods are
 *  written out, each as one run. */
const TRANSPOSE_BLOCK = 256;

/** A unit-major n x T array as T x n (period-major). */
function periodMajor(v: Float64Array, n: number, T: number): Float64Array {
  const out = freshF64(n * T);
  for (let i0 = 0; i0 < n; i0 += TRANSPOSE_BLOCK) {
    const i1 = Math.min(n, i0 + TRANSPOSE_BLOCK);
    for (let t = 0; t < T; t++) {
      const to = t * n;
      for (let i = i0; i < i1; i++) out[to + i] = v[i * T + t];
    }
  }
  return out;
}

/** Repeated cross sections: y and each covariate of X per row, `period` the row's period index. */
export function crossSectionCellData(plan: CellPlan, y: Float64Array, X: readonly Float64Array[], period: Int32Array): CellData {
  const T = plan.periods.length;
  const kc = X.length;
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
        for (let c = 0; c < kc; c++) x[j * k + 1 + c] = X[c][i];
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
