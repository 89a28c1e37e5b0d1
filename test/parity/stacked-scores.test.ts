// Stacked DID's clustered scores (assembly/stacked-scores.ts, its twin engine/reference/stacked-scores.ts) on
// a small weighted stack of two sub-experiments:
//  - the SIMD and scalar wasm builds and the reference backend give the same bits, in one call or in calls
//    over ranges of clusters (the kernel threads' split);
//  - the scores are the formulas' S_g = sum_{i in g} w_i e_i z~_i, written out here row by row (with the
//    unit levels' fits, and without them as the nested case leaves them out), clustered by unit (one run
//    per sub-experiment) and by a coarser group (runs of several units in a cluster).
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { threeBuilds } from "../helpers/backends.js";

const backends: Record<string, Backend> = threeBuilds();

const SUBEXP = 2;
const UNITS = 40;
const PERIODS = 6; // event times -3 .. 2
const Kc = 2;
const L = 5; // event times -3, -2, 0, 1, 2 (-1 is the reference): slots 0..4, post from slot 2
const FIRST_POST = 2;

interface Stack {
  n: number;
  x: Float64Array; // [controls, y] column-major
  w: Float64Array | null;
  code: Int32Array;
  cluster: Int32Array;
  unit: Int32Array;
  period: Int32Array;
  G: number;
  U: number;
  P: number;
}

/** Rows sub-experiment by sub-experiment, unit by unit, period by period; half the units treated. */
function stack(clusterOf: (unit: number) => number, weighted: boolean): Stack {
  const g = new Xoshiro128(23);
  const rows: Array<{ code: number; cluster: number; unit: number; period: number; w: number; xs: number[] }> = [];
  for (let s = 0; s < SUBEXP; s++) {
    for (let u = 0; u < UNITS; u++) {
      const treated = u % 2 === 0;
      for (let t = 0; t < PERIODS; t++) {
        const e = t - 3; // event time
        const slot = !treated || e === -1 ? -1 : e < -1 ? e + 3 : e + 2;
        rows.push({
          code: slot, cluster: clusterOf(u), unit: s * UNITS + u, period: s * PERIODS + t, w: 0.5 + g.uniform(),
          xs: [g.normal(), g.normal(), g.normal()],
        });
      }
    }
  }
  const n = rows.length;
  const x = new Float64Array(n * (Kc + 1));
  rows.forEach((r, i) => r.xs.forEach((v, j) => (x[j * n + i] = v)));
  return {
    n, x, w: weighted ? Float64Array.from(rows, (r) => r.w) : null,
    code: Int32Array.from(rows, (r) => r.code), cluster: Int32Array.from(rows, (r) => r.cluster),
    unit: Int32Array.from(rows, (r) => r.unit), period: Int32Array.from(rows, (r) => r.period),
    G: Math.max(...rows.map((r) => r.cluster)) + 1, U: SUBEXP * UNITS, P: SUBEXP * PERIODS,
  };
}

function coefficients(s: Stack, seed: number) {
  const g = new Xoshiro128(seed);
  const draw = (len: number) => Float64Array.from({ length: len }, () => g.normal());
  return {
    unitCoef: draw(s.U * L), periodCoef: draw(s.P * L), theta1: draw(Kc + L), theta2: draw(Kc + 1),
    psiUnit: draw(s.U), psiPeriod: draw(s.P), postUnit: draw(s.U), postPeriod: draw(s.P),
  };
}

// The event model keeps both controls and the dummies 0, 1, 3, 4; the static model keeps control 1 and post.
const X1 = [0, 1];
const D1 = [0, 1, 3, 4];
const X2 = [1];

/** The kernel's scores, in one call or in calls over `split` ranges of clusters (as the kernel threads take
 *  them), one after the other. */
function kernelScores(b: Backend, s: Stack, c: ReturnType<typeof coefficients>, withUnitFits: boolean, split = 1) {
  const a = b.arena();
  try {
    const S1 = a.f64(s.G * (X1.length + D1.length));
    const S2 = a.f64(s.G * (X2.length + 1));
    const args = [
      s.n, Kc, L, s.G, FIRST_POST, a.f64From(s.x), s.w ? a.f64From(s.w) : null, a.i32From(s.code), a.i32From(s.cluster), a.i32From(s.unit),
      a.i32From(s.period), withUnitFits ? a.f64From(c.unitCoef) : null, a.f64From(c.periodCoef), a.f64From(c.theta1), a.f64From(c.theta2),
      a.f64From(c.psiUnit), a.f64From(c.psiPeriod), a.f64From(c.postUnit), a.f64From(c.postPeriod), a.i32From([...X1, ...D1, ...X2]),
      X1.length, D1.length, X2.length, 1,
    ] as const;
    for (let j = 0; j < split; j++) {
      const g0 = Math.floor((j * s.G) / split);
      const g1 = Math.floor(((j + 1) * s.G) / split);
      b.stackedScores(...args, g0, g1, S1, S2, a.f64(X1.length + D1.length + X2.length));
    }
    return { S1: S1.view.slice(), S2: S2.view.slice() };
  } finally {
    a.release();
  }
}

