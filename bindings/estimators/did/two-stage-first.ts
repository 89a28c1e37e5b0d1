// did2s's first stage: y on unit and period fixed effects and controls, on the untreated rows only.
// The controls' coefficients come from Frisch-Waugh-Lovell: X-check_k = X_k minus its fixed-effect fit,
// beta = (X-check'WX-check)^-1 X-check'Wy over the untreated rows. Controls without variation within the
// fixed effects, or collinear with earlier controls, are removed (as fixest does, in order).
import { invertSpd } from "../../linalg/small.js";
import type { TwoWayFixef, TwoWayEncoding } from "./two-way-fixef.js";

export interface FirstStage {
  /** Indices (into the controls) of the controls kept. */
  readonly keptControls: number[];
  /** Their coefficients. */
  readonly beta: Float64Array;
  /** Their fixed-effect coefficients on the untreated rows, group-major: cXg[g * K1 + p] is group g's
   *  (units, then periods) coefficient in the fit of kept control p. */
  readonly cXg: Float64Array;
  /** The kept controls' weighted group sums over the untreated rows (D0'W X0), group-major like cXg. */
  readonly B: Float64Array;
  /** (X-check'WX-check)^-1 of the kept controls, or null without controls. */
  readonly XcInv: Float64Array | null;
}

export function firstStage(
  solver: TwoWayFixef, enc: TwoWayEncoding, untreated: Int32Array, wt: Float64Array, y: Float64Array, X: readonly Float64Array[],
): FirstStage {
  const nU = untreated.length;
  const U = enc.units;
  // Untreated rows packed contiguously: weights, outcome, and each control's X-check.
  const w0 = new Float64Array(nU);
  const y0 = new Float64Array(nU);
  for (let k = 0; k < nU; k++) {
    w0[k] = wt[untreated[k]];
    y0[k] = y[untreated[k]];
  }
  // The fixed-effect fits of every control in one batch (group-major: cAll[g * K + c]).
  const K = X.length;
  const sumG = enc.units + enc.periods;
  const sums = solver.groupSumsMany(X);
  const cAll = K > 0 ? solver.solveMany(sums, K) : new Float64Array(0);
  const check = X.map((x, c) => {
    const out = new Float64Array(nU);
    for (let k = 0; k < nU; k++) {
      const i = untreated[k];
      out[k] = x[i] - (cAll[enc.unitId[i] * K + c] + cAll[(U + enc.timeId[i]) * K + c]);
    }
    return out;
  });

  // Every control's Gram entries once; the checks below read submatrices of it.
  const full = gram(check, w0);
  const keptControls: number[] = [];
  for (let c = 0; c < K; c++) {
    // Variation within the fixed effects, against the control's total variation.
    const x = X[c];
    let m = 0;
    let sw = 0;
    for (let k = 0; k < nU; k++) {
      m += w0[k] * x[untreated[k]];
      sw += w0[k];
    }
    m /= sw;
    let total = 0;
    for (let k = 0; k < nU; k++) total += w0[k] * (x[untreated[k]] - m) ** 2;
    if (!(full[c * K + c] > 1e-10 * total)) continue;
    const trial = [...keptControls, c];
    if (lastColumnIndependent(submatrix(full, K, trial), trial.length)) keptControls.push(c);
  }

  const K1 = keptControls.length;
  const beta = new Float64Array(K1);
  let XcInv: Float64Array | null = null;
  if (K1 > 0) {
    XcInv = invertSpd(submatrix(full, K, keptControls), K1)!;
    const xy = keptControls.map((c) => {
      let s = 0;
      const xc = check[c];
      for (let k = 0; k < nU; k++) s += w0[k] * xc[k] * y0[k];
      return s;
    });
    for (let a = 0; a < K1; a++) for (let b = 0; b < K1; b++) beta[a] += XcInv[a * K1 + b] * xy[b];
  }
  const cXg = new Float64Array(sumG * K1);
  const B = new Float64Array(sumG * K1);
  for (let g = 0; g < sumG; g++) {
    keptControls.forEach((c, p) => {
      cXg[g * K1 + p] = cAll[g * K + c];
      B[g * K1 + p] = sums[g * K + c];
    });
  }
  return { keptControls, beta, cXg, B, XcInv };
}

/** The weighted Gram matrix of the columns, K x K. */
function gram(cols: Float64Array[], w: Float64Array): Float64Array {
  const K = cols.length;
  const A = new Float64Array(K * K);
  for (let a = 0; a < K; a++) for (let b = 0; b <= a; b++) {
    let s = 0;
    const ca = cols[a];
    const cb = cols[b];
    for (let k = 0; k < w.length; k++) s += w[k] * ca[k] * cb[k];
    A[a * K + b] = s;
    A[b * K + a] = s;
  }
  return A;
}

function submatrix(A: Float64Array, K: number, idx: readonly number[]): Float64Array {
  const m = idx.length;
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) out[a * m + b] = A[idx[a] * K + idx[b]];
  return out;
}

/** The last column is not (nearly) collinear with the others: its Schur complement keeps > 1e-10 of it. */
function lastColumnIndependent(A: Float64Array, K: number): boolean {
  if (K === 1) return A[0] > 0;
  const inv = invertSpd(A, K);
  if (!inv) return false;
  // 1 / inv[last,last] is the residual sum of squares of the last column on the others.
  return 1 / inv[(K - 1) * K + (K - 1)] > 1e-10 * A[(K - 1) * K + (K - 1)];
}
