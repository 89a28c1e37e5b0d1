// Least squares and Poisson maximum likelihood for the extended TWFE regression from per-cell sufficient
// statistics (see etwfe-layout.ts: every regressor is a . z inside a cell, z = (1, controls)). X'WX is
// sum over cells of a_e' S_c a_f with S_c = sum_i w_i z_i z_i', X'Wu likewise; a row's linear predictor is
// z_i . b_c with b_c = sum_e beta_e a_e. One pass over the rows per fit (per Newton step for Poisson)
// costs O(n k^2), independent of the number of interactions.
import { DidwasmError } from "../../errors.js";
import { exp, log } from "../../stats/libm.js";
import type { EtwfeLayout } from "./etwfe-layout.js";
import { invertSpd } from "../../linalg/small.js";
import type { Arena, Backend, F64Buffer, I32Buffer } from "../../engine/backend.js";
import { freshCopy, freshF64 } from "../../engine/fresh-arrays.js";

export interface EtwfeRows {
  /** Per sample row: its cell (cohort index * T + period index). */
  readonly cell: Int32Array;
  readonly y: Float64Array;
  /** The controls over the sample rows. */
  readonly xs: readonly Float64Array[];
}

export interface CompressedFit {
  /** Every layout column; NaN where dropped as collinear. */
  readonly coef: Float64Array;
  /** Columns kept, increasing. */
  readonly kept: Int32Array;
  /** (X'WX)^-1 over the kept columns, row-major. */
  readonly bread: Float64Array;
  /** Residuals (y - fitted) per sample row: the scores are z_i times them, cell by cell. */
  readonly resid: Float64Array;
  readonly rss: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly deviance: number | null;
}

/** Relative pivot below which a column counts as collinear with the ones before it (fixest's collin.tol). */
const COLLIN_TOL = 1e-10;
/** Poisson: fixest's glm.tol on the relative change of the deviance, and its iteration cap. */
const GLM_TOL = 1e-8;
const GLM_MAX_ITER = 25;

/** Bytes a row takes in RowsOnEngine's buffers: its cell (4), k controls, y, the predictor or residual and
 *  the response (8 each), and for a weighted (Poisson) fit its weight (8). */
export function rowsOnEngineBytes(k: number, weighted: boolean): number {
  return 4 + 8 * (k + 3) + (weighted ? 8 : 0);
}

/**
 * The rows' passes on an engine (its etwfeCellSums and etwfePredict kernels, assembly/etwfe-cells.ts): the
 * cells and controls are copied into its memory once, for every pass of a fit. Release when done.
 */
export class RowsOnEngine {
  private readonly arena: Arena;
  private readonly n: number;
  private readonly m: number;
  private readonly cell: I32Buffer;
  private readonly xs: F64Buffer | null;
  private readonly y: F64Buffer;
  private readonly out: F64Buffer;
  private readonly S: F64Buffer;
  private readonly r: F64Buffer;
  private readonly z: F64Buffer;
  private readonly b: F64Buffer;
  private w: F64Buffer | null = null;
  private readonly u: F64Buffer;

  constructor(private readonly backend: Backend, L: EtwfeLayout, rows: EtwfeRows) {
    const n = rows.cell.length;
    const m = L.k + 1;
    const C = L.entries.length;
    const arena = backend.arena();
    this.arena = arena;
    this.n = n;
    this.m = m;
    this.cell = arena.i32From(rows.cell);
    const k = rows.xs.length;
    this.xs = k > 0 ? arena.f64(k * n, false) : null;
    this.y = arena.f64From(rows.y);
    this.out = arena.f64(n, false);
    this.u = arena.f64(n, false);
    this.S = arena.f64(C * m * m);
    this.r = arena.f64(C * m);
    this.z = arena.f64(m);
    this.b = arena.f64(C * m);
    // views once every buffer exists (an allocation may grow the memory, which detaches older views)
    const xs = this.xs;
    if (xs) rows.xs.forEach((x, l) => xs.view.set(x, l * n));
  }

  /** Per cell sums of w z z' ((k+1)^2) and of w u z (k+1); `w` null: every weight 1. */
  cellSums(w: Float64Array | null, u: Float64Array): { S: Float64Array; r: Float64Array } {
    const wBuf = w ? (this.w ??= this.arena.f64(this.n, false)) : null;
    if (wBuf && w) wBuf.view.set(w);
    this.u.view.set(u);
    this.S.view.fill(0);
    this.r.view.fill(0);
    this.backend.etwfeCellSums(this.n, this.m, this.cell, this.xs, wBuf, this.u, this.S, this.r, this.z);
    return { S: this.S.view.slice(), r: this.r.view.slice() };
  }

