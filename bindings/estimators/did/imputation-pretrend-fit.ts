// The regression behind the imputation's pre-trend test (imputation-pretrends.ts): on the untreated rows,
// y on unit and period fixed effects, dummies D_1..D_L for 1..L periods before the unit's treatment and the
// controls X, clustered. It shares the first stage's rows, fixed effects and controls (untreated-first-
// stage.ts), so it is computed from that stage's pieces instead of a fresh fit (which cost more than the
// whole imputation on large panels: new columns, a new sample, and absorbing every column again). With
// z~ = z - c_unit - c_period (z minus its fixed-effect fit, which makes it W-orthogonal to the effects):
//   - X~'WX~ and X~'Wy~ are the first stage's crossproduct (two-stage-first.ts);
//   - D~'WZ~ = D'WZ~ for any absorbed column Z~, so the leads' rows of the crossproduct sum only the rows
//     where a lead is 1;
//   - X~ and y~ themselves are the first stage's absorbed columns, kept for this (keepAbsorbed);
//   - the dummies' fixed-effect coefficients c come from one solve of the first stage's normal equations
//     (its solver, fixef-solver.ts) on their group sums (weights of the rows where each is 1);
// so no column is gathered, demeaned or stored again, and large new arrays (slow to touch first on
// some machines) are avoided: one pass takes the dummies' sums, one the clustered scores. Collinear
// regressors are dropped as feols drops them (ols-core.ts): no variation left within the fixed effects,
// then the Cholesky pivot test, in formula order (leads, then controls). The variance is the leads' block of
// the clustered sandwich, adj x G/(G-1) x bread M bread with M = sum_g S_g S_g', S_g = sum_{i in g} w_i e_i z~_i
// (e: the residuals), and fixest's default small-sample corrections (dof.ts: fixed effects nested in the
// cluster variable not counted; t on G - 1 degrees of freedom).
import { DidwasmError } from "../../errors.js";
import { COLLINEAR_WITH_FIXEF_TOL } from "../ols-core.js";
import { choleskyInverseAndSolve } from "./cholesky-keep.js";
import type { UntreatedFit } from "./untreated-first-stage.js";

export interface PretrendFitInput {
  readonly fit: UntreatedFit;
  /** L: dummies for 1..L periods before treatment. */
  readonly periods: number;
  /** Per sample row: its period minus the unit's first treated period (-Infinity: never treated); lead h
   *  (h + 1 periods before treatment, 0-based) is -(h + 1). */
  readonly horizon: Float64Array;
  /** Cluster id per sample row (0..G-1), and its variable's name for errors. */
  readonly cluster: Int32Array;
  readonly G: number;
  readonly clusterName: string;
  /** The cluster variable is the unit (its clusters are the units of the first stage). */
  readonly clusterIsUnit: boolean;
  /** Names of the controls (fit.X's columns), for the note on those dropped. */
  readonly controls: readonly string[];
}

export interface PretrendFit {
  /** Kept leads, 0-based (h: the dummy for h + 1 periods before treatment), increasing. */
  readonly leads: readonly number[];
  readonly coef: Float64Array;
  /** Their clustered covariance, row-major. */
  readonly vcov: Float64Array;
  readonly dfT: number;
  readonly nobs: number;
  /** Regressors dropped as collinear (pre1.., control names). */
  readonly removed: readonly string[];
  /** Fixed-effect solves of this regression that did not converge (iterative solver only). */
  readonly notConverged: number;
}

