// Variance matrices of a (fixed-effects) least-squares fit computed by the oracle from textbook formulas
// on the dummy-variable design, with fixest's small-sample corrections as the project documents them
// (bindings/model/vcov-spec.ts). Nothing here calls the project's variance code.
//
//   bread B = (Z'WZ)^-1 (ml-matrix SVD), residuals e = y - Z b (b by QR), scores s_i = w_i e_i z_i;
//   iid:      sigma^2 B,  sigma^2 = sum w e^2 / (n - K*) with adj, / (n - 1) without;
//   hetero:   a (n - 1)/(n - K*) * c n/(n - 1) * B (sum_i s_i s_i') B  (HC1);
//   cluster:  sum over non-empty sets S of cluster variables of (-1)^(|S|+1) a c_S B M_S B, M_S the meat
//             of the clusters formed by intersecting those in S, c_S = G/(G - 1) with G = min over the
//             variables' counts ("min") or S's own count ("conventional") (Cameron, Gelbach, Miller 2011);
//   multiway sums with a negative diagonal element are repaired as fixest's mat_posdef_fix: eigenvalues
//             below 1e-10 raised to 1e-10 (ml-matrix's symmetric eigen-decomposition);
//   K* = coefficients + fixed-effect parameters counted by ssc fixefK: none, all ("full"), or all but the
//        G - 1 non-constant dummies of each fixed effect nested in a cluster variable ("nested").
// The leading K x K block is the regressors' variance (Frisch-Waugh-Lovell: see dummy-design.ts).
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import type { Ssc, VcovSpec } from "../../bindings/model/vcov-spec.js";
import { clusterMeat, heteroMeat, inverseGram, leadingBlock, leastSquares, residualsOf, sandwich, scores } from "./dense.js";
import type { DummyDesign } from "./dummy-design.js";

export interface OracleVcovInput {
  readonly design: DummyDesign;
  readonly y: Float64Array;
  readonly w: Float64Array | null;
  /** Every column of the data, by name (fixed effects and cluster variables are read from it). */
  readonly columns: Record<string, Float64Array>;
  readonly fixef: readonly string[];
}

export interface OracleVcov {
  readonly V: Matrix;
  readonly dfT: number;
  /** Whether the multiway sum had a negative diagonal element and was repaired. */
  readonly repaired: boolean;
}

/** fixest's floor for the eigenvalues of a repaired multiway variance. */
const EIGEN_FLOOR = 1e-10;

/** Q diag(max(lambda, floor)) Q'. */
function raiseEigenvalues(V: Matrix, floor: number): Matrix {
  const evd = new EigenvalueDecomposition(V, { assumeSymmetric: true });
  const Q = evd.eigenvectorMatrix;
  const lambda = evd.realEigenvalues.map((l) => Math.max(l, floor));
  return Q.mmul(Matrix.diag(lambda)).mmul(Q.transpose());
}

function distinctCount(values: ArrayLike<number | string>): number {
  return new Set(Array.from(values)).size;
}

/** Every level of `inner` lies within one level of `outer`. */
function nestedIn(inner: Float64Array, outer: Float64Array): boolean {
  const outerOf = new Map<number, number>();
  for (let i = 0; i < inner.length; i++) {
    const seen = outerOf.get(inner[i]);
    if (seen === undefined) outerOf.set(inner[i], outer[i]);
    else if (seen !== outer[i]) return false;
  }
  return true;
}

export function oracleVcov(inp: OracleVcovInput, spec: VcovSpec, ssc: Ssc): OracleVcov {
  const { Z, K, fixefParams } = inp.design;
  const n = Z.rows;
  const b = leastSquares(Z, inp.y, inp.w);
  const e = residualsOf(Z, inp.y, b);
  const bread = inverseGram(Z, inp.w);
  // fixest's t degrees of freedom outside t.df = "min" clustering: n - K, K as counted by the correction.

  if (spec.type === "iid") {
    const rss = e.reduce((s, v, i) => s + (inp.w ? inp.w[i] : 1) * v * v, 0);
    const kStar = K + (ssc.fixefK === "none" ? 0 : fixefParams);
    const sigma2 = ssc.adj ? rss / (n - kStar) : rss / (n - 1);
    return { V: leadingBlock(bread, K).mul(sigma2), dfT: n - kStar, repaired: false };
  }
  const S = scores(Z, e, inp.w);
  if (spec.type === "hetero") {
    const kStar = K + (ssc.fixefK === "none" ? 0 : fixefParams);
    const factor = (ssc.adj ? (n - 1) / (n - kStar) : 1) * (ssc.clusterAdj ? n / (n - 1) : 1);
    return { V: leadingBlock(sandwich(bread, heteroMeat(S)), K).mul(factor), dfT: n - kStar, repaired: false };
  }

  if (spec.type !== "cluster") throw new Error(`the oracle has no ${spec.type} variance`);
  const clusters = spec.vars.map((v) => inp.columns[v]);
  const Gmin = Math.min(...clusters.map(distinctCount));
  let counted = fixefParams;
  if (ssc.fixefK === "none") counted = 0;
  if (ssc.fixefK === "nested") {
    for (const f of inp.fixef) if (clusters.some((c) => nestedIn(inp.columns[f], c))) counted -= distinctCount(inp.columns[f]) - 1;
  }
  const adj = ssc.adj ? (n - 1) / (n - (K + counted)) : 1;
  let V: Matrix | null = null;
  for (let mask = 1; mask < 1 << clusters.length; mask++) {
    const members = clusters.filter((_, j) => mask & (1 << j));
    const labels = Array.from({ length: n }, (_, i) => members.map((c) => c[i]).join("|"));
    const { meat, G } = clusterMeat(S, labels);
    const Gc = ssc.clusterDf === "min" ? Gmin : G;
    const sign = members.length % 2 === 1 ? 1 : -1;
    const term = leadingBlock(sandwich(bread, meat), K).mul(sign * adj * (ssc.clusterAdj ? Gc / (Gc - 1) : 1));
    V = V ? V.add(term) : term;
  }
  const repaired = clusters.length > 1 && V!.diag().some((v) => v < 0);
  return { V: repaired ? raiseEigenvalues(V!, EIGEN_FLOOR) : V!, dfT: ssc.tDf === "min" ? Gmin - 1 : n - (K + counted), repaired };
}
