// The dense kernels (crossprod, cholesky, cholSolve, cholInverse; assembly/linalg.ts and its reference
// mirror) against the ml-matrix oracle (test/oracle/dense.ts) on random, near-collinear and badly scaled
// designs, with and without weights. Tolerances: test/oracle/tolerances.ts.
import { describe, expect, it } from "vitest";
import type { Matrix } from "ml-matrix";
import type { Backend } from "../../bindings/engine/backend.js";
import { COLLINEAR_TOL } from "../../bindings/estimators/ols-core.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { backendNames, freshBackend } from "../helpers/backends.js";
import { nearCopy } from "./data.js";
import {
  columnNorms, equilibratedCondition, gram, inverseGram, leastSquares, matrixOfColumns, scaledMatrixError, scaledVectorError,
  unexplainedShare,
} from "./dense.js";
import { DECISION_MARGIN, crossprodEntryTol, normalEquationsTol } from "./tolerances.js";

/** 700 rows: one full 512-row block of the crossproduct kernel and a partial one. */
const N = 700;

interface DenseCase {
  readonly label: string;
  readonly columns: Float64Array[];
}

function normals(seed: number, n: number): Float64Array {
  const rng = new Xoshiro128(seed, 1);
  return Float64Array.from({ length: n }, () => rng.normal());
}

function cases(): DenseCase[] {
  const ones = new Float64Array(N).fill(1);
  const x = [1, 2, 3, 4].map((s) => normals(100 + s, N).map((v, i) => v + 0.3 * (i % 7)));
  const out: DenseCase[] = [{ label: "random, intercept + 4 columns", columns: [ones, ...x] }];
  for (const s of [1e-3, 1e-4, 1e-6, 1e-9]) {
    out.push({ label: `x2 + ${s} noise after x2`, columns: [ones, x[0], x[1], nearCopy(x[1], s, 9), x[2]] });
  }
  // Regressors of wildly different scales: kappa(X) ~ 1e12, but the equilibrated design is benign.
  out.push({ label: "columns scaled by 1e6 and 1e-6", columns: [ones, x[0].map((v) => v * 1e6), x[1].map((v) => v * 1e-6), x[2]] });
  return out;
}

const weights = Float64Array.from(normals(7, N), (v) => Math.exp(v / 2));

interface KernelRun {
  A: Float64Array;
  rank: number;
  keep: number[];
  coef: Float64Array;
  inv: Float64Array;
}

/** crossprod, cholesky, cholSolve of X'Wy and cholInverse, on one arena, as ols-core.ts chains them. */
function runKernels(b: Backend, cols: Float64Array[], y: Float64Array, w: Float64Array | null): KernelRun {
  const a = b.arena();
  try {
    const K = cols.length;
    const X = a.f64(N * K);
    cols.forEach((c, k) => X.view.set(c, k * N));
    const wB = w ? a.f64From(w) : null;
    const A = a.f64(K * K);
    b.crossprod(N, K, X, wB, A);
    const rhs = a.f64(K);
    b.crossprodAB(N, K, X, 1, a.f64From(y), wB, rhs);
    const L = a.f64(K * K);
    const keep = a.i32From(new Array(K).fill(1));
    const rank = b.cholesky(K, A, L, keep, COLLINEAR_TOL);
    const coef = a.f64(K);
    b.cholSolve(K, L, keep, rhs, coef);
    const inv = a.f64(K * K);
    b.cholInverse(K, L, keep, inv, a.f64(K));
    return { A: A.view.slice(), rank, keep: Array.from(keep.view), coef: coef.view.slice(), inv: inv.view.slice() };
  } finally {
    a.release();
  }
}

/** Columns the Cholesky should keep, by the oracle's 1 - R^2 on the earlier kept columns; null at a
 *  column whose 1 - R^2 is too near the threshold to call (the kernel's choice is then followed). */
function expectedKeep(X: Matrix, w: Float64Array | null, kernelKeep: number[]): Array<number | null> {
  const kept: number[] = [];
  return kernelKeep.map((k, j) => {
    const share = unexplainedShare(X, j, kept, w);
    const call = share <= COLLINEAR_TOL / DECISION_MARGIN ? 0 : share > COLLINEAR_TOL * DECISION_MARGIN ? 1 : null;
    if ((call ?? k) === 1) kept.push(j);
    return call;
  });
}

describe.each(backendNames)("dense kernels against ml-matrix (%s)", (backendName) => {
  const backend = freshBackend(backendName);
  const y = normals(55, N);
  describe.each(cases())("$label", ({ columns }) => {
    it.each([
      ["unweighted", null],
      ["weighted", weights],
    ] as const)("%s: crossproduct, collinearity decisions, solve and inverse", (_, w) => {
      const K = columns.length;
      const X = matrixOfColumns(columns);
      const run = runKernels(backend, columns, y, w);

      const G = gram(X, w);
      for (let j = 0; j < K; j++) {
        for (let k = 0; k < K; k++) {
          let absSum = 0;
          for (let i = 0; i < N; i++) absSum += Math.abs((w ? w[i] : 1) * columns[j][i] * columns[k][i]);
          expect(Math.abs(run.A[j * K + k] - G.get(j, k)), `X'WX[${j}][${k}]`).toBeLessThanOrEqual(crossprodEntryTol(N, absSum));
        }
      }

      expectedKeep(X, w, run.keep).forEach((call, j) => {
        if (call !== null) expect(run.keep[j], `keep[${j}]`).toBe(call);
      });
      const kept = run.keep.flatMap((k, j) => (k ? [j] : []));
      expect(run.rank).toBe(kept.length);

      const Xk = X.subMatrixColumn(kept);
      const d = columnNorms(Xk, w);
      const tol = normalEquationsTol(equilibratedCondition(Xk, w));
      const coef = Float64Array.from(kept, (j) => run.coef[j]);
      expect(scaledVectorError(coef, leastSquares(Xk, y, w), d)).toBeLessThanOrEqual(tol);
      const invKept = Float64Array.from({ length: kept.length ** 2 }, (_, t) => run.inv[kept[Math.floor(t / kept.length)] * K + kept[t % kept.length]]);
      expect(scaledMatrixError(invKept, inverseGram(Xk, w), d)).toBeLessThanOrEqual(tol);
      // Dropped columns: coefficient 0 and zero rows and columns in the inverse (documented in linalg.ts).
      run.keep.forEach((k, j) => {
        if (k) return;
        expect(run.coef[j]).toBe(0);
        for (let t = 0; t < K; t++) expect([run.inv[j * K + t], run.inv[t * K + j]]).toEqual([0, 0]);
      });
    });
  });
});
