// Fixed-effects demeaning by preconditioned conjugate gradient, for graphs on which alternating
// projections stall (workers linked to firms by few movers, long chains of firms).
//
// WHY. Alternating projections (assembly/demean.ts) converge at a rate set by the smallest non-zero
// eigenvalue of the (preconditioned) normal equations: on weakly connected graphs hundreds or thousands of
// sweeps. Conjugate gradient needs about the square root of that condition number in iterations, and each
// iteration costs one pass over the cells (assembly/fixef-schur.ts) rather than Q passes over the rows.
// We solve S b = D_r'W (I - P_0) x, the normal equations with fixed effect 0 eliminated (fixef-schur.ts
// says why that is the same problem), preconditioned by the diagonal blocks of fixed effects 1..Q-1 (block
// Jacobi: each block is diagonal, its group weight sums W_r), starting from b = 0. Fixed effect 0 then
// follows exactly, and the residual x - D_0 a - D_r b is written over the rows.
//
// STOPPING RULE (tol). Let thr = tol * s_x, with s_x = sd(x) + 1e-6 |mean(x)| as in assembly/demean.ts.
// Column c stops after iteration k >= 1 when both hold:
//   1. its preconditioned residual z = W_r^-1 (rhs - S b) has no entry larger than thr. z_h is exactly the
//      change that one alternating-projection step from b (re-solving group h given everything else) would
//      make to coefficient h: the sweeps' rule "no coefficient would move by more than tol * s_x";
//   2. the estimated weighted root-mean-square error of the residuals it returns, sqrt(E / sum(w)), is at
//      most thr, where E = sum of alpha_j <r_j, z_j> over the last min(k, HS_DELAY) iterations. In CG,
//      alpha_j <r_j, z_j> is the drop of the squared S-norm of the coefficient error in step j
//      (Hestenes-Stiefel), and the S-norm of the coefficient error is the W-norm of the error of the
//      residual x - D a; the drop over the last HS_DELAY steps bounds the error HS_DELAY steps ago from
//      below, and is a good estimate once CG converges; the current error is smaller. Rule 1 alone stops
//      too early on weakly connected graphs, where small steps hide large errors (long firm chains).
// NULL SPACE. S is singular: for each fixed effect q >= 1 and each connected component of the graph of
// fixed effect 0's and q's groups, adding a constant to q's coefficients in that component changes no
// residual (fixed effect 0 absorbs it). Rounding leaves the right-hand side slightly outside S's range,
// and CG, once the rest has converged, chases that part along the null space: the coefficients grow without
// bound and the rounding of ever larger numbers spoils the residuals. So the residual r is kept orthogonal to
// these null vectors v (r -= W_r v (v'r) / (v'W_r v), which keeps z = W_r^-1 r free of them in the
// preconditioner's inner product): at the start, after every step and on the recomputed true residual. The
// host labels each coefficient with its (q, component) (nullId_M, nNull labels; disjoint supports, so the
// projection is one pass). Null vectors of other kinds (nested or collinear fixed effects) are not
// projected; they are rare and only slow convergence down.
//
// The CG recurrence's residual drifts from the true one by rounding, so when every column of a block has
// stopped, the true residual is computed once (one more application of S) and a column whose true residual
// fails rule 1 is restarted from its current b. A column whose residual is exactly zero has converged.
// Columns converge independently: a column that has stopped is not updated again, so a column's result
// does not depend on the other columns of its block.
//
// BUFFERS (names carry their length, as in assembly/demean.ts)
//   in_NC, out_NC : f64 [C][N] column-major; out may alias in.
//   fe_NQ, G_Q    : i32 [Q][N] dense group ids, [Q] group counts (Q >= 2); fixed effect 0 is eliminated
//                   (the host puts the one with the most groups first).
//   w_N           : f64 [N] weights (> 0), or 0 when unweighted.
//   cellStart_G1, cellIds_KR, cellWeight_K : the cells (fixef-schur.ts), grouped by fixed effect 0.
//   nullId_M      : i32 [M] each coefficient's null-space label 0..nNull-1 (see NULL SPACE).
//   scratch       : f64, G0 + M + B (G0 + 6 M) + nNull (1 + B) doubles for blocks of B columns (at least
//                   1, at most COLUMN_BLOCK), M = G_1 + ... + G_{Q-1}.
//   iter_C        : i32 [C] out: iterations (at least 1), negative when maxIter was reached first.
// Returns the number of columns that did not converge.

