// Mirror of assembly/demean.ts, operation for operation (read that file for the method, the joint sweeping
// of column blocks, the stopping rule and the buffer conventions). Results are bit-identical to the wasm
// kernel (the SIMD build adds two columns per instruction with the same IEEE additions).

import { DEMEAN_COLUMN_BLOCK as COLUMN_BLOCK, DEMEAN_SCRATCH_FIXED as SCRATCH_FIXED } from "../backend.js";
import { columnMoments } from "./linalg.js";


interface Layout {
  B: number;
  sumG: number;
  G0: number;
  M: number;
  off: Int32Array;
  wsum: Float64Array;
  sx: Float64Array;
  coef: Float64Array;
  acc: Float64Array;
  X: Float64Array;
  GX: Float64Array;
  GGX: Float64Array;
  /** Per-column numbers: threshold, last max change, vprod/step, ssq; then a temporary row. */
  thr: Float64Array;
  maxd: Float64Array;
  vprod: Float64Array;
  ssq: Float64Array;
  tmp: Float64Array;
  /** Per-column mean and squared deviations while thresholds are computed. */
  colMean: Float64Array;
  colSs: Float64Array;
  /** Per column: 0 while it iterates, then its sweeps (negative when not converged); see freezeConverged. */
  done: Float64Array;
}

function prepare(N: number, Q: number, fe: Int32Array, G: Int32Array, w: Float64Array | null, scratch: Float64Array, want: number): Layout {
  let sumG = 0;
  let maxG = 0;
  for (let q = 0; q < Q; q++) {
    sumG += G[q];
    if (G[q] > maxG) maxG = G[q];
  }
  const M = sumG - G[0];
  let B = Math.min(want, COLUMN_BLOCK);
  while (B > 1 && sumG + B * (2 * sumG + maxG + 3 * M) + SCRATCH_FIXED > scratch.length) B--;
  let at = 0;
  const take = (n: number): Float64Array => {
    const v = scratch.subarray(at, at + n);
    at += n;
    return v;
  };
  const wsum = take(sumG);
  const L: Layout = {
    B, sumG, G0: G[0], M, off: new Int32Array(Q), wsum, sx: take(sumG * B), coef: take(sumG * B), acc: take(maxG * B),
    X: take(M * B), GX: take(M * B), GGX: take(M * B),
    thr: new Float64Array(COLUMN_BLOCK), maxd: new Float64Array(COLUMN_BLOCK), vprod: new Float64Array(COLUMN_BLOCK),
    ssq: new Float64Array(COLUMN_BLOCK), tmp: new Float64Array(COLUMN_BLOCK),
    colMean: new Float64Array(COLUMN_BLOCK), colSs: new Float64Array(COLUMN_BLOCK), done: new Float64Array(COLUMN_BLOCK),
  };
  for (let q = 0, o = 0; q < Q; q++) {
    L.off[q] = o;
    o += G[q];
  }
  wsum.fill(0);
  for (let q = 0; q < Q; q++) {
    const base = L.off[q];
    for (let i = 0; i < N; i++) wsum[base + fe[q * N + i]] += w === null ? 1.0 : w[i];
  }
  return L;
}

function gatherOthers(N: number, Q: number, q: number, fe: Int32Array, w: Float64Array | null, C: number, L: Layout): void {
  const { acc, coef } = L;
  const feq = q * N;
  if (Q === 2) {
    const other = 1 - q;
    const feo = other * N;
    const co = L.off[other] * C;
    if (w === null) {
      for (let i = 0; i < N; i++) {
        const d = fe[feq + i] * C;
        const s = co + fe[feo + i] * C;
        for (let c = 0; c < C; c++) acc[d + c] = acc[d + c] + coef[s + c];
      }
    } else {
      for (let i = 0; i < N; i++) {
        const d = fe[feq + i] * C;
        const s = co + fe[feo + i] * C;
        const wi = w[i];
        for (let c = 0; c < C; c++) acc[d + c] = acc[d + c] + wi * coef[s + c];
      }
    }
    return;
  }
  const tmp = L.tmp;
  for (let i = 0; i < N; i++) {
    tmp.fill(0, 0, C);
    for (let r = 0; r < Q; r++) {
      if (r === q) continue;
      const s = (L.off[r] + fe[r * N + i]) * C;
      for (let c = 0; c < C; c++) tmp[c] = tmp[c] + coef[s + c];
    }
    const d = fe[feq + i] * C;
    if (w === null) for (let c = 0; c < C; c++) acc[d + c] = acc[d + c] + tmp[c];
    else {
      const wi = w[i];
      for (let c = 0; c < C; c++) acc[d + c] = acc[d + c] + wi * tmp[c];
    }
  }
}

