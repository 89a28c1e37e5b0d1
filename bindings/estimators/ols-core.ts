// The numerical job behind feols: absorb the fixed effects from outcomes and regressors in one demeaning
// call, form one crossproduct of [Y X], detect collinear regressors, solve, and compute residuals and each
// outcome's variance, all on one backend arena that is released before returning.
import type { Arena, Backend, F64Buffer } from "../engine/backend.js";
import { DidwasmError } from "../errors.js";
import type { Design } from "../model/design.js";
import { columnWriter } from "../model/lazy-columns.js";
import type { Groups } from "../model/groups.js";
import type { FixefEncoding } from "../model/sample.js";
import type { Ssc, VcovSpec } from "../model/vcov-spec.js";
import { computeVcov, type VcovResult } from "./vcov/index.js";
import { absorb } from "./absorb.js";

/** A regressor is collinear with the fixed effects when demeaning leaves less than this share of its
 *  centred sum of squares: exact collinearity leaves rounding noise (~1e-30 of it), while a regressor
 *  with real within-group variation keeps far more than 1e-10 of it. */
export const COLLINEAR_WITH_FIXEF_TOL = 1e-10;
/** Cholesky drops a regressor when regressing it on the earlier kept ones leaves 1 - R^2 <= this. */
export const COLLINEAR_TOL = 1e-10;

export interface OlsJob {
  readonly backend: Backend;
  readonly outcomes: ReadonlyArray<{ readonly name: string; readonly values: Float64Array }>;
  readonly design: Design;
  readonly weights: Float64Array | null;
  readonly fixef: readonly FixefEncoding[];
  readonly tol: number;
  readonly maxIter: number;
  readonly vcov: VcovSpec;
  readonly ssc: Ssc;
  readonly clusterGroups: (name: string) => Groups;
}

export interface OlsOutcomeResult {
  readonly name: string;
  /** Kept coefficients, in design order. */
  readonly coef: Float64Array;
  readonly resid: Float64Array;
  readonly rss: number;
  /** Weighted total sum of squares around the weighted mean (uncentred without intercept or fixed effects). */
  readonly tss: number;
  /** Weighted sum of squares of the demeaned outcome (the within total), when fixed effects are absorbed. */
  readonly tssWithin: number;
  /** reghdfe's constant: mean(y) - mean(X)'b (weighted), when fixed effects are absorbed. */
  readonly constant: number | null;
  readonly vcov: VcovResult;
}

export interface OlsResult {
  readonly n: number;
  readonly keptNames: readonly string[];
  readonly removed: readonly string[];
  /** Demeaned kept regressors, n x K column-major (null when large: use demeanedX()). */
  readonly X: Float64Array | null;
  /** Recomputes the demeaned kept regressors. */
  readonly demeanedX: () => Float64Array;
  readonly bread: Float64Array;
  readonly outcomes: readonly OlsOutcomeResult[];
  /** Sweeps per demeaned column (outcomes then regressors); 0 without fixed effects. */
  readonly iterations: readonly number[];
  readonly converged: boolean;
  readonly notConverged: readonly string[];
}

/** [Y X]' W [Y X] of the demeaned columns. Trailing one-hot indicator blocks (design.indicators) are
 *  multiplied through their codes: X~'W X~ = X~'W X for a W-orthogonal projection, so products with an
 *  indicator only need its nonzero rows (O(n C) per block instead of O(n C^2)). */
function crossproductOf(backend: Backend, arena: Arena, data: F64Buffer, w: F64Buffer | null, n: number, C: number, L: number, design: Design): Float64Array {
  const blocks = design.indicators ?? [];
  const Kall = design.columns.length;
  const trailing = blocks.reduce((end, b) => (b.start === end - b.count ? b.start : -1), Kall);
  const indicatorCols = blocks.reduce((s, b) => s + b.count, 0);
  if (blocks.length === 0 || trailing !== Kall - indicatorCols || [...blocks].sort((a, b) => a.start - b.start).some((b, k, all) => k > 0 && all[k - 1].start + all[k - 1].count !== b.start)) {
    const A = arena.f64(C * C);
    backend.crossprod(n, C, data, w, A);
    return A.view.slice();
  }
  const Cd = C - indicatorCols;
  const out = new Float64Array(C * C);
  const dense = arena.f64(Cd * Cd);
  backend.crossprod(n, Cd, arena.f64Part(data, 0, Cd * n), w, dense);
  for (let a = 0; a < Cd; a++) for (let b = 0; b < Cd; b++) out[a * C + b] = dense.view[a * Cd + b];
  for (const blk of blocks) {
    const P = blk.count;
    const code = arena.i32From(blk.code);
    const cp = arena.f64(C * P);
    backend.crossprodIndicators(n, C, data, w, code, P, cp);
    const v = cp.view;
    const first = L + blk.start;
    // Column k of the block against every column a: demeaned a times raw indicator k. Each pair is
    // filled once, from the side whose raw column is the indicator with the smaller index.
    for (let k = 0; k < P; k++) {
      const j = first + k;
      for (let a = 0; a < C; a++) {
        if (a >= first && a < j) continue; // earlier columns of this block: filled from their own side
        out[a * C + j] = v[a * P + k];
        out[j * C + a] = v[a * P + k];
      }
    }
  }
  return out;
}

