// Fixed-effects demeaning by alternating projections.
//
// WHY IT WORKS. Regressing a column x on Q sets of group dummies and keeping the residual is what
// absorbing Q fixed effects means (Frisch-Waugh-Lovell). The dummy regression's normal equations say:
// the coefficient of group g of fixed effect q is the weighted mean, over the rows of g, of x minus the
// other fixed effects' coefficients. Solving them one fixed effect at a time (Gauss-Seidel; for residuals
// this is the method of alternating projections) converges to the exact residual. We iterate on the
// coefficients (sum(G_q) numbers per column), not on the N-vector of residuals: one sweep maps the
// coefficients of fixed effects 1..Q-1 to new ones (fixed effect 0 follows from them), and every second
// sweep Irons-Tuck extrapolation jumps along the direction the iterates move in, which is what makes
// weakly connected panels converge in tens rather than thousands of sweeps (fixest does the same).
// With one fixed effect the answer is a single pass of group means.
//
// COLUMNS ARE SWEPT TOGETHER. Up to COLUMN_BLOCK columns share every pass over the rows: a row's group ids
// are read once and its C values update one contiguous row of coefficients (layout [group][column]), two
// columns at a time with f64x2 in the SIMD build (lane by lane the same IEEE operations as one column
// alone). A column that meets its stopping rule is frozen: its answer is that iterate, whatever the other
// columns of its block still do. So a column's result and sweep count do not depend on which columns it is
// swept with, and a fit split over threads by columns gives the same numbers for any thread count.
//
// STOPPING RULE (tol). A column meets it when one sweep changes none of its fixed-effect coefficients by
// more than tol * s_x, where s_x = sd(x) + 1e-6 * |mean(x)| is the column's scale (population sd; the
// small multiple of the mean keeps the threshold above rounding noise for constant columns, whose sd is
// 0). The rule is invariant to rescaling x. Default tol (set by the host) is 1e-8.
//
// CONVENTION (buffer names carry their length, as in fixest's demeaning.cpp)
//   N rows, C columns, Q fixed effects, G_q groups in fixed effect q, sumG = sum of G_q, M = sumG - G_0.
//   in_NC, out_NC : f64 [C][N] column-major (column c starts at c*N). out_NC may alias in_NC.
//   fe_NQ         : i32 [Q][N] group of row i in fixed effect q, dense ids 0..G_q-1, every id used.
//   G_Q           : i32 [Q] group counts (Q <= MAX_FIXEF).
//   w_N           : f64 [N] analytic weights (all > 0), or 0 when unweighted.
//   scratch       : f64 [scratchLen] work space; sumG + B (2 sumG + maxG + 3 M) + SCRATCH_FIXED doubles
//                   (at most (1 + 7 B) sumG + SCRATCH_FIXED) let blocks of B columns run together
//                   (B = COLUMN_BLOCK for full speed, at least 1).
//   iter_C        : i32 [C] out: sweeps used for each column; negative (-sweeps) when not converged.
// Returns the number of columns that did not converge within maxIter sweeps.

import { pairAt } from "./dot";
import { runEnd, storedInRuns } from "./runs";
import { columnMoments } from "./linalg";
import { TL_DEMEAN_RUNS, threadLocal } from "./thread-local";

/** Columns swept together at most. */
export const COLUMN_BLOCK: i32 = 8;
/** At most this many fixed effects. */
export const MAX_FIXEF: i32 = 64;
/** Scratch doubles independent of the groups: 8 per-column numbers x COLUMN_BLOCK + Q offsets. */
export const SCRATCH_FIXED: i32 = 8 * 8 + 32;

@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function setF64(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

function zero(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 3);
}

function copy(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 3);
}

/** dst[c] += src[c] for c < C (two lanes at a time in the SIMD build; same IEEE additions either way). */
@inline function rowAdd(dst: usize, src: usize, C: i32): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 1 < C; c += 2) {
      const o = <usize>c << 3;
      v128.store(dst + o, f64x2.add(v128.load(dst + o), v128.load(src + o)));
    }
  }
  for (; c < C; c++) setF64(dst, c, f64At(dst, c) + f64At(src, c));
}

