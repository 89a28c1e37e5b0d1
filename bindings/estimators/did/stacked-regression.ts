// Stacked DID's two regressions (stacked.ts) by Frisch-Waugh-Lovell from one absorption of the outcome and
// the controls: the event-time model
//   y ~ controls + D_e (treated x 1(event = e), every e of the window but -1) | sub_exp^unit + sub_exp^period
// and the static model, treated x post (the sum of the D_e with e >= 0) in place of the D_e. Both share the
// sample, weights and fixed effects, so y~ and the controls X~ are absorbed once; the dummies are never
// written as columns (a million-row stack would hold ten more, fresh memory that costs more to map than to
// fill): their crossproducts and fixed-effect fits come from group sums (stacked-dummies.ts), and post's
// are the sums of theirs. Collinear regressors are dropped as feols drops them (ols-core.ts): no variation
// left within the fixed effects, then the Cholesky pivot test, in formula order (controls, then the
// dummies). The variance is clustered, adj x c x bread M bread with M = sum_g S_g S_g',
// S_g = sum_{i in g} w_i e_i z~_i (e: the residuals), with fixest's small-sample corrections (vcov/dof.ts:
// fixed effects nested in the clusters not counted; c = G/(G - 1); t on G - 1 degrees of freedom).
import type { Arena, Backend, F64Buffer } from "../../engine/backend.js";
import { DidwasmError } from "../../errors.js";
import { sandwich } from "../../linalg/small.js";
import { isNested, type Groups } from "../../model/groups.js";
import type { ColumnWriter } from "../../model/lazy-columns.js";
import type { Ssc } from "../../model/vcov-spec.js";
import type { Note } from "../../notes.js";
import { columnMomentsByColumns } from "../column-split.js";
import { COLLINEAR_WITH_FIXEF_TOL, type Absorber } from "../ols-core.js";
import { columnScaling, scaleRange, weightScaling } from "../ols-scaling.js";
import { countedParameters, tDegrees } from "../vcov/dof.js";
import { fixefParameters } from "../vcov/params.js";
import { choleskyInverseAndSolve } from "./cholesky-keep.js";
import { BlockSolvers, combinedFits, dummyProjections, type DummyProjections, type DummyRequest } from "./stacked-dummies.js";

export interface NamedWriter {
  readonly name: string;
  readonly write: ColumnWriter;
}

/** The dummies' request (stacked-dummies.ts: the backend, dummy slots, sub-experiment blocks, fixed
 *  effects, kept cells and the sweeps' tolerance), and what the regressions need besides. */
export interface StackedRegressionInput extends DummyRequest {
  /** Sample rows. */
  readonly n: number;
  readonly outcome: NamedWriter;
  readonly controls: readonly NamedWriter[];
  /** Per sample row (the fits' weights), or null. */
  readonly weights: Float64Array | null;
  /** Slots from `firstPost` on are post (event time 0 and later). */
  readonly firstPost: number;
  /** Absorbs both fixed effects in place, one sub-experiment at a time (stacked-demean.ts). */
  readonly absorber: Absorber;
  readonly cluster: Groups;
  readonly clusterName: string;
  readonly ssc: Ssc;
}

/** One model's kept regressors of interest (slots of the dummies; for the static model, slot 0 is post),
 *  their coefficients and covariance (row-major), in the data's units. */
export interface StackedModel {
  readonly kept: readonly number[];
  readonly coef: Float64Array;
  readonly vcov: Float64Array;
  readonly dfT: number;
}

export interface StackedRegression {
  readonly event: StackedModel;
  readonly att: StackedModel;
  readonly nobs: number;
  /** Clusters in the sample. */
  readonly G: number;
  /** Columns (outcome, controls) whose absorption stopped at the sweep limit. */
  readonly notConverged: readonly string[];
  /** Sub-experiments whose dummies' fixed-effect solve stopped at the sweep limit. */
  readonly dummiesNotConverged: number;
  /** Range notes of the weights and columns (ols-scaling.ts). */
  readonly precisionNotes: readonly Note[];
}

/** A model's normal equations over Z = [controls, regressors of interest]. */
interface System {
  readonly K: number;
  readonly ZZ: Float64Array;
  readonly Zy: Float64Array;
  /** Weighted centred sum of squares of each column of Z (the within-variation test's scale). */
  readonly total: Float64Array;
}

