// Mirror of assembly/fixef-cg.ts, operation for operation (read that file for the method, the stopping
// rule, the verification of the true residual and the buffer conventions). Bit-identical to the wasm kernel.
import { DEMEAN_COLUMN_BLOCK as COLUMN_BLOCK, cgScratchLength } from "../backend.js";
import { eliminatedCoefficients, schurApply, type SchurCells } from "./fixef-schur.js";
import { columnMoments } from "./linalg.js";

/** Mirror of HS_DELAY. */
const HS_DELAY = 8;

const ACTIVE = 0;
const CONVERGED = 1;
const FAILED = 2;

interface Block {
  readonly S: SchurCells;
  readonly off: Int32Array;
  readonly Wr: Float64Array;
  readonly B: number;
  xbar: Float64Array;
  rhs: Float64Array;
  b: Float64Array;
  r: Float64Array;
  z: Float64Array;
  p: Float64Array;
  Sp: Float64Array;
  readonly thr: Float64Array;
  readonly rz: Float64Array;
  readonly step: Float64Array;
  readonly max: Float64Array;
  readonly tmp: Float64Array;
  readonly state: Int32Array;
  readonly iter: Int32Array;
  /** Per column, the error drops of the last HS_DELAY iterations ([column][slot]) and the run lengths. */
  readonly drop: Float64Array;
  readonly run: Int32Array;
  /** Per column, the CG steps it has taken in all (its iteration count). */
  readonly steps: Int32Array;
  readonly Wtot: number;
  readonly nullId: Int32Array;
  readonly nNull: number;
  readonly Wnull: Float64Array;
  readonly snull: Float64Array;
}

function prepare(
  C: number, Q: number, G: Int32Array, cellStart: Int32Array, cellIds: Int32Array, cellWeight: Float64Array, nullId: Int32Array, nNull: number,
  scratch: Float64Array,
): Block {
  const G0 = G[0];
  const off = new Int32Array(Q);
  let M = 0;
  for (let q = 1; q < Q; q++) {
    off[q] = M;
    M += G[q];
  }
  let B = Math.min(C, COLUMN_BLOCK);
  while (B > 1 && cgScratchLength(G0, M, nNull, B) > scratch.length) B--;
  let at = 0;
  const take = (n: number): Float64Array => {
    const v = scratch.subarray(at, at + n);
    at += n;
    return v;
  };
  const W0 = take(G0);
  const Wr = take(M);
  const R = Q - 1;
  Wr.fill(0);
  for (let g = 0; g < G0; g++) {
    let s = 0;
    for (let k = cellStart[g]; k < cellStart[g + 1]; k++) {
      const wk = cellWeight[k];
      s += wk;
      for (let q = 0; q < R; q++) {
        const h = cellIds[k * R + q];
        Wr[h] = Wr[h] + wk;
      }
    }
    W0[g] = s;
  }
  let Wtot = 0;
  for (let g = 0; g < G0; g++) Wtot += W0[g];
  const S: SchurCells = { G0, R, M, cellStart, cellIds, cellWeight, W0 };
  const vec = () => take(M * B);
  const xbar = take(G0 * B);
  const rhs = vec();
  const b = vec();
  const r = vec();
  const z = vec();
  const p = vec();
  const Sp = vec();
  const Wnull = take(nNull);
  const snull = take(nNull * B);
  Wnull.fill(0);
  for (let h = 0; h < M; h++) Wnull[nullId[h]] = Wnull[nullId[h]] + Wr[h];
  return {
    S, off, Wr, B, xbar, rhs, b, r, z, p, Sp, nullId, nNull, Wnull, snull,
    thr: new Float64Array(COLUMN_BLOCK), rz: new Float64Array(COLUMN_BLOCK), step: new Float64Array(COLUMN_BLOCK),
    max: new Float64Array(COLUMN_BLOCK), tmp: new Float64Array(COLUMN_BLOCK), state: new Int32Array(COLUMN_BLOCK), iter: new Int32Array(COLUMN_BLOCK),
    drop: new Float64Array(COLUMN_BLOCK * HS_DELAY), run: new Int32Array(COLUMN_BLOCK), steps: new Int32Array(COLUMN_BLOCK), Wtot,
  };
}

