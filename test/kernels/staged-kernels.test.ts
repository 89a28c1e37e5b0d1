// The staged backend (engine/staged/) kernel by kernel, against the wasm backend it streams through: calls
// that fit its heap are copied in whole (bit-identical); larger ones are split, by columns for kernels whose
// columns are independent (bit-identical, with each column's iteration count) and by rows for one-pass sums
// (equal to rounding: the blocks' sums associate differently). A heap of 48 KB makes 1,000-row buffers split.
import { describe, expect, it } from "vitest";
import { WILD_WEIGHT_CODES, demeanScratchFor } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { createStagedBackend } from "../../bindings/engine/staged/staged-backend.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const wasm = createEngine({ backend: "wasm" }).backend;
const staged = createStagedBackend(createEngine({ backend: "wasm" }).backend, { heapBytes: 48_000, blockBytes: 16_000 });
const N = 1000;
const g = new Xoshiro128(21);
const cols = (C: number) => Float64Array.from({ length: N * C }, () => g.normal());
const weights = Float64Array.from({ length: N }, () => 0.5 + g.uniform());
const unit = Int32Array.from({ length: N }, (_, i) => Math.floor(i / 10));
const year = Int32Array.from({ length: N }, (_, i) => (i * 7) % 10);
const maxRel = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]) / Math.max(1e-300, Math.abs(b[i]))), 0);

describe("staged kernels equal the wasm kernels", () => {
  it("demean over 6 columns, split by columns: bit-identical, with each column's iterations", () => {
    const x = cols(6);
    const run = (b: typeof wasm) => {
      const a = b.arena();
      const data = a.f64From(x);
      const fe = a.i32From([...unit, ...year]);
      const iter = a.i32(6);
      const left = b.demean(N, 6, 2, data, data, fe, a.i32From([100, 10]), a.f64From(weights), 1e-10, 500, a.f64(demeanScratchFor([100, 10], 6)), iter);
      return { out: data.view.slice(), iter: Array.from(iter.view), left };
    };
    const [s, w] = [run(staged), run(wasm)];
    expect(s.iter).toEqual(w.iter);
    expect(s.left).toBe(w.left);
    expect(Array.from(s.out)).toEqual(Array.from(w.out));
    expect(Math.max(...w.iter)).toBeGreaterThan(2);
  });

  it("demeanBalanced over 6 columns, split by columns: bit-identical", () => {
    const x = cols(6);
    const run = (b: typeof wasm) => {
      const a = b.arena();
      const data = a.f64From(x);
      b.demeanBalanced(N, 6, data, data, a.i32From(unit), a.i32From(year), 100, 10, a.f64(110));
      return Array.from(data.view);
    };
    const s = run(staged);
    expect(s).toEqual(run(wasm));
    expect(s).not.toEqual(Array.from(x));
  });

  it("demeanPanelOrder over 6 columns, split by columns: bit-identical", () => {
    const x = cols(6);
    const run = (b: typeof wasm) => {
      const a = b.arena();
      const data = a.f64From(x);
      b.demeanPanelOrder(N, 6, data, data, 100, 10, 1, a.f64(110));
      return Array.from(data.view);
    };
    const s = run(staged);
    expect(s).toEqual(run(wasm));
    expect(s).not.toEqual(Array.from(x));
  });

  it("clusterScoresRuns, split into blocks of whole clusters: bit-identical", () => {
    const x = cols(4);
    const e = cols(1);
    const run = (b: typeof wasm, g0: number, g1: number) => {
      const a = b.arena();
      const S = a.f64(100 * 4);
      S.view.fill(7); // rows of other clusters are left as they are
      b.clusterScoresRuns(N, 4, a.f64From(x), a.f64From(e), a.f64From(weights), 10, g0, g1, S);
      return Array.from(S.view);
    };
    for (const [g0, g1] of [[0, 100], [13, 71]]) {
      const s = run(staged, g0, g1);
      expect(s).toEqual(run(wasm, g0, g1));
      expect(s[0]).toBe(g0 > 0 ? 7 : s[0]);
    }
  });

  it("columnMoments, split by columns: bit-identical", () => {
    const x = cols(5);
    const run = (b: typeof wasm) => {
      const a = b.arena();
      const m = a.f64(5);
      const ss = a.f64(5);
      b.columnMoments(N, 5, a.f64From(x), a.f64From(weights), m, ss);
      return [...m.view, ...ss.view];
    };
    expect(run(staged)).toEqual(run(wasm));
  });

  it("crossprod, crossprodAB, crossprodIndicators, meatHetero, meatCluster and residuals, split by rows: equal to rounding", () => {
    const x = cols(4);
    const e = cols(1);
    const code = Int32Array.from({ length: N }, (_, i) => (i % 3 === 0 ? -1 : i % 7));
    const run = (b: typeof wasm) => {
      const a = b.arena();
      const X = a.f64From(x);
      const w = a.f64From(weights);
      const outs: Float64Array[] = [];
      const out = (len: number) => a.f64(len);
      const cp = out(16);
      b.crossprod(N, 4, X, w, cp);
      const ab = out(8);
      b.crossprodAB(N, 2, a.f64Part(X, 0, 2 * N), 2, a.f64Part(X, 2 * N, 2 * N), null, ab);
      const ind = out(4 * 7);
      b.crossprodIndicators(N, 4, X, w, a.i32From(code), 7, ind);
      const v = out(N);
      const het = out(16);
      b.meatHetero(N, 4, X, a.f64From(e), w, v, het);
      const S = out(100 * 4);
      const cl = out(16);
      b.meatCluster(N, 4, X, a.f64From(e), w, a.i32From(unit), 100, S, cl);
      const r = out(N);
      b.residuals(N, 3, a.f64Part(X, N, 3 * N), a.f64From([0.5, -1, 2]), a.f64Part(X, 0, N), r);
      outs.push(cp.view, ab.view, ind.view, v.view, het.view, S.view, cl.view, r.view);
      return outs.map((o) => o.slice());
    };
    const [s, w] = [run(staged), run(wasm)];
    s.forEach((o, k) => expect(maxRel(o, w[k]), `output ${k}`).toBeLessThan(1e-13));
    // Per-row outputs are not sums: bit-identical.
    expect(Array.from(s[3])).toEqual(Array.from(w[3]));
    expect(Array.from(s[7])).toEqual(Array.from(w[7]));
  });

  it("kernels that are never split run whole: the PRNG and the wild bootstrap weights, bit-identical", () => {
    const run = (b: typeof wasm) => {
      const a = b.arena();
      const u = a.f64(500);
      b.rngFillUniform(7, 3, 500, u);
      const below = a.i32(500);
      b.rngFillBelow(7, 4, 1e6, 500, below);
      const v = a.f64(20 * 30);
      b.wildFillWeights(WILD_WEIGHT_CODES.webb, 9, 0, 20, 30, v);
      return [...u.view, ...below.view, ...v.view];
    };
    expect(run(staged)).toEqual(run(wasm));
  });

  it("a call of a kernel that cannot be split and does not fit the heap is refused with TOO_LARGE", () => {
    const a = staged.arena();
    expect(() => staged.rngFillUniform(1, 1, 10_000, a.f64(10_000))).toThrow(expect.objectContaining({ code: "TOO_LARGE" }));
  });
});