export function stackedRegression(inp: StackedRegressionInput): StackedRegression {
  const { backend, n, slots: L } = inp;
  const Kc = inp.controls.length;
  const C = Kc + 1;
  const nParams = Kc + L + fixefParameters(inp.fixef);
  if (n <= nParams) {
    throw new DidwasmError(
      "TOO_FEW_ROWS",
      `${n} observation(s) for ${nParams} parameters (${Kc + L} coefficient(s) and ${nParams - Kc - L} fixed-effect levels): more observations than parameters are needed`,
      { nobs: n, parameters: nParams },
    );
  }
  if (inp.cluster.G < 2) {
    throw new DidwasmError("TOO_FEW_CLUSTERS", `cluster variable "${inp.clusterName}" has ${inp.cluster.G} cluster in the sample; at least 2 are needed`, { column: inp.clusterName });
  }
  const arena = backend.arena();
  try {
    // [controls, y] over the sample rows, and the weights, scaled by powers of two as runOls scales them
    // (exact; the absorber's kept cells were built from weights scaled so).
    const data = arena.f64(n * C, false);
    inp.controls.forEach((c, j) => c.write(data.view, j * n));
    inp.outcome.write(data.view, Kc * n);
    const wScaling = inp.weights ? weightScaling(inp.weights, "the weights") : null;
    const w = inp.weights ? arena.f64From(inp.weights) : null;
    let W = n;
    if (w && wScaling) {
      scaleRange(w.view, 0, n, wScaling.exp);
      W = 0;
      const wv = w.view;
      for (let i = 0; i < n; i++) W += wv[i];
    }
    const labels = [...inp.controls.map((c) => `regressor "${c.name}"`), `outcome "${inp.outcome.name}"`];
    const mean = arena.f64(C);
    const ss = arena.f64(C);
    columnMomentsByColumns(backend, arena, n, C, data, w, mean, ss);
    const cScaling = columnScaling(data.view, n, labels, mean.view, ss.view, W, wScaling ? wScaling.spread : n);
    if (cScaling.exp.some((e) => e !== 0)) {
      cScaling.exp.forEach((e, c) => scaleRange(data.view, c * n, (c + 1) * n, e));
      columnMomentsByColumns(backend, arena, n, C, data, w, mean, ss);
    }
    const centredSS = ss.view.slice();

    const iterations = inp.absorber(backend, arena, n, C, data, w);
    const notConverged = [...inp.controls.map((c) => c.name), inp.outcome.name].filter((_, c) => iterations[c] < 0);
    const crossBuf = arena.f64(C * C);
    backend.crossprod(n, C, data, w, crossBuf);
    const A = crossBuf.view.slice();
    if (!(A[Kc * C + Kc] > COLLINEAR_WITH_FIXEF_TOL * centredSS[Kc])) {
      throw new DidwasmError(
        "NO_VARIANCE",
        `outcome "${inp.outcome.name}" is constant within the fixed effects (${inp.fixef.map((f) => f.name).join(", ")}): they explain all of its variation, nothing is left to estimate`,
        { column: inp.outcome.name },
      );
    }
    // When every sub-experiment x unit level lies in one cluster (clustered by the unit, or coarser), a score's
    // part from that level's fit is its c times the level's sum of w e, which is 0: the residuals are
    // orthogonal to the fixed effects. The levels' c are then not kept, only the fits the residuals need
    // (combinedFits); otherwise each run of a level in a cluster adds its part (scores).
    const unitsNested = isNested(inp.fixef[0], inp.cluster);
    const solvers = new BlockSolvers(inp, w);
    try {
      const d = dummyProjections(inp, solvers, data, n, Kc, w, !unitsNested);

      const eventSystem = systemOf(A, centredSS, Kc, d, W, Array.from({ length: L }, (_, e) => [e]));
      const postSlots = Array.from({ length: L - inp.firstPost }, (_, i) => inp.firstPost + i);
      const attSystem = systemOf(A, centredSS, Kc, d, W, [postSlots]);
      const event = solveSystem(backend, eventSystem, Kc);
      if (event.kept.length === 0) {
        throw new DidwasmError("ALL_COLLINEAR", "every regressor is collinear with the fixed effects or has no variation: the controls and every event-time dummy", {});
      }
      const att = solveSystem(backend, attSystem, Kc);

      // The fixed-effect fits per level of the event model's fitted dummies (theta'D) and of post.
      const thetaD = Float64Array.from({ length: L }, (_, e) => event.theta[Kc + e]);
      const postAlpha = Float64Array.from({ length: L }, (_, e) => (e >= inp.firstPost ? 1 : 0));
      const alphas = [thetaD, postAlpha];
      const unitCoef = d.unitCoef;
      const fits = unitCoef
        ? { unit: alphas.map((a) => levelFits(unitCoef, L, a)), period: alphas.map((a) => levelFits(d.periodCoef, L, a)) }
        : combinedFits(inp, solvers, w, alphas);
      const G = inp.cluster.G;
      const eventScores = arena.f64(G * event.keptColumns.length);
      const attScores = arena.f64(G * Math.max(1, att.keptColumns.length));
      const levels: LevelFits = { psiUnit: fits.unit[0], psiPeriod: fits.period[0], postUnit: fits.unit[1], postPeriod: fits.period[1] };
      scores(inp, data.view, w?.view ?? null, d, levels, event, eventScores.view, att, attScores.view);

      const expY = cScaling.exp[Kc];
      return {
        event: varianceOf(inp, arena, event, eventScores, expY),
        att: varianceOf(inp, arena, att, attScores, expY),
        nobs: n,
        G,
        notConverged,
        dummiesNotConverged: solvers.notConverged,
        precisionNotes: [...(wScaling?.notes ?? []), ...cScaling.notes],
      };
    } finally {
      solvers.release();
    }
  } finally {
    arena.release();
  }
}

