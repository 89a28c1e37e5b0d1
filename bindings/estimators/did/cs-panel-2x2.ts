// One group-time cell of Callaway-Sant'Anna on a balanced panel: a 2x2 difference in differences of
// dY = Y_t - Y_base between the cohort (D = 1) and its controls (D = 0), given covariates X (intercept
// first), by one of Sant'Anna and Zhao's (2020) estimators, with its influence function (one value per
// unit of the cell, on the scale where the standard error is sqrt(sum psi^2) / n). Definitions follow the
// DRDID package that the did package calls (unit weights 1):
//   dr      drdid_panel: logit propensity ps, OLS outcome model m(x) on the controls, normalised weights
//           w1 = D, w0 = ps (1 - D) / (1 - ps); ATT = mean(w1 (dY - m)) / mean(w1) - mean(w0 (dY - m)) / mean(w0);
//           the influence function carries the estimation effects of both nuisance models.
//   dr-imp  drdid_imp_panel: propensity by inverse probability tilting, outcome model by least squares on the
//           controls weighted by ps / (1 - ps); ATT = mean((D - (1 - D) ps / (1 - ps)) (dY - m)) / mean(D). Both
//           nuisance fits solve moment conditions that make their estimation effects vanish.
//   ipw     std_ipw_did_panel: the normalised (Hajek) inverse probability weighting with the logit's effect.
//   reg     reg_did_panel: ATT = mean over the cohort of dY - m(x), with the OLS fit's effect.
// Controls with ps >= 0.995 are trimmed (weight 0) in dr, dr-imp and ipw, and ps is capped at 1 - 1e-6, as
// DRDID does. Without covariates (X = intercept) all four equal the difference of the cell means of dY.
import { invertSpd } from "../../linalg/small.js";
import {
  colSumsWeighted, invertedCross, linearPredictor, logitFit, matVec, mirrorLower, tiltingFit, weightedLeastSquares, type Design,
} from "./cs-nuisance.js";
import { arrayPasses, type CellPasses } from "../../engine/cs-cell-passes.js";

export type EstMethod = "dr" | "dr-imp" | "ipw" | "reg";
export const EST_METHODS: readonly EstMethod[] = ["dr", "dr-imp", "ipw", "reg"];

/** DRDID's trimming: a control whose propensity reaches this gets weight 0 (overlap fails there). */
export const TRIM_LEVEL = 0.995;
/** DRDID's cap on the propensity score, so that ps / (1 - ps) stays finite. */
const PS_CAP = 1 - 1e-6;

export type CellFit =
  | { readonly att: number; readonly inf: Float64Array; readonly propensityConverged: boolean; readonly start?: Float64Array }
  | { readonly problem: string };

const mean = (v: Float64Array) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
};

/** x_i . v for every row. */
const dotRows = (d: Design, v: Float64Array) => linearPredictor(d, v);

/** A fitted propensity score on a cell's units: it depends only on the design and D, so cells that share
 *  both (a cohort's post-treatment cells, whose covariates are all read at the same base period) share it. */
export interface Propensity {
  readonly ps: Float64Array;
  readonly trim: Float64Array;
  readonly converged: boolean;
  readonly coef: Float64Array;
  /** (X' diag(ps (1 - ps)) X)^{-1}, the logit's bread (dr, ipw). */
  readonly bread: Float64Array | null;
  /** (X' diag(1 - D) X)^{-1}, the bread of dr's outcome regression on the controls (it too depends only on
   *  the design and D). */
  readonly controlBread: Float64Array | null;
}

/** The propensity score `method` uses (logit, or tilting for dr-imp); null for reg (none) or when the
 *  covariates are collinear. With `passes` (whose arrays hold d and D), the logit's passes run there and ps
 *  and trim are its arrays (valid until their next use); else on new arrays. */
export function panelPropensity(method: EstMethod, d: Design, D: Float64Array, start?: Float64Array, passes?: CellPasses): Propensity | null {
  if (method === "reg") return null;
  const { n, k } = d;
  const on = passes ?? arrayPasses({ x: d.x, D, ps: new Float64Array(n), trim: new Float64Array(n) }, n, k);
  const tilting = method === "dr-imp";
  const logit = logitFit(d, D, start, on.logitPass);
  if (!logit) return null;
  const fit = tilting ? tiltingFit(d, D, logit.coef) : logit;
  if (!fit) return null;
  on.propensity(fit.coef, PS_CAP, TRIM_LEVEL);
  const { ps, trim } = on.arrays();
  // The logit's bread at its last iterate; the weights p (1 - p) are only built when it is missing.
  const bread = tilting ? null : (logit.bread ?? invertedCross(d, ps.map((p) => p * (1 - p))));
  let controlBread: Float64Array | null = null;
  if (method === "dr") {
    const cross = new Float64Array(k * k);
    on.controlCross(cross);
    controlBread = invertSpd(mirrorLower(cross, k), k);
  }
  return { ps, trim, converged: logit.converged && fit.converged, coef: logit.coef, bread, controlBread };
}

/** (X' diag(w) X / n)^{-1} v: the linear representation of a fit's coefficients, applied to a moment. */
function scaledSolve(d: Design, w: Float64Array, v: Float64Array): Float64Array | null {
  const inv = invertedCross(d, w);
  return inv ? matVec(inv, v, d.k).map((x) => x * d.n) : null;
}