/** [Y X] column-major in one buffer of the arena (outcomes first, then regressors in design order).
 *  Indicator blocks are written from their codes and lazy columns by their writers, without reading
 *  (or making) them as arrays (see lazy-columns.ts). */
function fillData(arena: Arena, job: OlsJob, n: number): F64Buffer {
  const { design } = job;
  const L = job.outcomes.length;
  const K = design.columns.length;
  const data = arena.f64((L + K) * n, false);
  const v = data.view;
  job.outcomes.forEach((o, l) => v.set(o.values, l * n));
  const fromCode = new Uint8Array(K);
  for (const b of design.indicators ?? []) {
    v.fill(0, (L + b.start) * n, (L + b.start + b.count) * n);
    const base = (L + b.start) * n;
    for (let i = 0; i < n; i++) {
      const j = b.code[i];
      if (j >= 0) v[base + j * n + i] = 1;
    }
    fromCode.fill(1, b.start, b.start + b.count);
  }
  for (let j = 0; j < K; j++) {
    if (fromCode[j]) continue;
    const write = columnWriter(design.columns, j);
    if (write) write(v, (L + j) * n);
    else v.set(design.columns[j], (L + j) * n);
  }
  return data;
}

/** Absorbs the fixed effects from every column of data in place; returns the signed sweep counts. */
function demeanData(arena: Arena, job: OlsJob, data: F64Buffer, w: F64Buffer | null, n: number, C: number): number[] {
  return Array.from(absorb(job.backend, arena, n, C, data, job.fixef, w, job.tol, job.maxIter).iterations);
}

/** Fits keep their demeaned regressors for withVcov() when they take at most this many doubles (32 MB);
 *  larger ones recompute them on demand (the same demeaning call, so the same numbers) instead of
 *  holding a second copy of the design in memory. */
const STORED_DESIGN_LIMIT = 4_194_304;

/** The demeaned kept regressors (n x K), recomputed exactly as runOls computed them. */
function demeanedKept(job: OlsJob, keptIdx: readonly number[], n: number): Float64Array {
  const L = job.outcomes.length;
  const C = L + job.design.columns.length;
  const arena = job.backend.arena();
  try {
    const data = fillData(arena, job, n);
    const w = job.weights ? arena.f64From(job.weights) : null;
    if (job.fixef.length > 0) demeanData(arena, job, data, w, n, C);
    const out = new Float64Array(keptIdx.length * n);
    keptIdx.forEach((j, k) => out.set(data.view.subarray((L + j) * n, (L + j + 1) * n), k * n));
    return out;
  } finally {
    arena.release();
  }
}

