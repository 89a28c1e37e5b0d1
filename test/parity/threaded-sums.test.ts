// The crossproduct and the cluster meat split over kernel threads (estimators/threaded-sums.ts) give the
// one-call kernels' bits: crossprodBlocks' block sums added in block order are crossprod, and
// clusterScores over any ranges of clusters followed by clusterMeat is meatCluster. Both new kernels agree
// to the bit across the SIMD and scalar wasm builds and the reference backend. Then the splitting itself,
// on real kernel threads (the built JavaScript in dist/, as test/estimators/threads.test.ts), for 1, 2 and
// 3 threads, and a clustered fit large enough to take the split.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { sameBits, threeBuilds } from "../helpers/backends.js";
import { feols } from "../../dist/bindings/index.js";
import { threadedEngine } from "../../dist/bindings/engine/threaded-engine.js";
import { crossprodOnThreads, meatClusterOnThreads } from "../../dist/bindings/estimators/threaded-sums.js";
import { fromColumns } from "../../dist/bindings/data/columns.js";

const BLOCK = 512; // CROSSPROD_BLOCK in assembly/linalg.ts

const backends = threeBuilds();

function data(N: number, K: number, G: number, seed: number) {
  const g = new Xoshiro128(seed, 3);
  // Columns of different scales and a mean, so that the order of additions shows in the last bits.
  const X = Float64Array.from({ length: N * K }, (_, i) => 10 ** ((i / N) % 3) * (g.normal() + 0.3 * Math.floor(i / N)));
  const e = Float64Array.from({ length: N }, () => g.normal());
  const w = Float64Array.from({ length: N }, () => 0.25 + g.uniform());
  const cl = Int32Array.from({ length: N }, () => g.below(G));
  return { X, e, w, cl };
}

/** crossprod once, and crossprodBlocks over the given block ranges added in block order. */
function crossprods(b: Backend, N: number, K: number, X: Float64Array, w: Float64Array | null, cuts: number[]) {
  const a = b.arena();
  try {
    const xB = a.f64From(X);
    const wB = w ? a.f64From(w) : null;
    const whole = a.f64(K * K);
    b.crossprod(N, K, xB, wB, whole);
    const T = (K * (K + 1)) / 2;
    const blocks = Math.ceil(N / BLOCK);
    const sums = a.f64(blocks * T);
    const bounds = [0, ...cuts, blocks];
    for (let p = 0; p + 1 < bounds.length; p++) b.crossprodBlocks(N, K, xB, wB, bounds[p], bounds[p + 1], a.f64Part(sums, bounds[p] * T, (bounds[p + 1] - bounds[p]) * T));
    const total = new Float64Array(T);
    for (let blk = 0; blk < blocks; blk++) for (let t = 0; t < T; t++) total[t] += sums.view[blk * T + t];
    const lower = new Float64Array(T);
    for (let j = 0; j < K; j++) for (let k = 0; k <= j; k++) lower[(j * (j + 1)) / 2 + k] = whole.view[j * K + k];
    return { whole: Float64Array.from(whole.view), lower, blocked: total, sums: Float64Array.from(sums.view) };
  } finally {
    a.release();
  }
}

/** meatCluster once, and clusterScores over the given cluster ranges then clusterMeat. */
function meats(b: Backend, N: number, K: number, G: number, d: ReturnType<typeof data>, weighted: boolean, cuts: number[]) {
  const a = b.arena();
  try {
    const xB = a.f64From(d.X);
    const eB = a.f64From(d.e);
    const wB = weighted ? a.f64From(d.w) : null;
    const clB = a.i32From(d.cl);
    const S = a.f64(G * K);
    const whole = a.f64(K * K);
    b.meatCluster(N, K, xB, eB, wB, clB, G, S, whole);
    const S2 = a.f64(G * K);
    S2.view.fill(Number.NaN); // every row must be written by some range
    const bounds = [0, ...cuts, G];
    for (let p = 0; p + 1 < bounds.length; p++) b.clusterScores(N, K, xB, eB, wB, clB, bounds[p], bounds[p + 1], S2);
    const split = a.f64(K * K);
    b.clusterMeat(G, K, S2, split);
    return { whole: Float64Array.from(whole.view), split: Float64Array.from(split.view), S: Float64Array.from(S.view), S2: Float64Array.from(S2.view) };
  } finally {
    a.release();
  }
}

