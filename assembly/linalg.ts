// Dense normal-equation algebra: crossproducts, an in-order Cholesky factorisation that drops collinear
// columns, solves and the inverse.
//
// CONVENTION
//   X_NK   : f64 [K][N] column-major design (column k starts at k*N).
//   w_N    : f64 [N] weights, or 0 for none.
//   A_KK   : f64 [K][K] symmetric, row-major (A[j][k] at j*K + k), both triangles filled.
//   L_KK   : f64 [K][K] lower-triangular Cholesky factor, row-major; rows of dropped columns are zero.
//   keep_K : i32 [K] 1 = column in the model, 0 = dropped (as input: columns the host already excluded).
import { dotTwoLane, dotWeightedTwoLane, pairAt } from "./dot";

/** Rows per block: a block of K columns stays in L1 cache while all K(K+1)/2 products are formed. */
export const CROSSPROD_BLOCK: i32 = 512;

@inline function at(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function flag(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

/** out_KK = X' diag(w) X. Blocks of CROSSPROD_BLOCK rows, each block's sum in canonical two-lane order,
 *  added to the total block by block. */
export function crossprod(N: i32, K: i32, X_NK: usize, w_N: usize, out_KK: usize): void {
  memory.fill(out_KK, 0, <usize>K * <usize>K << 3);
  for (let b0 = 0; b0 < N; b0 += CROSSPROD_BLOCK) {
    const len = min<i32>(CROSSPROD_BLOCK, N - b0);
    const rowOffset = <usize>b0 << 3;
    for (let j = 0; j < K; j++) {
      const xj = X_NK + (<usize>j * <usize>N << 3) + rowOffset;
      for (let k = 0; k <= j; k++) {
        const xk = X_NK + (<usize>k * <usize>N << 3) + rowOffset;
        const s = w_N == 0 ? dotTwoLane(xj, xk, len) : dotWeightedTwoLane(xj, xk, w_N + rowOffset, len);
        put(out_KK, j * K + k, at(out_KK, j * K + k) + s);
      }
    }
  }
  for (let j = 0; j < K; j++) for (let k = 0; k < j; k++) put(out_KK, k * K + j, at(out_KK, j * K + k));
}

/** Cholesky A = L L' taken column by column in the given order. Column j is dropped (keep_K[j] = 0) when
 *  its squared distance from the span of the kept earlier columns, d_j, is at most tol * A[j][j]: that
 *  is, when regressing it on them leaves 1 - R^2 <= tol. Returns the number of kept columns. */
export function cholesky(K: i32, A_KK: usize, L_KK: usize, keep_K: usize, tol: f64): i32 {
  memory.fill(L_KK, 0, <usize>K * <usize>K << 3);
  let rank = 0;
  for (let j = 0; j < K; j++) {
    if (flag(keep_K, j) == 0) continue;
    const ajj = at(A_KK, j * K + j);
    let d = ajj;
    for (let k = 0; k < j; k++) {
      const l = at(L_KK, j * K + k);
      d -= l * l;
    }
    if (!(ajj > 0) || !(d > tol * ajj)) {
      store<i32>(keep_K + (<usize>j << 2), 0);
      for (let k = 0; k < j; k++) put(L_KK, j * K + k, 0);
      continue;
    }
    const ljj = Math.sqrt(d);
    put(L_KK, j * K + j, ljj);
    rank++;
    for (let i = j + 1; i < K; i++) {
      if (flag(keep_K, i) == 0) continue;
      let s = at(A_KK, i * K + j);
      for (let k = 0; k < j; k++) s -= at(L_KK, i * K + k) * at(L_KK, j * K + k);
      put(L_KK, i * K + j, s / ljj);
    }
  }
  return rank;
}

/** Solves (L L') x = b on the kept columns; x is 0 at dropped columns. */
export function cholSolve(K: i32, L_KK: usize, keep_K: usize, b_K: usize, x_K: usize): void {
  for (let j = 0; j < K; j++) {
    if (flag(keep_K, j) == 0) { put(x_K, j, 0); continue; }
    let s = at(b_K, j);
    for (let k = 0; k < j; k++) s -= at(L_KK, j * K + k) * at(x_K, k);
    put(x_K, j, s / at(L_KK, j * K + j));
  }
  for (let j = K - 1; j >= 0; j--) {
    if (flag(keep_K, j) == 0) continue;
    let s = at(x_K, j);
    for (let k = j + 1; k < K; k++) s -= at(L_KK, k * K + j) * at(x_K, k);
    put(x_K, j, s / at(L_KK, j * K + j));
  }
}

/** inv_KK = (L L')^-1 on the kept columns; rows and columns of dropped columns are 0. Uses work_K. */
export function cholInverse(K: i32, L_KK: usize, keep_K: usize, inv_KK: usize, work_K: usize): void {
  for (let c = 0; c < K; c++) {
    for (let j = 0; j < K; j++) put(work_K, j, j == c ? 1.0 : 0.0);
    if (flag(keep_K, c) == 0) {
      for (let j = 0; j < K; j++) put(inv_KK, j * K + c, 0);
      continue;
    }
    cholSolve(K, L_KK, keep_K, work_K, work_K);
    for (let j = 0; j < K; j++) put(inv_KK, j * K + c, at(work_K, j));
  }
}

/** out_AB = A' diag(w) B for A (N x Ka) and B (N x Kb), column-major; out row-major Ka x Kb. Each entry is
 *  one canonical two-lane dot product over all N rows (no row blocks: B is usually many columns). */
export function crossprodAB(N: i32, Ka: i32, A_NK: usize, Kb: i32, B_NK: usize, w_N: usize, out_AB: usize): void {
  for (let a = 0; a < Ka; a++) {
    const xa = A_NK + (<usize>a * <usize>N << 3);
    for (let b = 0; b < Kb; b++) {
      const xb = B_NK + (<usize>b * <usize>N << 3);
      put(out_AB, a * Kb + b, w_N == 0 ? dotTwoLane(xa, xb, N) : dotWeightedTwoLane(xa, xb, w_N, N));
    }
  }
}

/** Weighted means and centred sums of squares of C columns: mean_c = sum w x / sum w,
 *  ss_c = sum w (x - mean_c)^2 (two passes for accuracy). w_N = 0: unweighted. Every sum runs over the
 *  rows in order, column by column; the SIMD build carries four columns at once, one per vector lane
 *  (two vectors: independent chains), which performs exactly the same additions. */
export function columnMoments(N: i32, C: i32, X_NC: usize, w_N: usize, mean_C: usize, ss_C: usize): void {
  let sw: f64 = 0;
  if (w_N == 0) sw = <f64>N;
  else for (let i = 0; i < N; i++) sw += at(w_N, i);
  const colBytes = <usize>N << 3;
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 3 < C; c += 4) momentsOfFour(N, X_NC + <usize>c * colBytes, colBytes, w_N, sw, mean_C + (<usize>c << 3), ss_C + (<usize>c << 3));
  }
  for (; c < C; c++) {
    const x = X_NC + <usize>c * colBytes;
    let s: f64 = 0;
    if (w_N == 0) for (let i = 0; i < N; i++) s += at(x, i);
    else for (let i = 0; i < N; i++) s += at(w_N, i) * at(x, i);
    const m = s / sw;
    let ss: f64 = 0;
    if (w_N == 0) {
      for (let i = 0; i < N; i++) {
        const d = at(x, i) - m;
        ss += d * d;
      }
    } else {
      for (let i = 0; i < N; i++) {
        const d = at(x, i) - m;
        ss += at(w_N, i) * d * d;
      }
    }
    put(mean_C, c, m);
    put(ss_C, c, ss);
  }
}

