// The design of de Chaisemartin and D'Haultfoeuille's event-study estimators (dcdh.ts): the data as a dense
// group x period grid of cells, and each group's baseline treatment D_g1, first-switch period F_g, switch
// direction S_g and last period T_g at which a not-yet-switched group with the same baseline still exists.
// Steps and their order follow DIDmultiplegtDYN (read for conventions; formulas from the 2024 paper):
//   1. cells: (weighted) mean outcome and treatment per group x period, N_gt = summed weight (1 per row);
//   2. cells after a group has been both above and below its baseline are dropped (as the package's default);
//   3. groups whose baseline cohort all switch at the same date have no valid comparison and are dropped;
//   4. periods at which no group of a baseline cohort is still unswitched are dropped for that cohort;
//   5. T_g = (latest first switch in the cohort) - 1, S_g from the mean treatment over F_g..T_g.
// Periods are numbered 1..T in time order (as the package numbers them); F_g = T + 1 for never-switchers.
import type { Frame } from "../../data/frame.js";
import { DidwasmError } from "../../errors.js";
import { groupIds } from "../../model/groups.js";
import { buildSample, sampleValues } from "../../model/sample.js";
import { info, warning, type Note } from "../../notes.js";
import { indexInSorted, sortedDistinct } from "./sorted-periods.js";
import { freshF64, freshI32 } from "../../engine/fresh-arrays.js";

export interface DcdhDesignInput {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly treat: string;
  readonly cluster: string | null;
  readonly weights: string | null;
  readonly subset: string | null;
}

export interface DcdhDesign {
  /** Groups counted in the estimators' G (after step 3), periods T. */
  readonly G: number;
  readonly T: number;
  readonly periods: readonly number[];
  /** Cells, index g * T + (t - 1): outcome (NaN when missing or dropped), treatment, weight N_gt (0 when missing). */
  readonly Y: Float64Array;
  readonly D: Float64Array;
  readonly N: Float64Array;
  /** Per group: baseline treatment and its dense id, first switch (1-based period; T+1: never), direction
   *  (1 up, 0 down, -1 none), T_g, L_g = T_g - F_g + 1, treatment at F_g, cluster id. */
  readonly dsq: Float64Array;
  readonly dsqId: Int32Array;
  readonly K: number;
  readonly F: Int32Array;
  readonly S: Int8Array;
  readonly Tg: Int32Array;
  readonly L: Int32Array;
  readonly dfg: Float64Array;
  readonly cluster: Int32Array;
  readonly C: number;
  readonly clustered: boolean;
  readonly rows: number;
  readonly groupLabel: (g: number) => string;
  readonly notes: readonly Note[];
}

/** Per group x period cell (g * T + period index): summed weight and weighted treatment of its rows, and
 *  summed weight and weighted outcome of those with an outcome; each group's first row. */
interface CellSums {
  readonly sumWd: Float64Array;
  readonly sumD: Float64Array;
  readonly sumW: Float64Array;
  readonly sumY: Float64Array;
  readonly firstRow: Int32Array;
  readonly yRows: number;
}

// The pass over the rows and the first over the cells are functions of their own: run once on a million
// rows, a loop is compiled while it runs (on-stack replacement), and code after it in the same function
// would start without type feedback.

function infiniteOutcome(frame: Frame, y: string, r: number): DidwasmError {
  return new DidwasmError("BAD_DATA", `outcome "${y}" is infinite in ${frame.describeRow(r)}`, { column: y, row: r });
}

function cellSums(
  frame: Frame, y: string, yAll: Float64Array, rows: Int32Array, unit: Int32Array, G0: number, time: Float64Array, periods: readonly number[], d: Float64Array,
  weights: Float64Array | null,
): CellSums {
  const T = periods.length;
  const n = rows.length;
  const firstRow = freshI32(G0).fill(-1);
  const sumWd = freshF64(G0 * T);
  const sumD = freshF64(G0 * T);
  const sumW = freshF64(G0 * T);
  const sumY = freshF64(G0 * T);
  let yRows = 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    const g = unit[i];
    if (firstRow[g] < 0) firstRow[g] = rows[i];
    p = indexInSorted(periods, time[i], p);
    const k = g * T + p;
    const w = weights ? weights[i] : 1;
    sumWd[k] += w;
    sumD[k] += w * d[i];
    const yi = yAll[rows[i]];
    if (Number.isFinite(yi)) {
      sumW[k] += w;
      sumY[k] += w * yi;
      yRows++;
    } else if (!Number.isNaN(yi)) {
      throw infiniteOutcome(frame, y, rows[i]);
    }
  }
  return { sumWd, sumD, sumW, sumY, firstRow, yRows };
}

