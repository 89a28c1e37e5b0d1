// The placebo fast path. A placebo draw changes only the treatment column, so by Frisch-Waugh-Lovell:
// residualize the outcome and the other regressors on the fixed effects once (y~, Z), project y~ off Z
// once (yZ = M_Z y~), and per draw demean only the fake treatment d (closed form on balanced two-way
// panels, the demeaning kernel otherwise) and compute
//   beta = d'W yZ / (d'W d - (Z'W d)' (Z'W Z)^-1 (Z'W d)),
// which is the fake treatment's coefficient in the full regression. Draws are processed in blocks: one
// demeaning call and one crossproduct (Z, yZ against the block's fake columns) per block. Optional t
// statistics use the same variance as the true fit (iid, hetero or one-way cluster, fixest's corrections),
// from the FWL residualized regressor m = M_Z d and the full residual e = yZ - beta m.
// When the fixed effects are exactly the unit and the period (a DiD panel), placebo draws skip the rows
// altogether: the same quantities come from unit x period tables (two-way-placebo.ts).
import { demeanScratchLength, type F64Buffer } from "../engine/backend.js";
import type { Engine } from "../engine/engine.js";
import { DidwasmError } from "../errors.js";
import { demeanInArena } from "../estimators/demean-columns.js";
import type { ColumnWriter } from "../model/lazy-columns.js";
import { invertSpd } from "../linalg/small.js";
import type { Groups } from "../model/groups.js";
import { twoWayDemeaned, twoWayDraw, twoWayPlacebo, twoWaySolver, twoWayScratch, type TwoWayPlacebo } from "./two-way-placebo.js";

export interface PlaceboModel {
  readonly n: number;
  /** Dense unit id per sample row. */
  readonly unitOfRow: Int32Array;
  /** Period value per sample row. */
  readonly timeOfRow: Float64Array;
  readonly fixef: readonly Groups[];
  /** Balanced two-way panel (unit x period, unweighted): closed-form demeaning ids. */
  readonly balanced: { readonly unit: Int32Array; readonly time: Int32Array; readonly U: number; readonly T: number } | null;
  readonly weights: Float64Array | null;
  /** Other regressors residualized on the fixed effects, n x k column-major. */
  readonly Z: Float64Array;
  readonly k: number;
  readonly ZtZinv: Float64Array;
  /** The outcome residualized on the fixed effects and projected off Z. */
  readonly yZ: Float64Array;
  readonly yZyZ: number;
  readonly tol: number;
  readonly maxIter: number;
  /** For t statistics. */
  readonly variance: { readonly type: "iid" | "hetero" | "cluster"; readonly dofK: number; readonly cluster: Groups | null; readonly adj: boolean; readonly clusterAdj: boolean } | null;
}

export interface ModelInputs {
  readonly y: Float64Array;
  readonly others: readonly Float64Array[];
  readonly unitOfRow: Int32Array;
  readonly timeOfRow: Float64Array;
  readonly fixef: readonly Groups[];
  readonly weights: Float64Array | null;
  readonly tol: number;
  readonly maxIter: number;
  readonly variance: PlaceboModel["variance"];
}

/** Two-way balanced layout if the fixed effects are exactly unit and period, each pair observed once. */
function balancedLayout(inp: ModelInputs): PlaceboModel["balanced"] {
  if (inp.weights || inp.fixef.length !== 2) return null;
  const n = inp.y.length;
  const periods = [...new Set(inp.timeOfRow)].sort((a, b) => a - b);
  const tIndex = new Map(periods.map((p, i) => [p, i]));
  const time = Int32Array.from(inp.timeOfRow, (t) => tIndex.get(t)!);
  let U = 0;
  for (const u of inp.unitOfRow) U = Math.max(U, u + 1);
  const T = periods.length;
  if (U * T !== n) return null;
  // The fixed effects must be the unit and the period (in either order).
  const same = (g: Groups, ids: Int32Array) => {
    const map = new Map<number, number>();
    const gIds = g.ids; // once: ids may be read through a getter (model/groups.ts)
    for (let i = 0; i < n; i++) {
      const m = map.get(gIds[i]);
      if (m === undefined) map.set(gIds[i], ids[i]);
      else if (m !== ids[i]) return false;
    }
    return map.size === new Set(ids).size;
  };
  const [a, b] = inp.fixef;
  const ok = (same(a, inp.unitOfRow) && same(b, time)) || (same(a, time) && same(b, inp.unitOfRow));
  if (!ok) return null;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = inp.unitOfRow[i] * T + time[i];
    if (seen[c]) return null;
    seen[c] = 1;
  }
  return { unit: inp.unitOfRow, time, U, T };
}

