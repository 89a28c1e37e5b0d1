// Absorbing fixed effects with varying slopes (fe[x], fe[[x]]; mixed with plain fixed effects), in
// TypeScript: the plain-FE kernels (assembly/demean.ts and the CG and direct methods) are not used here.
//
// WHY IT WORKS. Absorbing a term fe[x1, x2] means regressing the column on, within every group g of fe,
// the basis {1, x1, x2} (fe[[x1, x2]]: {x1, x2}) and keeping the residual. For one term that is one
// weighted least-squares fit per group, exact in one pass. Several terms (firm[year] + year) are
// absorbed by alternating projections: project out each term in turn from the current residual (the
// residual-space form of Gauss-Seidel on the terms' normal equations, which is what fixest's demeaning
// does with slopes); every second sweep Irons-Tuck extrapolation jumps along the direction the residuals
// move in, as fixest and assembly/demean.ts do.
//
// Within a group with an intercept the slope variables are centred on the group's weighted mean first:
// the basis spans the same space, and the group's 2 x 2 (or (1+V) x (1+V)) system is far better
// conditioned for variables such as calendar years. A basis direction the group's values do not span
// (a slope variable constant within the group next to its intercept, zero throughout it for fe[[x]], or
// slope variables collinear there) is left out of that group's projection: the residual is the one
// onto what the group's values do span (sample-slopes.ts notes the variables).
//
// STOPPING RULE (tol), as for plain fixed effects in spirit: a column stops when one more sweep changes
// none of its values by more than tol * s_x, s_x = sd(x) + 1e-6 |mean(x)| (unweighted population sd, as
// the plain kernels use), i.e. no term's fitted values move by more than that. One term: one pass.
import type { F64Buffer } from "../engine/backend.js";
import { DidwasmError } from "../errors.js";
import type { Groups } from "../model/groups.js";
import type { SlopeValues } from "../model/sample-slopes.js";

/** A basis direction of a group is left out when its part not explained by the directions before it has
 *  at most this share of its (uncentred) sum of squares: what exact collinearity leaves is rounding noise
 *  (~1e-30 of it); a slope variable with real variation in the group keeps far more (years 2000-2010
 *  keep ~1e-6). The same bound as COLLINEAR_TOL in ols-core.ts. */
export const SLOPE_RANK_TOL = 1e-10;

type MaybeSlopes = Groups & { readonly slopes?: SlopeValues };

/** Whether any fixed effect has varying slopes (then absorb() hands the job here). */
export function hasSlopes(fixef: readonly Groups[]): boolean {
  return fixef.some((f) => (f as MaybeSlopes).slopes !== undefined);
}

/** One term's projection: per group, the pseudo-inverse of the basis' weighted Gram matrix. */
interface Term {
  readonly ids: Int32Array;
  readonly G: number;
  /** Basis size D (1 for a plain fixed effect). */
  readonly D: number;
  readonly intercept: boolean;
  /** The non-constant basis columns over the rows (centred within groups when there is an intercept). */
  readonly columns: readonly Float64Array[];
  /** G blocks of D x D. */
  readonly inverse: Float64Array;
}

export function absorbWithSlopes(
  n: number, C: number, data: F64Buffer, fixef: readonly Groups[], w: F64Buffer | null, tol: number, maxIter: number,
): { iterations: Int32Array; method: "sweeps" } {
  const weights = w ? w.view : null;
  const terms = fixef.map((f) => termOf(f as MaybeSlopes, weights, n));
  const iterations = new Int32Array(C);
  const view = data.view;
  const acc = new Float64Array(Math.max(...terms.map((t) => t.G * t.D)));
  for (let c = 0; c < C; c++) {
    const x = view.subarray(c * n, (c + 1) * n);
    iterations[c] = absorbColumn(x, terms, weights, acc, tol, maxIter);
  }
  return { iterations, method: "sweeps" };
}

