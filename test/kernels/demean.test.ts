import { describe, expect, it } from "vitest";
import { demeanScratchLength } from "../../bindings/engine/backend.js";
import { backendNames, freshBackend } from "../helpers/backends.js";

function runDemean(name: (typeof backendNames)[number], x: number[][], fe: number[][], w: number[] | null, tol = 1e-10, maxIter = 10000) {
  const b = freshBackend(name);
  const a = b.arena();
  const N = x[0].length;
  const C = x.length;
  const Q = fe.length;
  const G = fe.map((f) => Math.max(...f) + 1);
  const inp = a.f64From(x.flat());
  const out = a.f64(N * C);
  const feB = a.i32From(fe.flat());
  const GB = a.i32From(G);
  const wB = w ? a.f64From(w) : null;
  const sumG = G.reduce((s, g) => s + g, 0);
  const scratch = a.f64(demeanScratchLength(sumG));
  const iter = a.i32(C);
  const failed = b.demean(N, C, Q, inp, out, feB, GB, wB, tol, maxIter, scratch, iter);
  const res = { out: Array.from(out.view), iter: Array.from(iter.view), failed };
  a.release();
  return res;
}

describe.each(backendNames)("demean (%s)", (name) => {
  it("one fixed effect: subtracts group means in one pass", () => {
    // groups {0,1} -> mean 2, {2} -> mean 10: residuals -1, 1, 0
    const r = runDemean(name, [[1, 3, 10]], [[0, 0, 1]], null);
    expect(r.out).toEqual([-1, 1, 0]);
    expect(r.iter).toEqual([1]);
    expect(r.failed).toBe(0);
  });

  it("one fixed effect with weights: weighted group means", () => {
    // group 0: weights 1,3 on 1,5 -> mean (1 + 15)/4 = 4; residuals -3, 1
    const r = runDemean(name, [[1, 5]], [[0, 0]], [1, 3]);
    expect(r.out).toEqual([-3, 1]);
  });

  it("two fixed effects, balanced 2x2: x - row mean - column mean + grand mean", () => {
    // x = [1,2,3,5] over (unit,time) (0,0),(0,1),(1,0),(1,1): unit means 1.5, 4; time means 2, 3.5;
    // grand mean 2.75 -> residuals 0.25, -0.25, -0.25, 0.25
    const r = runDemean(name, [[1, 2, 3, 5]], [[0, 0, 1, 1], [0, 1, 0, 1]], null);
    r.out.forEach((v, i) => expect(v).toBeCloseTo([0.25, -0.25, -0.25, 0.25][i], 14));
    expect(r.failed).toBe(0);
  });

  it("many columns in one call, each with its own iteration count", () => {
    const r = runDemean(name, [[1, 2, 3, 5], [7, 7, 7, 7]], [[0, 0, 1, 1], [0, 1, 0, 1]], null);
    r.out.slice(4).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-12));
    expect(r.iter.every((i) => i > 0)).toBe(true);
  });

  it("unbalanced three-way: the residual is orthogonal to every group dummy", () => {
    const N = 60;
    const fe = [
      Array.from({ length: N }, (_, i) => i % 7),
      Array.from({ length: N }, (_, i) => (i * 3) % 5),
      Array.from({ length: N }, (_, i) => Math.floor(i / 13)),
    ];
    const x = [Array.from({ length: N }, (_, i) => Math.sin(i) * 3 + (i % 4))];
    const r = runDemean(name, x, fe, null, 1e-13);
    expect(r.failed).toBe(0);
    for (const f of fe) {
      const sums = new Map<number, number>();
      f.forEach((g, i) => sums.set(g, (sums.get(g) ?? 0) + r.out[i]));
      for (const s of sums.values()) expect(Math.abs(s)).toBeLessThan(1e-9);
    }
  });

  it("reports non-convergence instead of hiding it", () => {
    const N = 200;
    // A chain graph converges slowly: unit i meets time i and i+1.
    const fe = [Array.from({ length: N }, (_, i) => Math.floor(i / 2)), Array.from({ length: N }, (_, i) => Math.floor((i + 1) / 2))];
    const x = [Array.from({ length: N }, (_, i) => (i * 7919) % 13)];
    const r = runDemean(name, x, fe, null, 1e-14, 3);
    expect(r.failed).toBe(1);
    expect(r.iter[0]).toBe(-3);
  });
});

describe("demean parity", () => {
  it("wasm and reference are bit-identical on seeded data (weights, 3 fixed effects)", () => {
    const N = 5000;
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const fe = [
      Array.from({ length: N }, () => Math.floor(rnd() * 300)),
      Array.from({ length: N }, () => Math.floor(rnd() * 20)),
      Array.from({ length: N }, () => Math.floor(rnd() * 45)),
    ];
    // densify: every id in 0..G-1 must be used
    const dense = fe.map((f) => {
      const m = new Map<number, number>();
      return f.map((g) => m.get(g) ?? (m.set(g, m.size), m.size - 1));
    });
    const x = [Array.from({ length: N }, () => rnd() * 10 - 5), Array.from({ length: N }, () => rnd())];
    const w = Array.from({ length: N }, () => 0.5 + rnd());
    const a = runDemean("wasm", x, dense, w, 1e-9);
    const b = runDemean("reference", x, dense, w, 1e-9);
    expect(a.iter).toEqual(b.iter);
    expect(a.out).toEqual(b.out);
  });
});

describe.each(backendNames)("fixefSolve (%s)", (name) => {
  it("with rhs = D'x, the fitted values D c are x minus its demeaned residual", () => {
    const b = freshBackend(name);
    const a = b.arena();
    const x = [1, 2, 3, 5, 4, 0];
    const fe = [[0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 0, 1]];
    const N = 6;
    const G = [3, 2];
    // rhs: group sums of x: units 3, 8, 4; times 1+3+4 = 8, 2+5+0 = 7
    const rhs = a.f64From([3, 8, 4, 8, 7]);
    const coef = a.f64(5);
    const feB = a.i32From(fe.flat());
    const GB = a.i32From(G);
    const scratch = a.f64(demeanScratchLength(5));
    const sweeps = b.fixefSolve(N, 2, feB, GB, null, rhs, 1e-14, 1000, scratch, coef);
    expect(sweeps).toBeGreaterThan(0);
    const c = Array.from(coef.view);
    const fitted = x.map((_, i) => c[fe[0][i]] + c[3 + fe[1][i]]);
    // balanced 3x2 panel: fitted = unit mean + time mean - grand mean; unit means 1.5, 4, 2; time means
    // 8/3, 7/3; grand mean 2.5
    const expected = [1.5 + 8 / 3 - 2.5, 1.5 + 7 / 3 - 2.5, 4 + 8 / 3 - 2.5, 4 + 7 / 3 - 2.5, 2 + 8 / 3 - 2.5, 2 + 7 / 3 - 2.5];
    fitted.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    a.release();
  });
});