/** dst[c] += w * src[c] for c < C (also the CG kernel's, assembly/fixef-schur.ts). */
@inline export function rowAddScaled(dst: usize, src: usize, w: f64, C: i32): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    const wv = f64x2.splat(w);
    for (; c + 1 < C; c += 2) {
      const o = <usize>c << 3;
      v128.store(dst + o, f64x2.add(v128.load(dst + o), f64x2.mul(wv, v128.load(src + o))));
    }
  }
  for (; c < C; c++) setF64(dst, c, f64At(dst, c) + w * f64At(src, c));
}

/** Per fixed effect of the current call: 1 when its rows come in runs (see runs.ts; set by prepare()). */
// Per fixed effect: are its rows stored in runs of one group (u8 flags, in this instance's own area).
@inline function runFlag(q: i32): usize { return threadLocal(TL_DEMEAN_RUNS) + <usize>q; }
@inline function inRuns(q: i32): bool { return load<u8>(runFlag(q)) != 0; }

/** dst[c] += (w_r *) src_r[c] for the rows r of one run, where src_r is row ids[r] of the table at src:
 *  the running sums of all C <= 8 columns stay in four vector registers (independent chains) for the
 *  whole run. Each sum still adds the rows one at a time in order (see runs.ts). */
@inline function runAddRowsSimd(dst: usize, src: usize, ids: usize, w: usize, i: i32, j: i32, C: i32, rowBytes: usize): void {
  const pairs = C >> 1;
  let s0 = pairs > 0 ? v128.load(dst) : f64x2.splat(0);
  let s1 = pairs > 1 ? v128.load(dst, 16) : f64x2.splat(0);
  let s2 = pairs > 2 ? v128.load(dst, 32) : f64x2.splat(0);
  let s3 = pairs > 3 ? v128.load(dst, 48) : f64x2.splat(0);
  let t: f64 = C & 1 ? f64At(dst, C - 1) : 0;
  for (let r = i; r < j; r++) {
    const row = src + <usize>i32At(ids, r) * rowBytes;
    const wr = f64x2.splat(w == 0 ? 1.0 : f64At(w, r));
    if (w == 0) {
      if (pairs > 0) s0 = f64x2.add(s0, v128.load(row));
      if (pairs > 1) s1 = f64x2.add(s1, v128.load(row, 16));
      if (pairs > 2) s2 = f64x2.add(s2, v128.load(row, 32));
      if (pairs > 3) s3 = f64x2.add(s3, v128.load(row, 48));
      if (C & 1) t += f64At(row, C - 1);
    } else {
      if (pairs > 0) s0 = f64x2.add(s0, f64x2.mul(wr, v128.load(row)));
      if (pairs > 1) s1 = f64x2.add(s1, f64x2.mul(wr, v128.load(row, 16)));
      if (pairs > 2) s2 = f64x2.add(s2, f64x2.mul(wr, v128.load(row, 32)));
      if (pairs > 3) s3 = f64x2.add(s3, f64x2.mul(wr, v128.load(row, 48)));
      if (C & 1) t += f64At(w, r) * f64At(row, C - 1);
    }
  }
  if (pairs > 0) v128.store(dst, s0);
  if (pairs > 1) v128.store(dst, s1, 16);
  if (pairs > 2) v128.store(dst, s2, 32);
  if (pairs > 3) v128.store(dst, s3, 48);
  if (C & 1) setF64(dst, C - 1, t);
}

// The layout of the current call, set by prepare(). Kernels run one at a time per instance.
let LsumG = 0;
let LG0 = 0;
let LM = 0;
let LB = 0; // columns per block
let Lwsum: usize = 0; // [sumG]
let Lsx: usize = 0; // [sumG][B]
let Lcoef: usize = 0; // [sumG][B]
let Lacc: usize = 0; // [maxG][B]
let LX: usize = 0; // [M][B]
let LGX: usize = 0; // [M][B]
let LGGX: usize = 0; // [M][B]
let Lcol: usize = 0; // 8 per-column numbers x COLUMN_BLOCK
let Loff: usize = 0; // [Q] i32 block offsets (in groups)