function termOf(f: MaybeSlopes, w: Float64Array | null, n: number): Term {
  const s = f.slopes;
  const intercept = !s || s.intercept;
  const G = f.G;
  const ids = f.ids;
  const sw = new Float64Array(G);
  for (let i = 0; i < n; i++) sw[ids[i]] += w ? w[i] : 1;
  const columns = (s?.values ?? []).map((x) => {
    if (!intercept) return x;
    const mean = new Float64Array(G);
    for (let i = 0; i < n; i++) mean[ids[i]] += (w ? w[i] : 1) * x[i];
    for (let g = 0; g < G; g++) mean[g] /= sw[g];
    return Float64Array.from(x, (v, i) => v - mean[ids[i]]);
  });
  const D = columns.length + (intercept ? 1 : 0);
  const off = intercept ? 1 : 0;
  // Gram matrices of the basis per group, and each direction's uncentred sum of squares (the scale of
  // SLOPE_RANK_TOL).
  const gram = new Float64Array(G * D * D);
  const raw = new Float64Array(G * D);
  for (let i = 0; i < n; i++) {
    const g = ids[i];
    const wi = w ? w[i] : 1;
    const base = g * D * D;
    if (intercept) {
      gram[base] += wi;
      raw[g * D] += wi;
    }
    for (let a = 0; a < columns.length; a++) {
      const va = columns[a][i];
      const xa = s!.values[a][i];
      raw[g * D + off + a] += wi * xa * xa;
      if (intercept) {
        gram[base + off + a] += wi * va;
        gram[base + (off + a) * D] += wi * va;
      }
      for (let b = 0; b <= a; b++) {
        const v = wi * va * columns[b][i];
        gram[base + (off + a) * D + off + b] += v;
        if (a !== b) gram[base + (off + b) * D + off + a] += v;
      }
    }
  }
  const inverse = new Float64Array(G * D * D);
  const work = { L: new Float64Array(D * D), Li: new Float64Array(D * D), keep: new Int32Array(D) };
  for (let g = 0; g < G; g++) pseudoInverse(gram.subarray(g * D * D, (g + 1) * D * D), raw.subarray(g * D, (g + 1) * D), D, inverse.subarray(g * D * D, (g + 1) * D * D), work);
  return { ids, G, D, intercept, columns, inverse };
}

/** out = the inverse of M restricted to the directions kept by an in-order Cholesky factorisation (a
 *  direction whose pivot is at most SLOPE_RANK_TOL times its raw sum of squares is left out), zero in
 *  the rows and columns of the directions left out. `work` is scratch of D x D, D x D and D. */
function pseudoInverse(
  M: Float64Array, raw: Float64Array, D: number, out: Float64Array, work: { L: Float64Array; Li: Float64Array; keep: Int32Array },
): void {
  const { L, Li, keep } = work;
  let K = 0;
  for (let j = 0; j < D; j++) {
    for (let a = 0; a < K; a++) {
      const k = keep[a];
      let s = M[j * D + k];
      for (let b = 0; b < a; b++) s -= L[j * D + keep[b]] * L[k * D + keep[b]];
      L[j * D + k] = s / L[k * D + k];
    }
    let pivot = M[j * D + j];
    for (let a = 0; a < K; a++) pivot -= L[j * D + keep[a]] * L[j * D + keep[a]];
    if (!(raw[j] > 0) || pivot <= SLOPE_RANK_TOL * raw[j]) continue;
    L[j * D + j] = Math.sqrt(pivot);
    keep[K++] = j;
  }
  // Inverse of the kept lower-triangular factor, then M^-1 = L^-T L^-1 over the kept directions.
  Li.fill(0);
  for (let a = 0; a < K; a++) {
    Li[a * K + a] = 1 / L[keep[a] * D + keep[a]];
    for (let b = 0; b < a; b++) {
      let s = 0;
      for (let m = b; m < a; m++) s += L[keep[a] * D + keep[m]] * Li[m * K + b];
      Li[a * K + b] = -s / L[keep[a] * D + keep[a]];
    }
  }
  out.fill(0);
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < K; b++) {
      let s = 0;
      for (let m = Math.max(a, b); m < K; m++) s += Li[m * K + a] * Li[m * K + b];
      out[keep[a] * D + keep[b]] = s;
    }
  }
}

