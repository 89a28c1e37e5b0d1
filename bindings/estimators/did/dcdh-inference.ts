// Inference for de Chaisemartin and D'Haultfoeuille's estimators from the groups' variance contributions:
// covariances clustered at the group level (or a coarser cluster), and Wald tests with a generalised
// inverse, as the package computes its joint tests of the placebos and of the effects.
import { symmetricEigen } from "../../linalg/small.js";
import { chi2UpperP } from "../../stats/distributions.js";

/** Per-cluster sums of each estimator's contributions (columns: estimators). */
export function clusterSums(contributions: readonly Float64Array[], cluster: Int32Array, C: number): Float64Array[] {
  return contributions.map((u) => {
    const out = new Float64Array(C);
    for (let g = 0; g < u.length; g++) out[cluster[g]] += u[g];
    return out;
  });
}

/** Covariance of estimators whose contributions were summed by cluster: sum_c u_a u_b / G^2, each divided by its scale. */
export function covarianceMatrix(sums: readonly Float64Array[], G: number, scale: readonly number[]): number[][] {
  const K = sums.length;
  const V = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      let s = 0;
      const ua = sums[a];
      const ub = sums[b];
      for (let c = 0; c < ua.length; c++) s += ua[c] * ub[c];
      V[a][b] = V[b][a] = s / (G * G) / (scale[a] * scale[b]);
    }
  }
  return V;
}

/** Eigenvalues below this share of the largest are treated as zero (as MASS::ginv's default tolerance). */
const GINV_TOL = Math.sqrt(Number.EPSILON);

export interface WaldTest {
  readonly statistic: number;
  readonly df: number;
  readonly p_value: number;
}

/** b' V^+ b against chi-squared with length(b) degrees of freedom. */
export function waldTest(b: readonly number[], V: readonly (readonly number[])[]): WaldTest {
  const K = b.length;
  // scaled to a unit diagonal so that the eigen-solver's absolute stopping rule suits any units
  let s = 0;
  for (let i = 0; i < K; i++) s = Math.max(s, V[i][i]);
  if (!(s > 0)) return { statistic: NaN, df: K, p_value: NaN };
  const { values, vectors } = symmetricEigen(Float64Array.from(V.flat(), (v) => v / s), K);
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  let stat = 0;
  for (let j = 0; j < K; j++) {
    if (!(values[j] > GINV_TOL * max)) continue;
    let proj = 0;
    for (let i = 0; i < K; i++) proj += vectors[i * K + j] * b[i];
    stat += (proj * proj) / (values[j] * s);
  }
  return { statistic: stat, df: K, p_value: chi2UpperP(stat, K) };
}
