// The conjugate-gradient fixed-effects kernel (assembly/fixef-cg.ts, fixef-schur.ts) against its reference
// twin, bit for bit (Object.is: both are IEEE-754 binary64 without fused multiply-add, and the SIMD build
// adds two columns per instruction with the same operations; see test/parity/kernels.test.ts), and against
// exact answers: residuals known by construction (fixef-graphs.ts) and a dense least-squares solve with the
// dummies (ml-matrix's SVD pseudo-inverse, an oracle that shares no code with either backend).
import { Matrix, pseudoInverse } from "ml-matrix";
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { absorb } from "../../bindings/estimators/absorb.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { errorInScale, graphFromCells, randomCells, workerFirmCells, type FixefGraph } from "../helpers/fixef-graphs.js";

const backends = {
  simd: createEngine({ backend: "wasm" }).backend,
  scalar: createEngine({ backend: "wasm", simd: false }).backend,
  reference: createEngine({ backend: "reference" }).backend,
} as const;

const TOL = 1e-8;

/** Absorbs the graph's columns by CG on backend b (rows permuted by `order` when given, in place or not). */
function runCg(b: Backend, G: FixefGraph, order: Int32Array | null = null, maxIter = 10_000) {
  const a = b.arena();
  try {
    const n = G.n;
    const perm = (v: ArrayLike<number>) => (order ? Array.from(order, (i) => v[i]) : Array.from(v));
    const fixef = G.fixef.map((f) => ({ ids: Int32Array.from(perm(f.ids)), G: f.G }));
    const data = a.f64(G.x.length * n);
    G.x.forEach((c, j) => data.view.set(perm(c), j * n));
    const w = G.w ? a.f64From(perm(G.w)) : null;
    const r = absorb(b, a, n, G.x.length, data, fixef, w, TOL, maxIter, "cg");
    expect(r.method).toBe("cg");
    return { out: Float64Array.from(data.view), iter: Int32Array.from(r.iterations) };
  } finally {
    a.release();
  }
}

