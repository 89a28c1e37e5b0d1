// One iteration's weighted least squares of the IRLS: the working response z on the regressors X, the
// fixed effects absorbed by weighted demeaning (absorb.ts, whichever method applies), with the working
// weights w. It returns what the next iteration and the variance need: the coefficients, the fitted
// linear predictor (without offset) z - (z~ - X~ b), the working residuals z~ - X~ b, the demeaned kept
// regressors and (X~'WX~)^-1.
//
// WARM START. Demeaning is a projection: M x = M (x - f) for any f in the fixed effects' span. Each
// column's fixed-effect part f = x - M x from the previous iteration is such an f, and x - f is already
// close to M x once the weights settle, so the iterative methods start near their answer and stop after
// few iterations (fixest passes its previous fixed-effect sums for the same reason). The exact methods
// (one fixed effect; two with one small) are unaffected: their answer does not depend on the start.
// For a regressor x - f is the previous step's demeaned column itself, so only z's part is kept.
import type { Arena, Backend, F64Buffer } from "../../engine/backend.js";
import type { Groups } from "../../model/groups.js";
import { absorb, type AbsorbMethod } from "../absorb.js";
import { denseApplies } from "../dense-fixef.js";
import { COLLINEAR_TOL, COLLINEAR_WITH_FIXEF_TOL } from "../ols-core.js";

export interface WlsProblem {
  readonly backend: Backend;
  readonly n: number;
  /** Regressors, n x K column-major, in the data's units. */
  readonly X: Float64Array;
  readonly K: number;
  readonly fixef: readonly Groups[];
  /** Demeaning tolerance and sweep cap (absorb.ts's stopping rule). */
  readonly tol: number;
  readonly maxIter: number;
  /** absorb.ts's method for every step; default: its "auto", after warm sweeps with two fixed effects. */
  readonly method?: AbsorbMethod;
}

export interface WlsStep {
  /** Kept coefficients, in order of keptIdx. */
  readonly coef: Float64Array;
  readonly keptIdx: readonly number[];
  /** z - (working residuals): the linear predictor without offset. */
  readonly fitted: Float64Array;
  readonly resid: Float64Array;
  /** Demeaned kept regressors, n x keptIdx.length column-major. */
  readonly Xd: Float64Array;
  readonly bread: Float64Array;
  /** Largest demeaning iteration count over the columns; converged false when a column hit maxIter. */
  readonly demeanIterations: number;
  readonly demeanConverged: boolean;
}

/** What the next step starts from (see WARM START); both null before the first step. */
export interface WarmStart {
  /** z - z~ of the last step: the working response's fixed-effect part (allocated once, updated in place). */
  zPart: Float64Array | null;
  /** The last step's demeaned regressors, all K columns (the step's Xd), or null when it dropped some:
   *  those columns start from X again. */
  Xd: Float64Array | null;
}

export const coldStart = (): WarmStart => ({ zPart: null, Xd: null });

/** Where a step writes its n-long results, so that a million-row fit does not allocate (and first-touch)
 *  them anew at every iteration: the IRLS reuses one resid and Xd, and alternates two fitted. */
export interface WlsSlot {
  readonly fitted: Float64Array;
  readonly resid: Float64Array;
  /** n x K: the demeaned kept regressors fill its start. */
  readonly Xd: Float64Array;
}

export const wlsSlot = (n: number, K: number): WlsSlot => ({ fitted: new Float64Array(n), resid: new Float64Array(n), Xd: new Float64Array(n * K) });

/** Weighted mean-centred sums of squares of the regressors: a regressor whose demeaned sum of squares is a
 *  negligible share of this is collinear with the fixed effects (as in ols-core.ts). */
function centredSS(backend: Backend, arena: Arena, X: Float64Array, wb: F64Buffer, n: number, K: number): Float64Array {
  const mean = arena.f64(K, false);
  const ss = arena.f64(K, false);
  backend.columnMoments(n, K, arena.f64From(X), wb, mean, ss);
  return ss.view.slice();
}

/** Sweeps tried first with two fixed effects; columns still moving then go to absorb's own choice. Once
 *  the weights settle, a warm start is a few sweeps from its answer, cheaper than rebuilding the direct
 *  solve's period block or the CG cells for new weights; the first step too, at its looser tolerance, on a
 *  well connected panel (5 sweeps on a million-row unit x year count panel, where the direct solve's
 *  setup cost more than the sweeps); on a weakly connected panel the sweeps stall and this many is a small
 *  price before the method that does converge there. */
const WARM_SWEEPS = 20;

