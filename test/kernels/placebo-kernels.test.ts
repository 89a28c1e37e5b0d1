import { describe, expect, it } from "vitest";
import { demeanScratchLength } from "../../bindings/engine/backend.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { backendNames, freshBackend } from "../helpers/backends.js";

describe.each(backendNames)("crossprodAB (%s)", (name) => {
  it("A' B and A' diag(w) B, worked by hand", () => {
    const b = freshBackend(name);
    const a = b.arena();
    // A = [[1,2,3],[0,1,0]] (two columns over 3 rows), B = [[1,1,1],[2,0,-1]]
    // A'B = [[1+2+3, 2+0-3], [0+1+0, 0+0+0]] = [[6,-1],[1,0]]; with w = (1,2,3): [[1+4+9, 2+0-9],[0+2+0, 0]]
    const A = a.f64From([1, 2, 3, 0, 1, 0]);
    const B = a.f64From([1, 1, 1, 2, 0, -1]);
    const out = a.f64(4);
    b.crossprodAB(3, 2, A, 2, B, null, out);
    expect(Array.from(out.view)).toEqual([6, -1, 1, 0]);
    b.crossprodAB(3, 2, A, 2, B, a.f64From([1, 2, 3]), out);
    expect(Array.from(out.view)).toEqual([14, -7, 2, 0]);
    a.release();
  });
});

describe.each(backendNames)("demeanBalanced (%s)", (name) => {
  it("equals x - unit mean - period mean + grand mean, and agrees with the iterative kernel", () => {
    const b = freshBackend(name);
    const a = b.arena();
    const U = 7;
    const T = 5;
    const N = U * T;
    const g = new Xoshiro128(3);
    const x = Array.from({ length: 2 * N }, () => g.uniform() * 10);
    const unit = Array.from({ length: N }, (_, i) => i % U);
    const time = Array.from({ length: N }, (_, i) => Math.floor(i / U));
    const inp = a.f64From(x);
    const out = a.f64(2 * N);
    b.demeanBalanced(N, 2, inp, out, a.i32From(unit), a.i32From(time), U, T, a.f64(U + T));
    const viaMap = a.f64(2 * N);
    b.demean(N, 2, 2, inp, viaMap, a.i32From([...unit, ...time]), a.i32From([U, T]), null, 1e-14, 1000, a.f64(demeanScratchLength(U + T)), a.i32(2));
    const o = Array.from(out.view);
    const m = Array.from(viaMap.view);
    o.forEach((v, i) => expect(Math.abs(v - m[i])).toBeLessThan(1e-12));
    // worked: residual sums within every unit and period are zero
    for (let u = 0; u < U; u++) expect(Math.abs(o.slice(0, N).filter((_, i) => unit[i] === u).reduce((s, v) => s + v, 0))).toBeLessThan(1e-12);
    a.release();
  });
});

describe("parity of the placebo kernels", () => {
  it("wasm and reference give bit-identical results", () => {
    const g = new Xoshiro128(8);
    const N = 1201;
    const A = Array.from({ length: 3 * N }, () => g.uniform() - 0.5);
    const B = Array.from({ length: 5 * N }, () => (g.uniform() < 0.3 ? 1 : 0));
    const w = Array.from({ length: N }, () => 0.5 + g.uniform());
    const run = (name: (typeof backendNames)[number]) => {
      const b = freshBackend(name);
      const a = b.arena();
      const out = a.f64(15);
      b.crossprodAB(N, 3, a.f64From(A), 5, a.f64From(B), a.f64From(w), out);
      const r = Array.from(out.view);
      a.release();
      return r;
    };
    expect(run("wasm")).toEqual(run("reference"));
  });
});