/** The other regressors demeaned (Z, n x k column-major), (Z'WZ)^-1 and the demeaned outcome projected
 *  off Z (yZ = y~ - Z gamma), by kernels the fit itself uses: the demeaning, the crossproduct of [y~ Z] and
 *  the residuals kernel, whose operations are those of a loop over the rows here, row by row; such a loop
 *  runs once, in V8's interpreter (measured: run-once loops over the rows cost a 500-draw placebo process
 *  some 10 ms). */
function demeanedProjection(engine: Engine, inp: ModelInputs): { Z: Float64Array; ZtZinv: Float64Array; yZ: Float64Array } {
  const n = inp.y.length;
  const k = inp.others.length;
  const C = k + 1;
  const writers: ColumnWriter[] = [inp.y, ...inp.others].map((c) => (out, offset) => out.set(c, offset));
  const b = engine.backend;
  const a = b.arena();
  try {
    let data: F64Buffer;
    if (inp.fixef.length) data = demeanInArena(engine, a, n, writers, inp.fixef, inp.weights, inp.tol, inp.maxIter).data;
    else {
      data = a.f64(C * n, false);
      writers.forEach((write, j) => write(data.view, j * n));
    }
    const gramBuffer = a.f64(C * C);
    b.crossprod(n, C, data, inp.weights ? a.f64From(inp.weights) : null, gramBuffer);
    const gram = gramBuffer.view;
    const ZtZ = new Float64Array(k * k);
    const Zy = new Float64Array(k);
    for (let p = 0; p < k; p++) {
      Zy[p] = gram[(p + 1) * C];
      for (let q = 0; q < k; q++) ZtZ[p * k + q] = gram[(p + 1) * C + q + 1];
    }
    const ZtZinv = k ? invertSpd(ZtZ, k) : new Float64Array(0);
    if (!ZtZinv) throw new DidwasmError("ALL_COLLINEAR", "the regressors other than the treatment are collinear");
    const gamma = new Float64Array(k);
    for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) gamma[p] += ZtZinv[p * k + q] * Zy[q];
    const yZ = a.f64(n, false);
    b.residuals(n, k, a.f64Part(data, n, k * n), a.f64From(k ? gamma : [0]), a.f64Part(data, 0, n), yZ);
    return { Z: data.view.slice(n, C * n), ZtZinv, yZ: yZ.view.slice() };
  } finally {
    a.release();
  }
}

export function buildPlaceboModel(engine: Engine, inp: ModelInputs): PlaceboModel {
  const n = inp.y.length;
  const k = inp.others.length;
  const w = inp.weights;
  const { Z, ZtZinv, yZ } = demeanedProjection(engine, inp);
  let yZyZ = 0;
  for (let i = 0; i < n; i++) yZyZ += (w ? w[i] : 1) * yZ[i] * yZ[i];
  // The balanced layout only serves draws that demean the fake treatment row by row: a model whose fixed
  // effects are the unit and the period draws from the unit x period tables and never asks for it.
  let balanced: PlaceboModel["balanced"] | undefined;
  return {
    n, unitOfRow: inp.unitOfRow, timeOfRow: inp.timeOfRow, fixef: inp.fixef, weights: w, Z, k, ZtZinv, yZ, yZyZ,
    get balanced() {
      if (balanced === undefined) balanced = balancedLayout(inp);
      return balanced;
    },
    tol: inp.tol, maxIter: inp.maxIter, variance: inp.variance,
  };
}

/** Draws per block: one demeaning call and one crossproduct per block. */
const BLOCK = 64;

/** One column's result from fwlCoefficients: its coefficient, the residual sum of squares qd of the column
 *  on the other regressors, the demeaned column d, and the block's crossproducts C (column j of nb). */
export type FwlColumn = (job: number, beta: number, qd: number, d: Float64Array, C: Float64Array, nb: number, j: number) => void;

/**
 * The Frisch-Waugh-Lovell coefficient of each of `count` alternative treatment columns on model m: fill(job,
 * out) writes column `job` into out; blocks of up to BLOCK columns are demeaned in one call and crossed with
 * [Z, y~] in one. A column left with less than 1e-12 of its sum of squares is collinear (NaN). `what` names
 * the columns in a non-convergence error; onBlock(done) follows progress.
 */
