// The numerical job behind feols with instrumental variables (two-stage least squares), as fixest does it:
//   1. the outcomes Y, endogenous E, instruments Z and exogenous X are written to one buffer [Y E Z X],
//      brought near 1 by powers of two (ols-scaling.ts) and demeaned ONCE, in one call: every stage uses
//      the same projection, so the fixed effects are absorbed from each column only once;
//   2. one crossproduct of [Y E Z X] gives the first stages E ~ X + Z (one per endogenous variable),
//      their residuals v, and the regressions without the instruments (for the first-stage F);
//   3. the second stage regresses Y on [X, E^] with E^ = E - v (the fitted endogenous, already demeaned);
//      its residuals use the ACTUAL endogenous variables, u = y - X b - E b_E = r - v b_E, and its variance
//      is the usual one with the scores E^ u and the bread (X^'W X^)^-1 (fixest: iv_residuals, scores);
//   4. Wu-Hausman: y on [E, X, E^], an F test of the E^ coefficients with the iid variance (fixest's iv_wh).
// Everything is computed in the scaled units and taken back to the data's units at the end; the Fits keep
// the scaled design, bread and residuals so that withVcov() recomputes the variance as ols-core's fits do.
import type { Arena, Backend, F64Buffer } from "../engine/backend.js";
import { DidwasmError } from "../errors.js";
import { info, warning, type Note } from "../notes.js";
import type { Design } from "../model/design.js";
import type { Groups } from "../model/groups.js";
import { columnWriter } from "../model/lazy-columns.js";
import type { FixefEncoding } from "../model/sample.js";
import type { Ssc, VcovSpec } from "../model/vcov-spec.js";
import { fmtInt } from "../present/format.js";
import { fUpperP } from "../stats/distributions.js";
import { waldTest } from "../stats/wald.js";
import { absorb } from "./absorb.js";
import { keptSystem, permuted, residualsOf } from "./iv-system.js";
import { COLLINEAR_WITH_FIXEF_TOL, refuseConstantOutcomes } from "./ols-core.js";
import { columnScaling, scaleRange, timesPowerOfTwo, weightScaling } from "./ols-scaling.js";
import { fixefParameters } from "./vcov/params.js";
import { computeVcov, type VarianceUnits, type VcovResult } from "./vcov/index.js";

export interface IvJob {
  readonly backend: Backend;
  readonly outcomes: ReadonlyArray<{ readonly name: string; readonly values: Float64Array }>;
  /** Exogenous regressors (with the intercept column when no fixed effect is absorbed). */
  readonly exo: Design;
  readonly endo: Design;
  readonly inst: Design;
  readonly weights: Float64Array | null;
  readonly fixef: readonly FixefEncoding[];
  readonly tol: number;
  readonly maxIter: number;
  readonly vcov: VcovSpec;
  readonly ssc: Ssc;
  readonly clusterGroups: (name: string) => Groups;
  /** Numeric columns over the sample for the variance (see VcovInputs.sampleNumeric). */
  readonly sampleNumeric?: (name: string, role: string) => Float64Array;
  /** Keep every stage's regressors (StageFit.X) whatever their size. */
  readonly keepDesigns?: boolean;
}

/** Stages keep their demeaned regressors (for withVcov) when they take at most this many doubles (8 MB).
 *  On a million rows, copying them out of the job's buffer cost as much as demeaning every column (a
 *  fresh allocation of that size is zero-filled, faulted in and collected): larger fits recompute them
 *  on demand by running the job again (the same numbers). */
export const IV_STORED_DESIGN_LIMIT = 1_048_576;

/** One regression of the IV system (a first stage or the second stage), ready to become a Fit. */
export interface StageFit {
  readonly outcome: string;
  /** Kept coefficients in fixest's order. */
  readonly coefNames: readonly string[];
  readonly removed: readonly string[];
  readonly coef: Float64Array;
  /** Residuals in the data's units (the second stage's use the actual endogenous variables). */
  readonly resid: Float64Array;
  readonly rss: number;
  readonly tss: number;
  readonly tssWithin: number;
  readonly constant: number | null;
  readonly vcov: VcovResult;
  /** Kept regressors (n x K, column-major, fixest's order) in the fit's internal units, or null when
   *  larger than IV_STORED_DESIGN_LIMIT (run the job again with keepDesigns); (X'WX)^-1 in those units. */
  readonly X: Float64Array | null;
  readonly bread: Float64Array;
  readonly varianceUnits: VarianceUnits | null;
}

