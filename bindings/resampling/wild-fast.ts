// The wild cluster bootstrap on cluster-level sums (Roodman, MacKinnon, Nielsen and Webb 2019, "Fast and
// wild"). Work on the cluster design (cluster-design.ts: nested fixed effects partialled out, the others as
// dummies), X (n x K), y, weights W, A = (X'WX)^-1, a = A e_C for the tested coefficient C.
//
//   unrestricted (WCU):  u = y - X b_hat; replicates centre at b_hat_C.
//   restricted (WCR):    beta~ minimises ||y - X beta||_W subject to beta_C = r0: with Z the other columns,
//                        u(r0) = M_Z (y - r0 x_C) = y - r0 x_C - Z gamma, gamma = (Z'WZ)^-1 Z'W (y - r0 x_C);
//                        u(r) = u(r0) - (r - r0) m with m = M_Z x_C (linear in r: used for test inversion).
//
// Once, in O(n K): S_g = X_g' W_g u_g (the meatCluster kernel's score sums), T_g = A S_g, T1_g = A X_g' W_g m_g,
// c_g = X_g' W_g X_g a (score sums of the residual X a). Each replicate is then O(G K) in the kernel
// wildBootstrapT (assembly/resample.ts, which derives t* from these).
// The observed t statistic (b_hat_C - r0) / se uses the same CRV1 scores a'X_g'W_g u_hat_g and the same
// small-sample constant, so it equals feols's clustered t statistic for the model.
import type { Arena, Backend, F64Buffer } from "../engine/backend.js";
import type { Engine } from "../engine/engine.js";
import { DidwasmError } from "../errors.js";
import { invertSpd } from "../linalg/small.js";
import type { Groups } from "../model/groups.js";
import type { ClusterDesign } from "./cluster-design.js";

export interface WildModel {
  readonly n: number;
  readonly G: number;
  readonly K: number;
  readonly cIdx: number;
  /** CRV1 small-sample constant: G/(G-1) (n-1)/(n-K_dof) with fixest's conventions. */
  readonly factor: number;
  readonly estimate: number;
  readonly se: number;
  /** The null value the arrays are built at. */
  readonly r0: number;
  readonly imposeNull: boolean;
  /** G x K row-major. */
  readonly T0: Float64Array;
  /** G x K row-major, restricted bootstrap only. */
  readonly T1: Float64Array | null;
  readonly c: Float64Array;
}

/** Score sums S_g = X_g' W_g e_g (G x K) through the meatCluster kernel. */
function scoreSums(backend: Backend, arena: Arena, d: ClusterDesign, e: Float64Array, w: F64Buffer | null, cl: Groups, clBuf: ReturnType<Arena["i32From"]>): Float64Array {
  const S = arena.f64(cl.G * d.K);
  const out = arena.f64(d.K * d.K);
  backend.meatCluster(d.n, d.K, d.data, arena.f64From(e), w, clBuf, cl.G, S, out);
  return Float64Array.from(S.view);
}

/** T_g = A S_g for every cluster (G x K). */
function timesA(A: Float64Array, S: Float64Array, G: number, K: number): Float64Array {
  const T = new Float64Array(G * K);
  for (let g = 0; g < G; g++) {
    for (let i = 0; i < K; i++) {
      let s = 0;
      for (let j = 0; j < K; j++) s += A[i * K + j] * S[g * K + j];
      T[g * K + i] = s;
    }
  }
  return T;
}