export function pretrendFit(inp: PretrendFitInput): PretrendFit {
  const { fit, periods: L } = inp;
  const { untreated, solver } = fit;
  const { units: U, periods: P } = fit.enc;
  const nU = untreated.length;
  const Kc = fit.X.length;
  const Kall = L + Kc;
  if (nU <= Kall + U + P - 1) {
    throw new DidwasmError("TOO_FEW_ROWS", `pretrends ${L}: ${nU} untreated observation(s) for ${Kall} coefficient(s) and ${U + P - 1} fixed-effect levels: more observations than parameters are needed`, { option: "pretrends" });
  }
  if (Kc > 0 && !fit.first.absorbed) throw new Error("internal: the first stage did not keep its absorbed columns (keepAbsorbed)");
  const lead = leadSums(inp);
  const before = solver.notConverged;
  const cD = solver.solveMany(lead.sums, L);
  const notConverged = solver.notConverged - before;

  // Crossproduct of the regressors (leads, then controls) and with y: the controls' block from the first
  // stage, the leads' rows from leadSums; D'W D~ = diag(weights) - D'W (D - D~), where D'W (D - D~) sums
  // the dummies' fixed-effect coefficients over the groups, weighted by each dummy's group sums.
  const ZZ = new Float64Array(Kall * Kall);
  const Zy = new Float64Array(Kall);
  const full = fit.first.crossproduct;
  for (let a = 0; a < Kc; a++) {
    for (let b = 0; b < Kc; b++) ZZ[(L + a) * Kall + L + b] = full[a * (Kc + 1) + b];
    Zy[L + a] = full[a * (Kc + 1) + Kc];
  }
  const DD = new Float64Array(L * L);
  for (let g = 0; g < U + P; g++) {
    for (let a = 0; a < L; a++) {
      const s = lead.sums[g * L + a];
      if (s === 0) continue;
      for (let b = 0; b < L; b++) DD[a * L + b] -= s * cD[g * L + b];
    }
  }
  for (let a = 0; a < L; a++) {
    DD[a * L + a] += lead.weight[a];
    for (let b = 0; b < L; b++) ZZ[a * Kall + b] = 0.5 * (DD[a * L + b] + DD[b * L + a]); // equal but for rounding
    for (let j = 0; j < Kc; j++) ZZ[a * Kall + L + j] = ZZ[(L + j) * Kall + a] = lead.DX[a * Kc + j];
    Zy[a] = lead.Dy[a];
  }

  // No variation within the fixed effects: under this share of the column's total sum of squares (a dummy
  // with weight s out of W has s (1 - s / W)).
  const keep = new Int32Array(Kall);
  for (let a = 0; a < Kall; a++) {
    const total = a < L ? lead.weight[a] * (1 - lead.weight[a] / lead.W) : fit.first.totalSS[a - L];
    keep[a] = ZZ[a * Kall + a] > COLLINEAR_WITH_FIXEF_TOL * total ? 1 : 0;
  }
  const { inv, theta } = choleskyInverseAndSolve(fit.backend, ZZ, Zy, keep, Kall);
  const names = [...Array.from({ length: L }, (_, h) => `pre${h + 1}`), ...inp.controls];
  const removed = names.filter((_, j) => !keep[j]);
  const leads = Array.from({ length: L }, (_, h) => h).filter((h) => keep[h]);
  const La = leads.length;
  if (La === 0) return { leads, coef: new Float64Array(0), vcov: new Float64Array(0), dfT: 1, nobs: nU, removed, notConverged };

  // The clustered scores of the kept regressors, S_g = sum_{i in g} w_i e_i z~_i; the leads' block of
  // bread (sum_g S_g S_g') bread is B M B' with B the leads' rows of the bread (kept columns).
  const kept = names.map((_, j) => j).filter((j) => keep[j]);
  const Kk = kept.length;
  const clusters = clusterStructure(inp);
  if (clusters.G < 2) {
    throw new DidwasmError("TOO_FEW_CLUSTERS", `cluster variable "${inp.clusterName}" has ${clusters.G} cluster among the untreated observations of the pre-trend regression; at least 2 are needed`, { column: inp.clusterName });
  }
  // The scores (G x Kk, column-major) live in the backend's arena, in memory the first stage has touched
  // already (a new array of this size costs more to touch than to fill); M is their crossproduct kernel's.
  let meat: Float64Array;
  const arena = fit.backend.arena();
  try {
    const S = arena.f64(inp.G * Kk);
    const M = arena.f64(Kk * Kk);
    clusterScores(inp, cD, theta, kept, S.view);
    fit.backend.crossprod(inp.G, Kk, S, null, M);
    meat = M.view.slice();
  } finally {
    arena.release();
  }
  // fixest's defaults (dof.ts): K counts the kept coefficients and the fixed-effect levels (U + P - 1) but
  // for those of a fixed effect nested in the clusters (each gives back its G - 1), at least K + 1.
  const dofK = Math.max(Kk + U + P - 1 - (clusters.unitNested ? U - 1 : 0) - (clusters.periodNested ? P - 1 : 0), Kk + 1);
  const scale = ((nU - 1) / (nU - dofK)) * (clusters.G / (clusters.G - 1));
  const B = new Float64Array(La * Kk);
  leads.forEach((h, a) => kept.forEach((j, c) => (B[a * Kk + c] = inv[h * Kall + j])));
  const vcov = new Float64Array(La * La);
  for (let a = 0; a < La; a++) {
    for (let b = 0; b < La; b++) {
      let v = 0;
      for (let c = 0; c < Kk; c++) for (let d = 0; d < Kk; d++) v += B[a * Kk + c] * meat[c * Kk + d] * B[b * Kk + d];
      vcov[a * La + b] = scale * v;
    }
  }
  const dfT = clusters.G - 1;
  return { leads, coef: Float64Array.from(leads, (h) => theta[h]), vcov, dfT, nobs: nU, removed, notConverged };
}

/** One pass over the untreated rows, for the rows where a lead dummy is 1: the dummies' group sums (their
 *  weight per unit, then per period: L per group), their weights, and their crossproducts with the absorbed
 *  controls and outcome, D'W X~ (L x Kc) = D~'W X~ and D'W y~ = D~'W y~ (absorbed columns are W-orthogonal
 *  to the fixed-effect fit D - D~); also the total weight. */