function updateBlock(q: number, G: Int32Array, C: number, L: Layout): void {
  const o = L.off[q];
  for (let g = 0; g < G[q]; g++) {
    const inv = L.wsum[o + g];
    const base = (o + g) * C;
    for (let c = 0; c < C; c++) L.coef[base + c] = (L.sx[base + c] - L.acc[g * C + c]) / inv;
  }
}

function sweep(N: number, Q: number, fe: Int32Array, G: Int32Array, w: Float64Array | null, from: Float64Array, to: Float64Array, C: number, L: Layout): void {
  const MC = L.M * C;
  L.coef.set(from.subarray(0, MC), L.G0 * C);
  for (let q = 0; q < Q; q++) {
    L.acc.fill(0, 0, G[q] * C);
    gatherOthers(N, Q, q, fe, w, C, L);
    updateBlock(q, G, C, L);
  }
  to.set(L.coef.subarray(L.G0 * C, L.G0 * C + MC));
}

/** Mirror of freezeConverged(): columns whose coefficients moved by at most their threshold between a
 *  and b stop with a's values in X. Returns how many still iterate. */
function freezeConverged(a: Float64Array, b: Float64Array, C: number, sweeps: number, L: Layout): number {
  L.maxd.fill(0, 0, C);
  for (let j = 0; j < L.M; j++) {
    const base = j * C;
    for (let c = 0; c < C; c++) {
      const d = Math.abs(a[base + c] - b[base + c]);
      if (d > L.maxd[c]) L.maxd[c] = d;
    }
  }
  let active = 0;
  for (let c = 0; c < C; c++) {
    if (L.done[c] !== 0) continue;
    if (L.maxd[c] > L.thr[c]) {
      active++;
      continue;
    }
    freezeColumn(a, c, C, sweeps, L);
  }
  return active;
}

function freezeColumn(a: Float64Array, c: number, C: number, state: number, L: Layout): void {
  for (let j = 0; j < L.M; j++) L.X[j * C + c] = a[j * C + c];
  L.done[c] = state;
}

function freezeRest(a: Float64Array, C: number, sweeps: number, L: Layout): void {
  for (let c = 0; c < C; c++) if (L.done[c] === 0) freezeColumn(a, c, C, -sweeps, L);
}