import { COLUMN_BLOCK, MAX_FIXEF } from "./demean";
import { eliminatedCoefficients, schurApply } from "./fixef-schur";
import { columnMoments } from "./linalg";
import { TL_CG, threadLocal } from "./thread-local";

@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function setF64(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

/** Iterations whose error drops make up the estimate of stopping rule 2. */
export const HS_DELAY: i32 = 8;

/** Column states. */
const ACTIVE: i32 = 0;
const CONVERGED: i32 = 1;
const FAILED: i32 = 2;

// Per-column numbers of the current block (COLUMN_BLOCK each), and the offsets of fixed effects 1..Q-1,
// in this instance's own work area (thread-local.ts); bound at each call by bindWorkAreas().
let Cthr: usize = 0;
let Crz: usize = 0;
let Cstep: usize = 0;
let Cmax: usize = 0;
let Cmean: usize = 0;
let Css: usize = 0;
let Cstate: usize = 0;
let Citer: usize = 0;
let Coff: usize = 0;
let Ctmp: usize = 0;
/** Per column, alpha_j <r_j, z_j> of the last HS_DELAY iterations (slot j % HS_DELAY), and the iterations
 *  since the column's last (re)start. */
let Cdrop: usize = 0;
let Crun: usize = 0;
/** Per column, the CG steps it has taken in all (its iteration count; restarts continue it). */
let Csteps: usize = 0;

/** Points the per-column areas above at this instance's work area (1,344 bytes from TL_CG). */
function bindWorkAreas(): void {
  let a = threadLocal(TL_CG);
  const f64s = <usize>(8 * COLUMN_BLOCK);
  const i32s = <usize>(4 * COLUMN_BLOCK);
  Cthr = a; a += f64s;
  Crz = a; a += f64s;
  Cstep = a; a += f64s;
  Cmax = a; a += f64s;
  Cmean = a; a += f64s;
  Css = a; a += f64s;
  Ctmp = a; a += f64s;
  Cdrop = a; a += f64s * <usize>HS_DELAY;
  Cstate = a; a += i32s;
  Citer = a; a += i32s;
  Crun = a; a += i32s;
  Csteps = a; a += i32s;
  Coff = a; // i32 [MAX_FIXEF]
}
@inline function dropAt(c: i32, s: i32): usize { return Cdrop + (<usize>(c * HS_DELAY + s) << 3); }
@inline function runOf(c: i32): i32 { return i32At(Crun, c); }
@inline function setRun(c: i32, v: i32): void { store<i32>(Crun + (<usize>c << 2), v); }
@inline function stepsOf(c: i32): i32 { return i32At(Csteps, c); }

@inline function stateOf(c: i32): i32 { return i32At(Cstate, c); }
@inline function setState(c: i32, s: i32): void { store<i32>(Cstate + (<usize>c << 2), s); }

// The layout of the current call.
let LG0 = 0;
let LM = 0;
let LR = 0;
let LB = 0;
let LW0: usize = 0; // [G0]
let LWr: usize = 0; // [M]
let Lxbar: usize = 0; // [G0][B]
let Lrhs: usize = 0; // [M][B] each from here on
let Lb: usize = 0;
let Lr: usize = 0;
let Lz: usize = 0;
let Lp: usize = 0;
let LSp: usize = 0;
let LWtot: f64 = 0; // total weight
let LnullId: usize = 0; // i32 [M]
let LnNull = 0;
let LWnull: usize = 0; // [nNull]
let Lsnull: usize = 0; // [nNull][B]

/** Lays out the scratch, writes offsets and the group weights (from the cells). Returns the block size. */
function prepare(C: i32, Q: i32, G_Q: usize, cellStart: usize, cellIds: usize, cellWeight: usize, nullId: usize, nNull: i32,
                 scratch: usize, scratchLen: i32): i32 {
  const G0 = i32At(G_Q, 0);
  let M = 0;
  for (let q = 1; q < Q; q++) {
    store<i32>(Coff + (<usize>q << 2), M);
    M += i32At(G_Q, q);
  }
  let B = min<i32>(C, COLUMN_BLOCK);
  while (B > 1 && <i64>G0 + <i64>M + <i64>B * <i64>(G0 + 6 * M) + <i64>nNull * <i64>(1 + B) > <i64>scratchLen) B--;
  LG0 = G0;
  LM = M;
  LR = Q - 1;
  LB = B;
  LW0 = scratch;
  LWr = LW0 + (<usize>G0 << 3);
  Lxbar = LWr + (<usize>M << 3);
  Lrhs = Lxbar + (<usize>(G0 * B) << 3);
  const vec = <usize>(M * B) << 3;
  Lb = Lrhs + vec;
  Lr = Lb + vec;
  Lz = Lr + vec;
  Lp = Lz + vec;
  LSp = Lp + vec;
  LnullId = nullId;
  LnNull = nNull;
  LWnull = LSp + vec;
  Lsnull = LWnull + (<usize>nNull << 3);
  memory.fill(LWr, 0, <usize>M << 3);
  const R = LR;
  for (let g = 0; g < G0; g++) {
    let s: f64 = 0;
    const end = i32At(cellStart, g + 1);
    for (let k = i32At(cellStart, g); k < end; k++) {
      const wk = f64At(cellWeight, k);
      s += wk;
      for (let q = 0; q < R; q++) {
        const h = i32At(cellIds, k * R + q);
        setF64(LWr, h, f64At(LWr, h) + wk);
      }
    }
    setF64(LW0, g, s);
  }
  let tot: f64 = 0;
  for (let g = 0; g < G0; g++) tot += f64At(LW0, g);
  LWtot = tot;
  memory.fill(LWnull, 0, <usize>nNull << 3);
  for (let h = 0; h < M; h++) {
    const l = i32At(nullId, h);
    setF64(LWnull, l, f64At(LWnull, l) + f64At(LWr, h));
  }
  return B;
}

/** The block's right-hand side D_r'W (x - xbar_0) and fixed effect 0's group means xbar; thresholds. */
function blockRightHandSide(N: i32, Q: i32, x: usize, B: i32, fe_NQ: usize, w_N: usize, tol: f64): void {
  const colBytes = <usize>N << 3;
  const G0 = LG0;
  memory.fill(Lxbar, 0, <usize>(G0 * B) << 3);
  for (let i = 0; i < N; i++) {
    const row = Lxbar + (<usize>(i32At(fe_NQ, i) * B) << 3);
    const wi = w_N == 0 ? 1.0 : f64At(w_N, i);
    for (let c = 0; c < B; c++) {
      const v = load<f64>(x + <usize>c * colBytes + (<usize>i << 3));
      setF64(row, c, f64At(row, c) + (w_N == 0 ? v : wi * v));
    }
  }
  for (let g = 0; g < G0; g++) {
    const wg = f64At(LW0, g);
    for (let c = 0; c < B; c++) setF64(Lxbar, g * B + c, f64At(Lxbar, g * B + c) / wg);
  }
  memory.fill(Lrhs, 0, <usize>(LM * B) << 3);
  for (let i = 0; i < N; i++) {
    const mean = Lxbar + (<usize>(i32At(fe_NQ, i) * B) << 3);
    const wi = w_N == 0 ? 1.0 : f64At(w_N, i);
    for (let c = 0; c < B; c++) {
      const d = load<f64>(x + <usize>c * colBytes + (<usize>i << 3)) - f64At(mean, c);
      setF64(Ctmp, c, w_N == 0 ? d : wi * d);
    }
    for (let q = 1; q < Q; q++) {
      const h = i32At(Coff, q) + i32At(fe_NQ + (<usize>q * <usize>N << 2), i);
      const dst = Lrhs + (<usize>(h * B) << 3);
      for (let c = 0; c < B; c++) setF64(dst, c, f64At(dst, c) + f64At(Ctmp, c));
    }
  }
  columnMoments(N, B, x, 0, Cmean, Css);
  for (let c = 0; c < B; c++) setF64(Cthr, c, tol * (Math.sqrt(f64At(Css, c) / <f64>N) + 1e-6 * abs<f64>(f64At(Cmean, c))));
}

/** v = [M][B]: each active column made orthogonal to the null vectors (see NULL SPACE). */
function projectOutNull(v: usize, B: i32): void {
  const M = LM;
  memory.fill(Lsnull, 0, <usize>(LnNull * B) << 3);
  for (let h = 0; h < M; h++) {
    const s = Lsnull + (<usize>(i32At(LnullId, h) * B) << 3);
    for (let c = 0; c < B; c++) {
      if (stateOf(c) != ACTIVE) continue;
      setF64(s, c, f64At(s, c) + f64At(v, h * B + c));
    }
  }
  for (let l = 0; l < LnNull; l++) {
    const wl = f64At(LWnull, l);
    for (let c = 0; c < B; c++) setF64(Lsnull, l * B + c, f64At(Lsnull, l * B + c) / wl);
  }
  for (let h = 0; h < M; h++) {
    const s = Lsnull + (<usize>(i32At(LnullId, h) * B) << 3);
    const wh = f64At(LWr, h);
    for (let c = 0; c < B; c++) {
      if (stateOf(c) != ACTIVE) continue;
      setF64(v, h * B + c, f64At(v, h * B + c) - wh * f64At(s, c));
    }
  }
}

/** The estimated squared error of stopping rule 2: the error drops of the column's last iterations. */
function errorEstimate(c: i32): f64 {
  const n = min<i32>(runOf(c), HS_DELAY);
  let e: f64 = 0;
  for (let s = 0; s < n; s++) e += load<f64>(dropAt(c, s));
  return e;
}

/** z = r / W_r, and per active column rz = <r, z> and the largest |z|; columns that meet the stopping rule
 *  are marked converged (after `k` iterations when `record`; rule 2 only then, and after an iteration).
 *  `restartRz`: new search directions p = z (a start or restart). Returns how many remain active. */
function precondition(B: i32, k: i32, restartRz: bool, record: bool): i32 {
  const M = LM;
  for (let c = 0; c < B; c++) {
    setF64(Ctmp, c, 0);
    setF64(Cmax, c, 0);
  }
  for (let j = 0; j < M; j++) {
    const wj = f64At(LWr, j);
    for (let c = 0; c < B; c++) {
      if (stateOf(c) != ACTIVE) continue;
      const r = f64At(Lr, j * B + c);
      const z = r / wj;
      setF64(Lz, j * B + c, z);
      setF64(Ctmp, c, f64At(Ctmp, c) + r * z);
      const a = abs<f64>(z);
      if (a > f64At(Cmax, c)) setF64(Cmax, c, a);
    }
  }
  let active = 0;
  for (let c = 0; c < B; c++) {
    if (stateOf(c) != ACTIVE) continue;
    const thr = f64At(Cthr, c);
    const small = f64At(Cmax, c) <= thr;
    if (small && (!record || k == 0 || errorEstimate(c) <= thr * thr * LWtot)) {
      setState(c, CONVERGED);
      if (record) store<i32>(Citer + (<usize>c << 2), stepsOf(c));
      continue;
    }
    active++;
    if (restartRz) {
      // first direction: p = z
      setRun(c, 0);
      setF64(Crz, c, f64At(Ctmp, c));
      for (let j = 0; j < M; j++) setF64(Lp, j * B + c, f64At(Lz, j * B + c));
    } else {
      // p = z + beta p, beta = <r, z>_new / <r, z>_old
      const beta = f64At(Ctmp, c) / f64At(Crz, c);
      setF64(Crz, c, f64At(Ctmp, c));
      for (let j = 0; j < M; j++) setF64(Lp, j * B + c, f64At(Lz, j * B + c) + beta * f64At(Lp, j * B + c));
    }
  }
  return active;
}

/** One CG step for the active columns, given Sp = S p: b += alpha p, r -= alpha Sp; records the error
 *  drop alpha <r, z>. A column whose direction has no curvature (p'Sp <= 0) has converged when its residual
 *  is exactly zero, and otherwise stops as failed (only rounding is left of it). k: iterations so far. */
function step(B: i32, k: i32): void {
  const M = LM;
  for (let c = 0; c < B; c++) setF64(Cstep, c, 0);
  for (let j = 0; j < M; j++) {
    for (let c = 0; c < B; c++) {
      if (stateOf(c) != ACTIVE) continue;
      setF64(Cstep, c, f64At(Cstep, c) + f64At(Lp, j * B + c) * f64At(LSp, j * B + c));
    }
  }
  for (let c = 0; c < B; c++) {
    if (stateOf(c) != ACTIVE) continue;
    const pSp = f64At(Cstep, c);
    if (!(pSp > 0)) {
      setState(c, f64At(Crz, c) == 0 ? CONVERGED : FAILED);
      store<i32>(Citer + (<usize>c << 2), stepsOf(c));
      continue;
    }
    const alpha = f64At(Crz, c) / pSp;
    setF64(Cstep, c, alpha);
    const run = runOf(c);
    store<f64>(dropAt(c, run % HS_DELAY), alpha * f64At(Crz, c));
    setRun(c, run + 1);
    store<i32>(Csteps + (<usize>c << 2), stepsOf(c) + 1);
  }
  for (let j = 0; j < M; j++) {
    for (let c = 0; c < B; c++) {
      if (stateOf(c) != ACTIVE) continue;
      const alpha = f64At(Cstep, c);
      const at = j * B + c;
      setF64(Lb, at, f64At(Lb, at) + alpha * f64At(Lp, at));
      setF64(Lr, at, f64At(Lr, at) - alpha * f64At(LSp, at));
    }
  }
  projectOutNull(Lr, B);
}

/** After every column stopped: the true residual rhs - S b of converged columns, and those that fail the
 *  rule on it are made active again (restarted). Returns how many were. */
function verify(B: i32, cellStart: usize, cellIds: usize, cellWeight: usize, k: i32): i32 {
  schurApply(LG0, LR, LM, cellStart, cellIds, cellWeight, LW0, Lb, LSp, B);
  const M = LM;
  for (let c = 0; c < B; c++) {
    if (stateOf(c) != CONVERGED) continue;
    setState(c, ACTIVE);
    for (let j = 0; j < M; j++) setF64(Lr, j * B + c, f64At(Lrhs, j * B + c) - f64At(LSp, j * B + c));
  }
  projectOutNull(Lr, B);
  // Columns that still meet the rule are marked converged again, keeping their iteration count.
  return precondition(B, k, true, false);
}

/** Active columns that have taken maxIter steps stop, not converged. Returns how many remain active. */
function retireExhausted(B: i32, maxIter: i32): i32 {
  let active = 0;
  for (let c = 0; c < B; c++) {
    if (stateOf(c) != ACTIVE) continue;
    if (stepsOf(c) >= maxIter) setState(c, FAILED);
    else active++;
  }
  return active;
}

/** CG iterations on the block until every column has stopped (passed verification, or taken maxIter steps
 *  of its own, or lost curvature). Each column's steps, restarts and result are its own: they do not depend
 *  on the other columns of the block (so splitting columns over threads changes nothing). */
function solveBlock(B: i32, cellStart: usize, cellIds: usize, cellWeight: usize, maxIter: i32): void {
  const MB = LM * B;
  memory.fill(Lb, 0, <usize>MB << 3);
  for (let c = 0; c < B; c++) {
    setState(c, ACTIVE);
    store<i32>(Csteps + (<usize>c << 2), 0);
  }
  projectOutNull(Lrhs, B);
  memory.copy(Lr, Lrhs, <usize>MB << 3);
  let k = 0;
  let active = precondition(B, k, true, true);
  while (true) {
    if (active == 0) {
      active = verify(B, cellStart, cellIds, cellWeight, k);
      if (active == 0) break;
    }
    active = retireExhausted(B, maxIter);
    if (active == 0) continue; // the converged columns still get verified; exhausted ones are not restarted
    schurApply(LG0, LR, LM, cellStart, cellIds, cellWeight, LW0, Lp, LSp, B);
    step(B, k);
    k++;
    active = precondition(B, k, false, true);
  }
}

/** out = x - a_0 - (coefficients of fixed effects 1..Q-1), over the rows (a_0 in Lxbar). */
function blockResiduals(N: i32, Q: i32, x: usize, y: usize, B: i32, fe_NQ: usize): void {
  const colBytes = <usize>N << 3;
  for (let i = 0; i < N; i++) {
    const a = Lxbar + (<usize>(i32At(fe_NQ, i) * B) << 3);
    for (let c = 0; c < B; c++) setF64(Ctmp, c, f64At(a, c));
    for (let q = 1; q < Q; q++) {
      const h = i32At(Coff, q) + i32At(fe_NQ + (<usize>q * <usize>N << 2), i);
      const bh = Lb + (<usize>(h * B) << 3);
      for (let c = 0; c < B; c++) setF64(Ctmp, c, f64At(Ctmp, c) + f64At(bh, c));
    }
    const o = <usize>i << 3;
    for (let c = 0; c < B; c++) {
      const at = <usize>c * colBytes + o;
      store<f64>(y + at, load<f64>(x + at) - f64At(Ctmp, c));
    }
  }
}

export function fixefCg(N: i32, C: i32, Q: i32, in_NC: usize, out_NC: usize, fe_NQ: usize, G_Q: usize, w_N: usize,
                        cellStart_G1: usize, cellIds_KR: usize, cellWeight_K: usize, nullId_M: usize, nNull: i32, tol: f64,
                        maxIter: i32, scratch: usize, scratchLen: i32, iter_C: usize): i32 {
  bindWorkAreas();
  const B = prepare(C, Q, G_Q, cellStart_G1, cellIds_KR, cellWeight_K, nullId_M, nNull, scratch, scratchLen);
  let failed = 0;
  for (let c0 = 0; c0 < C; c0 += B) {
    const nb = min<i32>(B, C - c0);
    const x = in_NC + (<usize>c0 * <usize>N << 3);
    blockRightHandSide(N, Q, x, nb, fe_NQ, w_N, tol);
    solveBlock(nb, cellStart_G1, cellIds_KR, cellWeight_K, maxIter);
    eliminatedCoefficients(LG0, LR, cellStart_G1, cellIds_KR, cellWeight_K, LW0, Lb, Lxbar, nb);
    blockResiduals(N, Q, x, out_NC + (<usize>c0 * <usize>N << 3), nb, fe_NQ);
    for (let c = 0; c < nb; c++) {
      const done = stateOf(c) == CONVERGED;
      const it = done ? max<i32>(1, i32At(Citer, c)) : -max<i32>(1, stepsOf(c));
      store<i32>(iter_C + (<usize>(c0 + c) << 2), it);
      if (!done) failed++;
    }
  }
  return failed;
}
