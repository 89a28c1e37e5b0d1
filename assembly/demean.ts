// Fixed-effects demeaning by alternating projections.
//
// WHY IT WORKS. Regressing a column x on Q sets of group dummies and keeping the residual is what
// absorbing Q fixed effects means (Frisch-Waugh-Lovell). The dummy regression's normal equations say:
// the coefficient of group g of fixed effect q is the weighted mean, over the rows of g, of x minus the
// other fixed effects' coefficients. Solving them one fixed effect at a time (Gauss-Seidel; for residuals
// this is the method of alternating projections) converges to the exact residual. We iterate on the
// coefficients (a vector of sum(G_q) numbers), not on the N-vector of residuals: one sweep maps the
// coefficients of fixed effects 1..Q-1 to new ones (fixed effect 0 follows from them), and every second
// sweep Irons-Tuck extrapolation jumps along the direction the iterates move in, which is what makes
// weakly connected panels converge in tens rather than thousands of sweeps (fixest does the same).
// With one fixed effect the answer is a single pass of group means. With two fixed effects the sweep
// is unrolled by hand (the common case: unit and time).
//
// STOPPING RULE (tol). A column stops when one sweep changes no fixed-effect coefficient by more than
// tol * s_x, where s_x = sd(x) + 1e-6 * |mean(x)| is the column's scale (population sd; the small
// multiple of the mean keeps the threshold above rounding noise for constant columns, whose sd is 0).
// The rule is invariant to rescaling x. Default tol (set by the host) is 1e-8.
//
// CONVENTION (buffer names carry their length, as in fixest's demeaning.cpp)
//   N rows, C columns, Q fixed effects, G_q groups in fixed effect q, sumG = sum of G_q, M = sumG - G_0.
//   in_NC, out_NC : f64 [C][N] column-major (column c starts at c*N). out_NC may alias in_NC.
//   fe_NQ         : i32 [Q][N] group of row i in fixed effect q, dense ids 0..G_q-1, every id used.
//   G_Q           : i32 [Q] group counts.
//   w_N           : f64 [N] analytic weights (all > 0), or 0 when unweighted.
//   scratch       : f64 [DEMEAN_SCRATCH_PER_GROUP * sumG] work space, see layout below.
//   iter_C        : i32 [C] out: sweeps used for each column; negative (-sweeps) when not converged.
// Returns the number of columns that did not converge within maxIter sweeps.

/** Doubles of scratch the host must pass per group (sumG of them). */
export const DEMEAN_SCRATCH_PER_GROUP: i32 = 7;

// Scratch layout, in doubles: wsum[sumG] sx[sumG] coef[sumG] acc[maxG<=sumG] X[M] GX[M] GGX[M], then Q i32
// block offsets; 3*sumG + maxG + 3M + Q/2 <= 7*sumG because every G_q >= 1.

@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function setF64(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

function zero(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 3);
}

function copy(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 3);
}

/** acc[g] (g in fixed effect q) = sum over rows of group g of w_i * (other fixed effects' coefficients). */
function gatherOthers(N: i32, Q: i32, q: i32, fe: usize, off: usize, w: usize, coef: usize, acc: usize, Gq: i32): void {
  zero(acc, Gq);
  const feq = fe + (<usize>q * <usize>N << 2);
  if (Q == 2) {
    // Unrolled: the other fixed effect is 1 - q.
    const other = 1 - q;
    const feo = fe + (<usize>other * <usize>N << 2);
    const co = coef + (<usize>i32At(off, other) << 3);
    if (w == 0) {
      for (let i = 0; i < N; i++) {
        const p = acc + (<usize>i32At(feq, i) << 3);
        store<f64>(p, load<f64>(p) + f64At(co, i32At(feo, i)));
      }
    } else {
      for (let i = 0; i < N; i++) {
        const p = acc + (<usize>i32At(feq, i) << 3);
        store<f64>(p, load<f64>(p) + f64At(w, i) * f64At(co, i32At(feo, i)));
      }
    }
    return;
  }
  for (let i = 0; i < N; i++) {
    let s: f64 = 0;
    for (let r = 0; r < Q; r++) {
      if (r == q) continue;
      s += f64At(coef, i32At(off, r) + i32At(fe + (<usize>r * <usize>N << 2), i));
    }
    const p = acc + (<usize>i32At(feq, i) << 3);
    store<f64>(p, load<f64>(p) + (w == 0 ? s : f64At(w, i) * s));
  }
}

/** Solves fixed effect q's normal equations given the others: coef_q = (sx_q - acc) / wsum_q. */
function updateBlock(q: i32, G: usize, off: usize, sx: usize, wsum: usize, coef: usize, acc: usize): void {
  const o = i32At(off, q);
  const Gq = i32At(G, q);
  for (let g = 0; g < Gq; g++) {
    setF64(coef, o + g, (f64At(sx, o + g) - f64At(acc, g)) / f64At(wsum, o + g));
  }
}