/** Absorbs the fixed effects from the C columns of data in place; signed iteration counts per column. */
function demean(p: WlsProblem, arena: Arena, data: F64Buffer, wb: F64Buffer, C: number, tolFactor: number): Int32Array {
  const { backend, n, fixef } = p;
  const tol = p.tol * tolFactor;
  // Three or more fixed effects with few groups in all (a gravity model's): solved exactly, at the cost of
  // a few passes over the rows, where CG takes a dozen or more iterations each step.
  if (!p.method && fixef.length >= 3 && denseApplies(fixef)) return absorb(backend, arena, n, C, data, fixef, wb, tol, p.maxIter, "dense").iterations;
  if (p.method || fixef.length !== 2) return absorb(backend, arena, n, C, data, fixef, wb, tol, p.maxIter, p.method ?? "auto").iterations;
  const it = absorb(backend, arena, n, C, data, fixef, wb, tol, Math.min(WARM_SWEEPS, p.maxIter), "sweeps").iterations;
  for (let c = 0; c < C; c++) {
    if (it[c] > 0) continue;
    // Absorbing is a projection: finishing from where the sweeps stopped gives the column's residual.
    const more = absorb(backend, arena, n, 1, arena.f64Part(data, c * n, n), fixef, wb, tol, p.maxIter, "auto").iterations[0];
    const total = -it[c] + Math.abs(more);
    it[c] = more > 0 ? total : -total;
  }
  return it;
}

export function wlsStep(p: WlsProblem, z: Float64Array, w: Float64Array, warm: WarmStart, tolFactor = 1, slot: WlsSlot = wlsSlot(p.n, p.K)): WlsStep {
  const { backend, n, K, X } = p;
  const C = K + 1;
  const Q = p.fixef.length;
  const arena = backend.arena();
  try {
    // The n-long differences below are the residuals kernel with one coefficient 1 (y - x 1 = y - x
    // exactly): compiled from the first call, where a loop here would run unoptimised in a fresh process.
    const data = arena.f64(C * n, false);
    const zCol = arena.f64Part(data, 0, n);
    const zB = arena.f64From(z);
    const one = arena.f64From([1]);
    // One more n-long buffer, for the operand or result of each difference in turn.
    const tmp = arena.f64(n, false);
    const zPart = warm.zPart;
    // The warm-start shift z - (z's fixed-effect part).
    if (Q > 0 && zPart) {
      tmp.view.set(zPart);
      backend.residuals(n, 1, tmp, one, zB, zCol);
    } else zCol.view.set(z);
    data.view.set(Q > 0 && warm.Xd ? warm.Xd : X, n);
    const wb = arena.f64From(w);
    let demeanIterations = 0;
    let demeanConverged = true;
    if (Q > 0) {
      const it = demean(p, arena, data, wb, C, tolFactor);
      for (const c of it) {
        demeanIterations = Math.max(demeanIterations, Math.abs(c));
        if (c < 0) demeanConverged = false;
      }
      // z's fixed-effect part, for the next step: its input minus its residual.
      backend.residuals(n, 1, zCol, one, zB, tmp);
      const part = warm.zPart ?? new Float64Array(n);
      part.set(tmp.view);
      warm.zPart = part;
    }
    const A = arena.f64(C * C);
    backend.crossprod(n, C, data, wb, A);
    const Av = A.view.slice();
    const raw = Q > 0 ? centredSS(backend, arena, X, wb, n, K) : null;
    const XtX = arena.f64(K * K);
    for (let j = 0; j < K; j++) for (let k = 0; k < K; k++) XtX.view[j * K + k] = Av[(1 + j) * C + 1 + k];
    const keep = arena.i32(K);
    for (let j = 0; j < K; j++) keep.view[j] = raw && !(Av[(1 + j) * C + 1 + j] > COLLINEAR_WITH_FIXEF_TOL * raw[j]) ? 0 : 1;
    const L = arena.f64(K * K);
    backend.cholesky(K, XtX, L, keep, COLLINEAR_TOL);
    const keptIdx: number[] = [];
    for (let j = 0; j < K; j++) if (keep.view[j]) keptIdx.push(j);
    const rhs = arena.f64(K);
    for (let j = 0; j < K; j++) rhs.view[j] = Av[(1 + j) * C];
    const sol = arena.f64(K);
    backend.cholSolve(K, L, keep, rhs, sol);
    const inv = arena.f64(K * K);
    backend.cholInverse(K, L, keep, inv, arena.f64(K));
    const Kk = keptIdx.length;
    const coef = Float64Array.from(keptIdx, (j) => sol.view[j]);
    const bread = new Float64Array(Kk * Kk);
    keptIdx.forEach((a, i) => keptIdx.forEach((b, j) => (bread[i * Kk + j] = inv.view[a * K + b])));
    // Kept demeaned regressors, compacted (column j moves only to a position k <= j).
    keptIdx.forEach((j, k) => {
      if (j !== k) data.view.copyWithin((1 + k) * n, (1 + j) * n, (2 + j) * n);
    });
    const XdBuf = arena.f64Part(data, n, Math.max(1, Kk) * n);
    const coefBuf = arena.f64From(coef.length ? coef : [0]);
    const residBuf = arena.f64(n, false);
    backend.residuals(n, Kk, XdBuf, coefBuf, zCol, residBuf);
    backend.residuals(n, 1, residBuf, one, zB, tmp);
    const { resid, fitted } = slot;
    resid.set(residBuf.view);
    fitted.set(tmp.view);
    const Xd = slot.Xd.subarray(0, Kk * n);
    Xd.set(data.view.subarray(n, n + Kk * n));
    warm.Xd = Q > 0 && Kk === K ? Xd : null;
    return { coef, keptIdx, fitted, resid, Xd, bread, demeanIterations, demeanConverged };
  } finally {
    arena.release();
  }
}
