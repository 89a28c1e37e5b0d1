// Mirror of assembly/demean.ts, operation for operation (read that file for the method, the stopping
// rule and the buffer conventions). Results are bit-identical to the wasm kernel.

function gatherOthers(
  N: number, Q: number, q: number, fe: Int32Array, off: Int32Array, w: Float64Array | null, coef: Float64Array,
  acc: Float64Array, Gq: number,
): void {
  acc.fill(0, 0, Gq);
  const feq = q * N;
  if (Q === 2) {
    const other = 1 - q;
    const feo = other * N;
    const co = off[other];
    if (w === null) {
      for (let i = 0; i < N; i++) acc[fe[feq + i]] += coef[co + fe[feo + i]];
    } else {
      for (let i = 0; i < N; i++) acc[fe[feq + i]] += w[i] * coef[co + fe[feo + i]];
    }
    return;
  }
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let r = 0; r < Q; r++) {
      if (r === q) continue;
      s += coef[off[r] + fe[r * N + i]];
    }
    acc[fe[feq + i]] += w === null ? s : w[i] * s;
  }
}

function updateBlock(q: number, G: Int32Array, off: Int32Array, sx: Float64Array, wsum: Float64Array, coef: Float64Array, acc: Float64Array): void {
  const o = off[q];
  const Gq = G[q];
  for (let g = 0; g < Gq; g++) coef[o + g] = (sx[o + g] - acc[g]) / wsum[o + g];
}

interface Work {
  wsum: Float64Array;
  sx: Float64Array;
  coef: Float64Array;
  acc: Float64Array;
  X: Float64Array;
  GX: Float64Array;
  GGX: Float64Array;
  off: Int32Array;
}

function sweep(N: number, Q: number, fe: Int32Array, G: Int32Array, w: Float64Array | null, k: Work, from: Float64Array, to: Float64Array, G0: number, M: number): void {
  k.coef.set(from.subarray(0, M), G0);
  for (let q = 0; q < Q; q++) {
    gatherOthers(N, Q, q, fe, k.off, w, k.coef, k.acc, G[q]);
    updateBlock(q, G, k.off, k.sx, k.wsum, k.coef, k.acc);
  }
  to.set(k.coef.subarray(G0, G0 + M));
}

function maxAbsDiff(a: Float64Array, b: Float64Array, n: number): number {
  let m = 0;
  for (let j = 0; j < n; j++) {
    const d = Math.abs(a[j] - b[j]);
    if (d > m) m = d;
  }
  return m;
}

function columnScale(x: Float64Array, xOff: number, N: number): number {
  let s = 0;
  for (let i = 0; i < N; i++) s += x[xOff + i];
  const mean = s / N;
  let ss = 0;
  for (let i = 0; i < N; i++) {
    const d = x[xOff + i] - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / N) + 1e-6 * Math.abs(mean);
}

/** Mirror of prepare() in assembly/demean.ts: scratch layout, block offsets, group weights. */
function prepare(N: number, Q: number, fe_NQ: Int32Array, G_Q: Int32Array, w_N: Float64Array | null, scratch: Float64Array): Work & { G0: number; M: number; sumG: number } {
  let sumG = 0;
  let maxG = 0;
  for (let q = 0; q < Q; q++) {
    sumG += G_Q[q];
    if (G_Q[q] > maxG) maxG = G_Q[q];
  }
  const G0 = G_Q[0];
  const M = sumG - G0;
  let at = 0;
  const take = (n: number): Float64Array => {
    const v = scratch.subarray(at, at + n);
    at += n;
    return v;
  };
  const k = {
    wsum: take(sumG), sx: take(sumG), coef: take(sumG), acc: take(maxG), X: take(M), GX: take(M), GGX: take(M),
    off: new Int32Array(Q), G0, M, sumG,
  };
  for (let q = 0, o = 0; q < Q; q++) {
    k.off[q] = o;
    o += G_Q[q];
  }
  k.wsum.fill(0);
  for (let q = 0; q < Q; q++) {
    const base = k.off[q];
    for (let i = 0; i < N; i++) k.wsum[base + fe_NQ[q * N + i]] += w_N === null ? 1.0 : w_N[i];
  }
  return k;
}