export function runOls(job: OlsJob): OlsResult {
  const { backend, design, weights, fixef } = job;
  const n = job.outcomes[0].values.length;
  const L = job.outcomes.length;
  const Kall = design.columns.length;
  if (Kall === 0) throw new DidwasmError("NO_REGRESSORS", "the formula has no regressor to estimate");
  const C = L + Kall;
  const Q = fixef.length;
  const arena = backend.arena();
  try {
    const data = fillData(arena, job, n);
    const w = weights ? arena.f64From(weights) : null;

    // Moments of the raw columns, before demeaning overwrites them.
    const meansBuf = arena.f64(C);
    const ssBuf = arena.f64(C);
    backend.columnMoments(n, C, data, w, meansBuf, ssBuf);
    const means = meansBuf.view.slice();
    const centredSS = ssBuf.view.slice();
    let sumW = n;
    if (weights) {
      sumW = 0;
      for (let i = 0; i < n; i++) sumW += weights[i];
    }
    const yMeans = job.outcomes.map((_, l) => means[l]);
    const hasCentre = Q > 0 || design.intercept;
    // Without intercept or fixed effects the total sum of squares is uncentred, as R's lm.
    const tss = job.outcomes.map((_, l) => (hasCentre ? centredSS[l] : centredSS[l] + sumW * means[l] * means[l]));
    const xMeans = design.names.map((_, j) => means[L + j]);
    const xCentredSS = design.names.map((_, j) => centredSS[L + j]);

    let iterations: number[] = new Array(C).fill(0);
    const notConverged: string[] = [];
    if (Q > 0) {
      iterations = demeanData(arena, job, data, w, n, C);
      const colNames = [...job.outcomes.map((o) => o.name), ...design.names];
      iterations.forEach((it, c) => {
        if (it < 0) notConverged.push(colNames[c]);
      });
      iterations = iterations.map(Math.abs);
    }

    const Av = crossproductOf(backend, arena, data, w, n, C, L, design);
    // Inputs are finite (the sample refuses Inf), so a non-finite sum of squares is overflow from values
    // too large to square (|x| > ~1e154): report it rather than let it pass as collinearity or NaN.
    for (let c = 0; c < C; c++) {
      const ss = [Av[c * C + c], c < L ? tss[c] : xCentredSS[c - L]];
      if (ss.every(Number.isFinite)) continue;
      const values = c < L ? job.outcomes[c].values : design.columns[c - L];
      let big = 0;
      for (let i = 0; i < values.length; i++) big = Math.max(big, Math.abs(values[i]));
      throw new DidwasmError(
        "NOT_FINITE",
        `${c < L ? "outcome" : "regressor"} "${c < L ? job.outcomes[c].name : design.names[c - L]}" is too large: its sum of squares` +
          `${weights ? " (with the weights)" : ""} overflows (largest |value| ${big.toPrecision(3)}); rescale it`,
        { column: c < L ? job.outcomes[c].name : design.names[c - L] },
      );
    }
    const XtX = arena.f64(Kall * Kall);
    for (let j = 0; j < Kall; j++) for (let k = 0; k < Kall; k++) XtX.view[j * Kall + k] = Av[(L + j) * C + (L + k)];
    const keep = arena.i32(Kall);
    for (let j = 0; j < Kall; j++) {
      const within = Av[(L + j) * C + (L + j)];
      keep.view[j] = Q > 0 && !(within > COLLINEAR_WITH_FIXEF_TOL * xCentredSS[j]) ? 0 : 1;
    }
    const Lfac = arena.f64(Kall * Kall);
    const rank = backend.cholesky(Kall, XtX, Lfac, keep, COLLINEAR_TOL);
    const keepFlags = Array.from(keep.view);
    const keptIdx = keepFlags.flatMap((k, j) => (k ? [j] : []));
    const removed = design.names.filter((_, j) => !keepFlags[j]);
    if (rank === 0) {
      throw new DidwasmError(
        "ALL_COLLINEAR",
        `every regressor is collinear${Q > 0 ? " with the fixed effects" : ""} or has no variation: ${design.names.join(", ")}`,
        { removed },
      );
    }

    const inv = arena.f64(Kall * Kall);
    const work = arena.f64(Kall);
    backend.cholInverse(Kall, Lfac, keep, inv, work);
    const K = keptIdx.length;
    const invV = inv.view;
    const bread = new Float64Array(K * K);
    keptIdx.forEach((a, i) => keptIdx.forEach((b, j) => (bread[i * K + j] = invV[a * Kall + b])));

    // Kept regressors, compacted for the meats (in place when none was dropped).
    let X: F64Buffer;
    if (K === Kall) X = arena.f64Part(data, L * n, K * n);
    else {
      X = arena.f64(K * n, false);
      keptIdx.forEach((j, k) => X.view.set(data.view.subarray((L + j) * n, (L + j + 1) * n), k * n));
    }
    const resid = arena.f64(n, false);
    const rhs = arena.f64(Kall);
    const sol = arena.f64(Kall);
    const coefBuf = arena.f64(Math.max(1, keptIdx.length));
    const rssBuf = arena.f64(1);

    const outcomes: OlsOutcomeResult[] = job.outcomes.map((o, l) => {
      for (let j = 0; j < Kall; j++) rhs.view[j] = Av[(L + j) * C + l];
      backend.cholSolve(Kall, Lfac, keep, rhs, sol);
      const coef = Float64Array.from(keptIdx, (j) => sol.view[j]);
      coefBuf.view.set(coef);
      backend.residuals(n, K, X, coefBuf, arena.f64Part(data, l * n, n), resid);
      backend.crossprodAB(n, 1, resid, 1, resid, w, rssBuf);
      const rss = rssBuf.view[0];
      const residual = resid.view.slice(); // copy now: the variance may grow memory and detach views
      let constant: number | null = null;
      if (Q > 0) {
        constant = yMeans[l];
        keptIdx.forEach((j, k) => (constant! -= xMeans[j] * coef[k]));
      }
      const vcov = computeVcov(job.vcov, {
        backend, arena: arena as Arena, n, K, X, resid: resid as F64Buffer, weights: w, bread, rss, fixef,
        clusterGroups: job.clusterGroups, ssc: job.ssc,
      });
      return { name: o.name, coef, resid: residual, rss, tss: tss[l], tssWithin: Av[l * C + l], constant, vcov };
    });

    return {
      n,
      keptNames: keptIdx.map((j) => design.names[j]),
      removed,
      X: K * n <= STORED_DESIGN_LIMIT ? X.view.slice() : null,
      demeanedX: () => demeanedKept(job, keptIdx, n),
      bread,
      outcomes,
      iterations,
      converged: notConverged.length === 0,
      notConverged,
    };
  } finally {
    arena.release();
  }
}