/** The normal equations over [controls, regressors], each regressor the sum of the dummies of its slots
 *  (`regressors`: one slot each for the event model, the post slots for the static one). */
function systemOf(A: Float64Array, centredSS: Float64Array, Kc: number, d: DummyProjections, W: number, regressors: ReadonlyArray<readonly number[]>): System {
  const C = Kc + 1;
  const L = d.weight.length;
  const R = regressors.length;
  const K = Kc + R;
  const ZZ = new Float64Array(K * K);
  const Zy = new Float64Array(K);
  const total = new Float64Array(K);
  for (let a = 0; a < Kc; a++) {
    for (let b = 0; b < Kc; b++) ZZ[a * K + b] = A[a * C + b];
    Zy[a] = A[a * C + Kc];
    total[a] = centredSS[a];
  }
  regressors.forEach((slotsA, p) => {
    const a = Kc + p;
    let weight = 0;
    for (const e of slotsA) {
      weight += d.weight[e];
      Zy[a] += d.Dy[e];
      for (let j = 0; j < Kc; j++) ZZ[a * K + j] += d.DX[e * Kc + j];
    }
    for (let j = 0; j < Kc; j++) ZZ[j * K + a] = ZZ[a * K + j];
    // A 0/1 column of weight s out of W has centred sum of squares s (1 - s / W).
    total[a] = weight * (1 - weight / W);
    regressors.forEach((slotsB, q) => {
      let v = 0;
      // D_e'W D_f~ and D_f'W D_e~ are equal but for rounding: their mean is symmetric.
      for (const e of slotsA) for (const f of slotsB) v += 0.5 * (d.DD[e * L + f] + d.DD[f * L + e]);
      ZZ[a * K + Kc + q] = v;
    });
  });
  return { K, ZZ, Zy, total };
}

interface Solved {
  /** Kept regressors of interest (0-based among them). */
  readonly kept: readonly number[];
  /** Every coefficient of [controls, regressors] in the fit's units, 0 where dropped. */
  readonly theta: Float64Array;
  /** Kept columns of Z, and the inverse of their crossproduct (row-major over them). */
  readonly keptColumns: readonly number[];
  readonly bread: Float64Array;
}