/** Lays out the scratch for blocks of up to `want` columns, writes block offsets and group weights.
 *  Returns the block size that fits. */
function prepare(N: i32, Q: i32, fe_NQ: usize, G_Q: usize, w_N: usize, scratch: usize, scratchLen: i32, want: i32): i32 {
  let sumG = 0;
  let maxG = 0;
  for (let q = 0; q < Q; q++) {
    const g = i32At(G_Q, q);
    sumG += g;
    if (g > maxG) maxG = g;
  }
  const M = sumG - i32At(G_Q, 0);
  let B = min<i32>(want, COLUMN_BLOCK);
  // The layout below must fit: sumG + B (2 sumG + maxG + 3M) + SCRATCH_FIXED doubles.
  while (B > 1 && <i64>sumG + <i64>B * <i64>(2 * sumG + maxG + 3 * M) + <i64>SCRATCH_FIXED > <i64>scratchLen) B--;
  LsumG = sumG;
  LG0 = i32At(G_Q, 0);
  LM = M;
  LB = B;
  Lwsum = scratch;
  Lsx = Lwsum + (<usize>sumG << 3);
  Lcoef = Lsx + (<usize>(sumG * B) << 3);
  Lacc = Lcoef + (<usize>(sumG * B) << 3);
  LX = Lacc + (<usize>(maxG * B) << 3);
  LGX = LX + (<usize>(M * B) << 3);
  LGGX = LGX + (<usize>(M * B) << 3);
  Lcol = LGGX + (<usize>(M * B) << 3);
  Loff = Lcol + (<usize>(8 * COLUMN_BLOCK) << 3);
  let o = 0;
  for (let q = 0; q < Q; q++) {
    store<i32>(Loff + (<usize>q << 2), o);
    o += i32At(G_Q, q);
  }
  zero(Lwsum, sumG);
  for (let q = 0; q < Q; q++) {
    const feq = fe_NQ + (<usize>q * <usize>N << 2);
    const base = Lwsum + (<usize>i32At(Loff, q) << 3);
    for (let i = 0; i < N; i++) {
      const p = base + (<usize>i32At(feq, i) << 3);
      store<f64>(p, load<f64>(p) + (w_N == 0 ? 1.0 : f64At(w_N, i)));
    }
    store<u8>(runFlag(q), storedInRuns(feq, N) ? 1 : 0);
  }
  return B;
}

@inline function offsetOf(q: i32): i32 { return i32At(Loff, q); }

