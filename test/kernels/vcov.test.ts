// Sandwich meats (assembly/vcov.ts and its mirror) on tiny examples worked out by hand. Scores are
// u_i x_i with u_i = w_i e_i (u_i = e_i without weights). All values are dyadic: results are exact.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { backendNames, freshBackend } from "../helpers/backends.js";

function runHetero(b: Backend, x: number[][], e: number[], w: number[] | null) {
  const a = b.arena();
  const N = e.length;
  const K = x.length;
  const X = a.f64From(x.flat());
  const eB = a.f64From(e);
  const wB = w ? a.f64From(w) : null;
  const v = a.f64(N);
  const out = a.f64(K * K);
  out.view.fill(NaN);
  b.meatHetero(N, K, X, eB, wB, v, out);
  const res = { meat: Array.from(out.view), v: Array.from(v.view), e: Array.from(eB.view) };
  a.release();
  return res;
}

function runCluster(b: Backend, x: number[][], e: number[], w: number[] | null, cl: number[]) {
  const a = b.arena();
  const N = e.length;
  const K = x.length;
  const G = Math.max(...cl) + 1;
  const X = a.f64From(x.flat());
  const eB = a.f64From(e);
  const wB = w ? a.f64From(w) : null;
  const clB = a.i32From(cl);
  const S = a.f64(G * K);
  S.view.fill(NaN); // work space: the kernel must clear it itself
  const out = a.f64(K * K);
  out.view.fill(NaN);
  b.meatCluster(N, K, X, eB, wB, clB, G, S, out);
  const res = { meat: Array.from(out.view) };
  a.release();
  return res;
}

// Shared design: x0 = 1 (intercept), x1 = 1, 2, 3, 4.
const X4 = [
  [1, 1, 1, 1],
  [1, 2, 3, 4],
];

describe.each(backendNames)("meatHetero (%s)", (name) => {
  it("no weights: sum_i e_i^2 x_i x_i'", () => {
    // N = 3, x1 = (1, 2, 3), e = (1, -2, 1): u^2 = (1, 4, 1).
    //   [0][0] = 1 + 4 + 1 = 6;  [0][1] = 1*1 + 4*2 + 1*3 = 12;  [1][1] = 1*1 + 4*4 + 1*9 = 26.
    const r = runHetero(freshBackend(name), [[1, 1, 1], [1, 2, 3]], [1, -2, 1], null);
    expect(r.meat).toEqual([6, 12, 12, 26]);
    expect(r.v).toEqual([1, 4, 1]); // v_N receives u_i^2
    expect(r.e).toEqual([1, -2, 1]); // residuals are read-only
  });

  it("weights: u_i = w_i e_i, so the meat weighs row i by w_i^2 e_i^2", () => {
    // w = (2, 1, 0.5), e = (1, -2, 1): u = (2, -2, 0.5), u^2 = (4, 4, 0.25).
    //   [0][0] = 4 + 4 + 0.25 = 8.25;  [0][1] = 4*1 + 4*2 + 0.25*3 = 12.75;
    //   [1][1] = 4*1 + 4*4 + 0.25*9 = 22.25.
    const r = runHetero(freshBackend(name), [[1, 1, 1], [1, 2, 3]], [1, -2, 1], [2, 1, 0.5]);
    expect(r.meat).toEqual([8.25, 12.75, 12.75, 22.25]);
    expect(r.v).toEqual([4, 4, 0.25]);
  });

  it("K = 3, N = 4 (even: no tail element), both triangles filled", () => {
    // x2 = (0, 1, 0, -1), e = (1, 1, -1, 2): u^2 = (1, 1, 1, 4).
    //   [0][0] = 7;  [0][1] = 1 + 2 + 3 + 16 = 22;  [0][2] = 0 + 1 + 0 - 4 = -3;
    //   [1][1] = 1 + 4 + 9 + 64 = 78;  [1][2] = 0 + 2 + 0 - 16 = -14;  [2][2] = 0 + 1 + 0 + 4 = 5.
    const r = runHetero(freshBackend(name), [...X4, [0, 1, 0, -1]], [1, 1, -1, 2], null);
    expect(r.meat).toEqual([7, 22, -3, 22, 78, -14, -3, -14, 5]);
  });
});

describe.each(backendNames)("meatCluster (%s)", (name) => {
  it("no weights: two clusters of two rows", () => {
    // e = (1, -1, 2, -1), clusters (0, 0, 1, 1). Scores e_i (1, x1_i):
    //   row 0: (1, 1)  row 1: (-1, -2)  row 2: (2, 6)  row 3: (-1, -4)
    //   s_0 = (0, -1),  s_1 = (1, 2)
    //   meat = s_0 s_0' + s_1 s_1' = [[0, 0], [0, 1]] + [[1, 2], [2, 4]] = [[1, 2], [2, 5]].
    const r = runCluster(freshBackend(name), X4, [1, -1, 2, -1], null, [0, 0, 1, 1]);
    expect(r.meat).toEqual([1, 2, 2, 5]);
  });

  it("weights: u = w e", () => {
    // w = (1, 2, 1, 0.5), e = (1, -1, 2, -1): u = (1, -2, 2, -0.5). Scores u_i (1, x1_i):
    //   row 0: (1, 1)  row 1: (-2, -4)  row 2: (2, 6)  row 3: (-0.5, -2)
    //   s_0 = (-1, -3),  s_1 = (1.5, 4)
    //   meat = [[1, 3], [3, 9]] + [[2.25, 6], [6, 16]] = [[3.25, 9], [9, 25]].
    const r = runCluster(freshBackend(name), X4, [1, -1, 2, -1], [1, 2, 1, 0.5], [0, 0, 1, 1]);
    expect(r.meat).toEqual([3.25, 9, 9, 25]);
  });

  it("cluster ids need not be contiguous in the rows", () => {
    // clusters (1, 0, 1, 0): s_1 = rows 0, 2 = (1 + 2, 1 + 6) = (3, 7); s_0 = rows 1, 3 = (-2, -6).
    //   meat = [[9, 21], [21, 49]] + [[4, 12], [12, 36]] = [[13, 33], [33, 85]].
    const r = runCluster(freshBackend(name), X4, [1, -1, 2, -1], null, [1, 0, 1, 0]);
    expect(r.meat).toEqual([13, 33, 33, 85]);
  });

  it("one cluster: the meat is the outer product of the total score", () => {
    // s = (1 - 1 + 2 - 1, 1 - 2 + 6 - 4) = (1, 1): meat = [[1, 1], [1, 1]].
    const r = runCluster(freshBackend(name), X4, [1, -1, 2, -1], null, [0, 0, 0, 0]);
    expect(r.meat).toEqual([1, 1, 1, 1]);
  });

  it("every row its own cluster equals the heteroskedastic meat (with and without weights)", () => {
    // s_i = u_i x_i, so sum_i s_i s_i' = sum_i u_i^2 x_i x_i'. Integer and dyadic data: exact.
    const x = [...X4, [0, 1, 0, -1]];
    const e = [1, 1, -1, 2];
    const w = [0.5, 2, 1, 4];
    const b = freshBackend(name);
    expect(runCluster(b, x, e, null, [0, 1, 2, 3]).meat).toEqual(runHetero(b, x, e, null).meat);
    expect(runCluster(b, x, e, w, [3, 2, 1, 0]).meat).toEqual(runHetero(b, x, e, w).meat);
  });
});
