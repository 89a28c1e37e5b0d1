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
import { columnMomentsByColumns, columnRanges } from "../column-split.js";
import { threadsFor } from "../threaded-sums.js";
import type { KernelCall } from "../../engine/thread-runner.js";
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
      scores(inp, arena, data, w, d, levels, event, eventScores, att, attScores);

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
 * zeroed), in one pass over the rows (the stackedScores kernel): z~ is X~ for the controls,
 * 1(slot = e) - c_unit,e - c_period,e for a dummy and 1(post) - c_unit,post - c_period,post for post;
 * e = y~ - theta'z~. Rows come in runs of one cluster and one sub-experiment x unit level (a unit's rows are
 * consecutive in the stack): the unit's part of z~, the same on every row of the run, is added once per run
 * from the run's sum of w e (left out when the levels are nested in the clusters: it sums to 0 there).
 */
function scores(
  inp: StackedRegressionInput, arena: Arena, x: F64Buffer, w: F64Buffer | null, d: DummyProjections, levels: LevelFits,
  event: Solved, S1: F64Buffer, att: Solved, S2: F64Buffer,
): void {
  const Kc = inp.controls.length;
  const x1 = event.keptColumns.filter((a) => a < Kc);
  const x2 = att.keptColumns.filter((a) => a < Kc);
  const kept = arena.i32From([...x1, ...event.kept, ...x2]);
  const { unitCoef, periodCoef } = d;
  const G = inp.cluster.G;
  const args = [
    inp.n, Kc, inp.slots, G, inp.firstPost, x, w, arena.i32From(inp.code), arena.i32From(inp.cluster.ids), arena.i32From(inp.fixef[0].ids),
    arena.i32From(inp.fixef[1].ids), unitCoef ? arena.f64From(unitCoef) : null, arena.f64From(periodCoef), arena.f64From(event.theta),
    arena.f64From(att.theta), arena.f64From(levels.psiUnit), arena.f64From(levels.psiPeriod), arena.f64From(levels.postUnit),
    arena.f64From(levels.postPeriod), kept, x1.length, event.kept.length, x2.length, att.kept.length > 0 ? 1 : 0,
  ] as const;
  // One range of clusters per kernel thread (each reads every row, adds only its clusters'): the same bits.
  const ranges = columnRanges(G, Math.min(G, threadsFor(inp.backend, inp.n)));
  const room = x1.length + event.kept.length + x2.length;
  const scratch = arena.f64(ranges.length * room);
  const calls: KernelCall[] = ranges.map(([g0, g1], j) => ({ kernel: "stackedScores", args: [...args, g0, g1, S1, S2, arena.f64Part(scratch, j * room, room)] }));
  if (calls.length > 1 && inp.backend.threads) inp.backend.threads.run(calls);
  else inp.backend.stackedScores(...args, 0, G, S1, S2, scratch);
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