/** An F statistic as fixest's fitstat reports it. */
export interface FStat {
  readonly stat: number;
  readonly p: number;
  readonly df1: number;
  readonly df2: number;
}

/** Sums of squares for the F statistics are in the fit's internal units (ols-scaling.ts): only their
 *  ratios are used, and in the data's units they can be beyond f64's range. */
export interface SecondStage {
  readonly fit: StageFit;
  /** Weighted SSR of the second-stage regression itself (fitted endogenous; fixest's iv_residuals). */
  readonly ssrFitted: number;
  /** Weighted SSR of the outcome on the exogenous regressors alone (fixest's ssr_no_endo). */
  readonly ssrNoEndo: number;
  /** Wu-Hausman; null when its regression has a collinear column (fixest: NA). */
  readonly wh: FStat | null;
}

export interface FirstStage {
  readonly endogenous: string;
  readonly fit: StageFit;
  /** Weighted SSR of the first stage, and of the endogenous variable on the exogenous regressors alone
   *  (fixest's ssr_no_inst), in the internal units (see SecondStage). */
  readonly ssr: number;
  readonly ssrNoInst: number;
}

export interface IvCoreResult {
  readonly n: number;
  readonly firstStages: readonly FirstStage[];
  readonly second: readonly SecondStage[];
  /** Excluded instruments kept in the first stages (their coefficient names). */
  readonly instruments: readonly string[];
  readonly iterations: number;
  readonly converged: boolean;
  readonly notes: readonly Note[];
}

function writeDesign(v: Float64Array, d: Design, firstColumn: number, n: number): void {
  for (let j = 0; j < d.columns.length; j++) {
    const write = columnWriter(d.columns, j);
    if (write) write(v, (firstColumn + j) * n);
    else v.set(d.columns[j], (firstColumn + j) * n);
  }
}

export function runIv(job: IvJob): IvCoreResult {
  refuseConstantOutcomes(job.outcomes, job.fixef.length > 0 || job.exo.intercept);
  const arena = job.backend.arena();
  try {
    return ivInArena(job, arena);
  } catch (e) {
    if (e instanceof RangeError && /allocation failed/i.test(e.message)) {
      throw new DidwasmError("TOO_LARGE", `the machine could not provide the memory this fit needs (${e.message}): use a subset of the ${fmtInt(job.outcomes[0].values.length)} rows`);
    }
    throw e;
  } finally {
    arena.release();
  }
}

/** Columns `cols` of the n-row column-major buffer, copied side by side. */
function columnsOf(buf: F64Buffer, n: number, cols: readonly number[]): Float64Array {
  const out = new Float64Array(cols.length * n);
  const v = buf.view;
  cols.forEach((c, j) => out.set(v.subarray(c * n, (c + 1) * n), j * n));
  return out;
}

/** Positions in a block [exogenous (k), leading] of its kept columns in fixest's order: the intercept
 *  first (when there is one), then `leading` (instruments, or the fitted endogenous), then the other
 *  exogenous regressors. */
function fixestOrder(k: number, nLeading: number, intercept: boolean, keep: Int32Array): number[] {
  const exo = Array.from({ length: k }, (_, j) => j);
  const leading = Array.from({ length: nLeading }, (_, j) => k + j);
  const order = intercept ? [0, ...leading, ...exo.slice(1)] : [...leading, ...exo];
  return order.filter((j) => keep[j] === 1);
}