/** Mirror of solveCoefficients(): per-column sweeps (negative when not converged) end up in L.done. */
function solveCoefficients(N: number, Q: number, fe: Int32Array, G: Int32Array, w: Float64Array | null, C: number, maxIter: number, L: Layout): void {
  const { X, GX, GGX, M } = L;
  const MC = M * C;
  let sweeps = 1;
  L.done.fill(0, 0, C);
  X.fill(0, 0, MC);
  sweep(N, Q, fe, G, w, X, GX, C, L);
  for (;;) {
    if (freezeConverged(GX, X, C, sweeps, L) === 0) break;
    if (sweeps >= maxIter) { freezeRest(GX, C, sweeps, L); break; }
    sweep(N, Q, fe, G, w, GX, GGX, C, L);
    sweeps++;
    if (freezeConverged(GGX, GX, C, sweeps, L) === 0) break;
    if (sweeps >= maxIter) { freezeRest(GGX, C, sweeps, L); break; }
    L.vprod.fill(0, 0, C);
    L.ssq.fill(0, 0, C);
    for (let j = 0; j < M; j++) {
      const base = j * C;
      for (let c = 0; c < C; c++) {
        const d1 = GGX[base + c] - GX[base + c];
        const d2 = d1 - (GX[base + c] - X[base + c]);
        L.vprod[c] = L.vprod[c] + d1 * d2;
        L.ssq[c] = L.ssq[c] + d2 * d2;
      }
    }
    for (let c = 0; c < C; c++) L.vprod[c] = L.ssq[c] === 0 ? 0 : L.vprod[c] / L.ssq[c];
    for (let j = 0; j < M; j++) {
      const base = j * C;
      for (let c = 0; c < C; c++) {
        if (L.done[c] !== 0) continue;
        X[base + c] = GGX[base + c] - L.vprod[c] * (GGX[base + c] - GX[base + c]);
      }
    }
    sweep(N, Q, fe, G, w, X, GX, C, L);
    sweeps++;
  }
  L.coef.set(X.subarray(0, MC), L.G0 * C);
  L.acc.fill(0, 0, L.G0 * C);
  gatherOthers(N, Q, 0, fe, w, C, L);
  updateBlock(0, G, C, L);
}

/** Mirror of blockSumsAndThresholds(): group sums and thresholds of columns c0..c0+B-1, row by row. */
function blockSumsAndThresholds(
  N: number, Q: number, x: Float64Array, c0: number, B: number, fe: Int32Array, w: Float64Array | null, tol: number, L: Layout,
): void {
  const sx = L.sx;
  sx.fill(0, 0, L.sumG * B);
  const x0 = c0 * N;
  for (let i = 0; i < N; i++) {
    const wi = w === null ? 1.0 : w[i];
    for (let q = 0; q < Q; q++) {
      const row = (L.off[q] + fe[q * N + i]) * B;
      if (w === null) for (let c = 0; c < B; c++) sx[row + c] = sx[row + c] + x[x0 + c * N + i];
      else for (let c = 0; c < B; c++) sx[row + c] = sx[row + c] + wi * x[x0 + c * N + i];
    }
  }
  const mean = L.colMean;
  const ss = L.colSs;
  columnMoments(N, B, x.subarray(x0, x0 + B * N), null, mean, ss);
  for (let c = 0; c < B; c++) L.thr[c] = tol * (Math.sqrt(ss[c] / N) + 1e-6 * Math.abs(mean[c]));
}

/** Mirror of blockResiduals(). */
function blockResiduals(N: number, Q: number, x: Float64Array, y: Float64Array, c0: number, B: number, fe: Int32Array, L: Layout): void {
  const coef = L.coef;
  const x0 = c0 * N;
  if (Q === 2) {
    const c1 = L.G0 * B;
    for (let i = 0; i < N; i++) {
      const r0 = fe[i] * B;
      const r1 = c1 + fe[N + i] * B;
      for (let c = 0; c < B; c++) {
        const at = x0 + c * N + i;
        y[at] = x[at] - coef[r0 + c] - coef[r1 + c];
      }
    }
    return;
  }
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < B; c++) {
      const at = x0 + c * N + i;
      let v = x[at];
      for (let q = 0; q < Q; q++) v -= coef[(L.off[q] + fe[q * N + i]) * B + c];
      y[at] = v;
    }
  }
}

export function fixefSolve(
  N: number, Q: number, fe_NQ: Int32Array, G_Q: Int32Array, w_N: Float64Array | null, rhs_G: Float64Array, threshold: number,
  maxIter: number, scratch: Float64Array, coef_G: Float64Array,
): number {
  const L = prepare(N, Q, fe_NQ, G_Q, w_N, scratch, 1);
  L.sx.set(rhs_G.subarray(0, L.sumG));
  L.thr[0] = threshold;
  let sweeps = 1;
  if (Q === 1) {
    for (let g = 0; g < L.sumG; g++) L.coef[g] = L.sx[g] / L.wsum[g];
  } else {
    solveCoefficients(N, Q, fe_NQ, G_Q, w_N, 1, maxIter, L);
    sweeps = L.done[0];
  }
  coef_G.set(L.coef.subarray(0, L.sumG));
  return sweeps;
}

