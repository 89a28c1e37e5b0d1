// etwfe's emfx(): the average over treated observations of the effect of switching the treatment dummy
// on, by group (one overall ATT, by cohort, by calendar period, by event time), each observation weighing
// one. For least squares an observation's effect is its cell's coefficient plus the cell's control
// interactions at its demeaned controls; for Poisson it is on the response scale, exp(xb) - exp(xb without
// the treatment terms). Standard errors by the delta method (the gradient of the average with respect to
// the coefficients, exact here), with normal p-values and intervals as marginaleffects reports them.
import { exp } from "../../stats/libm.js";
import { normalCdf, normalQuantile } from "../../stats/distributions.js";
import { cellPredictors, type CompressedFit, type EtwfeRows } from "./etwfe-compressed.js";
import type { EtwfeLayout } from "./etwfe-layout.js";
import type { EtwfeFamily } from "./etwfe-variance.js";

export interface EtwfeEffect {
  readonly term: string;
  /** The group: the cohort, the calendar period or the event time (null for the overall ATT). */
  readonly group: number | null;
  readonly rel_time?: number;
  readonly estimate: number;
  readonly std_error: number;
  readonly statistic: number;
  readonly p_value: number;
  readonly conf_low: number;
  readonly conf_high: number;
  /** Treated observations averaged. */
  readonly nobs: number;
}

export interface EffectsRequest {
  readonly layout: EtwfeLayout;
  readonly fit: CompressedFit;
  /** Over the kept columns. */
  readonly vcov: Float64Array;
  readonly rows: EtwfeRows;
  readonly family: EtwfeFamily;
  /** Per sample row: whether it is averaged (a treated observation; see etwfe.ts). */
  readonly averaged: Uint8Array;
  /** The group of a cell (cell id a * T + t), or null to leave it out. */
  readonly groupOf: (cell: number) => number | null;
  readonly term: (group: number) => string;
  readonly level?: number;
}

export interface EffectsResult {
  readonly effects: EtwfeEffect[];
  /** Covariance of the effects, in their order. */
  readonly cov: number[][];
}

export function etwfeEffects(r: EffectsRequest): EffectsResult {
  const { layout: L, fit, rows } = r;
  const m = L.k + 1;
  const C = L.entries.length;
  const isTreatment = (col: number) => L.kinds[col] === "cell" || L.kinds[col] === "cell_x";
  const poisson = r.family === "poisson";
  // Per cell: treated rows averaged, their sums of z (least squares) or of mu1 z, mu0 z and the effects (Poisson).
  const count = new Float64Array(C);
  const s1 = new Float64Array(C * m);
  const s0 = new Float64Array(C * m);
  const effectSum = new Float64Array(C);
  const bAll = cellPredictors(L, fit.coef);
  const bTreat = cellPredictors(L, fit.coef, isTreatment);
  const z = new Float64Array(m);
  z[0] = 1;
  for (let i = 0; i < rows.cell.length; i++) {
    if (!r.averaged[i]) continue;
    const c = rows.cell[i];
    for (let l = 1; l < m; l++) z[l] = rows.xs[l - 1][i];
    count[c]++;
    if (!poisson) {
      for (let t = 0; t < m; t++) s1[c * m + t] += z[t];
      let e = 0;
      for (let t = 0; t < m; t++) e += z[t] * bTreat[c * m + t];
      effectSum[c] += e;
    } else {
      let eta1 = 0;
      let tau = 0;
      for (let t = 0; t < m; t++) {
        eta1 += z[t] * bAll[c * m + t];
        tau += z[t] * bTreat[c * m + t];
      }
      const mu1 = exp(eta1);
      const mu0 = exp(eta1 - tau);
      effectSum[c] += mu1 - mu0;
      for (let t = 0; t < m; t++) {
        s1[c * m + t] += mu1 * z[t];
        s0[c * m + t] += mu0 * z[t];
      }
    }
  }
  // Groups, in increasing order, and the gradient of each group's average over the layout's columns.
  const groups = [...new Set(Array.from({ length: C }, (_, c) => (count[c] > 0 ? r.groupOf(c) : null)).filter((g): g is number => g !== null))].sort((a, b) => a - b);
  const position = new Map(Array.from(fit.kept, (j, a) => [j, a]));
  const K = fit.kept.length;
  const grads = groups.map(() => new Float64Array(K));
  const est = groups.map(() => 0);
  const nobs = groups.map(() => 0);
  for (let c = 0; c < C; c++) {
    if (count[c] === 0) continue;
    const g = r.groupOf(c);
    if (g === null) continue;
    const k = groups.indexOf(g);
    nobs[k] += count[c];
    est[k] += effectSum[c];
    const { cols, a } = L.entries[c];
    for (let e = 0; e < cols.length; e++) {
      const at = position.get(cols[e]);
      if (at === undefined) continue;
      const treat = isTreatment(cols[e]);
      if (!poisson && !treat) continue;
      let d = 0;
      for (let t = 0; t < m; t++) d += a[e * m + t] * (s1[c * m + t] - (poisson && !treat ? s0[c * m + t] : 0));
      grads[k][at] += d;
    }
  }
  groups.forEach((_, k) => {
    est[k] /= nobs[k];
    grads[k] = grads[k].map((x) => x / nobs[k]);
  });
  const V = r.vcov;
  const cov = grads.map((ga) => grads.map((gb) => {
    let s = 0;
    for (let i = 0; i < K; i++) {
      if (ga[i] === 0) continue;
      let row = 0;
      for (let j = 0; j < K; j++) row += V[i * K + j] * gb[j];
      s += ga[i] * row;
    }
    return s;
  }));
  const q = normalQuantile(1 - (1 - (r.level ?? 0.95)) / 2);
  const effects = groups.map((g, k): EtwfeEffect => {
    const se = Math.sqrt(Math.max(cov[k][k], 0));
    const zst = est[k] / se;
    return {
      term: r.term(g), group: g, estimate: est[k], std_error: se, statistic: zst, p_value: 2 * (1 - normalCdf(Math.abs(zst))),
      conf_low: est[k] - q * se, conf_high: est[k] + q * se, nobs: nobs[k],
    };
  });
  return { effects, cov };
}
