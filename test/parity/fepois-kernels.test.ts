// The kernels fepois runs on (assembly/poisson.ts, assembly/dense-fixef.ts): the SIMD and scalar wasm
// builds and the reference backend agree to the last bit (compared with Object.is), and so do they with the
// TypeScript they replaced in the estimators (family.ts's Poisson functions and log-factorial.ts's sums),
// whose exp and log (stats/libm.ts) the kernels reproduce operation for operation: swapping one for the
// other must not move any estimate by a single bit.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { FAMILIES } from "../../bindings/estimators/glm/family.js";
import { logFactorialSums } from "../../bindings/estimators/glm/log-factorial.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { log } from "../../bindings/stats/libm.js";

const backends = {
  simd: createEngine({ backend: "wasm" }).backend,
  scalar: createEngine({ backend: "wasm", simd: false }).backend,
  reference: createEngine({ backend: "reference" }).backend,
} as const;
const poisson = FAMILIES.poisson;

/** Index and values of the first bit difference, or null. */
function firstBitMismatch(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `lengths differ: ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `[${i}]: ${a[i]} vs ${b[i]}`;
  return null;
}

/** Runs `job` on the three backends; every output must be bit-identical. Returns the reference's. */
function onAll<T extends Record<string, ArrayLike<number> | number>>(job: (b: Backend) => T): T {
  const out = { reference: job(backends.reference), simd: job(backends.simd), scalar: job(backends.scalar) };
  const wrap = (v: ArrayLike<number> | number) => (typeof v === "number" ? [v] : v);
  for (const key of Object.keys(out.reference)) {
    expect(firstBitMismatch(wrap(out.simd[key]), wrap(out.reference[key])), `${key}: wasm SIMD vs reference`).toBeNull();
    expect(firstBitMismatch(wrap(out.scalar[key]), wrap(out.reference[key])), `${key}: wasm scalar vs reference`).toBeNull();
  }
  return out.reference;
}

/** Trade-flow-like outcomes: zeros, small counts, fractions and values in the millions. */
function outcomes(g: Xoshiro128, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => {
    const u = g.uniform();
    if (i % 7 === 0) return 0;
    if (i % 5 === 0) return Math.floor(u * 40);
    if (i % 3 === 0) return u * 3;
    return Math.floor(1e3 + u * 5e6);
  });
}

const g = new Xoshiro128(2026);
const n = 3001;
const y = outcomes(g, n);
const pw = Float64Array.from({ length: n }, () => 0.5 + g.uniform());
const offset = Float64Array.from({ length: n }, () => g.normal() * 0.3);
// Linear predictors across exp's range: below the floor (-36), ordinary, and past overflow (709.8).
const eta = Float64Array.from({ length: n }, (_, i) => (i === 5 ? -50 : i === 9 ? 720 : i === 11 ? 709.7 : g.normal() * 4 + 2));

describe("Poisson kernels", () => {
  it("poissonMeans: the family's linkinv, and its count of invalid means is validmu", () => {
    const out = onAll((b) => {
      const a = b.arena();
      const mu = a.f64(n);
      const invalid = b.poissonMeans(n, a.f64From(eta), mu);
      return { mu: mu.view.slice(), invalid };
    });
    const mu = new Float64Array(n);
    poisson.linkinv(eta, mu);
    expect(firstBitMismatch(out.mu, mu)).toBeNull();
    expect(out.invalid).toBe(1); // eta 720 overflows
    expect(poisson.validMu(mu)).toBe(false);
  });

  it.each([false, true])("poissonDevianceSum from poissonConstant: the family's deviance (weights: %s)", (weighted) => {
    const w = weighted ? pw : null;
    const e = eta.map((v) => Math.min(v, 30));
    const mu = new Float64Array(n);
    poisson.linkinv(e, mu);
    const out = onAll((b) => {
      const a = b.arena();
      const wb = w ? a.f64From(w) : null;
      const yb = a.f64From(y);
      const c = b.poissonConstant(n, yb, wb);
      return { constant: c, deviance: 2 * b.poissonDevianceSum(n, yb, wb, a.f64From(e), a.f64From(mu), c) };
    });
    expect(Object.is(out.deviance, poisson.deviance(y, mu, e, w))).toBe(true);
    // The constant is sum pw (y log y - y) over y > 0, summed here independently of both.
    let c = 0;
    for (let i = 0; i < n; i++) if (y[i] > 0) c += (w ? w[i] : 1) * (y[i] * log(y[i]) - y[i]);
    expect(Object.is(out.constant, c)).toBe(true);
  });

  it.each([false, true])("poissonWorking: the family's working response and weights (offset and weights: %s)", (withBoth) => {
    const off = withBoth ? offset : null;
    const w = withBoth ? pw : null;
    const e = eta.map((v) => Math.min(v, 30));
    const mu = new Float64Array(n);
    poisson.linkinv(e, mu);
    const out = onAll((b) => {
      const a = b.arena();
      const z = a.f64(n);
      const wOut = a.f64(n);
      const informative = b.poissonWorking(n, a.f64From(y), a.f64From(e), a.f64From(mu), off ? a.f64From(off) : null, w ? a.f64From(w) : null, z, wOut);
      return { z: z.view.slice(), w: wOut.view.slice(), informative };
    });
    const z = new Float64Array(n);
    const wf = new Float64Array(n);
    poisson.working(y, e, mu, off, w, z, wf);
    expect(firstBitMismatch(out.z, z)).toBeNull();
    expect(firstBitMismatch(out.w, wf)).toBeNull();
    expect(out.informative).toBe(n);
  });

  it("poissonWorking may write z and w over eta and mu (as the IRLS calls it)", () => {
    const e = eta.map((v) => Math.min(v, 30));
    const mu = new Float64Array(n);
    poisson.linkinv(e, mu);
    const out = onAll((b) => {
      const a = b.arena();
      const eb = a.f64From(e);
      const mb = a.f64From(mu);
      b.poissonWorking(n, a.f64From(y), eb, mb, a.f64From(offset), null, eb, mb);
      return { z: eb.view.slice(), w: mb.view.slice() };
    });
    const z = new Float64Array(n);
    const wf = new Float64Array(n);
    poisson.working(y, e, mu, offset, null, z, wf);
    expect(firstBitMismatch(out.z, z)).toBeNull();
    expect(firstBitMismatch(out.w, wf)).toBeNull();
  });

  it("poissonWorking counts the weights that are not 0", () => {
    const k = 4;
    const zeros = new Float64Array(k);
    const out = onAll((b) => {
      const a = b.arena();
      return { informative: b.poissonWorking(k, a.f64From([1, 2, 3, 4]), a.f64From([0, 0, 0, 0]), a.f64From([1, 1, 1, 1]), null, a.f64From(zeros), a.f64(k), a.f64(k)) };
    });
    expect(out.informative).toBe(0);
  });

  it("poissonStart: the family's linkfun of its starting mean; poissonLogLikSum less the log-factorials: its logLik", () => {
    const out = onAll((b) => {
      const a = b.arena();
      const e = a.f64(n);
      b.poissonStart(n, a.f64From(y), e);
      return { eta: e.view.slice() };
    });
    expect(firstBitMismatch(out.eta, poisson.linkfun(poisson.startMean(y, null)))).toBeNull();
    const e = eta.map((v) => Math.min(v, 30));
    const mu = new Float64Array(n);
    poisson.linkinv(e, mu);
    for (const w of [null, pw]) {
      const s = onAll((b) => {
        const a = b.arena();
        return { s: b.poissonLogLikSum(n, a.f64From(y), w ? a.f64From(w) : null, a.f64From(e), a.f64From(mu)) };
      }).s;
      expect(Object.is(s - logFactorialSums(y, w).weighted, poisson.logLik(y, mu, e, w))).toBe(true);
    }
  });

  it("the log in the kernels is the library's, bit for bit (y log y - y one value at a time)", () => {
    const values = [5e-324, 2.2250738585072014e-308, 1e-300, 1e-10, 0.1, 0.5, 0.7071067811865476, 0.9999999999999999, 1, 1.0000000000000002, 1.4142135623730951, 1.5, 2, 3, 10, 1e6 + 0.5, 4.5e15, 1e300, 1.7976931348623157e308];
    for (let i = 0; i < 200; i++) values.push(Math.exp(g.normal() * 20));
    const out = onAll((b) => {
      const a = b.arena();
      return { v: values.map((v) => b.poissonConstant(1, a.f64From([v]), null)) };
    });
    expect(firstBitMismatch(out.v, values.map((v) => v * log(v) - v))).toBeNull();
  });
});

describe("log-factorial kernels", () => {
  it.each([
    ["counts and millions", y, null],
    ["weighted", y, pw],
    ["small counts only (the table)", Float64Array.from({ length: 500 }, (_, i) => i % 37), null],
    ["all zero", new Float64Array(10), null],
  ] as const)("the same sums as the TypeScript: %s", (_label, yy, w) => {
    const m = yy.length;
    const limit = Math.min(1 << 20, 1024 + 2 * m);
    const out = onAll((b) => {
      const a = b.arena();
      const yb = a.f64From(yy);
      const top = b.logFactorialTop(m, yb, limit);
      const sums = a.f64(2);
      b.logFactorialSums(m, yb, w ? a.f64From(w) : null, top, a.f64(top + 1), sums);
      return { top, sums: sums.view.slice() };
    });
    // log-factorial.ts without a backend: a fresh copy of y, so that its cache does not answer.
    const ts = logFactorialSums(Float64Array.from(yy), w);
    expect(firstBitMismatch(out.sums, [ts.plain, ts.weighted])).toBeNull();
    expect(out.top).toBe(Math.max(0, ...Array.from(yy).filter((v) => v === Math.floor(v) && v <= limit)));
    // ... and through log-factorial.ts's own kernel path.
    for (const b of Object.values(backends)) {
      const k = logFactorialSums(Float64Array.from(yy), w, b);
      expect([k.plain, k.weighted]).toEqual([ts.plain, ts.weighted]);
    }
  });
});

describe("dense fixed-effect kernels", () => {
  const N = 1500;
  const Q = 3;
  const sizes = [7, 5, 4];
  const G = sizes.reduce((s, v) => s + v, 0);
  const idx = new Int32Array(N * Q);
  for (let i = 0; i < N; i++) {
    let o = 0;
    for (let q = 0; q < Q; q++) {
      idx[i * Q + q] = o + Math.floor(g.uniform() * sizes[q]);
      o += sizes[q];
    }
  }
  const x = Float64Array.from({ length: N }, () => g.normal());
  const w = Float64Array.from({ length: N }, () => 0.2 + g.uniform());
  const d = Float64Array.from({ length: G }, () => g.normal());

  it("denseFixefLayout: idx, and one pin per connected component of fixed effect 0's and q's groups", () => {
    // Two blocks of rows whose groups never meet.
    const M = 40;
    const ids = [
      Int32Array.from({ length: M }, (_, i) => (i < 20 ? i % 3 : 3 + (i % 2))), // 5 groups
      Int32Array.from({ length: M }, (_, i) => (i < 20 ? i % 2 : i < 38 ? 2 : 3)), // 4 groups
      Int32Array.from({ length: M }, (_, i) => (i < 20 ? 0 : 1 + (i % 2))), // 3 groups
    ];
    const Gs = [5, 4, 3];
    const GT = 12;
    const out = onAll((b) => {
      const a = b.arena();
      const fe = a.i32(3 * M);
      ids.forEach((v, q) => fe.view.set(v, q * M));
      const pinned = a.i32(GT);
      const idxB = a.i32(M * 3);
      b.denseFixefLayout(M, 3, fe, a.i32From(Gs), a.i32(2 * GT), pinned, idxB);
      return { pinned: pinned.view.slice(), idx: idxB.view.slice() };
    });
    // Components, worked out by hand: fixed effect 1's groups {0,1} with 0's {0,1,2}, and {2,3} with {3,4}
    // (group 2 meets 3 and 4): two; fixed effect 2's group 0 with {0,1,2}, 1 with {3} alone (rows 20, 22,
    // ... have group 3 of fixed effect 0) and 2 with {4}: three.
    const pinsOf = (from: number, G: number) => Array.from(out.pinned.slice(from, from + G)).reduce((s, v) => s + v, 0);
    expect(pinsOf(0, 5)).toBe(0);
    expect(pinsOf(5, 4)).toBe(2);
    expect(pinsOf(9, 3)).toBe(3);
    // The lowest-numbered group of each component is the pinned one.
    expect(Array.from(out.pinned.slice(5, 9))).toEqual([1, 0, 1, 0]);
    expect(Array.from(out.pinned.slice(9, 12))).toEqual([1, 1, 1]);
    for (let i = 0; i < M; i++) expect([out.idx[i * 3], out.idx[i * 3 + 1], out.idx[i * 3 + 2]]).toEqual([ids[0][i], 5 + ids[1][i], 9 + ids[2][i]]);
  });

  it.each([false, true])("denseFixefNormal is D'WD (lower triangle; weights: %s)", (weighted) => {
    const out = onAll((b) => {
      const a = b.arena();
      const A = a.f64(G * G);
      b.denseFixefNormal(N, Q, G, a.i32From(idx), weighted ? a.f64From(w) : null, A);
      return { A: A.view.slice() };
    });
    // Independently: the weight of every pair of groups, both orders, from the rows.
    const full = new Float64Array(G * G);
    for (let i = 0; i < N; i++) for (let r = 0; r < Q; r++) for (let q = 0; q < Q; q++) full[idx[i * Q + r] * G + idx[i * Q + q]] += weighted ? w[i] : 1;
    for (let r = 0; r < G; r++) {
      for (let c = 0; c < G; c++) {
        const v = out.A[r * G + c];
        if (c > r) expect(v).toBe(0);
        else expect(Math.abs(v - full[r * G + c])).toBeLessThanOrEqual(1e-9 * (1 + full[r * G + c]));
      }
    }
    // Not trivially zero.
    expect(out.A.some((v) => v > 0)).toBe(true);
  });

  it.each([false, true])("denseFixefGradient is D'W x, and D'W (x - D d) after subtracting (weights: %s)", (weighted) => {
    const out = onAll((b) => {
      const a = b.arena();
      const xb = a.f64From(x);
      const idxB = a.i32From(idx);
      const wb = weighted ? a.f64From(w) : null;
      const g0 = a.f64(G);
      b.denseFixefGradient(N, Q, G, xb, wb, idxB, null, g0);
      const g1 = a.f64(G);
      b.denseFixefGradient(N, Q, G, xb, wb, idxB, a.f64From(d), g1);
      return { g0: g0.view.slice(), x: xb.view.slice(), g1: g1.view.slice() };
    });
    const grad = (v: Float64Array) => {
      const s = new Float64Array(G);
      for (let i = 0; i < N; i++) for (let q = 0; q < Q; q++) s[idx[i * Q + q]] += (weighted ? w[i] : 1) * v[i];
      return s;
    };
    const r = x.map((v, i) => v - (d[idx[i * Q]] + d[idx[i * Q + 1]] + d[idx[i * Q + 2]]));
    const close = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((v, i) => Math.abs(v - b[i]) <= 1e-9 * (1 + Math.abs(b[i])));
    expect(close(out.g0, grad(x))).toBe(true);
    expect(close(out.x, r)).toBe(true);
    expect(close(out.g1, grad(r))).toBe(true);
  });
});
