// One group-time cell of Callaway-Sant'Anna on repeated cross sections: a 2x2 difference in differences of
// the outcome y between the cohort (D = 1) and its controls (D = 0), before (post = 0: the base period)
// and after (post = 1: period t), each observation with its own covariates X (intercept first), by one
// of Sant'Anna and Zhao's (2020) estimators for repeated cross sections, with its influence function (one
// value per observation of the cell). Definitions follow the DRDID package that the did package calls
// (unit weights 1); mu_dp(x) below is a least-squares outcome model fitted on the observations with D = d
// and post = p.
//   dr      drdid_rc, the locally efficient estimator: logit propensity, the normalised inverse probability
//           weighted contrasts of y - mu_0post(x) (or mu_0pre(x)) plus the cohort's means of mu_1p - mu_0p
//           in each period; the influence function carries the estimation effects of the logit and of
//           all four outcome models.
//   dr-imp  drdid_imp_rc: the same with the tilting propensity and the control outcome models weighted by
//           ps / (1 - ps), which makes those nuisance effects vanish; the cohort's models still enter.
//   ipw     std_ipw_did_rc: normalised inverse probability weighting with the logit's effect.
//   reg     reg_did_rc: cohort's change in mean y minus its mean of mu_0post(x) - mu_0pre(x).
// Trimming (controls with ps >= 0.995 get weight 0) and the cap ps <= 1 - 1e-6 as in DRDID.
import { colSumsWeighted, linearPredictor, logistic, logitFit, matVec, invertedCross, tiltingFit, weightedLeastSquares, type Design } from "./cs-nuisance.js";
import { TRIM_LEVEL, type CellFit, type EstMethod } from "./cs-panel-2x2.js";

const PS_CAP = 1 - 1e-6;
const collinear = "the covariates are collinear (or constant) among this cell's observations in one of its four cohort x period blocks";

const mean = (v: Float64Array) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
};

/** An outcome model fitted on the rows with weight w > 0: its predictions for every row and its linear
 *  representation r_i = w_i (y_i - x_i'b) x_i' (X' W X / n)^{-1}, applied to a moment vector on demand. */
interface OutcomeModel {
  readonly fitted: Float64Array;
  /** r_i . v for every row. */
  rep(v: Float64Array): Float64Array;
}

function outcomeModel(d: Design, y: Float64Array, w: Float64Array): OutcomeModel | null {
  const inv = invertedCross(d, w);
  if (!inv) return null;
  const b = weightedLeastSquares(d, y, w)!;
  const fitted = linearPredictor(d, b);
  return {
    fitted,
    rep(v) {
      const xv = linearPredictor(d, matVec(inv, v, d.k).map((x) => x * d.n));
      return xv.map((x, i) => w[i] * (y[i] - fitted[i]) * x);
    },
  };
}

/** Column means of v_i x_i. */
const colMeans = (d: Design, v: Float64Array) => colSumsWeighted(d, v).map((x) => x / d.n);

/** w (a - m) / mean(w) and its mean: one normalised weighted average and its summands. */
function weighted(w: Float64Array, a: Float64Array, m?: Float64Array) {
  const mw = mean(w);
  const eta = w.map((wi, i) => (wi * (a[i] - (m ? m[i] : 0))) / mw);
  const att = mean(eta);
  // eta - w att / mean(w): the influence function of the normalised average.
  const inf = eta.map((e, i) => e - (w[i] * att) / mw);
  return { att, inf, mw };
}