/** Mirror of blockRightHandSide(); x0: the block's first column's offset into x. */
function blockRightHandSide(N: number, Q: number, x: Float64Array, x0: number, B: number, fe: Int32Array, w: Float64Array | null, tol: number, L: Block): void {
  const { xbar, rhs, tmp } = L;
  const G0 = L.S.G0;
  xbar.fill(0, 0, G0 * B);
  for (let i = 0; i < N; i++) {
    const row = fe[i] * B;
    const wi = w === null ? 1.0 : w[i];
    for (let c = 0; c < B; c++) {
      const v = x[x0 + c * N + i];
      xbar[row + c] = xbar[row + c] + (w === null ? v : wi * v);
    }
  }
  for (let g = 0; g < G0; g++) {
    const wg = L.S.W0[g];
    for (let c = 0; c < B; c++) xbar[g * B + c] = xbar[g * B + c] / wg;
  }
  rhs.fill(0, 0, L.S.M * B);
  for (let i = 0; i < N; i++) {
    const mean = fe[i] * B;
    const wi = w === null ? 1.0 : w[i];
    for (let c = 0; c < B; c++) {
      const d = x[x0 + c * N + i] - xbar[mean + c];
      tmp[c] = w === null ? d : wi * d;
    }
    for (let q = 1; q < Q; q++) {
      const dst = (L.off[q] + fe[q * N + i]) * B;
      for (let c = 0; c < B; c++) rhs[dst + c] = rhs[dst + c] + tmp[c];
    }
  }
  const mean = new Float64Array(B);
  const ss = new Float64Array(B);
  columnMoments(N, B, x.subarray(x0, x0 + B * N), null, mean, ss);
  for (let c = 0; c < B; c++) L.thr[c] = tol * (Math.sqrt(ss[c] / N) + 1e-6 * Math.abs(mean[c]));
}

/** Mirror of projectOutNull(). */
function projectOutNull(v: Float64Array, B: number, L: Block): void {
  const { snull, nullId, state, Wr } = L;
  const M = L.S.M;
  snull.fill(0, 0, L.nNull * B);
  for (let h = 0; h < M; h++) {
    const s = nullId[h] * B;
    for (let c = 0; c < B; c++) {
      if (state[c] !== ACTIVE) continue;
      snull[s + c] = snull[s + c] + v[h * B + c];
    }
  }
  for (let l = 0; l < L.nNull; l++) {
    const wl = L.Wnull[l];
    for (let c = 0; c < B; c++) snull[l * B + c] = snull[l * B + c] / wl;
  }
  for (let h = 0; h < M; h++) {
    const s = nullId[h] * B;
    const wh = Wr[h];
    for (let c = 0; c < B; c++) {
      if (state[c] !== ACTIVE) continue;
      v[h * B + c] = v[h * B + c] - wh * snull[s + c];
    }
  }
}

/** Mirror of errorEstimate(). */
function errorEstimate(c: number, L: Block): number {
  const n = Math.min(L.run[c], HS_DELAY);
  let e = 0;
  for (let s = 0; s < n; s++) e += L.drop[c * HS_DELAY + s];
  return e;
}

/** Mirror of precondition(). */
function precondition(B: number, k: number, restartRz: boolean, record: boolean, L: Block): number {
  const { r, z, p, tmp, max, state, Wr } = L;
  const M = L.S.M;
  tmp.fill(0, 0, B);
  max.fill(0, 0, B);
  for (let j = 0; j < M; j++) {
    const wj = Wr[j];
    for (let c = 0; c < B; c++) {
      if (state[c] !== ACTIVE) continue;
      const rj = r[j * B + c];
      const zj = rj / wj;
      z[j * B + c] = zj;
      tmp[c] = tmp[c] + rj * zj;
      const a = Math.abs(zj);
      if (a > max[c]) max[c] = a;
    }
  }
  let active = 0;
  for (let c = 0; c < B; c++) {
    if (state[c] !== ACTIVE) continue;
    const thr = L.thr[c];
    const small = max[c] <= thr;
    if (small && (!record || k === 0 || errorEstimate(c, L) <= thr * thr * L.Wtot)) {
      state[c] = CONVERGED;
      if (record) L.iter[c] = L.steps[c];
      continue;
    }
    active++;
    if (restartRz) {
      L.run[c] = 0;
      L.rz[c] = tmp[c];
      for (let j = 0; j < M; j++) p[j * B + c] = z[j * B + c];
    } else {
      const beta = tmp[c] / L.rz[c];
      L.rz[c] = tmp[c];
      for (let j = 0; j < M; j++) p[j * B + c] = z[j * B + c] + beta * p[j * B + c];
    }
  }
  return active;
}