/** columnMoments of the four columns starting at x (SIMD build only): lanes are columns. */
function momentsOfFour(N: i32, x: usize, colBytes: usize, w_N: usize, sw: f64, mean4: usize, ss4: usize): void {
  const x2 = x + 2 * colBytes;
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  if (w_N == 0) {
    for (let i = 0; i < N; i++) {
      s0 = f64x2.add(s0, pairAt(x, i, colBytes));
      s1 = f64x2.add(s1, pairAt(x2, i, colBytes));
    }
  } else {
    for (let i = 0; i < N; i++) {
      const wv = f64x2.splat(at(w_N, i));
      s0 = f64x2.add(s0, f64x2.mul(wv, pairAt(x, i, colBytes)));
      s1 = f64x2.add(s1, f64x2.mul(wv, pairAt(x2, i, colBytes)));
    }
  }
  const swv = f64x2.splat(sw);
  const m0 = f64x2.div(s0, swv);
  const m1 = f64x2.div(s1, swv);
  let q0 = f64x2.splat(0);
  let q1 = f64x2.splat(0);
  if (w_N == 0) {
    for (let i = 0; i < N; i++) {
      const d0 = f64x2.sub(pairAt(x, i, colBytes), m0);
      const d1 = f64x2.sub(pairAt(x2, i, colBytes), m1);
      q0 = f64x2.add(q0, f64x2.mul(d0, d0));
      q1 = f64x2.add(q1, f64x2.mul(d1, d1));
    }
  } else {
    for (let i = 0; i < N; i++) {
      const wv = f64x2.splat(at(w_N, i));
      const d0 = f64x2.sub(pairAt(x, i, colBytes), m0);
      const d1 = f64x2.sub(pairAt(x2, i, colBytes), m1);
      q0 = f64x2.add(q0, f64x2.mul(f64x2.mul(wv, d0), d0));
      q1 = f64x2.add(q1, f64x2.mul(f64x2.mul(wv, d1), d1));
    }
  }
  v128.store(mean4, m0);
  v128.store(mean4, m1, 16);
  v128.store(ss4, q0);
  v128.store(ss4, q1, 16);
}