/** Whether each group's rows come together, in increasing time (so no cell has two rows): the ids are
 *  dense in order of first appearance, so a new run of rows must be the next new group. */
function oneRowPerCell(unit: Int32Array, time: Float64Array): boolean {
  let top = -1;
  for (let i = 0; i < unit.length; i++) {
    const g = unit[i];
    if (i > 0 && g === unit[i - 1]) {
      if (!(time[i] > time[i - 1])) return false;
    } else if (g === top + 1) top = g;
    else return false;
  }
  return true;
}

/** The cells of unweighted data with one row per cell at most (oneRowPerCell): the means are the rows' own
 *  values, written straight into the grid (what cellSums and cellMeans give, x / 1, without the sums'
 *  grids or the pass over them). */
function singleRowCells(
  frame: Frame, y: string, yAll: Float64Array, rows: Int32Array, unit: Int32Array, G0: number, time: Float64Array, periods: readonly number[], d: Float64Array,
): { Y: Float64Array; D: Float64Array; N: Float64Array; hasY: Uint8Array; firstRow: Int32Array; yRows: number } {
  const T = periods.length;
  const firstRow = freshI32(G0).fill(-1);
  const D = freshF64(G0 * T).fill(NaN);
  const Y = freshF64(G0 * T).fill(NaN);
  const N = freshF64(G0 * T);
  const hasY = new Uint8Array(G0);
  let yRows = 0;
  let p = 0;
  for (let i = 0; i < rows.length; i++) {
    const g = unit[i];
    if (firstRow[g] < 0) firstRow[g] = rows[i];
    p = indexInSorted(periods, time[i], p);
    const k = g * T + p;
    D[k] = d[i];
    const yi = yAll[rows[i]];
    if (Number.isFinite(yi)) {
      Y[k] = yi;
      N[k] = 1;
      hasY[g] = 1;
      yRows++;
    } else if (!Number.isNaN(yi)) {
      throw infiniteOutcome(frame, y, rows[i]);
    }
  }
  return { Y, D, N, hasY, firstRow, yRows };
}

/** The cells' mean outcome and treatment (NaN where a cell has none) and weight N_gt, written over the sums
 *  (a grid of a million cells is 8 MB an array, fresh memory that costs more to map than to fill), and
 *  which groups have an outcome at all. */
function cellMeans(sums: CellSums, G0: number, T: number): { Y: Float64Array; D: Float64Array; N: Float64Array; hasY: Uint8Array } {
  const { sumWd, sumW } = sums;
  const D = sums.sumD;
  const Y = sums.sumY;
  const N = sums.sumW;
  const hasY = new Uint8Array(G0);
  for (let g = 0; g < G0; g++) {
    for (let k = g * T; k < (g + 1) * T; k++) {
      D[k] = sumWd[k] > 0 ? D[k] / sumWd[k] : NaN;
      if (sumW[k] > 0) {
        Y[k] = Y[k] / sumW[k];
        hasY[g] = 1;
      } else {
        Y[k] = NaN;
        N[k] = 0;
      }
    }
  }
  return { Y, D, N, hasY };
}

/** A dropped cell: no outcome, no treatment, no weight. */
function dropCell(Y: Float64Array, D: Float64Array, N: Float64Array, k: number): void {
  Y[k] = NaN;
  D[k] = NaN;
  N[k] = 0;
}

/** Per group, in one visit to its cells (a pass over the grid per step costs more than the steps):
 *  - a group whose outcome is never observed loses every cell (as the package drops it);
 *  - its baseline D_g1 (first observed treatment) and last observed period;
 *  - 2. its cells from the first period at which it has been both above and below its baseline are dropped;
 *  - its first switch: the first observed period whose treatment differs from the baseline (0: never). */
function groupTimelines(
  Y: Float64Array, D: Float64Array, N: Float64Array, hasY: Uint8Array, G0: number, T: number,
): { dsq: Float64Array; lastObs: Int32Array; F0: Int32Array; droppedLargerLower: number } {
  const dsq = freshF64(G0).fill(NaN);
  const lastObs = freshI32(G0);
  const F0 = freshI32(G0);
  let droppedLargerLower = 0;
  for (let g = 0; g < G0; g++) {
    const base = g * T - 1; // cell of period t: base + t
    if (!hasY[g]) for (let t = 1; t <= T; t++) dropCell(Y, D, N, base + t);
    let baseline = NaN;
    for (let t = 1; t <= T; t++) {
      const v = D[base + t];
      if (Number.isNaN(v)) continue;
      if (Number.isNaN(baseline)) baseline = v;
      lastObs[g] = t;
    }
    dsq[g] = baseline;
    let up = false;
    let down = false;
    for (let t = 1; t <= T; t++) {
      const v = D[base + t];
      if (Number.isNaN(v)) continue;
      if (v > baseline) up = true;
      if (v < baseline) down = true;
      if (up && down) {
        dropCell(Y, D, N, base + t);
        droppedLargerLower++;
      }
    }
    for (let t = 1; t <= T; t++) {
      const v = D[base + t];
      if (!Number.isNaN(v) && v !== baseline) {
        F0[g] = t;
        break;
      }
    }
  }
  return { dsq, lastObs, F0, droppedLargerLower };
}