/** The scores from their definition, one row at a time. */
function definitionScores(s: Stack, c: ReturnType<typeof coefficients>, withUnitFits: boolean) {
  const K1 = X1.length + D1.length;
  const K2 = X2.length + 1;
  const S1 = new Float64Array(s.G * K1);
  const S2 = new Float64Array(s.G * K2);
  const { n, x } = s;
  for (let i = 0; i < n; i++) {
    const slot = s.code[i];
    const u = s.unit[i];
    const t = s.period[i];
    const g = s.cluster[i];
    const wi = s.w ? s.w[i] : 1;
    const post = slot >= FIRST_POST ? 1 : 0;
    const y = x[Kc * n + i];
    let fit1 = (slot >= 0 ? c.theta1[Kc + slot] : 0) - c.psiUnit[u] - c.psiPeriod[t];
    let fit2 = c.theta2[Kc] * (post - c.postUnit[u] - c.postPeriod[t]);
    for (let j = 0; j < Kc; j++) {
      fit1 += c.theta1[j] * x[j * n + i];
      fit2 += c.theta2[j] * x[j * n + i];
    }
    const a1 = wi * (y - fit1);
    const a2 = wi * (y - fit2);
    X1.forEach((j, q) => (S1[q * s.G + g] += a1 * x[j * n + i]));
    D1.forEach((f, q) => {
      const z = (slot === f ? 1 : 0) - (withUnitFits ? c.unitCoef[u * L + f] : 0) - c.periodCoef[t * L + f];
      S1[(X1.length + q) * s.G + g] += a1 * z;
    });
    X2.forEach((j, q) => (S2[q * s.G + g] += a2 * x[j * n + i]));
    S2[X2.length * s.G + g] += a2 * (post - (withUnitFits ? c.postUnit[u] : 0) - c.postPeriod[t]);
  }
  return { S1, S2 };
}

function expectClose(got: Float64Array, want: Float64Array): void {
  const scale = Math.max(...Array.from(want, Math.abs));
  expect(scale).toBeGreaterThan(0);
  for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k])).toBeLessThan(1e-12 * scale);
}

describe("stackedScores", () => {
  const cases = [
    { name: "clustered by unit, weighted, with the unit levels' fits", clusterOf: (u: number) => u, weighted: true, withUnitFits: true },
    { name: "clustered by unit, unweighted, nested (no unit levels' fits)", clusterOf: (u: number) => u, weighted: false, withUnitFits: false },
    { name: "clustered by groups of 3 units, weighted, with the unit levels' fits", clusterOf: (u: number) => Math.floor(u / 3), weighted: true, withUnitFits: true },
  ];
  for (const k of cases) {
    it(`${k.name}: the definition's scores, the same bits on every backend`, () => {
      const s = stack(k.clusterOf, k.weighted);
      const c = coefficients(s, 7);
      const want = definitionScores(s, c, k.withUnitFits);
      const got = Object.fromEntries(Object.entries(backends).map(([name, b]) => [name, kernelScores(b, s, c, k.withUnitFits)]));
      expectClose(got.reference.S1, want.S1);
      expectClose(got.reference.S2, want.S2);
      for (const name of ["simd", "scalar"]) {
        expect(Array.from(got[name].S1)).toEqual(Array.from(got.reference.S1));
        expect(Array.from(got[name].S2)).toEqual(Array.from(got.reference.S2));
      }
      // split over 3 ranges of clusters, as kernel threads take them: the same bits
      for (const [name, b] of Object.entries(backends)) {
        const split = kernelScores(b, s, c, k.withUnitFits, 3);
        expect(Array.from(split.S1), name).toEqual(Array.from(got.reference.S1));
        expect(Array.from(split.S2), name).toEqual(Array.from(got.reference.S2));
      }
    });
  }
});
