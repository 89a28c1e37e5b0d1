// The numerical job behind feols: absorb the fixed effects from outcomes and regressors in one demeaning
// call, form one crossproduct of [Y X], detect collinear regressors, solve, and compute residuals and each
// outcome's variance, all on one backend arena that is released before returning.
import { DEMEAN_SCRATCH_PER_GROUP, type Arena, type Backend, type F64Buffer } from "../engine/backend.js";
import { DidwasmError } from "../errors.js";
import type { Design } from "../model/design.js";
import type { Groups } from "../model/groups.js";
import type { FixefEncoding } from "../model/sample.js";
import type { Ssc, VcovSpec } from "../model/vcov-spec.js";
import { computeVcov, type VcovResult } from "./vcov/index.js";

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
  /** Demeaned kept regressors, n x K column-major. */
  readonly X: Float64Array;
  readonly bread: Float64Array;
  readonly outcomes: readonly OlsOutcomeResult[];
  /** Sweeps per demeaned column (outcomes then regressors); 0 without fixed effects. */
  readonly iterations: readonly number[];
  readonly converged: boolean;
  readonly notConverged: readonly string[];
}

function weightedMean(x: Float64Array, w: Float64Array | null): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < x.length; i++) {
    const wi = w ? w[i] : 1;
    s += wi * x[i];
    sw += wi;
  }
  return s / sw;
}

function weightedCenteredSS(x: Float64Array, w: Float64Array | null, mean: number): number {
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - mean;
    ss += (w ? w[i] : 1) * d * d;
  }
  return ss;
}

export function runOls(job: OlsJob): OlsResult {
  const { backend, design, weights, fixef } = job;
  const n = design.columns[0]?.length ?? job.outcomes[0].values.length;
  const L = job.outcomes.length;
  const Kall = design.columns.length;
  if (Kall === 0) throw new DidwasmError("NO_REGRESSORS", "the formula has no regressor to estimate");
  const C = L + Kall;
  const Q = fixef.length;
  const arena = backend.arena();
  try {
    // Statistics of the raw columns, before demeaning overwrites them.
    const yMeans = job.outcomes.map((o) => weightedMean(o.values, weights));
    const hasCentre = Q > 0 || design.intercept;
    const tss = job.outcomes.map((o, l) => (hasCentre ? weightedCenteredSS(o.values, weights, yMeans[l]) : weightedCenteredSS(o.values, weights, 0)));
    const xMeans = design.columns.map((c) => weightedMean(c, weights));
    const xCentredSS = design.columns.map((c, j) => weightedCenteredSS(c, weights, xMeans[j]));

    const data = arena.f64(C * n);
    job.outcomes.forEach((o, l) => data.view.set(o.values, l * n));
    design.columns.forEach((c, j) => data.view.set(c, (L + j) * n));
    const w = weights ? arena.f64From(weights) : null;

    let iterations: number[] = new Array(C).fill(0);
    const notConverged: string[] = [];
    if (Q > 0) {
      const fe = arena.i32(Q * n);
      fixef.forEach((f, q) => fe.view.set(f.ids, q * n));
      const G = arena.i32From(fixef.map((f) => f.G));
      const sumG = fixef.reduce((s, f) => s + f.G, 0);
      const scratch = arena.f64(DEMEAN_SCRATCH_PER_GROUP * sumG);
      const iter = arena.i32(C);
      backend.demean(n, C, Q, data, data, fe, G, w, job.tol, job.maxIter, scratch, iter);
      iterations = Array.from(iter.view);
      const colNames = [...job.outcomes.map((o) => o.name), ...design.names];
      iterations.forEach((it, c) => {
        if (it < 0) notConverged.push(colNames[c]);
      });
      iterations = iterations.map(Math.abs);
    }

    const A = arena.f64(C * C);
    backend.crossprod(n, C, data, w, A);
    const Av = Float64Array.from(A.view);
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

    // Kept regressors, compacted for the meats.
    const X = arena.f64(K * n);
    keptIdx.forEach((j, k) => X.view.set(data.view.subarray((L + j) * n, (L + j + 1) * n), k * n));
    const resid = arena.f64(n);
    const rhs = arena.f64(Kall);
    const sol = arena.f64(Kall);

    const outcomes: OlsOutcomeResult[] = job.outcomes.map((o, l) => {
      for (let j = 0; j < Kall; j++) rhs.view[j] = Av[(L + j) * C + l];
      backend.cholSolve(Kall, Lfac, keep, rhs, sol);
      const coef = Float64Array.from(keptIdx, (j) => sol.view[j]);
      const e = resid.view;
      e.set(data.view.subarray(l * n, (l + 1) * n));
      const Xv = X.view;
      for (let k = 0; k < K; k++) {
        const b = coef[k];
        const off = k * n;
        for (let i = 0; i < n; i++) e[i] -= Xv[off + i] * b;
      }
      let rss = 0;
      for (let i = 0; i < n; i++) rss += (weights ? weights[i] : 1) * e[i] * e[i];
      const residual = Float64Array.from(e); // copy now: the variance may grow memory and detach `e`
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
      X: Float64Array.from(X.view),
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