const collinear = "the covariates are collinear (or constant) among this cell's units";

/** x_i . v for one row of a row-major design. */
function rowDot(x: Float64Array, i: number, v: Float64Array, k: number): number {
  let s = 0;
  const r = i * k;
  for (let a = 0; a < k; a++) s += x[r + a] * v[a];
  return s;
}

/** The cell's 2x2 estimate; `ps` is panelPropensity(method, d, D) (ignored by reg). With `passes` (the
 *  propensity's, whose arrays also hold dy), dr's passes run there and its influence function is a view of
 *  their r: the caller copies it out before the next cell. */
export function panelCell(method: EstMethod, dy: Float64Array, D: Float64Array, d: Design, ps: Propensity | null, passes?: CellPasses): CellFit {
  const n = d.n;
  if (method !== "reg" && !ps) return { problem: collinear };
  if (method === "dr") return drPanel(dy, D, d, ps!, passes);
  const untreated = D.map((x) => 1 - x);
  if (method === "reg") {
    const b = weightedLeastSquares(d, dy, untreated);
    if (!b) return { problem: collinear };
    const m = linearPredictor(d, b);
    const mD = mean(D);
    let et = 0, ec = 0;
    for (let i = 0; i < n; i++) {
      et += D[i] * dy[i];
      ec += D[i] * m[i];
    }
    et /= n * mD;
    ec /= n * mD;
    const v1 = scaledSolve(d, untreated, colSumsWeighted(d, D).map((x) => x / n))!;
    const xv1 = dotRows(d, v1);
    const inf = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const infT = D[i] * (dy[i] - et);
      const infC = D[i] * (m[i] - ec) + untreated[i] * (dy[i] - m[i]) * xv1[i];
      inf[i] = (infT - infC) / mD;
    }
    return { att: et - ec, inf, propensityConverged: true };
  }

  const p = ps!;
  const { trim } = p;
  const odds = p.ps.map((x) => x / (1 - x));

  if (method === "dr-imp") {
    const w = untreated.map((u, i) => u * odds[i]);
    const b = weightedLeastSquares(d, dy, w);
    if (!b) return { problem: collinear };
    const m = linearPredictor(d, b);
    const mD = mean(D);
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) s[i] = trim[i] * (D[i] === 1 ? 1 : -odds[i]) * (dy[i] - m[i]);
    const att = mean(s) / mD;
    const inf = s.map((si, i) => (trim[i] * (si - D[i] * att)) / mD);
    return { att, inf, propensityConverged: p.converged };
  }

  const wt = D.map((x, i) => trim[i] * x);
  const wc = untreated.map((u, i) => trim[i] * u * odds[i]);
  const mwt = mean(wt);
  const mwc = mean(wc);
  const score = D.map((x, i) => x - p.ps[i]);

  if (method === "ipw") {
    let et = 0, ec = 0;
    for (let i = 0; i < n; i++) {
      et += wt[i] * dy[i];
      ec += wc[i] * dy[i];
    }
    et /= n * mwt;
    ec /= n * mwc;
    if (!p.bread) return { problem: collinear };
    const v2 = matVec(p.bread, colSumsWeighted(d, wc.map((w, i) => w * (dy[i] - ec))), d.k);
    const xv2 = dotRows(d, v2);
    const inf = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const infT = (wt[i] * (dy[i] - et)) / mwt;
      const infC = (wc[i] * (dy[i] - ec) + score[i] * xv2[i]) / mwc;
      inf[i] = infT - infC;
    }
    return { att: et - ec, inf, propensityConverged: p.converged };
  }

  throw new Error(`unknown estimation method ${method}`);
}

/** drdid_panel, in three fused passes (it is the default and runs on every cell of large panels). */
function drPanel(dy: Float64Array, D: Float64Array, d: Design, p: Propensity, passes?: CellPasses): CellFit {
  const { x, n, k } = d;
  const { ps, trim, bread, controlBread } = p;
  if (!controlBread || !bread) return { problem: collinear };
  const on = passes ?? arrayPasses({ x, D, dy, ps, trim, r: new Float64Array(n), wc: new Float64Array(n) }, n, k);
  // Outcome model: OLS of dY on X over the controls; r = dY - m(X).
  const xty = new Float64Array(k);
  on.drMoments(xty);
  const b = matVec(controlBread, xty, k);
  // Sums and moments in one pass: M1 = sum wt x, M3 = sum wc x, and sum wc r x, from which M2 = sum wc (r -
  // ec) x = sum wc r x - ec M3 (the 1/n of the means cancels the n of the scaled breads (X'WX / n)^{-1}).
  const sums = new Float64Array(4);
  const M1 = new Float64Array(k);
  const M3 = new Float64Array(k);
  const Mr = new Float64Array(k);
  on.drSums(b, sums, M1, M3, Mr);
  const [swt, swc, swtr, swcr] = sums;
  const et = swtr / swt;
  const ec = swcr / swc;
  const M2 = Mr.map((v, a) => v - ec * M3[a]);
  const v1 = matVec(controlBread, M1, k);
  const v2 = matVec(bread, M2, k);
  const v3 = matVec(controlBread, M3, k);
  on.drInfluence(v1, v2, v3, et, ec, swt / n, swc / n);
  return { att: et - ec, inf: on.arrays().r, propensityConverged: p.converged };
}