/** One Gauss-Seidel sweep: X (coefficients of fixed effects 1..Q-1) -> out; coef holds all blocks after. */
function sweep(N: i32, Q: i32, fe: usize, G: usize, off: usize, w: usize, sx: usize, wsum: usize,
               coef: usize, acc: usize, X: usize, out: usize, G0: i32, M: i32): void {
  copy(coef + (<usize>G0 << 3), X, M);
  for (let q = 0; q < Q; q++) {
    gatherOthers(N, Q, q, fe, off, w, coef, acc, i32At(G, q));
    updateBlock(q, G, off, sx, wsum, coef, acc);
  }
  copy(out, coef + (<usize>G0 << 3), M);
}

function maxAbsDiff(a: usize, b: usize, n: i32): f64 {
  let m: f64 = 0;
  for (let j = 0; j < n; j++) {
    const d = abs<f64>(f64At(a, j) - f64At(b, j));
    if (d > m) m = d;
  }
  return m;
}

/** Column scale s_x = sd(x) + 1e-6 |mean(x)| (see STOPPING RULE). */
function columnScale(x: usize, N: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < N; i++) s += f64At(x, i);
  const mean = s / <f64>N;
  let ss: f64 = 0;
  for (let i = 0; i < N; i++) {
    const d = f64At(x, i) - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / <f64>N) + 1e-6 * abs<f64>(mean);
}

/** Iterates sweeps with Irons-Tuck acceleration from zero until no coefficient of fixed effects 1..Q-1
 *  moves by more than `threshold`; leaves every block of coef consistent with the final iterate.
 *  Returns the sweeps used, negated when maxIter was reached first. */
function solveCoefficients(N: i32, Q: i32, fe_NQ: usize, G_Q: usize, w_N: usize, threshold: f64, maxIter: i32): i32 {
  // Locals for the layout globals (see prepare): the hot loops below take them as arguments.
  const off = layoutOff, sx = layoutSx, wsum = layoutWsum, coef = layoutCoef, acc = layoutAcc;
  const X = layoutX, GX = layoutGX, GGX = layoutGGX, G0 = layoutG0, M = layoutM;
  let sweeps = 1;
  let converged = false;
  zero(X, M);
  sweep(N, Q, fe_NQ, G_Q, off, w_N, sx, wsum, coef, acc, X, GX, G0, M);
  while (true) {
    if (maxAbsDiff(GX, X, M) <= threshold) { copy(X, GX, M); converged = true; break; }
    if (sweeps >= maxIter) { copy(X, GX, M); break; }
    sweep(N, Q, fe_NQ, G_Q, off, w_N, sx, wsum, coef, acc, GX, GGX, G0, M);
    sweeps++;
    if (maxAbsDiff(GGX, GX, M) <= threshold) { copy(X, GGX, M); converged = true; break; }
    if (sweeps >= maxIter) { copy(X, GGX, M); break; }
    // Irons-Tuck: X <- GGX - (<d1, d2> / <d2, d2>) d1, with d1 = GGX - GX, d2 = GGX - 2 GX + X.
    let vprod: f64 = 0;
    let ssq: f64 = 0;
    for (let j = 0; j < M; j++) {
      const d1 = f64At(GGX, j) - f64At(GX, j);
      const d2 = d1 - (f64At(GX, j) - f64At(X, j));
      vprod += d1 * d2;
      ssq += d2 * d2;
    }
    if (ssq == 0) { copy(X, GGX, M); converged = true; break; }
    const step = vprod / ssq;
    for (let j = 0; j < M; j++) setF64(X, j, f64At(GGX, j) - step * (f64At(GGX, j) - f64At(GX, j)));
    sweep(N, Q, fe_NQ, G_Q, off, w_N, sx, wsum, coef, acc, X, GX, G0, M);
    sweeps++;
  }
  // Make fixed effect 0 exactly consistent with the final coefficients of the others.
  copy(coef + (<usize>G0 << 3), X, M);
  gatherOthers(N, Q, 0, fe_NQ, off, w_N, coef, acc, G0);
  updateBlock(0, G_Q, off, sx, wsum, coef, acc);
  return converged ? sweeps : -sweeps;
}

// The scratch layout of the current call, set by prepare(). Kernels run one at a time per instance.
let layoutSumG = 0;
let layoutG0 = 0;
let layoutM = 0;
let layoutWsum: usize = 0;
let layoutSx: usize = 0;
let layoutCoef: usize = 0;
let layoutAcc: usize = 0;
let layoutX: usize = 0;
let layoutGX: usize = 0;
let layoutGGX: usize = 0;
let layoutOff: usize = 0;