function solveSystem(backend: Backend, s: System, Kc: number): Solved {
  const { K, ZZ, Zy, total } = s;
  const keep = new Int32Array(K);
  for (let a = 0; a < K; a++) keep[a] = ZZ[a * K + a] > COLLINEAR_WITH_FIXEF_TOL * total[a] ? 1 : 0;
  const { inv, theta } = choleskyInverseAndSolve(backend, ZZ, Zy, keep, K);
  for (let a = 0; a < K; a++) if (!keep[a]) theta[a] = 0;
  const keptColumns = Array.from({ length: K }, (_, a) => a).filter((a) => keep[a]);
  const Kk = keptColumns.length;
  const bread = new Float64Array(Kk * Kk);
  keptColumns.forEach((a, i) => keptColumns.forEach((b, j) => (bread[i * Kk + j] = inv[a * K + b])));
  return { kept: keptColumns.filter((a) => a >= Kc).map((a) => a - Kc), theta, keptColumns, bread };
}

/** A combination of the dummies' fits per level: sum_e alpha_e c_ge (alpha: theta for the event model's
 *  fitted dummies, 1 on the post slots for post). */
function levelFits(coef: Float64Array, L: number, theta: Float64Array): Float64Array {
  const out = new Float64Array(coef.length / L);
  for (let g = 0; g < out.length; g++) {
    let s = 0;
    for (let e = 0; e < L; e++) s += theta[e] * coef[g * L + e];
    out[g] = s;
  }
  return out;
}

/** Per level, the fixed-effect fit of the event model's fitted dummies (psi) and of post. */
interface LevelFits {
  readonly psiUnit: Float64Array;
  readonly psiPeriod: Float64Array;
  readonly postUnit: Float64Array;
  readonly postPeriod: Float64Array;
}

/**
 * Both models' clustered scores S_g = sum_{i in g} w_i e_i z~_i over their kept columns (G x K column-major,
 * zeroed), in one pass over the rows: z~ is X~ for the controls, 1(slot = e) - c_unit,e - c_period,e for a
 * dummy and 1(post) - c_unit,post - c_period,post for post; e = y~ - theta'z~. Rows come in runs of one
 * cluster and one sub-experiment x unit level (a unit's rows are consecutive in the stack): a run's w e are
 * taken first, then each score's sum over the run in a local (not an element of an array, which the loop
 * would load and store on every row), and the unit's part of z~, the same on every row of the run, once per
 * run from the run's sum of w e (left out when the levels are nested in the clusters: it sums to 0 there).
 */
function scores(
  inp: StackedRegressionInput, x: Float64Array, w: Float64Array | null, d: DummyProjections, levels: LevelFits,
  event: Solved, S1: Float64Array, att: Solved, S2: Float64Array,
): void {
  const { n, code, slots: L, firstPost } = inp;
  const Kc = inp.controls.length;
  const G = inp.cluster.G;
  const cluster = inp.cluster.ids;
  const unitIds = inp.fixef[0].ids;
  const periodIds = inp.fixef[1].ids;
  const { unitCoef, periodCoef } = d;
  const theta1 = event.theta;
  const theta2 = att.theta;
  const { psiUnit, psiPeriod } = levels;
  const post = { unit: levels.postUnit, period: levels.postPeriod };
  const x1 = Int32Array.from(event.keptColumns.filter((a) => a < Kc));
  const d1 = Int32Array.from(event.kept);
  const x2 = Int32Array.from(att.keptColumns.filter((a) => a < Kc));
  const postKept = att.kept.length > 0;
  const thetaPost = theta2[Kc];
  const nx1 = x1.length;
  const nx2 = x2.length;
  // w e of the current run's rows, for each model.
  let a1 = new Float64Array(64);
  let a2 = new Float64Array(64);
  const yOffset = Kc * n;
  for (let k0 = 0; k0 < n; ) {
    const g = cluster[k0];
    const u = unitIds[k0];
    let k1 = k0 + 1;
    while (k1 < n && cluster[k1] === g && unitIds[k1] === u) k1++;
    const m = k1 - k0;
    if (m > a1.length) {
      a1 = new Float64Array(2 * m);
      a2 = new Float64Array(2 * m);
    }
    const sums = runResiduals(x, n, Kc, yOffset, k0, m, code, periodIds, w, u, theta1, theta2, thetaPost, psiUnit, psiPeriod, post.unit, post.period, firstPost, a1, a2);
    for (let q = 0; q < nx1; q++) S1[q * G + g] += runDot(a1, x, x1[q] * n + k0, m);
    for (let q = 0; q < d1.length; q++) {
      const f = d1[q];
      let s = unitCoef ? -sums.sum1 * unitCoef[u * L + f] : 0;
      for (let i = 0; i < m; i++) s += a1[i] * ((code[k0 + i] === f ? 1 : 0) - periodCoef[periodIds[k0 + i] * L + f]);
      S1[(nx1 + q) * G + g] += s;
    }
    for (let q = 0; q < nx2; q++) S2[q * G + g] += runDot(a2, x, x2[q] * n + k0, m);
    if (postKept) {
      let s = unitCoef ? -sums.sum2 * post.unit[u] : 0;
      for (let i = 0; i < m; i++) s += a2[i] * ((code[k0 + i] >= firstPost ? 1 : 0) - post.period[periodIds[k0 + i]]);
      S2[nx2 * G + g] += s;
    }
    k0 = k1;
  }
}