/** Mirror of solveCoefficients() in assembly/demean.ts. */
function solveCoefficients(N: number, Q: number, fe_NQ: Int32Array, G_Q: Int32Array, w_N: Float64Array | null, k: Work,
  G0: number, M: number, threshold: number, maxIter: number): number {
  const { X, GX, GGX, coef, acc } = k;
  let sweeps = 1;
  let converged = false;
  X.fill(0);
  sweep(N, Q, fe_NQ, G_Q, w_N, k, X, GX, G0, M);
  for (;;) {
    if (maxAbsDiff(GX, X, M) <= threshold) { X.set(GX); converged = true; break; }
    if (sweeps >= maxIter) { X.set(GX); break; }
    sweep(N, Q, fe_NQ, G_Q, w_N, k, GX, GGX, G0, M);
    sweeps++;
    if (maxAbsDiff(GGX, GX, M) <= threshold) { X.set(GGX); converged = true; break; }
    if (sweeps >= maxIter) { X.set(GGX); break; }
    let vprod = 0;
    let ssq = 0;
    for (let j = 0; j < M; j++) {
      const d1 = GGX[j] - GX[j];
      const d2 = d1 - (GX[j] - X[j]);
      vprod += d1 * d2;
      ssq += d2 * d2;
    }
    if (ssq === 0) { X.set(GGX); converged = true; break; }
    const step = vprod / ssq;
    for (let j = 0; j < M; j++) X[j] = GGX[j] - step * (GGX[j] - GX[j]);
    sweep(N, Q, fe_NQ, G_Q, w_N, k, X, GX, G0, M);
    sweeps++;
  }
  coef.set(X.subarray(0, M), G0);
  gatherOthers(N, Q, 0, fe_NQ, k.off, w_N, coef, acc, G0);
  updateBlock(0, G_Q, k.off, k.sx, k.wsum, coef, acc);
  return converged ? sweeps : -sweeps;
}

export function fixefSolve(
  N: number, Q: number, fe_NQ: Int32Array, G_Q: Int32Array, w_N: Float64Array | null, rhs_G: Float64Array, threshold: number,
  maxIter: number, scratch: Float64Array, coef_G: Float64Array,
): number {
  const k = prepare(N, Q, fe_NQ, G_Q, w_N, scratch);
  k.sx.set(rhs_G.subarray(0, k.sumG));
  let sweeps = 1;
  if (Q === 1) {
    for (let g = 0; g < k.sumG; g++) k.coef[g] = k.sx[g] / k.wsum[g];
  } else {
    sweeps = solveCoefficients(N, Q, fe_NQ, G_Q, w_N, k, k.G0, k.M, threshold, maxIter);
  }
  coef_G.set(k.coef.subarray(0, k.sumG));
  return sweeps;
}

export function demean(
  N: number, C: number, Q: number, in_NC: Float64Array, out_NC: Float64Array, fe_NQ: Int32Array, G_Q: Int32Array,
  w_N: Float64Array | null, tol: number, maxIter: number, scratch: Float64Array, iter_C: Int32Array,
): number {
  const k = prepare(N, Q, fe_NQ, G_Q, w_N, scratch);
  const { G0, M, coef } = k;
  let failed = 0;
  for (let c = 0; c < C; c++) {
    const x = c * N;
    k.sx.fill(0);
    for (let q = 0; q < Q; q++) {
      const base = k.off[q];
      if (w_N === null) for (let i = 0; i < N; i++) k.sx[base + fe_NQ[q * N + i]] += in_NC[x + i];
      else for (let i = 0; i < N; i++) k.sx[base + fe_NQ[q * N + i]] += w_N[i] * in_NC[x + i];
    }

    let sweeps = 1;
    if (Q === 1) {
      for (let g = 0; g < G0; g++) coef[g] = k.sx[g] / k.wsum[g];
    } else {
      sweeps = solveCoefficients(N, Q, fe_NQ, G_Q, w_N, k, G0, M, tol * columnScale(in_NC, x, N), maxIter);
    }
    const converged = sweeps > 0;
    if (!converged) sweeps = -sweeps;

    if (Q === 2) {
      for (let i = 0; i < N; i++) out_NC[x + i] = in_NC[x + i] - coef[fe_NQ[i]] - coef[G0 + fe_NQ[N + i]];
    } else {
      for (let i = 0; i < N; i++) {
        let v = in_NC[x + i];
        for (let q = 0; q < Q; q++) v -= coef[k.off[q] + fe_NQ[q * N + i]];
        out_NC[x + i] = v;
      }
    }
    iter_C[c] = converged ? sweeps : -sweeps;
    if (!converged) failed++;
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
