// Wasm vs reference parity of every kernel on seeded data, and the scalar (non-SIMD) wasm build vs the
// SIMD build.
//
// WHAT IS COMPARED, AND HOW STRICTLY. The reference backend mirrors the kernels operation for operation,
// and the dense kernels (crossprod, the meats) sum in the canonical two-lane order of assembly/dot.ts,
// which the SIMD f64x2 accumulator, the scalar wasm loop and bindings/engine/reference/dot.ts all compute
// exactly. WebAssembly and JavaScript both use IEEE-754 binary64 with round-to-nearest, no fused
// multiply-add and correctly rounded sqrt, so every kernel here (demean, crossprod, cholesky, cholSolve,
// cholInverse, meatHetero, meatCluster) must agree to the last bit: compared with Object.is, element by
// element (which also tells -0 from 0). The only comparisons against a different code path (a naive
// sequential sum) use a relative tolerance.
import { describe, expect, it } from "vitest";
import { demeanScratchLength, type Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** A relative tolerance for comparisons against an independent, differently ordered computation: the
 *  sums here have at most a few thousand terms of similar size, whose rounding error stays far below it. */
const REL_TOL_OTHER_ORDER = 1e-10;

const backends = {
  simd: createEngine({ backend: "wasm" }).backend,
  scalar: createEngine({ backend: "wasm", simd: false }).backend,
  reference: createEngine({ backend: "reference" }).backend,
} as const;

/** First index where a and b differ in bits (Object.is), or null. */
function firstBitMismatch(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `lengths differ: ${a.length} vs ${b.length}`;
  let count = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (first < 0) return null;
  return `${count} of ${a.length} entries differ; first at [${first}]: ${a[first]} vs ${b[first]} (diff ${a[first] - b[first]})`;
}

/** Runs `job` on the SIMD wasm build, the scalar wasm build and the reference backend, and asserts that
 *  every named output is bit-identical across the three. Returns the SIMD build's outputs. */
function expectParity<T extends Record<string, ArrayLike<number> | number>>(job: (b: Backend) => T): T {
  const out = { simd: job(backends.simd), scalar: job(backends.scalar), reference: job(backends.reference) };
  const wrap = (v: ArrayLike<number> | number) => (typeof v === "number" ? [v] : v);
  for (const key of Object.keys(out.simd)) {
    const s = wrap(out.simd[key]);
    expect(firstBitMismatch(wrap(out.reference[key]), s), `${key}: reference vs wasm (SIMD)`).toBeNull();
    expect(firstBitMismatch(wrap(out.scalar[key]), s), `${key}: wasm scalar vs wasm SIMD`).toBeNull();
  }
  return out.simd;
}

// ---------------------------------------------------------------------------------------------------
// Seeded data

function normals(g: Xoshiro128, n: number, scale = 1, shift = 0): number[] {
  return Array.from({ length: n }, () => shift + scale * g.normal());
}

/** Dense ids 0..G'-1 in order of first appearance (every id used, as the kernels require). */
function densify(ids: number[]): number[] {
  const m = new Map<number, number>();
  return ids.map((v) => {
    let id = m.get(v);
    if (id === undefined) m.set(v, (id = m.size));
    return id;
  });
}

function randomIds(g: Xoshiro128, n: number, G: number): number[] {
  return densify(Array.from({ length: n }, () => g.below(G)));
}

function weightsFor(g: Xoshiro128, n: number): number[] {
  return Array.from({ length: n }, () => 0.25 + 2 * g.uniform());
}

/** Columns of very different magnitudes and means, so that the order of summation shows in the last bits. */
function mixedColumns(g: Xoshiro128, C: number, N: number): number[][] {
  return Array.from({ length: C }, (_, c) => normals(g, N, 10 ** ((c % 5) - 2), c % 3 === 0 ? 0 : 100 * (c - 1)));
}

// ---------------------------------------------------------------------------------------------------
// Kernel runners (plain arrays in, plain arrays out; one arena per call, released)

interface DemeanCase {
  label: string;
  x: number[][];
  fe: number[][];
  w: number[] | null;
  tol: number;
  maxIter: number;
  inPlace?: boolean;
}

function runDemean(b: Backend, c: DemeanCase) {
  const a = b.arena();
  try {
    const N = c.x[0].length;
    const C = c.x.length;
    const Q = c.fe.length;
    const G = c.fe.map((f) => Math.max(...f) + 1);
    const inp = a.f64From(c.x.flat());
    const out = c.inPlace ? inp : a.f64(N * C);
    const fe = a.i32From(c.fe.flat());
    const GB = a.i32From(G);
    const w = c.w ? a.f64From(c.w) : null;
    const scratch = a.f64(demeanScratchLength(G.reduce((s, g) => s + g, 0)));
    const iter = a.i32(C);
    const failed = b.demean(N, C, Q, inp, out, fe, GB, w, c.tol, c.maxIter, scratch, iter);
    return { out: Float64Array.from(out.view), iter: Int32Array.from(iter.view), failed };
  } finally {
    a.release();
  }
}

function runCrossprod(b: Backend, x: number[][], w: number[] | null) {
  const a = b.arena();
  try {
    const K = x.length;
    const out = a.f64(K * K);
    b.crossprod(x[0].length, K, a.f64From(x.flat()), w ? a.f64From(w) : null, out);
    return { xtx: Float64Array.from(out.view) };
  } finally {
    a.release();
  }
}

/** crossprod -> cholesky -> cholSolve (several right-hand sides) -> cholInverse, on one arena. */
function runNormalEquations(b: Backend, x: number[][], w: number[] | null, keepIn: number[], rhs: number[][], tol: number) {
  const a = b.arena();
  try {
    const K = x.length;
    const A = a.f64(K * K);
    b.crossprod(x[0].length, K, a.f64From(x.flat()), w ? a.f64From(w) : null, A);
    const L = a.f64(K * K);
    const keep = a.i32From(keepIn);
    const rank = b.cholesky(K, A, L, keep, tol);
    const sol = a.f64(K);
    const xs: number[] = [];
    for (const r of rhs) {
      b.cholSolve(K, L, keep, a.f64From(r), sol);
      xs.push(...sol.view);
    }
    const inv = a.f64(K * K);
    b.cholInverse(K, L, keep, inv, a.f64(K));
    return { A: Float64Array.from(A.view), L: Float64Array.from(L.view), keep: Int32Array.from(keep.view), rank, x: xs, inv: Float64Array.from(inv.view) };
  } finally {
    a.release();
  }
}

function runMeats(b: Backend, x: number[][], e: number[], w: number[] | null, clusters: number[][]) {
  const a = b.arena();
  try {
    const N = e.length;
    const K = x.length;
    const X = a.f64From(x.flat());
    const eB = a.f64From(e);
    const wB = w ? a.f64From(w) : null;
    const hetero = a.f64(K * K);
    const v = a.f64(N);
    b.meatHetero(N, K, X, eB, wB, v, hetero);
    const out: Record<string, Float64Array> = { hetero: Float64Array.from(hetero.view), v: Float64Array.from(v.view) };
    clusters.forEach((cl, j) => {
      const G = Math.max(...cl) + 1;
      const m = a.f64(K * K);
      b.meatCluster(N, K, X, eB, wB, a.i32From(cl), G, a.f64(G * K), m);
      out[`cluster${j}`] = Float64Array.from(m.view);
    });
    return out;
  } finally {
    a.release();
  }
}

// ---------------------------------------------------------------------------------------------------

describe("parity setup", () => {
  it("runs three distinct backends: wasm SIMD, wasm scalar, reference", () => {
    expect(backends.simd.name).toBe("wasm");
    expect(backends.simd.simd).toBe(true); // Node 20 validates the SIMD build
    expect(backends.scalar.name).toBe("wasm");
    expect(backends.scalar.simd).toBe(false);
    expect(backends.reference.name).toBe("reference");
  });
});

describe("demean parity (wasm SIMD = wasm scalar = reference, bit for bit)", () => {
  const g = new Xoshiro128(20240601);
  const panel = (units: number, periods: number, keepShare: number) => {
    const unit: number[] = [];
    const time: number[] = [];
    for (let i = 0; i < units; i++) for (let t = 0; t < periods; t++) if (g.uniform() < keepShare) (unit.push(i), time.push(t));
    return [densify(unit), densify(time)];
  };
  const p2 = panel(300, 12, 0.8); // unbalanced unit x time
  const n2 = p2[0].length;
  const N3 = 4001;
  const fe3 = [randomIds(g, N3, 400), randomIds(g, N3, 25), randomIds(g, N3, 60)];
  // A chain of units and times (unit i meets times i and i+1) converges slowly: exercises many sweeps and
  // the Irons-Tuck steps, and with maxIter = 7 the non-convergence path.
  const Nc = 600;
  const chain = [Array.from({ length: Nc }, (_, i) => Math.floor(i / 2)), Array.from({ length: Nc }, (_, i) => Math.floor((i + 1) / 2))];

  // Stored unit by unit (runs of about 9 rows per unit): the kernels' run-wise loops (see
  // assembly/runs.ts), with every column count from 1 to 9 so that the vector pairs, the odd last
  // column and a second block all occur.
  const pSorted = panel(400, 12, 0.75);
  const nS = pSorted[0].length;
  const sortedCases: DemeanCase[] = [1, 2, 3, 4, 5, 7, 8, 9].flatMap((C) => [
    { label: `2 FE stored by unit, ${C} column(s)`, x: mixedColumns(g, C, nS), fe: pSorted, w: null, tol: 1e-10, maxIter: 10000 },
    { label: `2 FE stored by unit, ${C} column(s), weights`, x: mixedColumns(g, C, nS), fe: pSorted, w: weightsFor(g, nS), tol: 1e-10, maxIter: 10000 },
  ]);
  // The same rows with the fixed effects swapped: runs in the second fixed effect, not the first.
  const swapped: DemeanCase = { label: "2 FE stored by unit, runs in the second fixed effect", x: mixedColumns(g, 5, nS), fe: [pSorted[1], pSorted[0]], w: weightsFor(g, nS), tol: 1e-10, maxIter: 10000 };

  const cases: DemeanCase[] = [
    ...sortedCases,
    swapped,
    { label: "1 FE, 3 columns", x: mixedColumns(g, 3, 2001), fe: [randomIds(g, 2001, 97)], w: null, tol: 1e-8, maxIter: 10000 },
    { label: "1 FE, weights", x: mixedColumns(g, 3, 2001), fe: [randomIds(g, 2001, 97)], w: weightsFor(g, 2001), tol: 1e-8, maxIter: 10000 },
    { label: "2 FE unbalanced panel", x: mixedColumns(g, 4, n2), fe: p2, w: null, tol: 1e-10, maxIter: 10000 },
    { label: "2 FE unbalanced panel, weights", x: mixedColumns(g, 4, n2), fe: p2, w: weightsFor(g, n2), tol: 1e-10, maxIter: 10000 },
    { label: "3 FE random", x: mixedColumns(g, 5, N3), fe: fe3, w: null, tol: 1e-10, maxIter: 10000 },
    { label: "3 FE random, weights", x: mixedColumns(g, 5, N3), fe: fe3, w: weightsFor(g, N3), tol: 1e-10, maxIter: 10000 },
    { label: "4 FE (generic Q path)", x: mixedColumns(g, 2, N3), fe: [...fe3, randomIds(g, N3, 7)], w: weightsFor(g, N3), tol: 1e-9, maxIter: 10000 },
    { label: "2 FE, 40 columns in one call", x: mixedColumns(g, 40, n2), fe: p2, w: weightsFor(g, n2), tol: 1e-9, maxIter: 10000 },
    { label: "2 FE slow chain, converging", x: mixedColumns(g, 2, Nc), fe: chain, w: null, tol: 1e-9, maxIter: 100000 },
    { label: "2 FE slow chain, stopped at maxIter = 7", x: mixedColumns(g, 2, Nc), fe: chain, w: weightsFor(g, Nc), tol: 1e-14, maxIter: 7 },
    { label: "3 FE in place (out aliasing in), as feols calls it", x: mixedColumns(g, 3, N3), fe: fe3, w: weightsFor(g, N3), tol: 1e-10, maxIter: 10000, inPlace: true },
  ];

  it.each(cases)("$label", (c) => {
    const r = expectParity((b) => runDemean(b, c));
    if (c.maxIter === 7) {
      expect(r.failed).toBe(c.x.length);
      expect(Array.from(r.iter)).toEqual(c.x.map(() => -7));
    } else {
      expect(r.failed).toBe(0);
    }
    if (c.label.includes("slow chain, converging")) expect(Math.min(...r.iter)).toBeGreaterThan(10);
  });

  it("stored-by-unit data really has runs (the run-wise loops are what the sorted cases compare)", () => {
    let runs = 1;
    for (let i = 1; i < nS; i++) if (pSorted[0][i] !== pSorted[0][i - 1]) runs++;
    expect(nS / runs).toBeGreaterThanOrEqual(4); // MIN_MEAN_RUN in assembly/runs.ts
  });

  it("the compared results are real demeaned residuals: weighted sums within every group vanish", () => {
    const c = cases.find((x) => x.label === "3 FE random, weights")!;
    const r = runDemean(backends.simd, c);
    const N = c.x[0].length;
    for (let col = 0; col < c.x.length; col++) {
      const scale = Math.max(...c.x[col].map(Math.abs));
      for (const f of c.fe) {
        const sums = new Float64Array(Math.max(...f) + 1);
        for (let i = 0; i < N; i++) sums[f[i]] += c.w![i] * r.out[col * N + i];
        for (const s of sums) expect(Math.abs(s)).toBeLessThan(1e-6 * scale);
      }
    }
  });
});

describe("crossprod parity", () => {
  const g = new Xoshiro128(7);
  const shapes: Array<[number, number]> = [
    [1, 1], [2, 3], [3, 2], [511, 4], [512, 4], [513, 4], [1023, 5], [1025, 5], [5003, 8], [20000, 3],
  ];
  const cases = shapes.flatMap(([N, K]) => {
    const x = mixedColumns(g, K, N);
    return [
      { label: `N=${N} K=${K}`, x, w: null },
      { label: `N=${N} K=${K} weighted`, x, w: weightsFor(g, N) },
    ];
  });

  it.each(cases)("$label", (c) => {
    const r = expectParity((b) => runCrossprod(b, c.x, c.w));
    // Against a naive sequential sum (a different order): equal to rounding.
    const K = c.x.length;
    const N = c.x[0].length;
    for (let j = 0; j < K; j++) for (let k = 0; k < K; k++) {
      let s = 0;
      let sAbs = 0;
      for (let i = 0; i < N; i++) {
        const t = (c.w ? c.w[i] : 1) * c.x[j][i] * c.x[k][i];
        s += t;
        sAbs += Math.abs(t);
      }
      expect(Math.abs(r.xtx[j * K + k] - s)).toBeLessThanOrEqual(REL_TOL_OTHER_ORDER * sAbs);
    }
  });

  it("the bit-for-bit check is discriminating: a naive sequential sum differs in the last bits", () => {
    const c = cases.find((x) => x.label === "N=5003 K=8")!;
    const r = runCrossprod(backends.simd, c.x, null);
    const K = 8;
    let differ = 0;
    for (let j = 0; j < K; j++) for (let k = 0; k < K; k++) {
      let s = 0;
      for (let i = 0; i < c.x[0].length; i++) s += c.x[j][i] * c.x[k][i];
      if (!Object.is(s, r.xtx[j * K + k])) differ++;
    }
    expect(differ).toBeGreaterThan(0);
  });
});

describe("columnMoments parity", () => {
  const g = new Xoshiro128(4242);
  // Every column count 1..9: groups of four columns (one per vector lane in the SIMD build) and the rest.
  const cases = [1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((C) => {
    const N = 1001 + C;
    const x = mixedColumns(g, C, N);
    return [
      { label: `C=${C} N=${N}`, x, w: null as number[] | null },
      { label: `C=${C} N=${N} weighted`, x, w: weightsFor(g, N) },
    ];
  });

  it.each(cases)("$label", (c) => {
    const r = expectParity((b) => {
      const a = b.arena();
      try {
        const C = c.x.length;
        const mean = a.f64(C);
        const ss = a.f64(C);
        b.columnMoments(c.x[0].length, C, a.f64From(c.x.flat()), c.w ? a.f64From(c.w) : null, mean, ss);
        return { mean: Float64Array.from(mean.view), ss: Float64Array.from(ss.view) };
      } finally {
        a.release();
      }
    });
    // Against the textbook two-pass formulas: equal to rounding.
    c.x.forEach((col, k) => {
      const w = c.w ?? col.map(() => 1);
      const sw = w.reduce((s, v) => s + v, 0);
      const m = col.reduce((s, v, i) => s + w[i] * v, 0) / sw;
      const ss = col.reduce((s, v, i) => s + w[i] * (v - m) ** 2, 0);
      expect(Math.abs(r.mean[k] - m)).toBeLessThanOrEqual(REL_TOL_OTHER_ORDER * (Math.abs(m) + 1));
      expect(Math.abs(r.ss[k] - ss)).toBeLessThanOrEqual(REL_TOL_OTHER_ORDER * ss);
    });
  });
});

describe("cholesky / cholSolve / cholInverse parity", () => {
  const g = new Xoshiro128(99);
  const N = 3001;
  const base = mixedColumns(g, 6, N);
  // Column 6 is exactly collinear (a combination of columns 1 and 3, computed in floating point, so the
  // Cholesky sees rounding noise, not an exact 0); column 7 is column 2 plus a little noise: nearly
  // collinear but kept (its 1 - R^2 is small, yet far above tol); column 8 is constant zero.
  const nearly = base[2].map((v) => v + 1e-4 * base[2].map(Math.abs).reduce((s, a) => s + a, 0) / N * g.normal());
  const x = [...base, base[1].map((v, i) => 0.5 * v - 3 * base[3][i]), nearly, new Array(N).fill(0)];
  const K = x.length;
  const rhs = [normals(g, K), normals(g, K, 1000)];
  const cases = [
    { label: "unweighted, all offered", w: null, keep: new Array(K).fill(1) },
    { label: "weighted, all offered", w: weightsFor(g, N), keep: new Array(K).fill(1) },
    { label: "weighted, column 0 pre-excluded", w: weightsFor(g, N), keep: [0, ...new Array(K - 1).fill(1)] },
  ];

  it.each(cases)("$label", (c) => {
    const r = expectParity((b) => runNormalEquations(b, x, c.w, c.keep, rhs, 1e-10));
    const expectedKeep = [...c.keep];
    expectedKeep[6] = 0;
    expectedKeep[8] = 0;
    expect(Array.from(r.keep)).toEqual(expectedKeep);
    expect(r.rank).toBe(expectedKeep.reduce((s, k) => s + k, 0));
  });

  it("on a well-conditioned random system too (no drops)", () => {
    const xs = Array.from({ length: 10 }, () => normals(g, 257));
    const w = weightsFor(g, 257);
    const b10 = [normals(g, 10)];
    const r = expectParity((b) => runNormalEquations(b, xs, w, new Array(10).fill(1), b10, 1e-10));
    expect(r.rank).toBe(10);
  });
});

describe("meat parity", () => {
  const g = new Xoshiro128(31337);
  const cases = [
    { N: 3001, K: 5, G: [53, 400] },
    { N: 1024, K: 3, G: [2, 1024] },
    { N: 7, K: 2, G: [3] },
  ].flatMap(({ N, K, G }) => {
    const x = mixedColumns(g, K, N);
    const e = normals(g, N, 2);
    const clusters = G.map((n) => randomIds(g, N, n));
    return [
      { label: `N=${N} K=${K}`, x, e, w: null, clusters },
      { label: `N=${N} K=${K} weighted`, x, e, w: weightsFor(g, N), clusters },
    ];
  });

  it.each(cases)("meatHetero and meatCluster, $label", (c) => {
    const r = expectParity((b) => runMeats(b, c.x, c.e, c.w, c.clusters));
    // Symmetric, positive diagonal.
    const K = c.x.length;
    for (const m of [r.hetero, r.cluster0]) for (let j = 0; j < K; j++) {
      expect(m[j * K + j]).toBeGreaterThan(0);
      for (let k = 0; k < j; k++) expect(Object.is(m[j * K + k], m[k * K + j])).toBe(true);
    }
  });
});