describe("crossprodBlocks", () => {
  const N = 5 * BLOCK + 137; // a short last block, odd length
  const K = 4;
  const d = data(N, K, 1, 1);
  it.each([
    ["unweighted", null],
    ["weighted", d.w],
  ] as const)("%s: block sums added in block order are crossprod's bits, for any split; the same on every backend", (_l, w) => {
    const ref = crossprods(backends.reference, N, K, d.X, w, [2]);
    for (const b of Object.values(backends)) {
      for (const cuts of [[], [1], [2, 3], [1, 2, 3, 4, 5]]) {
        const r = crossprods(b, N, K, d.X, w, cuts);
        expect(sameBits(r.blocked, r.lower)).toBe(true);
        expect(sameBits(r.sums, ref.sums)).toBe(true);
        expect(sameBits(r.whole, ref.whole)).toBe(true);
      }
    }
    // Not a vacuous comparison: adding the blocks two at a time gives other bits somewhere.
    const pairs = new Float64Array(ref.lower.length);
    const T = ref.lower.length;
    const blocks = ref.sums.length / T;
    for (let b0 = 0; b0 < blocks; b0 += 2) for (let t = 0; t < T; t++) pairs[t] += ref.sums[b0 * T + t] + (b0 + 1 < blocks ? ref.sums[(b0 + 1) * T + t] : 0);
    expect(sameBits(pairs, ref.lower)).toBe(false);
  });
});

describe("clusterScores and clusterMeat", () => {
  const N = 3000;
  const K = 3;
  const G = 97;
  const d = data(N, K, G, 2);
  it.each([false, true])("weighted %s: any ranges of clusters give meatCluster's scores and meat; the same on every backend", (weighted) => {
    const ref = meats(backends.reference, N, K, G, d, weighted, [40]);
    for (const b of Object.values(backends)) {
      for (const cuts of [[], [1], [40, 41], [10, 50, 96]]) {
        const r = meats(b, N, K, G, d, weighted, cuts);
        expect(sameBits(r.S2, r.S)).toBe(true);
        expect(sameBits(r.split, r.whole)).toBe(true);
        expect(sameBits(r.whole, ref.whole)).toBe(true);
      }
    }
  });
});

describe("clusterScoresRuns", () => {
  const R = 7;
  const G = 61;
  const N = R * G;
  const K = 3;
  const d = data(N, K, G, 4);
  const runIds = Int32Array.from({ length: N }, (_, i) => Math.floor(i / R));
  it.each([false, true])("weighted %s: clusterScores' bits over the ids the runs imply, for any ranges; the same on every backend", (weighted) => {
    const scores = (b: Backend, cuts: number[], runs: boolean) => {
      const a = b.arena();
      try {
        const xB = a.f64From(d.X);
        const eB = a.f64From(d.e);
        const wB = weighted ? a.f64From(d.w) : null;
        const S = a.f64(G * K);
        S.view.fill(Number.NaN); // every cluster must be written by some range
        const bounds = [0, ...cuts, G];
        for (let p = 0; p + 1 < bounds.length; p++) {
          if (runs) b.clusterScoresRuns(N, K, xB, eB, wB, R, bounds[p], bounds[p + 1], S);
          else b.clusterScores(N, K, xB, eB, wB, a.i32From(runIds), bounds[p], bounds[p + 1], S);
        }
        return Float64Array.from(S.view);
      } finally {
        a.release();
      }
    };
    const want = scores(backends.reference, [], false);
    expect(want.every(Number.isFinite)).toBe(true);
    for (const b of Object.values(backends)) {
      for (const cuts of [[], [1], [30, 31], [10, 20, 60]]) expect(sameBits(scores(b, cuts, true), want)).toBe(true);
    }
  });
});