/** e_N = y_N - X_NK b_K (column by column, in order k = 0..K-1). */
export function residuals(N: i32, K: i32, X_NK: usize, b_K: usize, y_N: usize, e_N: usize): void {
  memory.copy(e_N, y_N, <usize>N << 3);
  for (let k = 0; k < K; k++) {
    const b = at(b_K, k);
    const xk = X_NK + (<usize>k * <usize>N << 3);
    if (ASC_FEATURE_SIMD) {
      const bv = f64x2.splat(b);
      let i = 0;
      for (; i + 1 < N; i += 2) {
        const o = <usize>i << 3;
        v128.store(e_N + o, f64x2.sub(v128.load(e_N + o), f64x2.mul(v128.load(xk + o), bv)));
      }
      if (i < N) put(e_N, i, at(e_N, i) - at(xk, i) * b);
    } else {
      for (let i = 0; i < N; i++) put(e_N, i, at(e_N, i) - at(xk, i) * b);
    }
  }
}

/** Products against a block of P one-hot indicator columns with disjoint supports (row i belongs to
 *  column code_N[i], or to none when -1): out_CP[c][p] = sum over rows with code p of w_i A[c][i].
 *  Because demeaning is a W-orthogonal projection, X~' W X~ = X~' W X, so the crossproduct of demeaned
 *  columns with demeaned indicators needs only the indicators' raw 0/1 values: O(N C), not O(N C P).
 *  Rows are added in increasing order. */
export function crossprodIndicators(N: i32, C: i32, A_NC: usize, w_N: usize, code_N: usize, P: i32, out_CP: usize): void {
  memory.fill(out_CP, 0, <usize>C * <usize>P << 3);
  for (let c = 0; c < C; c++) {
    const a = A_NC + (<usize>c * <usize>N << 3);
    const o = out_CP + (<usize>c * <usize>P << 3);
    for (let i = 0; i < N; i++) {
      const k = load<i32>(code_N + (<usize>i << 2));
      if (k < 0) continue;
      const p = o + (<usize>k << 3);
      store<f64>(p, load<f64>(p) + (w_N == 0 ? at(a, i) : at(w_N, i) * at(a, i)));
    }
  }
}
