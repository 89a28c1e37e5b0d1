// The passes over a Callaway-Sant'Anna cell's units (assembly/cs-cells.ts and its TypeScript twin, which runs
// in blocks of ROW_BLOCK rows: engine/row-block.ts) on a cell of several blocks and a partial last one:
//  - the SIMD and scalar wasm builds, the reference backend and the twin run on plain arrays give the same
//    bits for the propensity and the doubly robust cell (compared with Object.is);
//  - the doubly robust cell (drdid_panel) gives the ATT and influence function of its formulas, written
//    out here row by row.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { csLogitPass } from "../../bindings/engine/reference/cs-cells.js";
import { ROW_BLOCK } from "../../bindings/engine/row-block.js";
import { panelCell, panelPropensity, type EstMethod } from "../../bindings/estimators/did/cs-panel-2x2.js";
import { EngineCellPasses } from "../../bindings/engine/cs-cell-passes.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const backends: Record<string, Backend> = {
  simd: createEngine({ backend: "wasm" }).backend,
  scalar: createEngine({ backend: "wasm", simd: false }).backend,
  reference: createEngine({ backend: "reference" }).backend,
};

const n = 2 * ROW_BLOCK + 123;
const k = 4;

function cell(seed: number) {
  const rng = new Xoshiro128(seed, 0);
  const u = () => (rng.u32() + 0.5) / 4294967296;
  const x = new Float64Array(n * k);
  const D = new Float64Array(n);
  const dy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i * k] = 1;
    for (let a = 1; a < k; a++) x[i * k + a] = 2 * u() - 1;
    D[i] = u() < 1 / (1 + Math.exp(1 - x[i * k + 1])) ? 1 : 0;
    dy[i] = 0.5 * x[i * k + 1] - 0.3 * x[i * k + 2] + D[i] + (u() - 0.5);
  }
  return { d: { x, n, k }, D, dy };
}

const row = (x: Float64Array, i: number, v: ArrayLike<number>) => {
  let s = 0;
  for (let a = 0; a < k; a++) s += x[i * k + a] * v[a];
  return s;
};
const times = (A: Float64Array, v: ArrayLike<number>) => Array.from({ length: k }, (_, a) => row(A, a, v));

describe("blocked Callaway-Sant'Anna cell passes", () => {
  it(`the logit pass over ${n} rows: the same bits in blocks (k = 4) as in the general loop (k = 5, a zero column)`, () => {
    const { d, D } = cell(3);
    const W = 5;
    const padded = new Float64Array(n * W);
    for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) padded[i * W + a] = d.x[i * k + a];
    const b = Float64Array.from([-0.4, 0.8, 0.1, -0.2, 0]);
    const plain = { H: new Float64Array(W * W), g: new Float64Array(W) };
    const blocked = { H: new Float64Array(k * k), g: new Float64Array(k) };
    csLogitPass(n, W, padded, D, b, plain.H, plain.g);
    csLogitPass(n, k, d.x, D, b.subarray(0, k), blocked.H, blocked.g);
    expect(Array.from(blocked.g)).toEqual(Array.from(plain.g.subarray(0, k)));
    for (let a = 0; a < k; a++) for (let c = 0; c <= a; c++) expect(blocked.H[a * k + c]).toBe(plain.H[a * W + c]);
  });

  for (const method of ["dr", "ipw", "dr-imp"] as EstMethod[]) {
    it(`${method}: every backend's kernels give the bits of the twin on plain arrays (propensity, ATT, influence function)`, () => {
      const { d, D, dy } = cell(7);
      const onArrays = panelPropensity(method, d, D)!;
      const want = panelCell(method, dy, D, d, onArrays);
      if ("problem" in want) throw new Error(want.problem);
      for (const [name, backend] of Object.entries(backends)) {
        const engine = new EngineCellPasses(backend, n, k);
        try {
          const passes = engine.forCell(n);
          const a = passes.arrays();
          a.x.set(d.x);
          a.D.set(D);
          a.dy.set(dy);
          const p = panelPropensity(method, { x: a.x, n, k }, a.D, undefined, passes)!;
          const got = panelCell(method, a.dy, a.D, { x: a.x, n, k }, p, passes);
          if ("problem" in got) throw new Error(got.problem);
          expect(Object.is(got.att, want.att), `${name}: ATT ${got.att} vs ${want.att}`).toBe(true);
          for (const [key, x, y] of [["ps", p.ps, onArrays.ps], ["trim", p.trim, onArrays.trim], ["inf", got.inf, want.inf]] as const) {
            const i = Array.from(x).findIndex((v, j) => !Object.is(v, y[j]));
            expect(i, `${name}: ${key}[${i}] ${x[i]} vs ${y[i]}`).toBe(-1);
          }
          expect(Array.from(p.coef)).toEqual(Array.from(onArrays.coef));
        } finally {
          engine.release();
        }
      }
    });
  }

  it(`dr's ATT and influence function over ${n} rows follow drdid_panel's formulas row by row`, () => {
    const { d, D, dy } = cell(5);
    const p = panelPropensity("dr", d, D)!;
    expect(p.converged).toBe(true);
    const fit = panelCell("dr", dy, D, d, p);
    if ("problem" in fit) throw new Error(fit.problem);
    const { x } = d;
    // Outcome regression on the controls, then the normalised weights.
    const xty = new Float64Array(k);
    for (let i = 0; i < n; i++) if (D[i] === 0) for (let a = 0; a < k; a++) xty[a] += x[i * k + a] * dy[i];
    const beta = times(p.controlBread!, xty);
    const r = Float64Array.from({ length: n }, (_, i) => dy[i] - row(x, i, beta));
    const wt = Float64Array.from({ length: n }, (_, i) => p.trim[i] * D[i]);
    const wc = Float64Array.from({ length: n }, (_, i) => (p.trim[i] * (1 - D[i]) * p.ps[i]) / (1 - p.ps[i]));
    const sum = (f: (i: number) => number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += f(i);
      return s;
    };
    const swt = sum((i) => wt[i]);
    const swc = sum((i) => wc[i]);
    const et = sum((i) => wt[i] * r[i]) / swt;
    const ec = sum((i) => wc[i] * r[i]) / swc;
    expect(fit.att).toBeCloseTo(et - ec, 12);
    // Estimation effects: of the outcome regression (v1, v3) and of the propensity score (v2).
    const moment = (f: (i: number) => number) => Array.from({ length: k }, (_, a) => sum((i) => f(i) * x[i * k + a]));
    const v1 = times(p.controlBread!, moment((i) => wt[i]));
    const v2 = times(p.bread!, moment((i) => wc[i] * (r[i] - ec)));
    const v3 = times(p.controlBread!, moment((i) => wc[i]));
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const ols = (1 - D[i]) * r[i];
      const infT = (wt[i] * (r[i] - et) - ols * row(x, i, v1)) / (swt / n);
      const infC = (wc[i] * (r[i] - ec) + (D[i] - p.ps[i]) * row(x, i, v2) - ols * row(x, i, v3)) / (swc / n);
      worst = Math.max(worst, Math.abs(fit.inf[i] - (infT - infC)));
    }
    expect(worst).toBeLessThan(1e-10);
    expect(sum((i) => fit.inf[i] * fit.inf[i])).toBeGreaterThan(0);
  });
});