export function rcCell(method: EstMethod, y: Float64Array, post: Float64Array, D: Float64Array, d: Design, start?: Float64Array): CellFit {
  const n = d.n;
  const blocks = (dd: number, pp: number) => D.map((x, i) => (x === dd && post[i] === pp ? 1 : 0));
  const c0 = blocks(0, 0);
  const c1 = blocks(0, 1);
  const t0 = blocks(1, 0);
  const t1 = blocks(1, 1);

  if (method === "reg") {
    const pre = outcomeModel(d, y, c0);
    const pst = outcomeModel(d, y, c1);
    if (!pre || !pst) return { problem: collinear };
    const tPre = weighted(t0, y);
    const tPost = weighted(t1, y);
    const cont = weighted(D, pst.fitted, pre.fitted);
    const M1 = colMeans(d, D);
    const rPost = pst.rep(M1);
    const rPre = pre.rep(M1);
    const inf = new Float64Array(n);
    for (let i = 0; i < n; i++) inf[i] = tPost.inf[i] - tPre.inf[i] - (cont.inf[i] + (rPost[i] - rPre[i]) / cont.mw);
    return { att: tPost.att - tPre.att - cont.att, inf, propensityConverged: true };
  }

  const logit = logitFit(d, D, start);
  if (!logit) return { problem: collinear };
  const fit = method === "dr-imp" ? tiltingFit(d, D, logit.coef) : logit;
  if (!fit) return { problem: collinear };
  const converged = logit.converged && fit.converged;
  const eta = linearPredictor(d, fit.coef);
  const ps = eta.map((e) => Math.min(logistic(e), PS_CAP));
  const trim = ps.map((p, i) => (D[i] === 1 || p < TRIM_LEVEL ? 1 : 0));
  const odds = ps.map((p) => p / (1 - p));
  const wc0 = c0.map((c, i) => trim[i] * odds[i] * c);
  const wc1 = c1.map((c, i) => trim[i] * odds[i] * c);
  // The logit's linear representation (D - ps) x' (X' W X / n)^{-1} applied to a moment vector.
  const psRep = (v: Float64Array) => {
    const inv = invertedCross(d, ps.map((p) => p * (1 - p)));
    if (!inv) return null;
    const xv = linearPredictor(d, matVec(inv, v, d.k).map((x) => x * n));
    return xv.map((x, i) => (D[i] - ps[i]) * x);
  };

  if (method === "ipw") {
    const tPre = weighted(t0, y);
    const tPost = weighted(t1, y);
    const cPre = weighted(wc0, y);
    const cPost = weighted(wc1, y);
    const M2pre = colMeans(d, wc0.map((w, i) => w * (y[i] - cPre.att))).map((x) => x / cPre.mw);
    const M2post = colMeans(d, wc1.map((w, i) => w * (y[i] - cPost.att))).map((x) => x / cPost.mw);
    const ePs = psRep(M2post.map((x, a) => x - M2pre[a]));
    if (!ePs) return { problem: collinear };
    const inf = new Float64Array(n);
    for (let i = 0; i < n; i++) inf[i] = tPost.inf[i] - tPre.inf[i] - (cPost.inf[i] - cPre.inf[i] + ePs[i]);
    return { att: tPost.att - tPre.att - (cPost.att - cPre.att), inf, propensityConverged: converged, start: logit.coef };
  }

  // Doubly robust (dr, dr-imp): control outcome models (propensity-odds weighted for dr-imp), cohort models.
  const improved = method === "dr-imp";
  const mc0 = outcomeModel(d, y, improved ? c0.map((c, i) => c * odds[i]) : c0);
  const mc1 = outcomeModel(d, y, improved ? c1.map((c, i) => c * odds[i]) : c1);
  const mt0 = outcomeModel(d, y, t0);
  const mt1 = outcomeModel(d, y, t1);
  if (!mc0 || !mc1 || !mt0 || !mt1) return { problem: collinear };
  const mc = post.map((p, i) => (p === 1 ? mc1.fitted[i] : mc0.fitted[i]));
  // (drdid_rc multiplies the cohort's weights by the trimming indicator too: a no-op, the cohort is never trimmed.)
  const wd = D;
  const wt0 = t0;
  const wt1 = t1;
  const tPre = weighted(wt0, y, mc);
  const tPost = weighted(wt1, y, mc);
  const cPre = weighted(wc0, y, mc);
  const cPost = weighted(wc1, y, mc);
  const dPost = weighted(wd, mt1.fitted, mc1.fitted);
  const dt1Post = weighted(wt1, mt1.fitted, mc1.fitted);
  const dPre = weighted(wd, mt0.fitted, mc0.fitted);
  const dt0Pre = weighted(wt0, mt0.fitted, mc0.fitted);
  const att = tPost.att - tPre.att - (cPost.att - cPre.att) + (dPost.att - dt1Post.att) - (dPre.att - dt0Pre.att);
  const inf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const main = tPost.inf[i] - tPre.inf[i] - (cPost.inf[i] - cPre.inf[i]);
    const eff = dPost.inf[i] - dt1Post.inf[i] - (dPre.inf[i] - dt0Pre.inf[i]);
    inf[i] = main + eff;
  }
  if (improved) return { att, inf, propensityConverged: converged, start: logit.coef };

  // drdid_rc's estimation effects: the control models in the cohort's and the controls' contrasts, the
  // logit in the controls' weights, and the cohort models in the cohort's period means.
  const M1post = colMeans(d, wt1.map((w, i) => w * post[i])).map((x) => -x / tPost.mw);
  const M1pre = colMeans(d, wt0.map((w, i) => w * (1 - post[i]))).map((x) => -x / tPre.mw);
  const M2pre = colMeans(d, wc0.map((w, i) => w * (y[i] - mc[i] - cPre.att))).map((x) => x / cPre.mw);
  const M2post = colMeans(d, wc1.map((w, i) => w * (y[i] - mc[i] - cPost.att))).map((x) => x / cPost.mw);
  const M3post = colMeans(d, wc1.map((w, i) => w * post[i])).map((x) => -x / cPost.mw);
  const M3pre = colMeans(d, wc0.map((w, i) => w * (1 - post[i]))).map((x) => -x / cPre.mw);
  const mwd = mean(wd);
  const momPost = colMeans(d, wd.map((w, i) => w / mwd - wt1[i] / dt1Post.mw));
  const momPre = colMeans(d, wd.map((w, i) => w / mwd - wt0[i] / dt0Pre.mw));
  const ePs = psRep(M2post.map((x, a) => x - M2pre[a]));
  if (!ePs) return { problem: collinear };
  const treatOrPost = mc1.rep(M1post);
  const treatOrPre = mc0.rep(M1pre);
  const contOrPost = mc1.rep(M3post);
  const contOrPre = mc0.rep(M3pre);
  const orPostT = mt1.rep(momPost);
  const orPostC = mc1.rep(momPost);
  const orPreT = mt0.rep(momPre);
  const orPreC = mc0.rep(momPre);
  for (let i = 0; i < n; i++) {
    const treatOr = treatOrPost[i] + treatOrPre[i];
    const or = orPostT[i] - orPostC[i] - (orPreT[i] - orPreC[i]);
    inf[i] += treatOr - (ePs[i] + contOrPost[i] + contOrPre[i]) + or;
  }
  return { att, inf, propensityConverged: converged, start: logit.coef };
}