/** acc[g][.] (g in fixed effect q) = sum over rows of group g of w_i * (other fixed effects' coefficients). */
function gatherOthers(N: i32, Q: i32, q: i32, fe: usize, w: usize, C: i32): void {
  const acc = Lacc;
  const coef = Lcoef;
  const feq = fe + (<usize>q * <usize>N << 2);
  const rowBytes = <usize>C << 3;
  if (Q == 2) {
    const other = 1 - q;
    const feo = fe + (<usize>other * <usize>N << 2);
    const co = coef + (<usize>offsetOf(other) * rowBytes);
    if (!inRuns(q)) {
      if (w == 0) {
        for (let i = 0; i < N; i++) rowAdd(acc + <usize>i32At(feq, i) * rowBytes, co + <usize>i32At(feo, i) * rowBytes, C);
      } else {
        for (let i = 0; i < N; i++) rowAddScaled(acc + <usize>i32At(feq, i) * rowBytes, co + <usize>i32At(feo, i) * rowBytes, f64At(w, i), C);
      }
      return;
    }
    for (let i = 0; i < N; ) {
      const j = runEnd(feq, i, N);
      const dst = acc + <usize>i32At(feq, i) * rowBytes;
      if (ASC_FEATURE_SIMD && C <= COLUMN_BLOCK) {
        runAddRowsSimd(dst, co, feo, w, i, j, C, rowBytes);
      } else {
        for (let c = 0; c < C; c++) {
          let s = f64At(dst, c);
          if (w == 0) for (let r = i; r < j; r++) s += f64At(co + <usize>i32At(feo, r) * rowBytes, c);
          else for (let r = i; r < j; r++) s += f64At(w, r) * f64At(co + <usize>i32At(feo, r) * rowBytes, c);
          setF64(dst, c, s);
        }
      }
      i = j;
    }
    return;
  }
  // Q >= 3: sum the other fixed effects' rows in a temporary row (the per-column block of Lcol, 8 doubles
  // x COLUMN_BLOCK: enough for C <= COLUMN_BLOCK columns), then add it, weighted.
  const tmp = Lcol + (<usize>(4 * COLUMN_BLOCK) << 3);
  for (let i = 0; i < N; i++) {
    zero(tmp, C);
    for (let r = 0; r < Q; r++) {
      if (r == q) continue;
      rowAdd(tmp, coef + <usize>(offsetOf(r) + i32At(fe + (<usize>r * <usize>N << 2), i)) * rowBytes, C);
    }
    const dst = acc + <usize>i32At(feq, i) * rowBytes;
    if (w == 0) rowAdd(dst, tmp, C);
    else rowAddScaled(dst, tmp, f64At(w, i), C);
  }
}

/** Solves fixed effect q's normal equations given the others: coef_q = (sx_q - acc) / wsum_q. */
function updateBlock(q: i32, G_Q: usize, C: i32): void {
  const o = offsetOf(q);
  const Gq = i32At(G_Q, q);
  for (let g = 0; g < Gq; g++) {
    const inv = f64At(Lwsum, o + g);
    const base = (o + g) * C;
    for (let c = 0; c < C; c++) setF64(Lcoef, base + c, (f64At(Lsx, base + c) - f64At(Lacc, g * C + c)) / inv);
  }
}

/** One Gauss-Seidel sweep: from (coefficients of fixed effects 1..Q-1) -> to; coef holds all blocks after. */
function sweep(N: i32, Q: i32, fe: usize, G_Q: usize, w: usize, from: usize, to: usize, C: i32): void {
  const MC = LM * C;
  copy(Lcoef + (<usize>(LG0 * C) << 3), from, MC);
  for (let q = 0; q < Q; q++) {
    zero(Lacc, i32At(G_Q, q) * C);
    gatherOthers(N, Q, q, fe, w, C);
    updateBlock(q, G_Q, C);
  }
  copy(to, Lcoef + (<usize>(LG0 * C) << 3), MC);
}

// Per-column numbers in Lcol: [0] threshold, [1] max change of the last comparison (scratch),
// [2] vprod, [3] ssq (Irons-Tuck), [4] temporary row for Q >= 3 gathers, [5] column means while
// thresholds are computed, [6] their squared deviations, [7] the column's state (doneOf).
@inline function colAt(k: i32, c: i32): usize { return Lcol + (<usize>(k * COLUMN_BLOCK + c) << 3); }

// Per-column state in colAt(7, c): 0 while the column iterates; once it stops, its sweeps (negated when it
// reached maxIter first) and its coefficients of fixed effects 1..Q-1 are final in X.
@inline function doneOf(c: i32): f64 { return load<f64>(colAt(7, c)); }

/** Freezes the still-iterating columns whose coefficients moved by at most their threshold between a (the
 *  newer iterate) and b: copies their column of a into X and records `sweeps`. Returns how many still iterate. */
