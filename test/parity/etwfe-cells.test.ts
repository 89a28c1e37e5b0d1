// The extended TWFE regression's passes over its rows (assembly/etwfe-cells.ts, its twin
// engine/reference/etwfe-cells.ts) on a few thousand rows of 12 cells and two controls:
//  - the SIMD and scalar wasm builds and the reference backend give the same bits (weighted and unweighted
//    cell sums, linear predictors, residuals and their sum of squares);
//  - each is its definition, written out here row by row: S_c = sum w z z', r_c = sum w u z (z = 1 and the
//    controls), z . b_cell, y - z . b_cell.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { threeBuilds } from "../helpers/backends.js";

const backends: Record<string, Backend> = threeBuilds();

const N = 3001;
const C = 12;
const k = 2;
const m = k + 1;

function data() {
  const g = new Xoshiro128(11);
  return {
    cell: Int32Array.from({ length: N }, () => Math.min(C - 1, Math.floor(g.uniform() * C))),
    xs: Float64Array.from({ length: k * N }, () => g.normal()),
    w: Float64Array.from({ length: N }, () => 0.5 + g.uniform()),
    u: Float64Array.from({ length: N }, () => g.normal()),
    y: Float64Array.from({ length: N }, () => g.normal()),
    b: Float64Array.from({ length: C * m }, () => g.normal()),
  };
}

function run(b: Backend, d: ReturnType<typeof data>, weighted: boolean) {
  const a = b.arena();
  try {
    const cell = a.i32From(d.cell);
    const xs = a.f64From(d.xs);
    const S = a.f64(C * m * m);
    const r = a.f64(C * m);
    b.etwfeCellSums(N, m, cell, xs, weighted ? a.f64From(d.w) : null, a.f64From(d.u), S, r, a.f64(m));
    const eta = a.f64(N);
    const resid = a.f64(N);
    const bBuf = a.f64From(d.b);
    const none = b.etwfePredict(N, m, cell, xs, bBuf, null, eta);
    const rss = b.etwfePredict(N, m, cell, xs, bBuf, a.f64From(d.y), resid);
    return { S: S.view.slice(), r: r.view.slice(), eta: eta.view.slice(), resid: resid.view.slice(), rss, none };
  } finally {
    a.release();
  }
}

const close = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(want[i])));
};

describe("etwfe cell kernels", () => {
  for (const weighted of [false, true]) {
    it(`${weighted ? "weighted" : "unweighted"}: the definitions, the same bits on every backend`, () => {
      const d = data();
      const got = Object.fromEntries(Object.entries(backends).map(([name, b]) => [name, run(b, d, weighted)]));
      // definitions
      const S = new Float64Array(C * m * m);
      const r = new Float64Array(C * m);
      const eta = new Float64Array(N);
      let rss = 0;
      for (let i = 0; i < N; i++) {
        const z = [1, d.xs[i], d.xs[N + i]];
        const c = d.cell[i];
        const wi = weighted ? d.w[i] : 1;
        for (let p = 0; p < m; p++) {
          r[c * m + p] += wi * d.u[i] * z[p];
          for (let q = 0; q < m; q++) S[(c * m + p) * m + q] += wi * z[p] * z[q];
        }
        for (let p = 0; p < m; p++) eta[i] += z[p] * d.b[c * m + p];
        rss += (d.y[i] - eta[i]) ** 2;
      }
      const ref = got.reference;
      close(ref.S, S);
      close(ref.r, r);
      close(ref.eta, eta);
      close(ref.resid, Array.from(eta, (e, i) => d.y[i] - e));
      expect(Math.abs(ref.rss - rss)).toBeLessThan(1e-9 * rss);
      expect(ref.none).toBe(0);
      // unweighted, each pair is summed once and mirrored: exactly symmetric
      if (!weighted) for (let c = 0; c < C; c++) for (let p = 0; p < m; p++) for (let q = 0; q < p; q++) expect(ref.S[(c * m + q) * m + p]).toBe(ref.S[(c * m + p) * m + q]);
      for (const name of ["simd", "scalar"]) {
        const o = got[name];
        expect(Array.from(o.S)).toEqual(Array.from(ref.S));
        expect(Array.from(o.r)).toEqual(Array.from(ref.r));
        expect(Array.from(o.eta)).toEqual(Array.from(ref.eta));
        expect(Array.from(o.resid)).toEqual(Array.from(ref.resid));
        expect(o.rss).toBe(ref.rss);
      }
    });
  }
});
