// The meat of did2s's GMM variance, sum_c W_c W_c', built from cluster-level sums without forming the
// n x K2 score matrix:
//   W_c,j = sum_{i in c} w_i x2_ij u2_i  -  sum_{i in c, untreated} w_i f_ij u1_i,
//   f_ij  = x1_i' h_j,   h_j = (X10'WX10)^-1 X1'W x2_j   (x1 = [unit and period dummies, controls]).
// Partitioning h_j into fixed effects (hD) and controls (hX) with A = D0'WD0, B = D0'WX0:
//   a   = A^-1 D'W x2_j                                   (one fixed-effect solve; or, B'a being
//                                                          (A^-1 B)'D'W x2_j, one for the K1 columns of B)
//   hX  = (X-check'WX-check)^-1 (X'W x2_j - B'a)          (B'a from group sums of the controls)
//   hD  = A^-1 (D'W x2_j - B hX)                          (a second solve)
// so f_ij = hD[unit_i] + hD[period_i] + sum_p X_ip hX_p, and its cluster sums weighted by w u1 split into
// a pass over the untreated rows for the dummies and precomputed sums Q_cp = sum w u1 X_p for the controls.
// Every row is touched a constant number of times per coefficient, with no K1 factor.
import type { TwoWayFixef, TwoWayEncoding } from "./two-way-fixef.js";
import { freshF64 } from "../../engine/fresh-arrays.js";

export interface GmmMeatInput {
  readonly n: number;
  /** Weights per row, or null when unweighted. */
  readonly w: Float64Array | null;
  /** Positions of the first-stage (untreated) rows. */
  readonly untreated: Int32Array;
  readonly enc: TwoWayEncoding;
  readonly solver: TwoWayFixef;
  /** Kept controls, every row. */
  readonly X: readonly Float64Array[];
  /** B = D0'W X0: the kept controls' weighted group sums over the untreated rows, group-major (sumG x K1). */
  readonly B: Float64Array;
  /** (X-check'WX-check)^-1 on the untreated rows, K1 x K1 (null without controls). */
  readonly XcInv: Float64Array | null;
  /** First-stage residuals (read on untreated rows) and second-stage residuals, every row (u2: every row
   *  of `codeRows` when given). */
  readonly u1: Float64Array;
  readonly u2: Float64Array;
  /** Number of second-stage regressors; their columns (unused, may be empty) when `code` is null, else
   *  the one-hot code of the indicators (row -> column, -1: none). */
  readonly K2: number;
  readonly x2: readonly Float64Array[];
  readonly code: Int32Array | null;
  /** With `code`: the value of each row's indicator (default 1). The imputation estimator's targets are
   *  weights on treated rows (one target per row), not 0/1 dummies. */
  readonly codeValue?: Float64Array | null;
  /** With `code`: the rows (increasing) that code, codeValue and u2 describe, one entry each; default every
   *  row. The imputation's targets lie on the treated rows only. */
  readonly codeRows?: Int32Array | null;
  readonly cluster: Int32Array;
  readonly G: number;
}