function leadSums(inp: PretrendFitInput): { sums: Float64Array; weight: Float64Array; W: number; DX: Float64Array; Dy: Float64Array } {
  const { fit, periods: L, horizon } = inp;
  const { untreated, w, ytilde } = fit;
  const { unitId, timeId, units: U, periods: P } = fit.enc;
  const nU = untreated.length;
  const Kc = fit.X.length;
  // [X~_1 .. X~_Kc, y~] over the untreated rows; without controls y~ is the first stage's ytilde there.
  const absorbed = fit.first.absorbed?.view ?? null;
  const sums = new Float64Array((U + P) * L);
  const weight = new Float64Array(L);
  const DX = new Float64Array(L * Kc);
  const Dy = new Float64Array(L);
  let W = 0;
  for (let k = 0; k < nU; k++) {
    const i = untreated[k];
    const wi = w ? w[i] : 1;
    W += wi;
    const h = -horizon[i] - 1; // the lead's index when 0 <= h < L
    if (!(h >= 0 && h < L)) continue;
    sums[unitId[i] * L + h] += wi;
    sums[(U + timeId[i]) * L + h] += wi;
    weight[h] += wi;
    Dy[h] += wi * (absorbed ? absorbed[Kc * nU + k] : ytilde[i]);
    for (let j = 0; j < Kc; j++) DX[h * Kc + j] += wi * absorbed![j * nU + k];
  }
  return { sums, weight, W, DX, Dy };
}

/** S_g += w e z~ per cluster (S: G x Kk column-major, zeroed), in one pass over the untreated rows: z~ over
 *  the kept regressors (`kept`: leads 0..L-1, then controls L..), e = y~ - theta'z~ (theta: every regressor's). */
function clusterScores(inp: PretrendFitInput, cD: Float64Array, theta: Float64Array, kept: readonly number[], S: Float64Array): void {
  const { fit, periods: L, horizon, cluster } = inp;
  const { untreated, w, ytilde } = fit;
  const { unitId, timeId, units: U, periods: P } = fit.enc;
  const nU = untreated.length;
  const Kc = fit.X.length;
  const Kk = kept.length;
  const G = inp.G;
  const leadCol = Int32Array.from(kept.filter((j) => j < L));
  const nD = leadCol.length;
  const controlOffset = Int32Array.from(kept.filter((j) => j >= L), (j) => (j - L) * nU);
  const thetaX = Float64Array.from(kept.filter((j) => j >= L), (j) => theta[j]);
  const thetaD = Float64Array.from({ length: L }, (_, h) => (kept.includes(h) ? theta[h] : 0));
  // theta_D'D~ = theta_lead - psi_unit - psi_period, psi_g = sum_h theta_h cD_gh
  const psi = new Float64Array(U + P);
  for (let g = 0; g < U + P; g++) for (let h = 0; h < L; h++) psi[g] += thetaD[h] * cD[g * L + h];
  const absorbed = fit.first.absorbed?.view ?? null; // view taken now: the arena may have grown
  const yOffset = Kc * nU;
  const x = new Float64Array(Math.max(Kk - nD, 1));
  for (let k = 0; k < nU; k++) {
    const i = untreated[k];
    const cu = unitId[i];
    const ct = U + timeId[i];
    const h = -horizon[i] - 1; // the lead's index when 0 <= h < L
    let e = (absorbed ? absorbed[yOffset + k] : ytilde[i]) + psi[cu] + psi[ct];
    if (h >= 0 && h < L) e -= thetaD[h];
    for (let c = 0; c < Kk - nD; c++) {
      x[c] = absorbed![controlOffset[c] + k];
      e -= thetaX[c] * x[c];
    }
    const a = w ? w[i] * e : e;
    const g = cluster[i];
    for (let c = 0; c < nD; c++) {
      const j = leadCol[c];
      S[c * G + g] += a * ((j === h ? 1 : 0) - cD[cu * L + j] - cD[ct * L + j]);
    }
    for (let c = 0; c < Kk - nD; c++) S[(nD + c) * G + g] += a * x[c];
  }
}

/** The clusters among the untreated rows, and whether each unit and each period lies within one cluster
 *  (dof.ts's nesting, on these rows). */
function clusterStructure(inp: PretrendFitInput): { G: number; unitNested: boolean; periodNested: boolean } {
  const { fit, cluster } = inp;
  const { untreated } = fit;
  const { unitId, timeId, units: U, periods: P } = fit.enc;
  const nU = untreated.length;
  // Periods span clusters at once in any real panel: the first conflict ends the search.
  const periodOwner = new Int32Array(P).fill(-1);
  let periodNested = true;
  for (let k = 0; k < nU && periodNested; k++) {
    const t = timeId[untreated[k]];
    const g = cluster[untreated[k]];
    if (periodOwner[t] < 0) periodOwner[t] = g;
    else if (periodOwner[t] !== g) periodNested = false;
  }
  // Clustered by the unit: every unit of these rows is one cluster.
  if (inp.clusterIsUnit) return { G: U, unitNested: true, periodNested };
  const seen = new Uint8Array(inp.G);
  const unitOwner = new Int32Array(U).fill(-1);
  let unitNested = true;
  for (let k = 0; k < nU; k++) {
    const i = untreated[k];
    const g = cluster[i];
    seen[g] = 1;
    const u = unitId[i];
    if (unitOwner[u] < 0) unitOwner[u] = g;
    else if (unitOwner[u] !== g) unitNested = false;
  }
  let G = 0;
  for (let g = 0; g < inp.G; g++) G += seen[g];
  return { G, unitNested, periodNested };
}