function freezeConverged(a: usize, b: usize, C: i32, sweeps: i32): i32 {
  const M = LM;
  for (let c = 0; c < C; c++) store<f64>(colAt(1, c), 0);
  for (let j = 0; j < M; j++) {
    const base = j * C;
    for (let c = 0; c < C; c++) {
      const d = abs<f64>(f64At(a, base + c) - f64At(b, base + c));
      const p = colAt(1, c);
      if (d > load<f64>(p)) store<f64>(p, d);
    }
  }
  let active = 0;
  for (let c = 0; c < C; c++) {
    if (doneOf(c) != 0) continue;
    if (load<f64>(colAt(1, c)) > load<f64>(colAt(0, c))) { active++; continue; }
    freezeColumn(a, c, C, <f64>sweeps);
  }
  return active;
}

/** X's column c = a's; the column stops with `state` (its sweeps; negative when not converged). */
function freezeColumn(a: usize, c: i32, C: i32, state: f64): void {
  const M = LM;
  for (let j = 0; j < M; j++) setF64(LX, j * C + c, f64At(a, j * C + c));
  store<f64>(colAt(7, c), state);
}

/** Iterates sweeps with Irons-Tuck acceleration from zero until every column's coefficients of fixed
 *  effects 1..Q-1 move by at most its threshold (each column frozen when it does, see COLUMNS ARE SWEPT
 *  TOGETHER); leaves every block of coef consistent with the final iterates in X. Per column, the sweeps
 *  used (negated when maxIter was reached first) are in colAt(7, c). */
function solveCoefficients(N: i32, Q: i32, fe: usize, G_Q: usize, w: usize, C: i32, maxIter: i32): void {
  const X = LX;
  const GX = LGX;
  const GGX = LGGX;
  const M = LM;
  const MC = M * C;
  let sweeps = 1;
  for (let c = 0; c < C; c++) store<f64>(colAt(7, c), 0);
  zero(X, MC);
  sweep(N, Q, fe, G_Q, w, X, GX, C);
  while (true) {
    if (freezeConverged(GX, X, C, sweeps) == 0) break;
    if (sweeps >= maxIter) { freezeRest(GX, C, sweeps); break; }
    sweep(N, Q, fe, G_Q, w, GX, GGX, C);
    sweeps++;
    if (freezeConverged(GGX, GX, C, sweeps) == 0) break;
    if (sweeps >= maxIter) { freezeRest(GGX, C, sweeps); break; }
    // Irons-Tuck per column: X <- GGX - (<d1, d2> / <d2, d2>) d1, with d1 = GGX - GX, d2 = GGX - 2 GX + X.
    // Frozen columns keep X; their lanes of the sweeps below are computed and ignored.
    for (let c = 0; c < C; c++) {
      store<f64>(colAt(2, c), 0);
      store<f64>(colAt(3, c), 0);
    }
    for (let j = 0; j < M; j++) {
      const base = j * C;
      for (let c = 0; c < C; c++) {
        const d1 = f64At(GGX, base + c) - f64At(GX, base + c);
        const d2 = d1 - (f64At(GX, base + c) - f64At(X, base + c));
        store<f64>(colAt(2, c), load<f64>(colAt(2, c)) + d1 * d2);
        store<f64>(colAt(3, c), load<f64>(colAt(3, c)) + d2 * d2);
      }
    }
    for (let c = 0; c < C; c++) {
      const ssq = load<f64>(colAt(3, c));
      store<f64>(colAt(2, c), ssq == 0 ? 0 : load<f64>(colAt(2, c)) / ssq);
    }
    for (let j = 0; j < M; j++) {
      const base = j * C;
      for (let c = 0; c < C; c++) {
        if (doneOf(c) != 0) continue;
        const step = load<f64>(colAt(2, c));
        setF64(X, base + c, f64At(GGX, base + c) - step * (f64At(GGX, base + c) - f64At(GX, base + c)));
      }
    }
    sweep(N, Q, fe, G_Q, w, X, GX, C);
    sweeps++;
  }
  // Make fixed effect 0 exactly consistent with the final coefficients of the others.
  copy(Lcoef + (<usize>(LG0 * C) << 3), X, MC);
  zero(Lacc, LG0 * C);
  gatherOthers(N, Q, 0, fe, w, C);
  updateBlock(0, G_Q, C);
}