/** K2 x K2 meat sum_c W_c W_c' (row-major). */
export function gmmMeat(o: GmmMeatInput): Float64Array {
  const { n, w, untreated, enc, X, x2, code, cluster, G, K2 } = o;
  const K1 = X.length;
  const U = enc.units;
  const sumG = U + enc.periods;
  const nU = untreated.length;

  // W starts as the second-stage part, sum_{i in c} w x2_j u2; D'W x2_j (group-major, bD[g * K2 + j]) and
  // X'W x2_j (bX[p * K2 + j]) alongside.
  const W = freshF64(G * K2);
  const bD = freshF64(sumG * K2);
  const bX = new Float64Array(K1 * K2);
  const u2 = o.u2;
  const codeValue = o.codeValue ?? null;
  if (code) {
    const codeRows = o.codeRows ?? null;
    const m = codeRows ? codeRows.length : n;
    for (let k = 0; k < m; k++) {
      const j = code[k];
      if (j < 0) continue;
      const i = codeRows ? codeRows[k] : k;
      const wi = codeValue ? (w ? w[i] * codeValue[k] : codeValue[k]) : w ? w[i] : 1;
      W[cluster[i] * K2 + j] += wi * u2[k];
      bD[enc.unitId[i] * K2 + j] += wi;
      bD[(U + enc.timeId[i]) * K2 + j] += wi;
      for (let p = 0; p < K1; p++) bX[p * K2 + j] += wi * X[p][i];
    }
  } else {
    for (let j = 0; j < K2; j++) {
      const x = x2[j];
      for (let i = 0; i < n; i++) {
        const v = w ? w[i] * x[i] : x[i];
        if (v === 0) continue;
        W[cluster[i] * K2 + j] += v * u2[i];
        bD[enc.unitId[i] * K2 + j] += v;
        bD[(U + enc.timeId[i]) * K2 + j] += v;
        for (let p = 0; p < K1; p++) bX[p * K2 + j] += v * X[p][i];
      }
    }
  }

  // Over the untreated rows: Q_cp = sum_{i in c} w u1 X_p (G x K1). The rows are read again below through
  // `untreated` (increasing, so nearly in memory order) rather than copied compactly: new arrays of n_U
  // rows cost more to touch first than the reads they save.
  const B = o.B;
  const Q = freshF64(G * K1);
  const u1 = o.u1;
  if (K1 > 0) {
    for (let k = 0; k < nU; k++) {
      const i = untreated[k];
      const c = cluster[i] * K1;
      const v = w ? w[i] * u1[i] : u1[i];
      for (let p = 0; p < K1; p++) Q[c + p] += v * X[p][i];
    }
  }

  // Every coefficient at once: a = A^-1 bD (group-major), rhs = bX - B'a, hX = XcInv rhs (K1 x K2),
  // hD = A^-1 (bD - B hX): a second solve, of the same right-hand sides less the controls' part.
  let hD: Float64Array;
  if (K1 > 0) {
    // B'a = B'A^-1 bD = (A^-1 B)'bD (A is symmetric): with more coefficients than controls, solving for the
    // K1 columns of B costs less than for the K2 of bD (the two agree but for rounding).
    const rhs = bX; // reused in place: bX - B'a
    if (K2 > K1) subtractGroupProducts(rhs, o.solver.solveMany(B, K1), bD, sumG, K1, K2);
    else subtractGroupProducts(rhs, B, o.solver.solveMany(bD, K2), sumG, K1, K2);
    const XcInv = o.XcInv!;
    const hX = new Float64Array(K1 * K2);
    for (let p = 0; p < K1; p++) for (let q = 0; q < K1; q++) {
      const v = XcInv[p * K1 + q];
      for (let j = 0; j < K2; j++) hX[p * K2 + j] += v * rhs[q * K2 + j];
    }
    const bD2 = bD; // reused in place: bD - B hX
    for (let g = 0; g < sumG; g++) {
      for (let p = 0; p < K1; p++) {
        const bgp = B[g * K1 + p];
        if (bgp === 0) continue;
        for (let j = 0; j < K2; j++) bD2[g * K2 + j] -= bgp * hX[p * K2 + j];
      }
    }
    hD = o.solver.solveMany(bD2, K2, bD2); // in place: bD2 is not read again
    for (let c = 0; c < G; c++) {
      for (let p = 0; p < K1; p++) {
        const qcp = Q[c * K1 + p];
        if (qcp === 0) continue;
        for (let j = 0; j < K2; j++) W[c * K2 + j] -= qcp * hX[p * K2 + j];
      }
    }
  } else hD = o.solver.solveMany(bD, K2, bD); // in place: bD is not read again
  const { unitId, timeId } = enc;
  for (let k = 0; k < nU; k++) {
    const i = untreated[k];
    const wc = cluster[i] * K2;
    const hu = unitId[i] * K2;
    const ht = (U + timeId[i]) * K2;
    const v = w ? w[i] * u1[i] : u1[i];
    for (let j = 0; j < K2; j++) W[wc + j] -= v * (hD[hu + j] + hD[ht + j]);
  }

  const meat = new Float64Array(K2 * K2);
  for (let c = 0; c < G; c++) {
    const row = c * K2;
    for (let a = 0; a < K2; a++) {
      const wa = W[row + a];
      if (wa === 0) continue;
      for (let b = 0; b <= a; b++) meat[a * K2 + b] += wa * W[row + b];
    }
  }
  for (let a = 0; a < K2; a++) for (let b = 0; b < a; b++) meat[b * K2 + a] = meat[a * K2 + b];
  return meat;
}

/** out[p * K2 + j] -= sum_g L[g * K1 + p] R[g * K2 + j]: L'R over the groups (both group-major). */
function subtractGroupProducts(out: Float64Array, L: Float64Array, R: Float64Array, sumG: number, K1: number, K2: number): void {
  for (let g = 0; g < sumG; g++) {
    const rg = g * K2;
    const lg = g * K1;
    for (let p = 0; p < K1; p++) {
      const l = L[lg + p];
      if (l === 0) continue;
      for (let j = 0; j < K2; j++) out[p * K2 + j] -= l * R[rg + j];
    }
  }
}