/** Lays out the scratch (see the layout comment), writes block offsets and the weight of every group. */
function prepare(N: i32, Q: i32, fe_NQ: usize, G_Q: usize, w_N: usize, scratch: usize): void {
  let sumG = 0;
  let maxG = 0;
  for (let q = 0; q < Q; q++) {
    const g = i32At(G_Q, q);
    sumG += g;
    if (g > maxG) maxG = g;
  }
  const M = sumG - i32At(G_Q, 0);
  layoutSumG = sumG;
  layoutG0 = i32At(G_Q, 0);
  layoutM = M;
  layoutWsum = scratch;
  layoutSx = layoutWsum + (<usize>sumG << 3);
  layoutCoef = layoutSx + (<usize>sumG << 3);
  layoutAcc = layoutCoef + (<usize>sumG << 3);
  layoutX = layoutAcc + (<usize>maxG << 3);
  layoutGX = layoutX + (<usize>M << 3);
  layoutGGX = layoutGX + (<usize>M << 3);
  layoutOff = layoutGGX + (<usize>M << 3);
  const off = layoutOff;
  let o = 0;
  for (let q = 0; q < Q; q++) {
    store<i32>(off + (<usize>q << 2), o);
    o += i32At(G_Q, q);
  }
  const wsum = layoutWsum;
  zero(wsum, sumG);
  for (let q = 0; q < Q; q++) {
    const feq = fe_NQ + (<usize>q * <usize>N << 2);
    const base = wsum + (<usize>i32At(off, q) << 3);
    for (let i = 0; i < N; i++) {
      const p = base + (<usize>i32At(feq, i) << 3);
      store<f64>(p, load<f64>(p) + (w_N == 0 ? 1.0 : f64At(w_N, i)));
    }
  }
}

/** Solves the fixed effects' normal equations D'WD c = rhs_G for a given right-hand side (sumG entries,
 *  block by block): D'Wx gives the coefficients of x's fixed-effect fit; other right-hand sides serve the
 *  two-stage DID variance. Stops when a sweep moves no coefficient by more than `threshold` (absolute).
 *  The system is singular with several fixed effects; any solution is returned (fitted values D c are
 *  unique within connected groups). Returns sweeps used, negated if maxIter was reached. */
export function fixefSolve(N: i32, Q: i32, fe_NQ: usize, G_Q: usize, w_N: usize, rhs_G: usize, threshold: f64,
                           maxIter: i32, scratch: usize, coef_G: usize): i32 {
  prepare(N, Q, fe_NQ, G_Q, w_N, scratch);
  const sumG = layoutSumG;
  copy(layoutSx, rhs_G, sumG);
  let sweeps = 1;
  if (Q == 1) {
    for (let g = 0; g < sumG; g++) setF64(layoutCoef, g, f64At(layoutSx, g) / f64At(layoutWsum, g));
  } else {
    sweeps = solveCoefficients(N, Q, fe_NQ, G_Q, w_N, threshold, maxIter);
  }
  copy(coef_G, layoutCoef, sumG);
  return sweeps;
}

export function demean(N: i32, C: i32, Q: i32, in_NC: usize, out_NC: usize, fe_NQ: usize, G_Q: usize,
                       w_N: usize, tol: f64, maxIter: i32, scratch: usize, iter_C: usize): i32 {
  prepare(N, Q, fe_NQ, G_Q, w_N, scratch);
  const sumG = layoutSumG, G0 = layoutG0, off = layoutOff, sx = layoutSx, wsum = layoutWsum, coef = layoutCoef;

  let failed = 0;
  for (let c = 0; c < C; c++) {
    const x = in_NC + (<usize>c * <usize>N << 3);
    const y = out_NC + (<usize>c * <usize>N << 3);

    // Weighted group sums of x, fixed across sweeps.
    zero(sx, sumG);
    for (let q = 0; q < Q; q++) {
      const feq = fe_NQ + (<usize>q * <usize>N << 2);
      const base = sx + (<usize>i32At(off, q) << 3);
      if (w_N == 0) {
        for (let i = 0; i < N; i++) {
          const p = base + (<usize>i32At(feq, i) << 3);
          store<f64>(p, load<f64>(p) + f64At(x, i));
        }
      } else {
        for (let i = 0; i < N; i++) {
          const p = base + (<usize>i32At(feq, i) << 3);
          store<f64>(p, load<f64>(p) + f64At(w_N, i) * f64At(x, i));
        }
      }
    }

    let sweeps = 1;
    if (Q == 1) {
      for (let g = 0; g < G0; g++) setF64(coef, g, f64At(sx, g) / f64At(wsum, g));
    } else {
      sweeps = solveCoefficients(N, Q, fe_NQ, G_Q, w_N, tol * columnScale(x, N), maxIter);
    }
    const converged = sweeps > 0;
    if (!converged) sweeps = -sweeps;

    // Residual: x minus every fixed effect's coefficient.
    if (Q == 2) {
      const fe1 = fe_NQ + (<usize>N << 2);
      const c1 = coef + (<usize>G0 << 3);
      for (let i = 0; i < N; i++) {
        setF64(y, i, f64At(x, i) - f64At(coef, i32At(fe_NQ, i)) - f64At(c1, i32At(fe1, i)));
      }
    } else {
      for (let i = 0; i < N; i++) {
        let v = f64At(x, i);
        for (let q = 0; q < Q; q++) {
          v -= f64At(coef, i32At(off, q) + i32At(fe_NQ + (<usize>q * <usize>N << 2), i));
        }
        setF64(y, i, v);
      }
    }
    store<i32>(iter_C + (<usize>c << 2), converged ? sweeps : -sweeps);
    if (!converged) failed++;
  }
  return failed;
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
