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
import { ROW_BLOCK } from "../row-block.js";
import {
  colSumsWeighted, crossOfControls, invertedCross, linearPredictor, logistic, logitFit, matVec, tiltingFit, weightedLeastSquares, type Design,
} from "./cs-nuisance.js";

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

/** Where panelPropensity writes ps and trim: arrays of at least the cell's length, reused from cell to
 *  cell (a fresh n-length array per cell costs more in first-touch page faults than the fit's arithmetic). */
export interface PropensityBuffers {
  readonly ps: Float64Array;
  readonly trim: Float64Array;
}

/** The propensity score `method` uses (logit, or tilting for dr-imp); null for reg (none) or when the
 *  covariates are collinear. With `into`, ps and trim are views of its arrays (valid until their next use). */
export function panelPropensity(method: EstMethod, d: Design, D: Float64Array, start?: Float64Array, into?: PropensityBuffers): Propensity | null {
  if (method === "reg") return null;
  const tilting = method === "dr-imp";
  const logit = logitFit(d, D, start);
  if (!logit) return null;
  const fit = tilting ? tiltingFit(d, D, logit.coef) : logit;
  if (!fit) return null;
  const { x, n, k } = d;
  const coef = fit.coef;
  const ps = into ? into.ps.subarray(0, n) : new Float64Array(n);
  const trim = into ? into.trim.subarray(0, n) : new Float64Array(n);
  for (let from = 0; from < n; from += ROW_BLOCK) writePropensity(x, k, coef, D, from, Math.min(n, from + ROW_BLOCK), ps, trim);
  // The logit's bread at its last iterate; the weights p (1 - p) are only built when it is missing.
  const bread = tilting ? null : (logit.bread ?? invertedCross(d, ps.map((p) => p * (1 - p))));
  return {
    ps, trim, converged: logit.converged && fit.converged, coef: logit.coef, bread,
    controlBread: method === "dr" ? invertSpd(crossOfControls(d, D), k) : null,
  };
}

/** Rows [from, to) of the capped propensity score and of the trimming indicator (1 = kept). In blocks of
 *  rows (row-block.ts says why). */