/** At maxIter: the columns still iterating stop at iterate a, as not converged. */
function freezeRest(a: usize, C: i32, sweeps: i32): void {
  for (let c = 0; c < C; c++) if (doneOf(c) == 0) freezeColumn(a, c, C, -<f64>sweeps);
}

/** Weighted group sums of the block's columns, fixed across sweeps: sx[(off_q + g)][c]; and each column's
 *  threshold tol * s_x with the scale s_x = sd(x) + 1e-6 |mean(x)| (see STOPPING RULE; population sd,
 *  unweighted, from the mean and then the squared deviations). x_NB: the block's first column. */
function blockSumsAndThresholds(N: i32, Q: i32, x_NB: usize, B: i32, fe_NQ: usize, w_N: usize, tol: f64): void {
  const rowBytes = <usize>B << 3;
  const colBytes = <usize>N << 3;
  zero(Lsx, LsumG * B);
  for (let q = 0; q < Q; q++) {
    const feq = fe_NQ + (<usize>q * <usize>N << 2);
    const base = Lsx + <usize>offsetOf(q) * rowBytes;
    if (inRuns(q)) {
      for (let i = 0; i < N; ) {
        const j = runEnd(feq, i, N);
        const row = base + <usize>i32At(feq, i) * rowBytes;
        let c = 0;
        if (ASC_FEATURE_SIMD) {
          for (; c + 1 < B; c += 2) {
            const xc = x_NB + <usize>c * colBytes;
            const cb = <usize>c << 3;
            let s = v128.load(row + cb);
            if (w_N == 0) for (let r = i; r < j; r++) s = f64x2.add(s, pairAt(xc, r, colBytes));
            else for (let r = i; r < j; r++) s = f64x2.add(s, f64x2.mul(f64x2.splat(f64At(w_N, r)), pairAt(xc, r, colBytes)));
            v128.store(row + cb, s);
          }
        }
        for (; c < B; c++) {
          const xc = x_NB + <usize>c * colBytes;
          let s = f64At(row, c);
          if (w_N == 0) for (let r = i; r < j; r++) s += f64At(xc, r);
          else for (let r = i; r < j; r++) s += f64At(w_N, r) * f64At(xc, r);
          setF64(row, c, s);
        }
        i = j;
      }
    } else {
      for (let i = 0; i < N; i++) {
        const row = base + <usize>i32At(feq, i) * rowBytes;
        const xi = x_NB + (<usize>i << 3);
        const wi = w_N == 0 ? 1.0 : f64At(w_N, i);
        let c = 0;
        if (ASC_FEATURE_SIMD) {
          for (; c + 1 < B; c += 2) {
            const cb = <usize>c << 3;
            const v = pairAt(xi + <usize>c * colBytes, 0, colBytes);
            v128.store(row + cb, f64x2.add(v128.load(row + cb), w_N == 0 ? v : f64x2.mul(f64x2.splat(wi), v)));
          }
        }
        for (; c < B; c++) {
          const v = load<f64>(xi + <usize>c * colBytes);
          setF64(row, c, f64At(row, c) + (w_N == 0 ? v : wi * v));
        }
      }
    }
  }
  // The scale's mean and squared deviations are columnMoments' unweighted ones (same sums, same order).
  const mean = colAt(5, 0);
  const ss = colAt(6, 0);
  columnMoments(N, B, x_NB, 0, mean, ss);
  for (let c = 0; c < B; c++) {
    store<f64>(colAt(0, c), tol * (Math.sqrt(f64At(ss, c) / <f64>N) + 1e-6 * abs<f64>(f64At(mean, c))));
  }
}