function firstBitMismatch(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `lengths ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `[${i}]: ${a[i]} vs ${b[i]}`;
  return null;
}

function shuffled(g: Xoshiro128, n: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.below(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

const g = new Xoshiro128(12, 1);
const cases: Array<{ label: string; G: FixefGraph; order?: Int32Array }> = [
  { label: "two fixed effects, random graph", G: graphFromCells(g, randomCells(g, 150, [30, 25]), 2, 3, false) },
  { label: "two, weighted, 9 columns (two blocks)", G: graphFromCells(g, randomCells(g, 150, [40, 12]), 3, 9, true) },
  { label: "three, weighted", G: graphFromCells(g, randomCells(g, 200, [40, 20, 7]), 2, 3, true) },
  { label: "four", G: graphFromCells(g, randomCells(g, 200, [30, 15, 6, 4]), 2, 2, false) },
  { label: "worker-firm, few movers", G: graphFromCells(g, workerFirmCells(g, 300, 6, 40, 0.05, false), 2, 3, false) },
  { label: "worker-firm-year, rows shuffled", G: graphFromCells(g, workerFirmCells(g, 200, 6, 30, 0.05, true), 2, 2, true) },
  // disconnected: two blocks of groups that share no row
  {
    label: "disconnected components",
    G: graphFromCells(g, [...randomCells(g, 80, [20, 10]), ...randomCells(g, 80, [20, 10]).map(([u, f]) => [u + 100, f + 100])], 2, 3, false),
  },
];
cases[5].order = shuffled(g, cases[5].G.n);

describe("fixefCg: wasm (SIMD and scalar) and reference agree bit for bit", () => {
  it.each(cases)("$label", ({ G, order }) => {
    const out = { simd: runCg(backends.simd, G, order), scalar: runCg(backends.scalar, G, order), reference: runCg(backends.reference, G, order) };
    for (const other of ["scalar", "reference"] as const) {
      expect(firstBitMismatch(out[other].out, out.simd.out), `${other} residuals`).toBeNull();
      expect(firstBitMismatch(out[other].iter, out.simd.iter), `${other} iterations`).toBeNull();
    }
    expect(Array.from(out.simd.iter).every((it) => it > 0)).toBe(true);
  });
});

describe("fixefCg returns the exact residuals to the tolerance", () => {
  it.each(cases)("$label: residuals known by construction", ({ G, order }) => {
    const { out, iter } = runCg(backends.simd, G, order);
    expect(Array.from(iter).every((it) => it > 0)).toBe(true);
    expect(errorInScale(out, G, G.e, order ?? null)).toBeLessThan(10 * TOL);
  });

  it.each(cases.filter((c) => c.G.n <= 700))("$label: dense least squares with the dummies", ({ G, order }) => {
    // Columns that are not of the constructed kind: plain noise, whose residual only a solve gives.
    const h = new Xoshiro128(7, G.n);
    const x = [Float64Array.from({ length: G.n }, () => h.normal() * 3 + 1)];
    const noise: FixefGraph = { ...G, x, e: [] };
    const exact = denseResidual(noise, x[0]);
    const { out, iter } = runCg(backends.simd, noise, order);
    expect(iter[0]).toBeGreaterThan(0);
    expect(errorInScale(out, noise, [exact], order ?? null)).toBeLessThan(10 * TOL);
  });

  it("a column the fixed effects explain exactly leaves zero (to rounding), in one iteration or few", () => {
    const G = cases[0].G;
    const x = Float64Array.from({ length: G.n }, (_, i) => G.fixef[0].ids[i] * 0.5 - G.fixef[1].ids[i]);
    const { out, iter } = runCg(backends.simd, { ...G, x: [x], e: [] });
    expect(iter[0]).toBeGreaterThan(0);
    expect(Math.max(...Array.from(out, Math.abs))).toBeLessThan(1e-10);
  });

  it("reports non-convergence as negative iterations, per column", () => {
    // 2 CG iterations, then (absorb.ts) up to 2 sweeps from there: neither converges
    const { iter } = runCg(backends.simd, cases[4].G, null, 2);
    expect(Array.from(iter)).toEqual([-4, -4, -4]);
  });
});

/** x minus its projection on all dummies, weighted: dense pseudo-inverse (rank-deficient D is fine). */
function denseResidual(G: FixefGraph, x: Float64Array): Float64Array {
  const cols = G.fixef.reduce((s, f) => s + f.G, 0);
  const D = new Matrix(G.n, cols);
  const sw = (i: number) => Math.sqrt(G.w ? G.w[i] : 1);
  for (let i = 0; i < G.n; i++) {
    let off = 0;
    for (const f of G.fixef) {
      D.set(i, off + f.ids[i], sw(i));
      off += f.G;
    }
  }
  const xw = Matrix.columnVector(Array.from(x, (v, i) => v * sw(i)));
  const fitted = D.mmul(pseudoInverse(D).mmul(xw));
  return Float64Array.from({ length: G.n }, (_, i) => (xw.get(i, 0) - fitted.get(i, 0)) / sw(i));
}

describe.each(["wasm", "reference"] as const)("fixefCg preconditions (%s)", (name) => {
  it("refuses a scratch too short for one column with a RangeError, before the kernel runs", () => {
    const b = createEngine({ backend: name }).backend;
    const a = b.arena();
    try {
      // 2 units x 2 periods, one cell each: G0 = 2, M = 2, one null label
      const x = a.f64From([1, 2, 3, 5]);
      const out = a.f64(4);
      const run = (len: number) =>
        b.fixefCg(4, 1, 2, x, out, a.i32From([0, 0, 1, 1, 0, 1, 0, 1]), a.i32From([2, 2]), null, a.i32From([0, 2, 4]), a.i32From([0, 1, 0, 1]),
          a.f64From([1, 1, 1, 1]), a.i32From([0, 0]), 1, 1e-8, 100, a.f64(len), a.i32(1));
      expect(() => run(2 + 2 + 2 + 12 + 2 - 1)).toThrow(RangeError);
      expect(Array.from(out.view)).toEqual([0, 0, 0, 0]);
      expect(() => run(2 + 2 + 2 + 12 + 2)).not.toThrow();
      // a 2 x 2 table's residual is its interaction (x00 - x01 - x10 + x11) / 4 = 1/4, with signs + - - +
      expect(Array.from(out.view).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0.25, -0.25, -0.25, 0.25]);
    } finally {
      a.release();
    }
  });
});
