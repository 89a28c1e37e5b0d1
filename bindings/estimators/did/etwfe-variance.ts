// The variance of the extended TWFE coefficients with fixest's default small-sample corrections (ssc():
// adj, fixef.K = "nested", cluster.adj, t.df = "min"), counting parameters as fixest counts them for the
// model etwfe writes in each `fe` mode:
//   - feo:  cohort + time fixed effects; the controls' terms are coefficients;
//   - vs:   cohort[x] + time[x] varying slopes absorb the controls' terms (G parameters per slope);
//   - none: every term, the intercept and the cohort and period dummies included, is a coefficient.
// Fixed effects nested in the cluster variable give back their levels but one (dof.ts); slopes never do.
// Least squares: iid is RSS / (n - K) times the bread; Poisson (dispersion 1): the bread times (n-1)/(n-K).
import { DidwasmError } from "../../errors.js";
import { isNested, type Groups } from "../../model/groups.js";
import type { VcovSpec } from "../../model/vcov-spec.js";
import type { CompressedFit, EtwfeRows } from "./etwfe-compressed.js";
import { cellMeat } from "./etwfe-meat.js";
import type { Backend } from "../../engine/backend.js";
import type { EtwfeLayout } from "./etwfe-layout.js";
import { freshI32 } from "../../engine/fresh-arrays.js";

export type EtwfeFe = "feo" | "vs" | "none";
export type EtwfeFamily = "gaussian" | "poisson";

export interface EtwfeVariance {
  /** Over the kept columns, row-major. */
  readonly vcov: Float64Array;
  /** t degrees of freedom of the coefficients (Infinity for Poisson). */
  readonly dfT: number;
  readonly dofK: number;
  readonly clusters: { readonly name: string; readonly G: number } | null;
  readonly label: string;
}

export interface VarianceRequest {
  readonly layout: EtwfeLayout;
  readonly fit: CompressedFit;
  readonly rows: EtwfeRows;
  readonly spec: VcovSpec;
  readonly fe: EtwfeFe;
  readonly family: EtwfeFamily;
  /** Encodes a cluster variable over the sample rows. */
  readonly clusterGroups: (name: string) => Groups;
  /** Runs the robust meat's products (etwfe-meat.ts); null: in TypeScript. */
  readonly backend: Backend | null;
}

/** The cohort or period fixed effect's groups, dense in order of first appearance. Their ids are written
 *  only when read: the parameter count reads G, and a nesting check reads ids only when the cluster
 *  variable has no more groups than the fixed effect (the cohort as cluster, not the usual unit). */
function cellGroups(rows: EtwfeRows, T: number, A: number, of: "cohort" | "time"): Groups {
  const cell = rows.cell;
  const keyOf = of === "cohort" ? (c: number) => (c / T) | 0 : (c: number) => c % T;
  const dense = new Int32Array(of === "cohort" ? A : T).fill(-1);
  let G = 0;
  for (let i = 0; i < cell.length; i++) {
    const key = keyOf(cell[i]);
    if (dense[key] < 0) dense[key] = G++;
  }
  let ids: Int32Array | null = null;
  return {
    G,
    get ids(): Int32Array {
      if (ids) return ids;
      ids = freshI32(cell.length);
      for (let i = 0; i < cell.length; i++) ids[i] = dense[keyOf(cell[i])];
      return ids;
    },
  };
}

/** K of the (n - 1) / (n - K) adjustment: coefficients plus the fixed-effect parameters fixest counts. */
function countedK(r: VarianceRequest, groupings: readonly Groups[]): number {
  const { layout, fit, fe } = r;
  const kinds = Array.from(fit.kept, (j) => layout.kinds[j]);
  if (fe === "none" || r.family === "poisson") return fit.kept.length;
  const T = layout.periods.length;
  const A = layout.cohorts.length;
  const fixef = [cellGroups(r.rows, T, A, "cohort"), cellGroups(r.rows, T, A, "time")];
  const coefs = kinds.filter((k) => (fe === "vs" ? k === "cell" || k === "cell_x" : k !== "fe")).length;
  let params = fixef[0].G + fixef[1].G - 1;
  if (fe === "vs") params += layout.k * (fixef[0].G + fixef[1].G);
  for (const f of fixef) if (groupings.some((g) => isNested(f, g))) params -= f.G - 1;
  return Math.max(coefs + params, coefs + 1);
}