export function demean(
  N: number, C: number, Q: number, in_NC: Float64Array, out_NC: Float64Array, fe_NQ: Int32Array, G_Q: Int32Array,
  w_N: Float64Array | null, tol: number, maxIter: number, scratch: Float64Array, iter_C: Int32Array,
): number {
  const L = prepare(N, Q, fe_NQ, G_Q, w_N, scratch, C);
  let failed = 0;
  for (let c0 = 0; c0 < C; c0 += L.B) {
    const nb = Math.min(L.B, C - c0);
    blockSumsAndThresholds(N, Q, in_NC, c0, nb, fe_NQ, w_N, tol, L);
    if (Q === 1) {
      for (let g = 0; g < L.G0; g++) {
        const inv = L.wsum[g];
        for (let c = 0; c < nb; c++) L.coef[g * nb + c] = L.sx[g * nb + c] / inv;
      }
    } else {
      solveCoefficients(N, Q, fe_NQ, G_Q, w_N, nb, maxIter, L);
    }
    blockResiduals(N, Q, in_NC, out_NC, c0, nb, fe_NQ, L);
    for (let c = 0; c < nb; c++) {
      const sweeps = Q === 1 ? 1 : L.done[c];
      iter_C[c0 + c] = sweeps;
      if (sweeps < 0) failed++;
    }
  }
  return failed;
}

/** Mirror of demeanBalanced() in assembly/demean.ts. */
export function demeanBalanced(
  N: number, C: number, in_NC: Float64Array, out_NC: Float64Array, unit_N: Int32Array, time_N: Int32Array, U: number, T: number, scratch: Float64Array,
): void {
  const su = scratch.subarray(0, U);
  const st = scratch.subarray(U, U + T);
  for (let c = 0; c < C; c++) {
    const x = c * N;
    su.fill(0);
    st.fill(0);
    let total = 0;
    for (let i = 0; i < N; i++) {
      const v = in_NC[x + i];
      su[unit_N[i]] += v;
      st[time_N[i]] += v;
      total += v;
    }
    const mean = total / N;
    const invT = 1.0 / T;
    const invU = 1.0 / U;
    for (let i = 0; i < N; i++) out_NC[x + i] = in_NC[x + i] - su[unit_N[i]] * invT - st[time_N[i]] * invU + mean;
  }
}

/** Mirror of demeanPanelOrder() in assembly/demean.ts. */
export function demeanPanelOrder(
  N: number, C: number, in_NC: Float64Array, out_NC: Float64Array, U: number, T: number, unitOuter: number, scratch: Float64Array,
): void {
  const su = scratch.subarray(0, U);
  const st = scratch.subarray(U, U + T);
  const [outerN, innerN, so, si] = unitOuter ? [U, T, su, st] : [T, U, st, su];
  const invT = 1.0 / T;
  const invU = 1.0 / U;
  const invOuter = unitOuter ? invT : invU;
  const invInner = unitOuter ? invU : invT;
  for (let c = 0; c < C; c++) {
    const x = c * N;
    si.fill(0);
    let total = 0;
    let i = x;
    for (let o = 0; o < outerN; o++) {
      let sumOuter = 0;
      for (let k = 0; k < innerN; k++) {
        const v = in_NC[i++];
        sumOuter += v;
        si[k] += v;
        total += v;
      }
      so[o] = sumOuter;
    }
    const mean = total / N;
    i = x;
    for (let o = 0; o < outerN; o++) {
      const mo = so[o] * invOuter;
      for (let k = 0; k < innerN; k++, i++) {
        out_NC[i] = unitOuter ? in_NC[i] - mo - si[k] * invInner + mean : in_NC[i] - si[k] * invInner - mo + mean;
      }
    }
  }
}