  /** z_i . b_{cell(i)} for every row (b: per cell, cellPredictors), into `into`. */
  linearPredictor(b: Float64Array, into: Float64Array): Float64Array {
    this.b.view.set(b);
    this.backend.etwfePredict(this.n, this.m, this.cell, this.xs, this.b, null, this.out);
    into.set(this.out.view);
    return into;
  }

  /** y - z_i . b_{cell(i)} for every row, into a fresh array, and its sum of squares (in row order). */
  residuals(b: Float64Array): { resid: Float64Array; rss: number } {
    this.b.view.set(b);
    const rss = this.backend.etwfePredict(this.n, this.m, this.cell, this.xs, this.b, this.y, this.out);
    return { resid: freshCopy(this.out.view), rss };
  }

  release(): void {
    this.arena.release();
  }
}

/** X'WX (p x p) and X'Wu (p) from the cell sums. */
function crossproducts(L: EtwfeLayout, S: Float64Array, r: Float64Array): { xtx: Float64Array; xtu: Float64Array } {
  const m = L.k + 1;
  const p = L.names.length;
  const xtx = new Float64Array(p * p);
  const xtu = new Float64Array(p);
  const Sa = new Float64Array(m);
  L.entries.forEach(({ cols, a }, c) => {
    const base = c * m * m;
    for (let e = 0; e < cols.length; e++) {
      // Sa = S_c a_e, then a_f . Sa for every f of the cell
      for (let q = 0; q < m; q++) {
        let s = 0;
        for (let t = 0; t < m; t++) s += S[base + q * m + t] * a[e * m + t];
        Sa[q] = s;
      }
      let u = 0;
      for (let t = 0; t < m; t++) u += a[e * m + t] * r[c * m + t];
      xtu[cols[e]] += u;
      for (let f = 0; f < cols.length; f++) {
        let s = 0;
        for (let t = 0; t < m; t++) s += a[f * m + t] * Sa[t];
        xtx[cols[e] * p + cols[f]] += s;
      }
    }
  });
  return { xtx, xtu };
}

/** Columns in order, each kept unless it is (nearly) a combination of the kept ones before it. */
function keptColumns(xtx: Float64Array, p: number): Int32Array {
  const kept: number[] = [];
  const Lf: number[][] = []; // rows of the Cholesky factor of the kept block
  for (let j = 0; j < p; j++) {
    const d0 = xtx[j * p + j];
    if (!(d0 > 0)) continue;
    // forward substitution: row = L^-1 xtx[kept, j]
    const row: number[] = new Array(kept.length);
    for (let a = 0; a < kept.length; a++) {
      let s = xtx[j * p + kept[a]];
      for (let b = 0; b < a; b++) s -= Lf[a][b] * row[b];
      row[a] = s / Lf[a][a];
    }
    let d = d0;
    for (const v of row) d -= v * v;
    if (!(d > COLLIN_TOL * d0)) continue;
    row.push(Math.sqrt(d));
    Lf.push(row);
    kept.push(j);
  }
  return Int32Array.from(kept);
}

function invertKept(xtx: Float64Array, p: number, kept: Int32Array): Float64Array {
  const K = kept.length;
  const sub = new Float64Array(K * K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) sub[a * K + b] = xtx[kept[a] * p + kept[b]];
  const inv = invertSpd(sub, K);
  if (!inv) throw new DidwasmError("ALL_COLLINEAR", "the extended TWFE regression is singular after removing collinear columns");
  return inv;
}

/** b_c = sum_e beta_e a_e per cell (dropped columns count 0); `only` restricts the columns summed. */
export function cellPredictors(L: EtwfeLayout, coef: Float64Array, only?: (col: number) => boolean): Float64Array {
  const m = L.k + 1;
  const out = new Float64Array(L.entries.length * m);
  L.entries.forEach(({ cols, a }, c) => {
    for (let e = 0; e < cols.length; e++) {
      const b = coef[cols[e]];
      if (!Number.isFinite(b) || (only && !only(cols[e]))) continue;
      for (let t = 0; t < m; t++) out[c * m + t] += b * a[e * m + t];
    }
  });
  return out;
}