function writePropensity(x: Float64Array, k: number, coef: Float64Array, D: Float64Array, from: number, to: number, ps: Float64Array, trim: Float64Array): void {
  for (let i = from; i < to; i++) {
    let eta = 0;
    for (let a = 0; a < k; a++) eta += x[i * k + a] * coef[a];
    const p = Math.min(logistic(eta), PS_CAP);
    ps[i] = p;
    trim[i] = D[i] === 1 || p < TRIM_LEVEL ? 1 : 0;
  }
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

/** Working arrays of dr's passes, of at least the cell's length, reused from cell to cell. */
export interface DrBuffers {
  readonly r: Float64Array;
  readonly wc: Float64Array;
}

/** The cell's 2x2 estimate; `ps` is panelPropensity(method, d, D) (ignored by reg). With `dr`, dr's
 *  influence function is a view of dr.r: the caller copies it out before the next cell. */
export function panelCell(method: EstMethod, dy: Float64Array, D: Float64Array, d: Design, ps: Propensity | null, dr?: DrBuffers): CellFit {
  const n = d.n;
  if (method !== "reg" && !ps) return { problem: collinear };
  if (method === "dr") return drPanel(dy, D, d, ps!, dr);
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

/** drdid_panel, in three fused passes (it is the default and runs on every cell of large panels), each in
 *  blocks of rows (row-block.ts says why). */
function drPanel(dy: Float64Array, D: Float64Array, d: Design, p: Propensity, buffers?: DrBuffers): CellFit {
  const { x, n, k } = d;
  const { ps, trim, bread, controlBread } = p;
  if (!controlBread || !bread) return { problem: collinear };
  // Outcome model: OLS of dY on X over the controls; r = dY - m(X).
  const xty = new Float64Array(k);
  for (let from = 0; from < n; from += ROW_BLOCK) addControlMoments(x, k, D, dy, from, Math.min(n, from + ROW_BLOCK), xty);
  const b = matVec(controlBread, xty, k);
  // Sums and moments in one pass: M1 = sum wt x, M3 = sum wc x, and sum wc r x, from which M2 = sum wc (r -
  // ec) x = sum wc r x - ec M3 (the 1/n of the means cancels the n of the scaled breads (X'WX / n)^{-1}).
  const r = buffers ? buffers.r.subarray(0, n) : new Float64Array(n);
  const wc = buffers ? buffers.wc.subarray(0, n) : new Float64Array(n);
  const sums = new Float64Array(DR_SUMS);
  const M1 = new Float64Array(k);
  const M3 = new Float64Array(k);
  const Mr = new Float64Array(k);
  for (let from = 0; from < n; from += ROW_BLOCK) {
    addDrSums(x, k, dy, D, ps, trim, b, from, Math.min(n, from + ROW_BLOCK), r, wc, sums, M1, M3, Mr);
  }
  const [swt, swc, swtr, swcr] = sums;
  const et = swtr / swt;
  const ec = swcr / swc;
  const M2 = Mr.map((v, a) => v - ec * M3[a]);
  const v1 = matVec(controlBread, M1, k);
  const v2 = matVec(bread, M2, k);
  const v3 = matVec(controlBread, M3, k);
  const mwt = swt / n;
  const mwc = swc / n;
  const at = { et, ec, mwt, mwc };
  for (let from = 0; from < n; from += ROW_BLOCK) writeDrInfluence(x, k, D, ps, trim, wc, v1, v2, v3, at, from, Math.min(n, from + ROW_BLOCK), r);
  return { att: et - ec, inf: r, propensityConverged: p.converged };
}

/** Adds rows [from, to) of X'dY over the controls (D != 1) to xty. */
function addControlMoments(x: Float64Array, k: number, D: Float64Array, dy: Float64Array, from: number, to: number, xty: Float64Array): void {
  for (let i = from; i < to; i++) {
    if (D[i] === 1) continue;
    for (let a = 0; a < k; a++) xty[a] += x[i * k + a] * dy[i];
  }
}

/** Slots of addDrSums' running scalar sums: sum wt, sum wc, sum wt r, sum wc r. */
const DR_SUMS = 4;

/** Rows [from, to) of dr's first pass: writes the residual r = dY - x'b and the control weight wc, adds to
 *  the scalar sums and to the moments M1 = sum wt x, M3 = sum wc x, Mr = sum wc r x. */
function addDrSums(
  x: Float64Array, k: number, dy: Float64Array, D: Float64Array, ps: Float64Array, trim: Float64Array, b: Float64Array, from: number, to: number,
  r: Float64Array, wc: Float64Array, sums: Float64Array, M1: Float64Array, M3: Float64Array, Mr: Float64Array,
): void {
  let swt = sums[0], swc = sums[1], swtr = sums[2], swcr = sums[3];
  for (let i = from; i < to; i++) {
    const ri = dy[i] - rowDot(x, i, b, k);
    r[i] = ri;
    const wti = trim[i] * D[i];
    const wci = (trim[i] * (1 - D[i]) * ps[i]) / (1 - ps[i]);
    wc[i] = wci;
    swt += wti;
    swc += wci;
    swtr += wti * ri;
    swcr += wci * ri;
    const row = i * k;
    for (let a = 0; a < k; a++) {
      const xa = x[row + a];
      M1[a] += wti * xa;
      M3[a] += wci * xa;
      Mr[a] += wci * ri * xa;
    }
  }
  sums[0] = swt;
  sums[1] = swc;
  sums[2] = swtr;
  sums[3] = swcr;
}

/** Rows [from, to) of dr's influence function, written over the residuals r (not needed past their row). */
function writeDrInfluence(
  x: Float64Array, k: number, D: Float64Array, ps: Float64Array, trim: Float64Array, wc: Float64Array, v1: Float64Array, v2: Float64Array,
  v3: Float64Array, at: { readonly et: number; readonly ec: number; readonly mwt: number; readonly mwc: number }, from: number, to: number, r: Float64Array,
): void {
  const { et, ec, mwt, mwc } = at;
  for (let i = from; i < to; i++) {
    // The three rows' dot products x_i'v1, x_i'v2, x_i'v3 in one loop, each summed in its own order (as
    // rowDot sums it: the same bits).
    const row = i * k;
    let x1 = 0, x2 = 0, x3 = 0;
    for (let a = 0; a < k; a++) {
      const xa = x[row + a];
      x1 += xa * v1[a];
      x2 += xa * v2[a];
      x3 += xa * v3[a];
    }
    const wti = trim[i] * D[i];
    const olsRep = (1 - D[i]) * r[i];
    const infT = (wti * (r[i] - et) - olsRep * x1) / mwt;
    const infC = (wc[i] * (r[i] - ec) + (D[i] - ps[i]) * x2 - olsRep * x3) / mwc;
    r[i] = infT - infC;
  }
}
