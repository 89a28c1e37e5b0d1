// The reference backend: the kernels in plain TypeScript on ordinary typed arrays. It exists so every
// wasm kernel can be checked against an independent, readable implementation, and as a fallback where
// WebAssembly is unavailable.
import type { Arena, Backend, F64Buffer, I32Buffer } from "../backend.js";
import { demean, demeanBalanced, fixefSolve } from "./demean.js";
import { demeanTwoWay } from "./demean-twoway.js";
import { twoWayCells } from "./twoway-cells.js";
import { cholInverse, cholSolve, cholesky, columnMoments, crossprod, crossprodAB, crossprodIndicators, residuals } from "./linalg.js";
import { meatCluster, meatHetero } from "./vcov.js";
import { wildBootstrapT, wildFillWeights } from "./resample.js";
import { logitIrls } from "./logit.js";
import { Xoshiro128 } from "../../random/xoshiro.js";

class ArrayF64 implements F64Buffer {
  readonly view: Float64Array;
  constructor(readonly length: number, view?: Float64Array) {
    this.view = view ?? new Float64Array(length);
  }
}

class ArrayI32 implements I32Buffer {
  readonly view: Int32Array;
  constructor(readonly length: number) {
    this.view = new Int32Array(length);
  }
}

class ReferenceArena implements Arena {
  f64(length: number): F64Buffer {
    return new ArrayF64(length);
  }
  i32(length: number): I32Buffer {
    return new ArrayI32(length);
  }
  f64From(values: ArrayLike<number>): F64Buffer {
    const b = new ArrayF64(values.length);
    b.view.set(values);
    return b;
  }
  i32From(values: ArrayLike<number>): I32Buffer {
    const b = new ArrayI32(values.length);
    b.view.set(values);
    return b;
  }
  f64Part(buffer: F64Buffer, offset: number, length: number): F64Buffer {
    if (offset < 0 || offset + length > buffer.length) throw new RangeError("f64Part outside its buffer");
    return new ArrayF64(length, buffer.view.subarray(offset, offset + length));
  }
  release(): void {
    // Garbage-collected: nothing to free.
  }
}

const v = (b: F64Buffer | null): Float64Array | null => (b === null ? null : b.view);

export function createReferenceBackend(): Backend {
  return {
    name: "reference",
    simd: false,
    arena: () => new ReferenceArena(),
    demean: (N, C, Q, inp, out, fe, G, w, tol, maxIter, scratch, iter) =>
      demean(N, C, Q, inp.view, out.view, fe.view, G.view, v(w), tol, maxIter, scratch.view, iter.view),
    fixefSolve: (N, Q, fe, G, w, rhs, threshold, maxIter, scratch, coef) =>
      fixefSolve(N, Q, fe.view, G.view, v(w), rhs.view, threshold, maxIter, scratch.view, coef.view),
    crossprod: (N, K, X, w, out) => crossprod(N, K, X.view, v(w), out.view),
    demeanBalanced: (N, C, inp, out, unit, time, U, T, scratch) =>
      demeanBalanced(N, C, inp.view, out.view, unit.view, time.view, U, T, scratch.view),
    twoWayCells: (N, unit, period, order, U, P, w, cellStart, cellPeriod, cellWeight, unitWeight, periodWeight, cellOf) =>
      twoWayCells(N, unit.view, period.view, order ? order.view : null, U, P, v(w), cellStart.view, cellPeriod.view, cellWeight.view,
        unitWeight.view, periodWeight.view, cellOf.view),
    demeanTwoWay: (N, C, inp, out, unit, period, U, P, w, cellStart, cellPeriod, cellWeight, unitWeight, L, scratch) =>
      demeanTwoWay(N, C, inp.view, out.view, unit.view, period.view, U, P, v(w), cellStart.view, cellPeriod.view, cellWeight.view,
        unitWeight.view, L.view, scratch.view),
    crossprodAB: (N, Ka, A, Kb, B, w, out) => crossprodAB(N, Ka, A.view, Kb, B.view, v(w), out.view),
    columnMoments: (N, C, X, w, mean, ss) => columnMoments(N, C, X.view, v(w), mean.view, ss.view),
    crossprodIndicators: (N, C, A, w, code, P, out) => crossprodIndicators(N, C, A.view, v(w), code.view, P, out.view),
    residuals: (N, K, X, b, y, e) => residuals(N, K, X.view, b.view, y.view, e.view),
    cholesky: (K, A, L, keep, tol) => cholesky(K, A.view, L.view, keep.view, tol),
    cholSolve: (K, L, keep, b, x) => cholSolve(K, L.view, keep.view, b.view, x.view),
    cholInverse: (K, L, keep, inv, work) => cholInverse(K, L.view, keep.view, inv.view, work.view),
    meatHetero: (N, K, X, e, w, vN, out) => meatHetero(N, K, X.view, e.view, v(w), vN.view, out.view),
    meatCluster: (N, K, X, e, w, cl, G, S, out) => meatCluster(N, K, X.view, e.view, v(w), cl.view, G, S.view, out.view),
    rngFillU32: (seed, stream, N, out) => {
      const g = new Xoshiro128(seed, stream);
      for (let i = 0; i < N; i++) out.view[i] = g.u32() | 0;
    },
    rngFillUniform: (seed, stream, N, out) => {
      const g = new Xoshiro128(seed, stream);
      for (let i = 0; i < N; i++) out.view[i] = g.uniform();
    },
    rngFillBelow: (seed, stream, n, N, out) => {
      const g = new Xoshiro128(seed, stream);
      for (let i = 0; i < N; i++) out.view[i] = g.below(n) | 0;
    },
    wildBootstrapT: (G, K, T0, T1, c, cIdx, factor, kind, seed, firstRep, B, scratch, t, mom) =>
      wildBootstrapT(G, K, T0.view, v(T1), c.view, cIdx, factor, kind, seed, firstRep, B, scratch.view, t.view, v(mom)),
    wildFillWeights: (kind, seed, firstRep, B, G, out) => wildFillWeights(kind, seed, firstRep, B, G, out.view),
    logitIrls: (N, K, X, y, pw, beta, eta, w, r, xtwx, score) =>
      logitIrls(N, K, X.view, y.view, v(pw), beta.view, eta.view, w.view, r.view, xtwx.view, score.view),
  };
}