/** out = x minus every fixed effect's coefficient, for the block's columns. */
function blockResiduals(N: i32, Q: i32, x_NB: usize, y_NB: usize, B: i32, fe_NQ: usize): void {
  const rowBytes = <usize>B << 3;
  const colBytes = <usize>N << 3;
  if (Q == 2) {
    const fe1 = fe_NQ + (<usize>N << 2);
    const c1 = Lcoef + <usize>LG0 * rowBytes;
    for (let i = 0; i < N; i++) {
      const r0 = Lcoef + <usize>i32At(fe_NQ, i) * rowBytes;
      const r1 = c1 + <usize>i32At(fe1, i) * rowBytes;
      const o = <usize>i << 3;
      for (let c = 0; c < B; c++) {
        const at = <usize>c * colBytes + o;
        store<f64>(y_NB + at, load<f64>(x_NB + at) - f64At(r0, c) - f64At(r1, c));
      }
    }
    return;
  }
  for (let i = 0; i < N; i++) {
    const o = <usize>i << 3;
    for (let c = 0; c < B; c++) {
      const at = <usize>c * colBytes + o;
      let v = load<f64>(x_NB + at);
      for (let q = 0; q < Q; q++) {
        v -= f64At(Lcoef + <usize>(offsetOf(q) + i32At(fe_NQ + (<usize>q * <usize>N << 2), i)) * rowBytes, c);
      }
      store<f64>(y_NB + at, v);
    }
  }
}

/** Solves the fixed effects' normal equations D'WD c = rhs_G for a given right-hand side (sumG entries,
 *  block by block): D'Wx gives the coefficients of x's fixed-effect fit; other right-hand sides serve the
 *  two-stage DID variance. Stops when a sweep moves no coefficient by more than `threshold` (absolute).
 *  The system is singular with several fixed effects; any solution is returned (fitted values D c are
 *  unique within connected groups). Returns sweeps used, negated if maxIter was reached. */
export function fixefSolve(N: i32, Q: i32, fe_NQ: usize, G_Q: usize, w_N: usize, rhs_G: usize, threshold: f64,
                           maxIter: i32, scratch: usize, scratchLen: i32, coef_G: usize): i32 {
  prepare(N, Q, fe_NQ, G_Q, w_N, scratch, scratchLen, 1);
  copy(Lsx, rhs_G, LsumG);
  store<f64>(colAt(0, 0), threshold);
  let sweeps = 1;
  if (Q == 1) {
    for (let g = 0; g < LsumG; g++) setF64(Lcoef, g, f64At(Lsx, g) / f64At(Lwsum, g));
  } else {
    solveCoefficients(N, Q, fe_NQ, G_Q, w_N, 1, maxIter);
    sweeps = <i32>doneOf(0);
  }
  copy(coef_G, Lcoef, LsumG);
  return sweeps;
}

export function demean(N: i32, C: i32, Q: i32, in_NC: usize, out_NC: usize, fe_NQ: usize, G_Q: usize,
                       w_N: usize, tol: f64, maxIter: i32, scratch: usize, scratchLen: i32, iter_C: usize): i32 {
  const B = prepare(N, Q, fe_NQ, G_Q, w_N, scratch, scratchLen, C);
  let failed = 0;
  for (let c0 = 0; c0 < C; c0 += B) {
    const nb = min<i32>(B, C - c0);
    blockSumsAndThresholds(N, Q, in_NC + (<usize>c0 * <usize>N << 3), nb, fe_NQ, w_N, tol);

    if (Q == 1) {
      for (let g = 0; g < LG0; g++) {
        const inv = f64At(Lwsum, g);
        for (let c = 0; c < nb; c++) setF64(Lcoef, g * nb + c, f64At(Lsx, g * nb + c) / inv);
      }
    } else {
      solveCoefficients(N, Q, fe_NQ, G_Q, w_N, nb, maxIter);
    }
    blockResiduals(N, Q, in_NC + (<usize>c0 * <usize>N << 3), out_NC + (<usize>c0 * <usize>N << 3), nb, fe_NQ);
    for (let c = 0; c < nb; c++) {
      const sweeps = Q == 1 ? 1 : <i32>doneOf(c); // negative: not converged
      store<i32>(iter_C + (<usize>(c0 + c) << 2), sweeps);
      if (sweeps < 0) failed++;
    }
  }
  return failed;
}