// THE BUFFER. One n x (L + 2p + q + k) column-major buffer holds [Y E Z X E^] (outcomes, endogenous,
// instruments, exogenous, fitted endogenous): the first L + p + q + k columns are demeaned in one call,
// E^ is written after the first stages; [Z X] (first stages) and [X E^] (second stage) are then adjacent
// columns, which the residual kernel and the variances read in place. The regressions themselves take
// their columns in another order (iv-system.ts solves on a block of the crossproduct): X before Z, so
// that an instrument collinear with the regressors is the column dropped.
function ivInArena(job: IvJob, arena: Arena): IvCoreResult {
  const { backend, fixef } = job;
  const n = job.outcomes[0].values.length;
  const L = job.outcomes.length;
  const p = job.endo.columns.length;
  const q = job.inst.columns.length;
  const k = job.exo.columns.length;
  const C = L + p + q + k;
  const CD = C + p;
  const Q = fixef.length;
  const col = { e: (j: number) => L + j, z: (j: number) => L + p + j, x: (j: number) => L + p + q + j, f: (j: number) => C + j };
  const names = [...job.outcomes.map((o) => o.name), ...job.endo.names, ...job.inst.names, ...job.exo.names];
  const labels = names.map((nm, c) => `${c < L ? "outcome" : c < L + p ? "endogenous variable" : c < L + p + q ? "instrument" : "regressor"} "${nm}"`);

  // 1. [Y E Z X], scaled, demeaned once.
  const data = arena.f64(CD * n, false);
  job.outcomes.forEach((o, l) => data.view.set(o.values, l * n));
  writeDesign(data.view, job.endo, L, n);
  writeDesign(data.view, job.inst, L + p, n);
  writeDesign(data.view, job.exo, L + p + q, n);
  const w = job.weights ? arena.f64From(job.weights) : null;
  const wScaling = job.weights ? weightScaling(job.weights, "the weights") : { exp: 0, spread: n, notes: [] };
  if (w) scaleRange(w.view, 0, n, wScaling.exp);
  let sumW = n;
  if (w) {
    sumW = 0;
    for (let i = 0; i < n; i++) sumW += w.view[i];
  }
  const meansBuf = arena.f64(C);
  const ssBuf = arena.f64(C);
  const observed = arena.f64Part(data, 0, C * n);
  backend.columnMoments(n, C, observed, w, meansBuf, ssBuf);
  const scaling = columnScaling(data.view, n, labels, meansBuf.view, ssBuf.view, sumW, wScaling.spread);
  // The fitted endogenous variables have their endogenous variable's units.
  const exp = Int32Array.from({ length: CD }, (_, c) => scaling.exp[c < C ? c : L + c - C]);
  if (scaling.exp.some((e) => e !== 0)) {
    scaling.exp.forEach((e, c) => scaleRange(data.view, c * n, (c + 1) * n, e));
    backend.columnMoments(n, C, observed, w, meansBuf, ssBuf);
  }
  const rescaled = wScaling.exp !== 0 || scaling.exp.some((e) => e !== 0);
  const means = meansBuf.view.slice();
  const centredSS = ssBuf.view.slice();
  const notes: Note[] = [...wScaling.notes, ...scaling.notes];
  let iterations = 0;
  const notConverged: string[] = [];
  if (Q > 0) {
    const its = absorb(backend, arena, n, C, observed, fixef, w, job.tol, job.maxIter).iterations;
    its.forEach((it, c) => {
      if (it < 0) notConverged.push(names[c]);
      iterations = Math.max(iterations, Math.abs(it));
    });
  }
  if (notConverged.length) {
    notes.push(warning("not_converged", `demeaning did not converge within ${job.maxIter} sweeps (tol ${job.tol}) for: ${notConverged.join(", ")}`));
  }
  // The crossproduct of all of [Y E Z X E^]: [Y E Z X] now, the E^ rows once E^ is known.
  const gram = new Float64Array(CD * CD);
  const G1 = arena.f64(C * C);
  backend.crossprod(n, C, observed, w, G1);
  for (let a = 0; a < C; a++) gram.set(G1.view.subarray(a * C, (a + 1) * C), a * CD);

  // A column with nothing left after the fixed effects: outcomes and endogenous variables are refused,
  // exogenous regressors and instruments are removed as collinear (as feols does).
  const withinFixef = (c: number) => Q > 0 && !(gram[c * CD + c] > COLLINEAR_WITH_FIXEF_TOL * centredSS[c]);
  const fes = fixef.map((f) => f.name).join(", ");
  for (let c = 0; c < L + p; c++) {
    if (!withinFixef(c)) continue;
    const what = c < L ? "outcome" : "endogenous variable";
    throw new DidwasmError("NO_VARIANCE", `${what} "${names[c]}" is constant within the fixed effects (${fes}): they explain all of its variation, nothing is left to estimate`, {
      column: names[c],
    });
  }
  const xExcluded = Array.from({ length: k }, (_, j) => withinFixef(col.x(j)));
  const zExcluded = Array.from({ length: q }, (_, j) => withinFixef(col.z(j)));
  const xCols = Array.from({ length: k }, (_, j) => col.x(j));
  const zCols = Array.from({ length: q }, (_, j) => col.z(j));
  const fCols = Array.from({ length: p }, (_, j) => col.f(j));
  const hasCentre = Q > 0 || job.exo.intercept;
  const totalSS = (c: number) => (hasCentre ? centredSS[c] : centredSS[c] + sumW * means[c] * means[c]);
  const wView = () => (w ? w.view : null);
  const part = (c: number, count = 1) => arena.f64Part(data, c * n, count * n);
  const one = arena.f64From([1]);
  const ssqBuf = arena.f64(1);
  /** sum_i w_i v_i^2 of a column, by the crossproduct kernel. */
  const ssq = (v: F64Buffer): number => {
    backend.crossprodAB(n, 1, v, 1, v, w, ssqBuf);
    return ssqBuf.view[0];
  };

  // The regressions on the exogenous regressors alone (for the F statistics of fitstat).
  const sysX = keptSystem(backend, arena, gram, CD, xCols, xExcluded);
  const keptX = sysX.keep.reduce((s, v) => s + v, 0);
  const ssrOnExo = (c: number): number => (keptX === 0 && Q === 0 && k === 0 ? centredSS[c] : sysX.ssr(c));

  /** One stage's results. The block's columns (`block`, indices into the buffer, `blockNames`) lie side
   *  by side in the buffer from column `first`, in the block's order; `order` are the kept positions in
   *  fixest's order. b and the residuals are in the internal units. */
  const stageFit = (
    outcome: number, outcomeName: string, block: readonly number[], blockNames: readonly string[], order: number[], keep: Int32Array, b: Float64Array,
    inv: Float64Array, resid: F64Buffer, rssInternal: number, X: Float64Array | null,
  ): StageFit => {
    const Kb = block.length;
    const kept = Array.from({ length: Kb }, (_, j) => j).filter((j) => keep[j] === 1);
    const K = kept.length;
    // The variance in the block's order, on its kept columns in place when none was dropped.
    const Xk = K === Kb ? arena.f64Part(data, block[0] * n, K * n) : arena.f64From(columnsOf(data, n, kept.map((j) => block[j])));
    const breadKept = new Float64Array(K * K);
    kept.forEach((a, i) => kept.forEach((c, j) => (breadKept[i * K + j] = inv[a * Kb + c])));
    const ey = exp[outcome];
    const expOf = (pos: number) => ey - exp[block[pos]];
    const vcovKept = computeVcov(job.vcov, {
      backend, arena, n, K, X: Xk, resid, weights: w, bread: breadKept, rss: rssInternal, fixef, clusterGroups: job.clusterGroups,
      sampleNumeric: job.sampleNumeric, ssc: job.ssc, coefExp: rescaled ? Int32Array.from(kept, expOf) : null,
    });
    // Then in fixest's order.
    const toFixest = order.map((pos) => kept.indexOf(pos));
    const coefExp = rescaled ? Int32Array.from(order, expOf) : null;
    const vcov: VcovResult = {
      ...vcovKept,
      vcov: permuted(vcovKept.vcov, toFixest),
      ...(vcovKept.scaled ? { scaled: { vcov: permuted(vcovKept.scaled.vcov, toFixest), coefExp: coefExp! } } : {}),
    };
    const bread = permuted(breadKept, toFixest);
    const coefInternal = Float64Array.from(order, (pos) => b[pos]);
    let constant: number | null = null;
    if (Q > 0) {
      constant = means[outcome];
      // A fitted endogenous variable's mean is its endogenous variable's (reghdfe's constant).
      order.forEach((pos, i) => (constant! -= means[block[pos] < C ? block[pos] : L + block[pos] - C] * coefInternal[i]));
    }
    const ss = 2 * ey + wScaling.exp;
    const residInternal = resid.view.slice();
    let residData = residInternal;
    if (ey !== 0) {
      residData = Float64Array.from(residInternal);
      scaleRange(residData, 0, n, -ey);
    }
    return {
      outcome: outcomeName,
      coefNames: order.map((pos) => blockNames[pos]),
      removed: blockNames.filter((_, pos) => keep[pos] === 0),
      coef: coefExp ? coefInternal.map((v, i) => timesPowerOfTwo(v, coefExp[i])) : coefInternal,
      resid: residData,
      rss: timesPowerOfTwo(rssInternal, ss),
      tss: timesPowerOfTwo(totalSS(outcome), ss),
      tssWithin: timesPowerOfTwo(gram[outcome * CD + outcome], ss),
      constant: constant === null ? null : timesPowerOfTwo(constant, ey),
      vcov,
      X,
      bread,
      varianceUnits: coefExp ? { resid: residInternal, weights: w ? w.view.slice() : null, rss: rssInternal, coefExp } : null,
    };
  };

  // 2. First stages: E_j on the block [Z X], solved with X first (see THE BUFFER).
  const block1 = [...zCols, ...xCols];
  const names1 = [...job.inst.names, ...job.exo.names];
  const solveOrder1 = [...xCols.map((_, j) => q + j), ...zCols.map((_, j) => j)];
  const sys1 = keptSystem(backend, arena, gram, CD, solveOrder1.map((pos) => block1[pos]), [...xExcluded, ...zExcluded]);
  const keep1 = new Int32Array(q + k);
  solveOrder1.forEach((pos, i) => (keep1[pos] = sys1.keep[i]));
  const instKept = job.inst.names.filter((_, j) => keep1[j] === 1);
  const instDropped = job.inst.names.filter((_, j) => keep1[j] === 0);
  if (instDropped.length) {
    notes.push(warning("collinear_removed", `collinear instrument(s) removed from the first stage: ${instDropped.join(", ")}`));
  }
  if (instKept.length < p) {
    throw new DidwasmError(
      "ALL_COLLINEAR",
      `after removing the instrument(s) collinear with the regressors${Q > 0 ? ", the fixed effects" : ""} or each other (${instDropped.join(", ")}), ` +
        `${instKept.length} instrument(s) remain for ${p} endogenous variable(s) (${job.endo.names.join(", ")}): the model is not identified`,
      { removed: instDropped },
    );
  }
  // Block positions of [Z X] in fixest's order: the intercept, the instruments, the other regressors.
  const order1 = (job.exo.intercept ? [q] : []).concat(zCols.map((_, j) => j), xCols.map((_, j) => q + j).slice(job.exo.intercept ? 1 : 0)).filter((pos) => keep1[pos] === 1);
  const inv1Solve = sys1.inverse();
  const inv1 = new Float64Array((q + k) * (q + k));
  solveOrder1.forEach((a, i) => solveOrder1.forEach((c, j) => (inv1[a * (q + k) + c] = inv1Solve[i * (q + k) + j])));
  const keeps = (K: number) => job.keepDesigns || K * n <= IV_STORED_DESIGN_LIMIT;
  const X1 = keeps(order1.length) ? columnsOf(data, n, order1.map((pos) => block1[pos])) : null;
  const V = arena.f64(Math.max(1, p * n), false);
  const firstStages: FirstStage[] = job.endo.names.map((name, j) => {
    const e = col.e(j);
    const piSolve = sys1.solve(e);
    const pi = new Float64Array(q + k);
    solveOrder1.forEach((pos, i) => (pi[pos] = piSolve[i]));
    const vj = arena.f64Part(V, j * n, n);
    residualsOf(backend, arena, data, n, L + p, q + k, pi, part(e), vj);
    const rss = ssq(vj);
    // E^ = E - v 1, in place of its column of the buffer.
    backend.residuals(n, 1, vj, one, part(e), part(col.f(j)));
    const fit = stageFit(e, name, block1, names1, order1, keep1, pi, inv1, vj, rss, X1);
    return { endogenous: name, fit, ssr: rss, ssrNoInst: ssrOnExo(e) };
  });

  // 3. Second stage on the block [X E^]; Wu-Hausman on [E X E^].
  const GF = arena.f64(CD * p);
  backend.crossprodAB(n, CD, data, p, part(C, p), w, GF);
  for (let a = 0; a < CD; a++) {
    for (let j = 0; j < p; j++) {
      gram[a * CD + C + j] = GF.view[a * p + j];
      gram[(C + j) * CD + a] = GF.view[a * p + j];
    }
  }
  const fitNames = job.endo.names.map((nm) => `fit_${nm}`);
  const block2 = [...xCols, ...fCols];
  const names2 = [...job.exo.names, ...fitNames];
  const sys2 = keptSystem(backend, arena, gram, CD, block2, xExcluded);
  const lostEndo = fitNames.filter((_, j) => sys2.keep[k + j] === 0);
  if (lostEndo.length) {
    throw new DidwasmError(
      "ALL_COLLINEAR",
      `the fitted endogenous variable(s) ${lostEndo.join(", ")} are collinear with the exogenous regressors${Q > 0 ? " and fixed effects" : ""}: the instruments do not identify the model`,
      { removed: lostEndo },
    );
  }
  const order2 = fixestOrder(k, p, job.exo.intercept, sys2.keep);
  const X2 = keeps(order2.length) ? columnsOf(data, n, order2.map((pos) => block2[pos])) : null;
  const inv2 = sys2.inverse();
  const K2 = order2.length;
  const eCols = Array.from({ length: p }, (_, j) => col.e(j));
  const sys3 = keptSystem(backend, arena, gram, CD, [...eCols, ...block2], [...new Array(p).fill(false), ...xExcluded]);
  const whDefined = sys3.keep.every((v) => v === 1);
  const inv3 = whDefined ? sys3.inverse() : null;
  const whDf2 = n - (K2 + fixefParameters(fixef) + p);
  const u = arena.f64(n, false);
  const second: SecondStage[] = job.outcomes.map((o, l) => {
    const b = sys2.solve(l);
    residualsOf(backend, arena, data, n, L + p + q, k + p, b, part(l), u);
    // Only fitstat's ivf2 reads it: from the crossproduct (KeptSystem.ssr).
    const ssrFitted = sys2.ssr(l);
    // Residuals with the actual endogenous variables: r - sum_j b_j v_j.
    const bv = Float64Array.from({ length: p }, (_, j) => b[k + j]);
    backend.residuals(n, p, V, arena.f64From(bv), u, u);
    const rss = ssq(u);
    const fit = stageFit(l, o.name, block2, names2, order2, sys2.keep, b, inv2, u, rss, X2);
    let wh: FStat | null = null;
    if (inv3 && whDf2 > 0) {
      const c3 = sys3.solve(l);
      const sigma2 = sys3.ssr(l) / whDf2;
      const K3 = 2 * p + k;
      const at = Array.from({ length: p }, (_, j) => p + k + j);
      const Vwh = new Float64Array(p * p);
      at.forEach((a, i) => at.forEach((c, j) => (Vwh[i * p + j] = inv3[a * K3 + c] * sigma2)));
      const test = waldTest(at.map((a) => c3[a]), Vwh, p, whDf2);
      if (test) wh = { stat: test.statistic, p: test.p_value, df1: p, df2: whDf2 };
    }
    return { fit, ssrFitted, ssrNoEndo: ssrOnExo(l), wh };
  });
  if (second.some((s) => s.wh === null)) {
    notes.push(info("method", "Wu-Hausman test not computed: its regression (y on the endogenous, exogenous and fitted endogenous variables) has a collinear regressor or no degrees of freedom left, as fixest reports NA"));
  }
  return { n, firstStages, second, instruments: instKept, iterations, converged: notConverged.length === 0, notes };
}

/** An F test from two sums of squares: ((ssr0 - ssr) / df1) / (ssr / df2), as fitstat's ivf and ivf2. */
export function fFromSsr(ssr0: number, ssr: number, df1: number, df2: number): FStat {
  const stat = (ssr0 - ssr) / df1 / (ssr / df2);
  return { stat, p: fUpperP(stat, df1, df2), df1, df2 };
}
