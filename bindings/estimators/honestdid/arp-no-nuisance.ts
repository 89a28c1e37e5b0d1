// The conditional test without nuisance parameters (one post-period: theta is the only unknown besides
// delta's pre-period part, which the data pin down), as HonestDiD's .testInIdentifiedSet and its
// least-favourable hybrid: the largest standardised moment max_j (A y - d)_j / sd_j is compared with the
// 1 - size quantile of its distribution truncated to the values that keep the same moment the largest
// (Lee et al.'s polyhedral lemma).
import { dot, mulVec, type Mat } from "./dense.js";
import { truncatedNormalQuantile } from "./normal-tails.js";

export interface NoNuisanceProblem {
  /** The restriction rows, scaled by the moments' standard deviations (A / sd). */
  readonly A: Mat;
  /** d / sd. */
  readonly d: Float64Array;
  /** The coefficients' covariance. */
  readonly sigma: Mat;
}

export function scaledProblem(A: Mat, d: Float64Array, sigma: Mat): NoNuisanceProblem {
  const n = A.cols;
  const scaled = { rows: A.rows, cols: n, data: new Float64Array(A.data.length) };
  const dd = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    const row = A.data.subarray(i * n, (i + 1) * n);
    const sd = Math.sqrt(dot(row, mulVec(sigma, row)));
    for (let j = 0; j < n; j++) scaled.data[i * n + j] = row[j] / sd;
    dd[i] = d[i] / sd;
  }
  return { A: scaled, d: dd, sigma };
}

/** Does the test reject that the mean of y satisfies A mu <= d? `lfCv`: the hybrid's first stage (null:
 *  the plain test). */
export function noNuisanceTest(y: Float64Array, p: NoNuisanceProblem, alpha: number, hybrid: { readonly kappa: number; readonly lfCv: number } | null): boolean {
  const { A, d, sigma } = p;
  const n = A.cols;
  const moments = mulVec(A, y).map((v, i) => v - d[i]);
  let top = 0;
  for (let i = 1; i < moments.length; i++) if (moments[i] > moments[top]) top = i;
  const maxMoment = moments[top];
  if (hybrid && maxMoment > hybrid.lfCv) return true;
  const size = hybrid ? (alpha - hybrid.kappa) / (1 - hybrid.kappa) : alpha;
  const gamma = A.data.subarray(top * n, (top + 1) * n);
  const sg = mulVec(sigma, gamma);
  const s2 = dot(gamma, sg);
  const c = sg.map((v) => v / s2);
  const gy = dot(gamma, y);
  const z = y.map((v, i) => v - c[i] * gy);
  let vlo = -Infinity;
  let vup = Infinity;
  for (let i = 0; i < A.rows; i++) {
    if (i === top) continue;
    // Abar = A - A[top], dbar = d - d[top]
    let ac = 0;
    let az = 0;
    for (let j = 0; j < n; j++) {
      const a = A.data[i * n + j] - gamma[j];
      ac += a * c[j];
      az += a * z[j];
    }
    const bound = (d[i] - d[top] - az) / ac;
    if (ac < 0) vlo = Math.max(vlo, bound);
    else if (ac > 0) vup = Math.min(vup, bound);
  }
  const mu = d[top];
  const sd = Math.sqrt(s2);
  const critical = Math.max(0, mu + sd * truncatedNormalQuantile(1 - size, (vlo - mu) / sd, (vup - mu) / sd));
  return maxMoment + d[top] > critical;
}
