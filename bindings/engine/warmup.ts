// V8 runs a wasm function in its baseline tier until it has been called enough to be optimised, and a
// long first call (one demeaning of a million rows) stays in the baseline tier to its end: about twice
// slower. Optimised code belongs to the compiled module, so a few small calls of every hot kernel on a
// throwaway instance, right after compiling, make the first real call of any instance fast. Costs a few
// milliseconds once per process. Kernel calls only: the engine depends on no layer above it.
import { cgScratchLength, demeanScratchLength, type Arena, type Backend, type I32Buffer } from "./backend.js";

/** Small calls per kernel: enough for V8's tier-up budget (measured: 20 gives the full speed-up). */
const WARM_CALLS = 20;

export function warmUp(b: Backend): void {
  const a = b.arena();
  try {
    const N = 2000;
    const C = 3;
    const U = 100;
    const T = 20;
    const x = a.f64(N * C);
    for (let i = 0; i < N * C; i++) x.view[i] = Math.sin(i);
    const fe = a.i32(3 * N);
    for (let i = 0; i < N; i++) {
      fe.view[i] = Math.floor(i / T);
      fe.view[N + i] = i % T;
      fe.view[2 * N + i] = i % 7;
    }
    const w = a.f64From(Array.from({ length: N }, (_, i) => 1 + (i % 3)));
    const G2 = a.i32From([U, T]);
    const G3 = a.i32From([U, T, 7]);
    const scratch = a.f64(demeanScratchLength(U + T + 7));
    const iter = a.i32(C);
    const out = a.f64(N * C);
    const A = a.f64(C * C);
    const S = a.f64(U * C);
    const meat = a.f64(C * C);
    const blockSums = a.f64(Math.ceil(N / 512) * ((C * (C + 1)) / 2));
    const v = a.f64(N);
    const m = a.f64(C);
    const ss = a.f64(C);
    const bK = a.f64From([0.5, -0.25]);
    const e = a.f64(N);
    const rhs = a.f64(U + T);
    const coef = a.f64(U + T);
    const unit = a.i32From(fe.view.subarray(0, N));
    const time = a.i32From(fe.view.subarray(N, 2 * N));
    const cells = balancedCells(b, a, unit, time, U, T);
    const twScratch = a.f64((U + T) * C);
    const cgScratch = a.f64(cgScratchLength(U, T, 1, C));
    const nullId = a.i32(T);
    for (let r = 0; r < WARM_CALLS; r++) {
      b.demean(N, C, 2, x, out, fe, G2, null, 1e-8, 50, scratch, iter);
      b.demean(N, C, 2, x, out, fe, G2, w, 1e-8, 50, scratch, iter);
      b.demean(N, C, 3, x, out, fe, G3, null, 1e-8, 50, scratch, iter);
      b.demean(N, C, 1, x, out, fe, G2, null, 1e-8, 50, scratch, iter);
      b.demeanBalanced(N, C, x, out, unit, time, U, T, scratch);
      b.demeanPanelOrder(N, C, x, out, U, T, r % 2, scratch);
      b.twoWayCells(N, unit, time, null, U, T, r % 2 ? w : null, cells.cellStart, cells.cellPeriod, cells.cellWeight, cells.unitWeight,
        cells.periodWeight, cells.cellOf);
      b.demeanTwoWay(N, C, x, out, unit, time, U, T, r % 2 ? w : null, cells.cellStart, cells.cellPeriod, cells.cellWeight, cells.unitWeight,
        cells.factor, twScratch);
      b.fixefSolve(N, 2, fe, G2, null, rhs, 1e-8, 50, scratch, coef);
      // the cells' periods are the coefficient indices of the one fixed effect CG iterates on
      b.fixefCg(N, C, 2, x, out, fe, G2, r % 2 ? w : null, cells.cellStart, cells.cellPeriod, cells.cellWeight, nullId, 1, 1e-8, 5, cgScratch, iter);
      b.crossprod(N, C, x, null, A);
      b.crossprod(N, C, x, w, A);
      b.crossprodAB(N, C, x, 1, out, w, m);
      b.columnMoments(N, C, x, null, m, ss);
      b.residuals(N, 2, x, bK, out, e);
      b.meatCluster(N, C, x, e, null, unit, U, S, meat);
      // their parts on kernel threads (estimators/threaded-sums.ts)
      b.crossprodBlocks(N, C, x, r % 2 ? w : null, 0, Math.ceil(N / 512), blockSums);
      b.clusterScores(N, C, x, e, null, unit, 0, U, S);
      b.clusterScoresRuns(N, C, x, e, null, T, 0, U, S);
      b.clusterMeat(U, C, S, meat);
      b.meatHetero(N, C, x, e, w, v, meat);
    }
  } finally {
    a.release();
  }
}

/**
 * The unit-period cells of the warm-up's balanced, unweighted U x T panel (unit-sorted rows) from the
 * twoWayCells kernel, and the Cholesky factor of its period block with the last period pinned (see
 * bindings/model/two-way-cells.ts), formed in closed form: every unit has weight T and one cell of weight 1
 * per period, so S = U I - (U / T) 11' on the first T - 1 periods. Factored by the cholesky kernel, which
 * warms that one up too. The weighted warm-up calls reuse this factor: their numbers are not looked at.
 */
export function balancedCells(b: Backend, a: Arena, unit: I32Buffer, time: I32Buffer, U: number, T: number) {
  const N = unit.length;
  const cells = {
    cellStart: a.i32(U + 1), cellPeriod: a.i32(N), cellWeight: a.f64(N), unitWeight: a.f64(U), periodWeight: a.f64(T), cellOf: a.i32(T),
  };
  b.twoWayCells(N, unit, time, null, U, T, null, cells.cellStart, cells.cellPeriod, cells.cellWeight, cells.unitWeight, cells.periodWeight,
    cells.cellOf);
  const m = T - 1;
  const S = a.f64(m * m);
  for (let s = 0; s < m; s++) for (let t = 0; t < m; t++) S.view[s * m + t] = (s === t ? U : 0) - U / T;
  const factor = a.f64(m * m);
  b.cholesky(m, S, factor, a.i32From(new Array(m).fill(1)), 0);
  return { ...cells, factor };
}