export function buildWildModel(
  backend: Backend, arena: Arena, d: ClusterDesign, cl: Groups, weights: Float64Array | null, cIdx: number, factor: number, r0: number, imposeNull: boolean,
): WildModel {
  const { n, K, A, cross } = d;
  const C1 = K + 1;
  const G = cl.G;
  const view = () => d.data.view;
  const w = weights ? arena.f64From(weights) : null;
  const clBuf = arena.i32From(cl.ids);
  // Unrestricted estimate and residuals.
  const b = new Float64Array(K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) b[i] += A[i * K + j] * cross[j * C1 + K];
  const X = view();
  const uHat = Float64Array.from(X.subarray(K * n, (K + 1) * n));
  for (let j = 0; j < K; j++) {
    const bj = b[j];
    const off = j * n;
    for (let i = 0; i < n; i++) uHat[i] -= X[off + i] * bj;
  }
  const a = Float64Array.from({ length: K }, (_, j) => A[cIdx * K + j]);
  // Observed CRV1 standard error from the unrestricted scores.
  const S = scoreSums(backend, arena, d, uHat, w, cl, clBuf);
  let meat = 0;
  for (let g = 0; g < G; g++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += a[j] * S[g * K + j];
    meat += s * s;
  }
  const se = Math.sqrt(factor * meat);
  if (!(se > 0)) throw new DidwasmError("BAD_DATA", "the clustered standard error of the coefficient is zero: the wild bootstrap t statistic is undefined");

  let T0: Float64Array;
  let T1: Float64Array | null = null;
  if (imposeNull) {
    // Restricted fit: gamma = (Z'WZ)^-1 (Z'Wy - r0 Z'W x_C), delta = (Z'WZ)^-1 Z'W x_C.
    const z = Array.from({ length: K }, (_, j) => j).filter((j) => j !== cIdx);
    const k = z.length;
    const ZtZ = new Float64Array(k * k);
    z.forEach((p, i) => z.forEach((q, j) => (ZtZ[i * k + j] = cross[p * C1 + q])));
    const inv = k ? invertSpd(ZtZ, k) : new Float64Array(0);
    if (!inv) throw new DidwasmError("ALL_COLLINEAR", "the regressors other than the tested coefficient are collinear");
    const gamma = new Float64Array(k);
    const delta = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        gamma[i] += inv[i * k + j] * (cross[z[j] * C1 + K] - r0 * cross[z[j] * C1 + cIdx]);
        delta[i] += inv[i * k + j] * cross[z[j] * C1 + cIdx];
      }
    }
    const Xv = view();
    const xc = Xv.subarray(cIdx * n, (cIdx + 1) * n);
    const uTilde = new Float64Array(n);
    const m = new Float64Array(n);
    const y = Xv.subarray(K * n, (K + 1) * n);
    for (let i = 0; i < n; i++) {
      uTilde[i] = y[i] - r0 * xc[i];
      m[i] = xc[i];
    }
    z.forEach((p, j) => {
      const off = p * n;
      const gj = gamma[j];
      const dj = delta[j];
      for (let i = 0; i < n; i++) {
        uTilde[i] -= Xv[off + i] * gj;
        m[i] -= Xv[off + i] * dj;
      }
    });
    T0 = timesA(A, scoreSums(backend, arena, d, uTilde, w, cl, clBuf), G, K);
    T1 = timesA(A, scoreSums(backend, arena, d, m, w, cl, clBuf), G, K);
  } else {
    T0 = timesA(A, S, G, K);
  }
  // c_g = X_g' W_g (X a).
  const Xv = view();
  const xa = new Float64Array(n);
  for (let j = 0; j < K; j++) {
    const aj = a[j];
    const off = j * n;
    for (let i = 0; i < n; i++) xa[i] += Xv[off + i] * aj;
  }
  const c = scoreSums(backend, arena, d, xa, w, cl, clBuf);
  return { n, G, K, cIdx, factor, estimate: b[cIdx], se, r0, imposeNull, T0, T1, c };
}

export interface WildDraws {
  /** t* at the null r0, one per replicate. */
  readonly t: Float64Array;
  /** Per replicate (N0, N1, SAA, SAB, SBB): t* at any r (test-inversion.ts). */
  readonly moments: Float64Array;
}

/** Replicates per kernel call, so a long run can report progress. The results do not depend on it:
 *  replicate r always draws from stream (seed, r). */
export const REPLICATE_BLOCK = 2048;

/** Runs replicates 0 .. reps - 1 of the wild bootstrap on `engine`. */
export function wildDraws(
  engine: Engine, m: WildModel, kind: number, seed: number, reps: number, onProgress?: (done: number, total: number) => void,
): WildDraws {
  return wildDrawsRange(engine, m, kind, seed, 0, reps, onProgress);
}

/** Runs replicates from .. to - 1 (a part of a split run; the same values as in a whole run). */
export function wildDrawsRange(
  engine: Engine, m: WildModel, kind: number, seed: number, from: number, to: number, onProgress?: (done: number, total: number) => void,
): WildDraws {
  const b = engine.backend;
  const arena = b.arena();
  const count = to - from;
  try {
    const T0 = arena.f64From(m.T0);
    const T1 = m.T1 ? arena.f64From(m.T1) : null;
    const c = arena.f64From(m.c);
    const scratch = arena.f64(m.G + 2 * m.K);
    const B = Math.max(1, Math.min(REPLICATE_BLOCK, count));
    const tBuf = arena.f64(B);
    const momBuf = arena.f64(5 * B);
    const t = new Float64Array(count);
    const moments = new Float64Array(5 * count);
    for (let start = 0; start < count; start += B) {
      const nb = Math.min(B, count - start);
      b.wildBootstrapT(m.G, m.K, T0, T1, c, m.cIdx, m.factor, kind, seed, from + start, nb, scratch, tBuf, momBuf);
      t.set(tBuf.view.subarray(0, nb), start);
      moments.set(momBuf.view.subarray(0, 5 * nb), 5 * start);
      onProgress?.(start + nb, count);
    }
    return { t, moments };
  } finally {
    arena.release();
  }
}