function solveKept(bread: Float64Array, xtu: Float64Array, kept: Int32Array, p: number): Float64Array {
  const K = kept.length;
  const coef = new Float64Array(p).fill(NaN);
  for (let a = 0; a < K; a++) {
    let s = 0;
    for (let b = 0; b < K; b++) s += bread[a * K + b] * xtu[kept[b]];
    coef[kept[a]] = s;
  }
  return coef;
}

/** Least squares; the passes over the rows run on `backend`. */
export function fitLeastSquares(L: EtwfeLayout, rows: EtwfeRows, backend: Backend): CompressedFit {
  const p = L.names.length;
  const onEngine = new RowsOnEngine(backend, L, rows);
  try {
    const { S, r } = onEngine.cellSums(null, rows.y);
    const { xtx, xtu } = crossproducts(L, S, r);
    const kept = keptColumns(xtx, p);
    const bread = invertKept(xtx, p, kept);
    const coef = solveKept(bread, xtu, kept, p);
    const { resid, rss } = onEngine.residuals(cellPredictors(L, coef));
    return { coef, kept, bread, resid, rss, iterations: 1, converged: true, deviance: null };
  } finally {
    onEngine.release();
  }
}

function poissonDeviance(y: Float64Array, mu: Float64Array): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) d += 2 * ((y[i] > 0 ? y[i] * log(y[i] / mu[i]) : 0) - (y[i] - mu[i]));
  return d;
}

/** Poisson regression by Newton's method (the log link's IRLS), with step halving when the deviance rises;
 *  the passes over the rows run on `backend`. */
export function fitPoisson(L: EtwfeLayout, rows: EtwfeRows, backend: Backend): CompressedFit {
  const p = L.names.length;
  const n = rows.y.length;
  let ySum = 0;
  for (let i = 0; i < n; i++) {
    if (!(rows.y[i] >= 0)) throw new DidwasmError("BAD_DATA", `a Poisson outcome must be non-negative, but sample row ${i + 1} has ${rows.y[i]}`);
    ySum += rows.y[i];
  }
  if (!(ySum > 0)) throw new DidwasmError("BAD_DATA", "the Poisson outcome is zero on every row of the sample");
  const onEngine = new RowsOnEngine(backend, L, rows);
  try {
    const ones = freshF64(n).fill(1);
    const unweighted = onEngine.cellSums(null, ones);
    const kept = keptColumns(crossproducts(L, unweighted.S, unweighted.r).xtx, p);
    let coef: Float64Array = new Float64Array(p).fill(NaN);
    for (const j of kept) coef[j] = 0;
    coef[kept[0]] = log(ySum / n); // the intercept comes first in the layout
    const setMu = (c: Float64Array) => {
      const mu = onEngine.linearPredictor(cellPredictors(L, c), new Float64Array(n));
      for (let i = 0; i < n; i++) mu[i] = exp(mu[i]);
      return mu;
    };
    let mu = setMu(coef);
    let dev = poissonDeviance(rows.y, mu);
    let converged = false;
    let iterations = 0;
    let bread: Float64Array = new Float64Array(0);
    for (; iterations < GLM_MAX_ITER && !converged; iterations++) {
      const u = new Float64Array(n);
      for (let i = 0; i < n; i++) u[i] = (rows.y[i] - mu[i]) / mu[i];
      const { S, r } = onEngine.cellSums(mu, u);
      const { xtx, xtu } = crossproducts(L, S, r);
      bread = invertKept(xtx, p, kept);
      const step = solveKept(bread, xtu, kept, p);
      let scale = 1;
      for (let half = 0; half < 30; half++, scale /= 2) {
        const next = coef.map((b, j) => b + scale * step[j]);
        const muNext = setMu(next);
        const devNext = poissonDeviance(rows.y, muNext);
        if (Number.isFinite(devNext) && devNext <= dev * (1 + 1e-12)) {
          converged = Math.abs(devNext - dev) / (0.1 + Math.abs(devNext)) < GLM_TOL;
          coef = next;
          mu = muNext;
          dev = devNext;
          break;
        }
      }
    }
    // The bread at the estimate: the Hessian with the final weights.
    const ones2 = freshF64(n);
    const fin = onEngine.cellSums(mu, ones2);
    bread = invertKept(crossproducts(L, fin.S, fin.r).xtx, p, kept);
    const resid = freshF64(n);
    for (let i = 0; i < n; i++) resid[i] = rows.y[i] - mu[i];
    return { coef, kept, bread, resid, rss: NaN, iterations, converged, deviance: dev };
  } finally {
    onEngine.release();
  }
}