/** Mirror of step(). */
function step(B: number, k: number, L: Block): void {
  const { p, Sp, b, r, state } = L;
  const M = L.S.M;
  const s = L.step;
  s.fill(0, 0, B);
  for (let j = 0; j < M; j++) {
    for (let c = 0; c < B; c++) {
      if (state[c] !== ACTIVE) continue;
      s[c] = s[c] + p[j * B + c] * Sp[j * B + c];
    }
  }
  for (let c = 0; c < B; c++) {
    if (state[c] !== ACTIVE) continue;
    const pSp = s[c];
    if (!(pSp > 0)) {
      state[c] = L.rz[c] === 0 ? CONVERGED : FAILED;
      L.iter[c] = L.steps[c];
      continue;
    }
    const alpha = L.rz[c] / pSp;
    s[c] = alpha;
    const run = L.run[c];
    L.drop[c * HS_DELAY + (run % HS_DELAY)] = alpha * L.rz[c];
    L.run[c] = run + 1;
    L.steps[c] = L.steps[c] + 1;
  }
  for (let j = 0; j < M; j++) {
    for (let c = 0; c < B; c++) {
      if (state[c] !== ACTIVE) continue;
      const alpha = s[c];
      const at = j * B + c;
      b[at] = b[at] + alpha * p[at];
      r[at] = r[at] - alpha * Sp[at];
    }
  }
  projectOutNull(r, B, L);
}

/** Mirror of verify(). */
function verify(B: number, k: number, L: Block): number {
  schurApply(L.S, L.b, L.Sp, B);
  const M = L.S.M;
  for (let c = 0; c < B; c++) {
    if (L.state[c] !== CONVERGED) continue;
    L.state[c] = ACTIVE;
    for (let j = 0; j < M; j++) L.r[j * B + c] = L.rhs[j * B + c] - L.Sp[j * B + c];
  }
  projectOutNull(L.r, B, L);
  return precondition(B, k, true, false, L);
}

/** Mirror of retireExhausted(). */
function retireExhausted(B: number, maxIter: number, L: Block): number {
  let active = 0;
  for (let c = 0; c < B; c++) {
    if (L.state[c] !== ACTIVE) continue;
    if (L.steps[c] >= maxIter) L.state[c] = FAILED;
    else active++;
  }
  return active;
}

/** Mirror of solveBlock(). */
function solveBlock(B: number, maxIter: number, L: Block): void {
  const MB = L.S.M * B;
  L.b.fill(0, 0, MB);
  L.state.fill(ACTIVE, 0, B);
  L.steps.fill(0, 0, B);
  projectOutNull(L.rhs, B, L);
  L.r.set(L.rhs.subarray(0, MB));
  let k = 0;
  let active = precondition(B, k, true, true, L);
  for (;;) {
    if (active === 0) {
      active = verify(B, k, L);
      if (active === 0) break;
    }
    active = retireExhausted(B, maxIter, L);
    if (active === 0) continue;
    schurApply(L.S, L.p, L.Sp, B);
    step(B, k, L);
    k++;
    active = precondition(B, k, false, true, L);
  }
}

/** Mirror of blockResiduals(). */
function blockResiduals(N: number, Q: number, x: Float64Array, y: Float64Array, x0: number, B: number, fe: Int32Array, L: Block): void {
  const { tmp, xbar, b } = L;
  for (let i = 0; i < N; i++) {
    const a = fe[i] * B;
    for (let c = 0; c < B; c++) tmp[c] = xbar[a + c];
    for (let q = 1; q < Q; q++) {
      const h = (L.off[q] + fe[q * N + i]) * B;
      for (let c = 0; c < B; c++) tmp[c] = tmp[c] + b[h + c];
    }
    for (let c = 0; c < B; c++) {
      const at = x0 + c * N + i;
      y[at] = x[at] - tmp[c];
    }
  }
}

export function fixefCg(
  N: number, C: number, Q: number, in_NC: Float64Array, out_NC: Float64Array, fe_NQ: Int32Array, G_Q: Int32Array, w_N: Float64Array | null,
  cellStart_G1: Int32Array, cellIds_KR: Int32Array, cellWeight_K: Float64Array, nullId_M: Int32Array, nNull: number, tol: number, maxIter: number,
  scratch: Float64Array, iter_C: Int32Array,
): number {
  const L = prepare(C, Q, G_Q, cellStart_G1, cellIds_KR, cellWeight_K, nullId_M, nNull, scratch);
  let failed = 0;
  for (let c0 = 0; c0 < C; c0 += L.B) {
    const nb = Math.min(L.B, C - c0);
    const x0 = c0 * N;
    blockRightHandSide(N, Q, in_NC, x0, nb, fe_NQ, w_N, tol, L);
    solveBlock(nb, maxIter, L);
    eliminatedCoefficients(L.S, L.b, L.xbar, nb);
    blockResiduals(N, Q, in_NC, out_NC, x0, nb, fe_NQ, L);
    for (let c = 0; c < nb; c++) {
      const done = L.state[c] === CONVERGED;
      iter_C[c0 + c] = done ? Math.max(1, L.iter[c]) : -Math.max(1, L.steps[c]);
      if (!done) failed++;
    }
  }
  return failed;
}