/** sum_i a[i] x[from + i] over a run of m rows. */
function runDot(a: Float64Array, x: Float64Array, from: number, m: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += a[i] * x[from + i];
  return s;
}

/** w e of each row of a run (rows k0 .. k0 + m - 1 of unit level u) for both models, into a1 and a2, and
 *  their sums. */
function runResiduals(
  x: Float64Array, n: number, Kc: number, yOffset: number, k0: number, m: number, code: Int32Array, periodIds: Int32Array, w: Float64Array | null, u: number,
  theta1: Float64Array, theta2: Float64Array, thetaPost: number, psiUnit: Float64Array, psiPeriod: Float64Array, postUnit: Float64Array, postPeriod: Float64Array,
  firstPost: number, a1: Float64Array, a2: Float64Array,
): { sum1: number; sum2: number } {
  let sum1 = 0;
  let sum2 = 0;
  const pu = psiUnit[u];
  const qu = postUnit[u];
  for (let i = 0; i < m; i++) {
    const k = k0 + i;
    const t = periodIds[k];
    const e = code[k];
    const y = x[yOffset + k];
    let r1 = y - (e >= 0 ? theta1[Kc + e] : 0) + pu + psiPeriod[t];
    let r2 = y - thetaPost * ((e >= firstPost ? 1 : 0) - qu - postPeriod[t]);
    for (let j = 0; j < Kc; j++) {
      const v = x[j * n + k];
      r1 -= theta1[j] * v;
      r2 -= theta2[j] * v;
    }
    const wi = w ? w[k] : 1;
    a1[i] = wi * r1;
    a2[i] = wi * r2;
    sum1 += a1[i];
    sum2 += a2[i];
  }
  return { sum1, sum2 };
}

/** The kept regressors' block of adj x c x bread M bread, in the data's units (the outcome was scaled by
 *  2^-expY; the dummies were not). */
function varianceOf(inp: StackedRegressionInput, arena: Arena, solved: Solved, S: F64Buffer, expY: number): StackedModel {
  const { n, ssc, cluster } = inp;
  const Kc = inp.controls.length;
  const Kk = solved.keptColumns.length;
  const dofK = countedParameters({ K: Kk, ssc, fixef: inp.fixef }, [cluster]);
  const dfT = tDegrees({ n, ssc }, dofK, cluster.G);
  const kept = solved.kept;
  if (kept.length === 0) return { kept, coef: new Float64Array(0), vcov: new Float64Array(0), dfT };
  const M = arena.f64(Kk * Kk);
  inp.backend.crossprod(cluster.G, Kk, S, null, M);
  const adj = ssc.adj ? (n - 1) / (n - dofK) : 1;
  const c = ssc.clusterAdj ? cluster.G / (cluster.G - 1) : 1;
  const V = sandwich(solved.bread, M.view.slice(), Kk);
  const unit = 2 ** expY;
  // The regressors of interest follow the kept controls among the kept columns.
  const first = Kk - kept.length;
  const m = kept.length;
  const vcov = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) vcov[a * m + b] = adj * c * V[(first + a) * Kk + first + b] * unit * unit;
  const coef = Float64Array.from(kept, (p) => solved.theta[Kc + p] * unit);
  return { kept, coef, vcov, dfT };
}