export function fwlCoefficients(
  engine: Engine, m: PlaceboModel, count: number, fill: (job: number, out: Float64Array) => void, what: string, onColumn: FwlColumn,
  onBlock?: (done: number) => void,
): void {
  const { n, k } = m;
  const b = engine.backend;
  const a = b.arena();
  try {
    const B = Math.min(BLOCK, count);
    const ZY = a.f64(n * (k + 1));
    ZY.view.set(m.Z);
    ZY.view.set(m.yZ, k * n);
    const D = a.f64(n * B);
    const cross = a.f64((k + 1) * B);
    const w = m.weights ? a.f64From(m.weights) : null;
    const sumG = m.fixef.reduce((s, f) => s + f.G, 0);
    const fe = m.balanced ? null : a.i32(m.fixef.length * n);
    if (fe) m.fixef.forEach((f, q) => fe.view.set(f.ids, q * n));
    const G = a.i32From(m.fixef.map((f) => f.G));
    const scratch = a.f64(m.balanced ? m.balanced.U + m.balanced.T : demeanScratchLength(sumG));
    const iter = a.i32(B);
    const unitB = m.balanced ? a.i32From(m.balanced.unit) : null;
    const timeB = m.balanced ? a.i32From(m.balanced.time) : null;
    for (let start = 0; start < count; start += B) {
      const nb = Math.min(B, count - start);
      for (let j = 0; j < nb; j++) fill(start + j, D.view.subarray(j * n, (j + 1) * n));
      if (m.balanced) b.demeanBalanced(n, nb, D, D, unitB!, timeB!, m.balanced.U, m.balanced.T, scratch);
      else if (m.fixef.length > 0) {
        const failed = b.demean(n, nb, m.fixef.length, D, D, fe!, G, w, m.tol, m.maxIter, scratch, iter);
        if (failed) throw new DidwasmError("BAD_DATA", `demeaning a ${what} did not converge within ${m.maxIter} sweeps`);
      }
      b.crossprodAB(n, k + 1, ZY, nb, D, w, cross);
      const C = cross.view;
      const Dd = D.view;
      for (let j = 0; j < nb; j++) {
        const off = j * n;
        const dd = weightedSquares(Dd, off, n, m.weights);
        const qd = dd - quadraticForm(C, nb, j, m.ZtZinv, k);
        const beta = qd > 1e-12 * dd ? C[k * nb + j] / qd : NaN;
        onColumn(start + j, beta, qd, Dd.subarray(off, off + n), C, nb, j);
      }
      onBlock?.(start + nb);
    }
  } finally {
    a.release();
  }
}

// The loops over rows that run for every draw are functions of their own, called once per column: V8
// optimises a function after a few calls, whereas a loop inside fwlCoefficients (called once per run) would
// run in the interpreter until on-stack replacement, which a short run reaches late or, after a
// deoptimisation, not at all (measured: most of a 500-draw run then ran unoptimised, boxing every
// intermediate double). The arithmetic is the same, operation for operation, as the loops they replace.

/** sum_i w_i x_i^2 over x[off .. off + n), in row order (w null: unweighted). */
function weightedSquares(x: Float64Array, off: number, n: number, w: Float64Array | null): number {
  let s = 0;
  if (w) for (let i = 0; i < n; i++) s += w[i] * x[off + i] * x[off + i];
  else for (let i = 0; i < n; i++) s += x[off + i] * x[off + i];
  return s;
}

/** c' A c for column j of the k x nb block C (c_p = C[p * nb + j]) and the k x k matrix A. */
function quadraticForm(C: Float64Array, nb: number, j: number, A: Float64Array, k: number): number {
  let quad = 0;
  for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) quad += C[p * nb + j] * A[p * k + q] * C[q * nb + j];
  return quad;
}

/** The fake treatment over the sample rows: 1 from the unit's fake cohort on, else 0. */
function fakeTreatment(out: Float64Array, timeOfRow: Float64Array, unitOfRow: Int32Array, cohortOfUnit: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = timeOfRow[i] >= cohortOfUnit[unitOfRow[i]] ? 1 : 0;
}

/** The fake treatment's coefficient (and t statistic when asked) for each fake cohort assignment; twoWay:
 *  the model's unit x period tables when it has them (computed here when not given). */
