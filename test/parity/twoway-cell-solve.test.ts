// The two-way normal equations solved through a panel's unit-period cells (assembly/twoway-cell-solve.ts,
// its twin engine/reference/twoway-cell-solve.ts), as did2s's and the imputation's variance and stacked
// DID's dummies run them: on an unbalanced, weighted panel the SIMD and scalar wasm builds and the reference
// backend give the same bits, and the coefficients solve D'WD c = r (the last period pinned at 0).
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { CellSolve } from "../../bindings/estimators/did/two-way-direct.js";
import { twoWayCells } from "../../bindings/model/two-way-cells.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const backends: Record<string, Backend> = {
  simd: createEngine({ backend: "wasm" }).backend,
  scalar: createEngine({ backend: "wasm", simd: false }).backend,
  reference: createEngine({ backend: "reference" }).backend,
};

const U = 300;
const P = 9;
const m = 3;

/** Rows of an unbalanced weighted panel: each unit misses a random period or two. */
function panel() {
  const g = new Xoshiro128(17);
  const unit: number[] = [];
  const period: number[] = [];
  const w: number[] = [];
  for (let u = 0; u < U; u++) {
    for (let t = 0; t < P; t++) {
      if (g.uniform() < 0.15 && t !== (u % P)) continue;
      unit.push(u);
      period.push(t);
      w.push(0.5 + g.uniform());
    }
  }
  return { unit: Int32Array.from(unit), period: Int32Array.from(period), w: Float64Array.from(w) };
}

/** r = D'WD c for group-major coefficients c (units, then periods). */
function normalTimes(p: ReturnType<typeof panel>, c: Float64Array): Float64Array {
  const r = new Float64Array((U + P) * m);
  for (let i = 0; i < p.unit.length; i++) {
    for (let j = 0; j < m; j++) {
      const fit = c[p.unit[i] * m + j] + c[(U + p.period[i]) * m + j];
      r[p.unit[i] * m + j] += p.w[i] * fit;
      r[(U + p.period[i]) * m + j] += p.w[i] * fit;
    }
  }
  return r;
}

function solveOn(backend: Backend, p: ReturnType<typeof panel>, rhs: Float64Array, unitsWithRhsOnly: boolean): Float64Array {
  const arena = backend.arena();
  try {
    const cells = twoWayCells(backend, arena, arena.i32From(p.unit), arena.i32From(p.period), U, P, arena.f64From(p.w))!;
    expect(cells).not.toBeNull();
    const out = new Float64Array(rhs.length).fill(NaN);
    return new CellSolve(backend, arena).solve(cells, U, P, rhs, m, out, unitsWithRhsOnly);
  } finally {
    arena.release();
  }
}

describe("twoWayCellSolve", () => {
  const p = panel();
  const g = new Xoshiro128(5);
  const truth = Float64Array.from({ length: (U + P) * m }, (_, k) => (k >= (U + P - 1) * m ? 0 : g.normal()));
  const rhs = normalTimes(p, truth);

  it("solves D'WD c = r to the coefficients that made r (last period 0), the same bits on every backend", () => {
    const ref = solveOn(backends.reference, p, rhs, false);
    let worst = 0;
    for (let k = 0; k < ref.length; k++) worst = Math.max(worst, Math.abs(ref[k] - truth[k]));
    expect(worst).toBeLessThan(1e-9);
    for (const name of ["simd", "scalar"]) {
      const got = solveOn(backends[name], p, rhs, false);
      const i = Array.from(got).findIndex((v, k) => !Object.is(v, ref[k]));
      expect(i, `${name}: [${i}] ${got[i]} vs ${ref[i]}`).toBe(-1);
    }
  });

  it("with unitsWithRhsOnly, units without right-hand side are skipped (0) and the others get the full solve's values", () => {
    const sparse = rhs.slice();
    for (let u = 0; u < U; u += 3) sparse.fill(0, u * m, (u + 1) * m);
    const full = solveOn(backends.reference, p, sparse, false);
    for (const backend of Object.values(backends)) {
      const only = solveOn(backend, p, sparse, true);
      for (let u = 0; u < U; u++) {
        for (let j = 0; j < m; j++) expect(only[u * m + j]).toBe(u % 3 === 0 ? 0 : full[u * m + j]);
      }
      expect(Array.from(only.subarray(U * m))).toEqual(Array.from(full.subarray(U * m)));
    }
  });
});