/** demeanBalanced for rows stored in panel order, which needs no ids: row i is cell (i / inner, i mod inner)
 *  with the units outer (unitOuter = 1: unit by unit, the periods in the same order within each) or the
 *  periods outer (0). It adds the same numbers in the same order as demeanBalanced over the ids that order
 *  implies (each group's sum row by row from 0), so it gives the same bits, reading no ids: half the memory
 *  traffic. scratch: U + T doubles. */
export function demeanPanelOrder(N: i32, C: i32, in_NC: usize, out_NC: usize, U: i32, T: i32, unitOuter: i32, scratch: usize): void {
  const su = scratch;
  const st = scratch + (<usize>U << 3);
  const outerN = unitOuter ? U : T;
  const innerN = unitOuter ? T : U;
  const so = unitOuter ? su : st;
  const si = unitOuter ? st : su;
  const invT = 1.0 / <f64>T;
  const invU = 1.0 / <f64>U;
  // an outer group's mean divides its sum by the inner count, and the other way round
  const invOuter = unitOuter ? invT : invU;
  const invInner = unitOuter ? invU : invT;
  for (let c = 0; c < C; c++) {
    const x = in_NC + (<usize>c * <usize>N << 3);
    const y = out_NC + (<usize>c * <usize>N << 3);
    zero(si, innerN);
    let total: f64 = 0;
    let i = 0;
    for (let o = 0; o < outerN; o++) {
      let sumOuter: f64 = 0;
      for (let k = 0; k < innerN; k++) {
        const v = f64At(x, i++);
        sumOuter += v;
        const p = si + (<usize>k << 3);
        store<f64>(p, load<f64>(p) + v);
        total += v;
      }
      setF64(so, o, sumOuter);
    }
    const mean = total / <f64>N;
    i = 0;
    for (let o = 0; o < outerN; o++) {
      const mo = f64At(so, o) * invOuter;
      // x - unit mean - period mean + mean, in that order whichever is outer
      if (unitOuter) {
        for (let k = 0; k < innerN; k++, i++) setF64(y, i, f64At(x, i) - mo - f64At(si, k) * invInner + mean);
      } else {
        for (let k = 0; k < innerN; k++, i++) setF64(y, i, f64At(x, i) - f64At(si, k) * invInner - mo + mean);
      }
    }
  }
}

/** Two-way demeaning in closed form for a balanced panel (every unit observed once in every period,
 *  unweighted): x - mean_unit - mean_period + mean. Exact, one pass to sum and one to subtract.
 *  unit_N, time_N: i32 ids 0..U-1 and 0..T-1; scratch: U + T doubles. */
export function demeanBalanced(N: i32, C: i32, in_NC: usize, out_NC: usize, unit_N: usize, time_N: usize, U: i32, T: i32,
                               scratch: usize): void {
  const su = scratch;
  const st = scratch + (<usize>U << 3);
  for (let c = 0; c < C; c++) {
    const x = in_NC + (<usize>c * <usize>N << 3);
    const y = out_NC + (<usize>c * <usize>N << 3);
    zero(su, U);
    zero(st, T);
    let total: f64 = 0;
    for (let i = 0; i < N; i++) {
      const v = f64At(x, i);
      const pu = su + (<usize>i32At(unit_N, i) << 3);
      const pt = st + (<usize>i32At(time_N, i) << 3);
      store<f64>(pu, load<f64>(pu) + v);
      store<f64>(pt, load<f64>(pt) + v);
      total += v;
    }
    const mean = total / <f64>N;
    const invT = 1.0 / <f64>T;
    const invU = 1.0 / <f64>U;
    for (let i = 0; i < N; i++) {
      const mu = f64At(su, i32At(unit_N, i)) * invT;
      const mt = f64At(st, i32At(time_N, i)) * invU;
      setF64(y, i, f64At(x, i) - mu - mt + mean);
    }
  }
}