describe("crossprod and cluster meat on kernel threads", () => {
  const N = 200_000; // over 2 x 65,536 rows: split for 2 and 3 threads
  const K = 5;
  const G = 4000;
  const d = data(N, K, G, 3);

  /** The threaded engine's backend, its runner counting the kernels it hands out. */
  function counting(threads: number) {
    const backend = threadedEngine(threads).backend;
    expect(backend.threads!.waitReady(10_000)).toBe(true);
    const handed: string[] = [];
    const runner = backend.threads!;
    const record = { ...runner, threads: runner.threads, run: (calls: Parameters<typeof runner.run>[0]) => (handed.push(...calls.map((c) => c.kernel)), runner.run(calls)) };
    return { b: { ...backend, threads: record } as Backend, handed };
  }

  it.each([1, 2, 3])("%i thread(s): the one-call kernels' bits", (threads) => {
    const one = createEngine({ backend: "wasm" }).backend;
    const expected = (() => {
      const r = meats(one, N, K, G, d, true, []);
      const c = crossprods(one, N, K, d.X, d.w, []);
      return { meat: r.whole, cross: c.whole };
    })();
    const { b, handed } = counting(threads);
    const a = b.arena();
    try {
      const xB = a.f64From(d.X);
      const wB = a.f64From(d.w);
      const cross = a.f64(K * K);
      crossprodOnThreads(b, a, N, K, xB, wB, cross);
      const meat = a.f64(K * K);
      meatClusterOnThreads(b, N, K, xB, a.f64From(d.e), wB, a.i32From(d.cl), G, a.f64(G * K), meat);
      expect(sameBits(cross.view, expected.cross)).toBe(true);
      expect(sameBits(meat.view, expected.meat)).toBe(true);
    } finally {
      a.release();
    }
    // threadedEngine starts as many threads as asked, whatever the cores
    const used = threads;
    // crossprod: four ranges of blocks per thread, claimed as threads get free (engine/threads/claim-queue.ts)
    expect(handed.filter((k) => k === "crossprodBlocks").length).toBe(used > 1 ? 4 * used : 0);
    expect(handed.filter((k) => k === "clusterScores").length).toBe(used > 1 ? used : 0);
  });

  it("a clustered two-way fit over 131,072 rows: coefficients, standard errors and residuals the same bits for 1, 2 and 3 threads", () => {
    const units = 20_000;
    const years = 8;
    const n = units * years;
    const g = new Xoshiro128(11, 5);
    const cols = { unit: new Float64Array(n), year: new Float64Array(n), x1: new Float64Array(n), x2: new Float64Array(n), y: new Float64Array(n) };
    for (let r = 0; r < n; r++) {
      const u = Math.floor(r / years);
      cols.unit[r] = u;
      cols.year[r] = 2000 + (r % years);
      cols.x1[r] = g.normal() + 0.01 * u;
      cols.x2[r] = g.normal();
      cols.y[r] = cols.x1[r] - 0.5 * cols.x2[r] + 0.001 * u + g.normal();
    }
    const frame = fromColumns(cols);
    const run = (threads: number) => {
      const f = feols(frame, "y ~ x1 + x2 | unit + year", { vcov: "cluster:unit", threads });
      return { coef: Object.values(f.coef()), se: Object.values(f.se()), resid: Array.from(f.resid()) };
    };
    const one = run(1);
    for (const t of [2, 3]) {
      const many = run(t);
      expect(sameBits(many.coef, one.coef)).toBe(true);
      expect(sameBits(many.se, one.se)).toBe(true);
      expect(sameBits(many.resid, one.resid)).toBe(true);
    }
  });
});