/** Step 4: the cells of groups not kept, and of periods at which no kept group of the cohort (same
 *  baseline) is observed unswitched, are dropped. The last period with a cell left (T_max). */
function dropPeriodsWithoutControls(
  Y: Float64Array, D: Float64Array, N: Float64Array, keep: Uint8Array, F0: Int32Array, dsqId: Int32Array, T: number, K: number,
): number {
  const G0 = keep.length;
  const hasControl = new Uint8Array(T * K);
  for (let g = 0; g < G0; g++) {
    if (!keep[g]) continue;
    const base = g * T - 1;
    const last = F0[g] === 0 ? T : F0[g] - 1; // unswitched before F0
    for (let t = 1; t <= last; t++) if (!Number.isNaN(D[base + t])) hasControl[(t - 1) * K + dsqId[g]] = 1;
  }
  let Tmax = 0;
  for (let g = 0; g < G0; g++) {
    const base = g * T - 1;
    for (let t = 1; t <= T; t++) {
      const k = base + t;
      if (!keep[g] || !hasControl[(t - 1) * K + dsqId[g]]) dropCell(Y, D, N, k);
      else if (!Number.isNaN(D[k]) && t > Tmax) Tmax = t;
    }
  }
  return Tmax;
}

export function dcdhDesign(frame: Frame, o: DcdhDesignInput): DcdhDesign {
  const notes: Note[] = [];
  // the outcome may be missing where the treatment is known: such cells still date the switches (N_gt = 0)
  const sample = buildSample(frame, {
    numeric: [{ name: o.treat, role: "treatment variable" }, { name: o.time, role: "time variable" }],
    categorical: [{ name: o.unit, role: "group variable" }, ...(o.cluster ? [{ name: o.cluster, role: "cluster variable" }] : [])],
    weights: o.weights, subset: o.subset, fixef: [], fixefRm: "none",
  });
  const rows = sample.rows;
  const n = rows.length;
  if (n === 0) throw new DidwasmError("EMPTY_SAMPLE", "no complete observations of the treatment, group and time");
  const unit = groupIds(frame, o.unit, rows);
  const time = sampleValues(frame, o.time, rows, "time variable");
  const yAll = frame.numeric(o.y, "outcome");
  const d = sampleValues(frame, o.treat, rows, "treatment variable");
  const periods = sortedDistinct(time, null);
  const T = periods.length;
  const G0 = unit.G;
  // 1. cells (several rows per cell: weighted means, as the package aggregates individual-level data)
  const unitIds = unit.ids; // once: ids may be read through a getter (model/groups.ts)
  const cells = !sample.weights && oneRowPerCell(unitIds, time)
    ? singleRowCells(frame, o.y, yAll, rows, unitIds, G0, time, periods, d)
    : (() => {
        const sums = cellSums(frame, o.y, yAll, rows, unitIds, G0, time, periods, d, sample.weights);
        return { ...cellMeans(sums, G0, T), firstRow: sums.firstRow, yRows: sums.yRows };
      })();
  const { firstRow } = cells;
  if (cells.yRows === 0) throw new DidwasmError("EMPTY_SAMPLE", `the outcome "${o.y}" is missing in every row of the sample`, { column: o.y });
  const clusterOf = new Int32Array(G0).fill(-1);
  let C = G0;
  if (o.cluster) {
    const cl = groupIds(frame, o.cluster, rows);
    const clIds = cl.ids;
    for (let i = 0; i < n; i++) {
      const g = unitIds[i];
      if (clusterOf[g] >= 0 && clusterOf[g] !== clIds[i]) {
        throw new DidwasmError("BAD_DATA", `the group variable "${o.unit}" must be nested within the cluster variable "${o.cluster}": group ${frame.cellText(o.unit, rows[i])} is in more than one cluster (${frame.describeRow(rows[i])})`, { column: o.cluster, row: rows[i] });
      }
      clusterOf[g] = clIds[i];
    }
    C = cl.G;
  } else for (let g = 0; g < G0; g++) clusterOf[g] = g;
  const { Y, D, N, hasY } = cells;
  // groups whose outcome is never observed, and cells where a group has been both above and below its
  // baseline, dropped; each group's baseline, last observed period and first switch
  const { dsq, lastObs, F0, droppedLargerLower } = groupTimelines(Y, D, N, hasY, G0, T);
  if (droppedLargerLower) notes.push(info("data", `${droppedLargerLower} group x period cell(s) dropped where the group had been both above and below its period-one treatment (as the package's default)`));
  // dense ids of the baseline treatments
  const dsqValues = new Map<number, number>();
  const dsqId0 = freshI32(G0);
  for (let g = 0; g < G0; g++) {
    let id = dsqValues.get(dsq[g]);
    if (id === undefined) dsqValues.set(dsq[g], (id = dsqValues.size));
    dsqId0[g] = id;
  }
  const K = dsqValues.size;
  // 3. cohorts (same baseline) whose groups all share one first-switch date (or have one group) are dropped
  const firstF = new Int32Array(K).fill(-1);
  const varies = new Uint8Array(K);
  const cohortSize = new Int32Array(K);
  for (let g = 0; g < G0; g++) {
    if (!hasY[g]) continue;
    const c = dsqId0[g];
    cohortSize[c]++;
    if (firstF[c] < 0) firstF[c] = F0[g];
    else if (firstF[c] !== F0[g]) varies[c] = 1;
  }
  const keep = new Uint8Array(G0);
  let G = 0;
  const droppedCohorts: number[] = [];
  for (let g = 0; g < G0; g++) {
    if (hasY[g] && varies[dsqId0[g]]) {
      keep[g] = 1;
      G++;
    }
  }
  for (const [value, c] of dsqValues) if (!varies[c] && cohortSize[c] > 0) droppedCohorts.push(value);
  if (droppedCohorts.length) {
    notes.push(warning("data", `group(s) with period-one treatment ${droppedCohorts.join(", ")} dropped: all of them change treatment at the same date (or never), so none can serve as another's control`));
  }
  if (G === 0) {
    throw new DidwasmError("BAD_DATA", `no effect can be estimated: within every value of the period-one treatment of "${o.treat}", all groups change treatment at the same date (or none does), so there are no not-yet-switched controls (Design Restriction 1 of de Chaisemartin and D'Haultfoeuille 2024)`);
  }
  // 4. periods without any unswitched group of the cohort are dropped for that cohort
  const Tmax = dropPeriodsWithoutControls(Y, D, N, keep, F0, dsqId0, T, K);
  // 5. F_g (T_max + 1: never), T_g, S_g
  const F = freshI32(G0);
  const Ftrunc = freshI32(G0);
  for (let g = 0; g < G0; g++) {
    F[g] = F0[g] === 0 ? Tmax + 1 : F0[g];
    // a never-switcher observed only up to some period is a control only up to it
    Ftrunc[g] = F0[g] === 0 ? Math.min(Tmax + 1, lastObs[g] + 1) : F[g];
  }
  const cohortLast = new Int32Array(K);
  for (let g = 0; g < G0; g++) if (keep[g] && Ftrunc[g] > cohortLast[dsqId0[g]]) cohortLast[dsqId0[g]] = Ftrunc[g];
  const Tg = freshI32(G0);
  const S = new Int8Array(G0).fill(-1);
  const L = freshI32(G0);
  const dfg = freshF64(G0).fill(NaN);
  let flat = 0;
  for (let g = 0; g < G0; g++) {
    if (!keep[g]) continue;
    Tg[g] = cohortLast[dsqId0[g]] - 1;
    L[g] = Tg[g] - F[g] + 1;
    if (F[g] <= Tmax) {
      const kf = g * T + F[g] - 1;
      dfg[g] = D[kf];
      let sum = 0;
      let cnt = 0;
      for (let t = F[g]; t <= Tg[g]; t++) {
        const k = g * T + t - 1;
        if (!Number.isNaN(D[k])) {
          sum += D[k];
          cnt++;
        }
      }
      if (cnt > 0) {
        const avg = sum / cnt;
        if (avg === dsq[g]) {
          // switched and came back to the baseline on average: neither a switcher nor a control
          keep[g] = 0;
          flat++;
          for (let t = 1; t <= T; t++) dropCell(Y, D, N, g * T + t - 1);
        } else S[g] = avg > dsq[g] ? 1 : 0;
      }
    }
  }
  if (flat) notes.push(info("data", `${flat} group(s) dropped whose mean treatment after their first change equals their period-one treatment (as the package does)`));
  const label = (g: number) => frame.cellText(o.unit, firstRow[g]);
  return {
    G, T, periods, Y, D, N, dsq, dsqId: dsqId0, K, F, S, Tg, L, dfg, cluster: clusterOf, C, clustered: o.cluster !== null,
    rows: n, groupLabel: label, notes,
  };
}