export function etwfeVariance(r: VarianceRequest): EtwfeVariance {
  const { fit, spec } = r;
  const n = fit.resid.length;
  const K = fit.kept.length;
  const bread = fit.bread;
  const sandwich = (meat: Float64Array, factor: number) => {
    const out = multiplySquare(multiplySquare(bread, meat, K), bread, K);
    for (let i = 0; i < out.length; i++) out[i] *= factor;
    return out;
  };
  const poisson = r.family === "poisson";
  if (spec.type === "iid") {
    const dofK = countedK(r, []);
    const factor = poisson ? (n - 1) / (n - dofK) : fit.rss / (n - dofK);
    return { vcov: bread.map((b) => b * factor), dfT: poisson ? Infinity : n - dofK, dofK, clusters: null, label: "iid" };
  }
  if (spec.type === "hetero") {
    const dofK = countedK(r, []);
    const meat = cellMeat(r.layout, r.rows, fit.resid, fit.kept, null, r.backend);
    return { vcov: sandwich(meat, n / (n - dofK)), dfT: poisson ? Infinity : n - dofK, dofK, clusters: null, label: "hetero" };
  }
  if (spec.type === "cluster" && spec.vars.length === 1) {
    const name = spec.vars[0];
    const g = r.clusterGroups(name);
    if (g.G < 2) throw new DidwasmError("TOO_FEW_CLUSTERS", `cluster variable "${name}" has ${g.G} cluster in the sample; at least 2 are needed`, { column: name });
    const dofK = countedK(r, [g]);
    const meat = cellMeat(r.layout, r.rows, fit.resid, fit.kept, g, r.backend);
    const factor = ((n - 1) / (n - dofK)) * (g.G / (g.G - 1));
    return { vcov: sandwich(meat, factor), dfT: poisson ? Infinity : g.G - 1, dofK, clusters: { name, G: g.G }, label: `cluster:${name}` };
  }
  throw new DidwasmError("BAD_OPTION", "etwfe supports --vcov iid, hetero or cluster:VAR (one cluster variable)", { option: "vcov" });
}

/** A B for K x K row-major matrices: row i of the product is sum over t of A[i, t] times row t of B, in
 *  increasing t, terms with A[i, t] = 0 skipped. Two rows of B are added per pass over the output row, each
 *  element still as ((out + a1 b1) + a2 b2): the same sums as one row at a time, with half the passes. */
export function multiplySquare(A: Float64Array, B: Float64Array, K: number): Float64Array {
  const out = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    const row = i * K;
    let pending = -1;
    for (let t = 0; t < K; t++) {
      if (A[row + t] === 0) continue;
      if (pending < 0) {
        pending = t;
        continue;
      }
      addTwoRows(out, row, B, pending * K, A[row + pending], t * K, A[row + t], K);
      pending = -1;
    }
    if (pending >= 0) addTwoRows(out, row, B, pending * K, A[row + pending], 0, 0, K);
  }
  return out;
}

/** out[at + j] = (out[at + j] + a1 B[b1 + j]) + a2 B[b2 + j] for j < K; with a2 = 0, B[b2] is not read. */
function addTwoRows(out: Float64Array, at: number, B: Float64Array, b1: number, a1: number, b2: number, a2: number, K: number): void {
  if (a2 === 0) {
    for (let j = 0; j < K; j++) out[at + j] += a1 * B[b1 + j];
    return;
  }
  for (let j = 0; j < K; j++) out[at + j] = out[at + j] + a1 * B[b1 + j] + a2 * B[b2 + j];
}