/** r minus its projection on one term's basis, group by group, in place. */
function projectOut(r: Float64Array, t: Term, w: Float64Array | null, acc: Float64Array): void {
  const { ids, D, columns, inverse } = t;
  const off = t.intercept ? 1 : 0;
  const n = r.length;
  acc.fill(0, 0, t.G * D);
  for (let i = 0; i < n; i++) {
    const wr = (w ? w[i] : 1) * r[i];
    const base = ids[i] * D;
    if (off) acc[base] += wr;
    for (let a = 0; a < columns.length; a++) acc[base + off + a] += wr * columns[a][i];
  }
  // Coefficients per group, written over acc (each group's block is read whole before it is written).
  const coef = new Float64Array(D);
  for (let g = 0; g < t.G; g++) {
    const base = g * D;
    for (let a = 0; a < D; a++) {
      let s = 0;
      for (let b = 0; b < D; b++) s += inverse[g * D * D + a * D + b] * acc[base + b];
      coef[a] = s;
    }
    acc.set(coef, base);
  }
  for (let i = 0; i < n; i++) {
    const base = ids[i] * D;
    let fit = off ? acc[base] : 0;
    for (let a = 0; a < columns.length; a++) fit += acc[base + off + a] * columns[a][i];
    r[i] -= fit;
  }
}

/** One sweep: every term projected out in turn. */
function sweep(r: Float64Array, terms: readonly Term[], w: Float64Array | null, acc: Float64Array): void {
  for (const t of terms) projectOut(r, t, w, acc);
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > m) m = d;
  }
  return m;
}

/** Absorbs the terms from x in place; returns the sweeps used, negative when not converged. */
function absorbColumn(x: Float64Array, terms: readonly Term[], w: Float64Array | null, acc: Float64Array, tol: number, maxIter: number): number {
  if (terms.length === 1) {
    projectOut(x, terms[0], w, acc);
    return 1;
  }
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
  const threshold = tol * (Math.sqrt(ss / n) + 1e-6 * Math.abs(mean));
  const X = Float64Array.from(x);
  const GX = new Float64Array(n);
  const GGX = new Float64Array(n);
  let iter = 0;
  for (;;) {
    GX.set(X);
    sweep(GX, terms, w, acc);
    iter++;
    if (maxAbsDiff(GX, X) <= threshold) return finish(x, GX, iter, true);
    GGX.set(GX);
    sweep(GGX, terms, w, acc);
    iter++;
    if (maxAbsDiff(GGX, GX) <= threshold) return finish(x, GGX, iter, true);
    if (iter >= maxIter) return finish(x, GGX, iter, false);
    // Irons-Tuck: X <- GGX - lambda (GGX - GX), lambda = <d1, d2> / <d2, d2>, d1 = GGX - GX,
    // d2 = GGX - 2 GX + X. Every iterate stays x minus a combination of the terms' bases.
    let vprod = 0;
    let ssq = 0;
    for (let i = 0; i < n; i++) {
      const d1 = GGX[i] - GX[i];
      const d2 = d1 - GX[i] + X[i];
      vprod += d1 * d2;
      ssq += d2 * d2;
    }
    if (ssq === 0) return finish(x, GGX, iter, true);
    const lambda = vprod / ssq;
    for (let i = 0; i < n; i++) X[i] = GGX[i] - lambda * (GGX[i] - GX[i]);
  }
}

function finish(x: Float64Array, r: Float64Array, iter: number, converged: boolean): number {
  x.set(r);
  return converged ? iter : -iter;
}

/** For estimators whose refits demean with the plain-FE kernels directly (resampling): varying slopes
 *  are refused there rather than silently absorbed as plain fixed effects. */
export function refuseVaryingSlopes(fixef: ReadonlyArray<{ readonly name: string; readonly slopes?: unknown }>, command: string): void {
  const withSlopes = fixef.filter((f) => f.slopes !== undefined);
  if (withSlopes.length === 0) return;
  throw new DidwasmError(
    "BAD_OPTION",
    `${command} does not support fixed effects with varying slopes (${withSlopes.map((f) => f.name).join(", ")}): use them with fit (feols), or enter the slopes as regressors, e.g. i(fe, x)`,
  );
}