export function placeboCoefficients(
  engine: Engine, m: PlaceboModel, fakes: readonly Float64Array[], withT: boolean, twoWay: TwoWayPlacebo | null = twoWayPlacebo(engine, m),
): { coef: Float64Array; t: Float64Array | null } {
  const R = fakes.length;
  if (twoWay && !withT) {
    const a = engine.backend.arena();
    try {
      const U = twoWay.U;
      const cohorts = a.f64(Math.max(1, R * U), false);
      fakes.forEach((f, r) => cohorts.view.set(f, r * U));
      const coef = a.f64(Math.max(1, R), false);
      twoWaySolver(engine, a, twoWay, m.ZtZinv, m.k)(cohorts, R, coef);
      return { coef: coef.view.slice(0, R), t: null };
    } finally {
      a.release();
    }
  }
  const coef = new Float64Array(R);
  const tstat = withT ? new Float64Array(R) : null;
  if (withT && !m.variance) throw new DidwasmError("BAD_OPTION", "t-statistic draws need the model's variance settings");
  // Per-draw scratch of the t statistics, allocated once: a fresh n-vector per draw is garbage to collect.
  const scratch: TScratch | null = withT ? { score: new Float64Array(m.n), sums: new Float64Array(m.variance!.cluster?.G ?? 0), h: new Float64Array(m.k) } : null;
  if (twoWay) {
    twoWayCoefficients(twoWay, m, fakes, coef, tstat, scratch);
    return { coef, t: tstat };
  }
  fwlCoefficients(
    engine, m, R,
    (job, out) => fakeTreatment(out, m.timeOfRow, m.unitOfRow, fakes[job]),
    "fake treatment",
    (job, beta, qd, d, C, nb, j) => {
      coef[job] = beta;
      if (tstat) tstat[job] = tStatistic(m, d, C, nb, j, beta, qd, scratch!);
    },
  );
  return { coef, t: tstat };
}

/** placeboCoefficients with unit and period fixed effects and t statistics: each draw from the unit x
 *  period tables (two-way-placebo.ts), the same formulas as fwlCoefficients' per column (without t
 *  statistics the placeboTwoWayDraws kernel does the same arithmetic). */
function twoWayCoefficients(t: TwoWayPlacebo, m: PlaceboModel, fakes: readonly Float64Array[], coef: Float64Array, tstat: Float64Array | null, scratch: TScratch | null): void {
  const s = twoWayScratch(t);
  const d = tstat ? new Float64Array(m.n) : null;
  const alpha = tstat ? new Float64Array(t.U) : null;
  for (let r = 0; r < fakes.length; r++) {
    const { dd, count } = twoWayDraw(t, fakes[r], s);
    const qd = dd - quadraticForm(s.cross, 1, 0, m.ZtZinv, m.k);
    const beta = qd > 1e-12 * dd ? s.cross[m.k] / qd : NaN;
    coef[r] = beta;
    if (tstat) {
      twoWayDemeaned(t, m, fakes[r], s, count, d!, alpha!);
      tstat[r] = tStatistic(m, d!, s.cross, 1, 0, beta, qd, scratch!);
    }
  }
}

/** Scratch of tStatistic, overwritten by every call: scores (n), cluster sums (G), (Z'WZ)^-1 Z'Wd (k). */
interface TScratch {
  readonly score: Float64Array;
  readonly sums: Float64Array;
  readonly h: Float64Array;
}

function tStatistic(m: PlaceboModel, d: Float64Array, C: Float64Array, nb: number, j: number, beta: number, qd: number, scratch: TScratch): number {
  const { n, k } = m;
  const v = m.variance!;
  const w = m.weights;
  if (v.type === "iid") {
    const rss = m.yZyZ - beta * beta * qd;
    const sigma2 = v.adj ? rss / (n - v.dofK) : rss / (n - 1);
    return beta / Math.sqrt(sigma2 / qd);
  }
  // m_i = d_i - Z_i (Z'WZ)^-1 Z'Wd ; score_i = w_i m_i e_i with e = yZ - beta m.
  const h = scratch.h.fill(0);
  for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) h[p] += m.ZtZinv[p * k + q] * C[q * nb + j];
  const score = scratch.score;
  for (let i = 0; i < n; i++) {
    let mi = d[i];
    for (let p = 0; p < k; p++) mi -= m.Z[p * n + i] * h[p];
    score[i] = (w ? w[i] : 1) * mi * (m.yZ[i] - beta * mi);
  }
  let meat = 0;
  let factor = v.adj ? (n - 1) / (n - v.dofK) : 1;
  if (v.type === "hetero") {
    for (let i = 0; i < n; i++) meat += score[i] * score[i];
    if (v.clusterAdj) factor *= n / (n - 1);
  } else {
    const g = v.cluster!;
    const sums = scratch.sums.fill(0);
    const gIds = g.ids; // once: ids may be read through a getter (model/groups.ts)
    for (let i = 0; i < n; i++) sums[gIds[i]] += score[i];
    for (let c = 0; c < g.G; c++) meat += sums[c] * sums[c];
    if (v.clusterAdj) factor *= g.G / (g.G - 1);
  }
  return beta / Math.sqrt((factor * meat) / (qd * qd));
}
