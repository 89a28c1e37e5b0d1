// Synthetic DID's unit weights on the engine (synthdid-gram-fw.ts, synthdid-whole-controls.ts) against the
// plain TypeScript solver: the same Frank-Wolfe iterates up to rounding, so the same weights (1e-10) and the
// same placebo and bootstrap draws, on the wasm and the reference backend alike (the same bits). Synthetic
// control (a ridge of 1e-6 sigma) is the exception to 1e-10: near the optimum the active units' gradients
// tie to rounding, so either solver's rounding can pick another unit and stop a few steps apart, and a
// replicate's estimate moves by up to ~1e-5 (as either solver's does against R's).
import { describe, expect, it } from "vitest";
import { createEngine } from "../../bindings/engine/engine.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { GramWorkspace } from "../../bindings/estimators/did/synthdid-gram-fw.js";
import { designOf, fitDesign } from "../../bindings/estimators/did/synthdid-design.js";
import { widePanel } from "../../bindings/estimators/did/synthdid-panel.js";
import { gramOf, solveSparse, weightProblem } from "../../bindings/estimators/did/synthdid-solver.js";
import { bootstrapDraw, placeboDraw, replicateContext } from "../../bindings/estimators/did/synthdid-variance.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** N units x T periods, unit and period effects plus a factor; cohorts of N1 units adopting at each of
 *  `starts` (staggered when there are several). */
function panel(seed: number, N: number, T: number, N1: number, starts: readonly number[]) {
  const rng = new Xoshiro128(seed, 0);
  const rows = N * T;
  const unit = new Float64Array(rows), year = new Float64Array(rows), y = new Float64Array(rows), d = new Float64Array(rows);
  const f = Array.from({ length: T }, () => rng.normal());
  for (let i = 0; i < N; i++) {
    const a = rng.normal();
    const l = rng.uniform();
    const cohort = Math.floor((N - 1 - i) / N1);
    const start = cohort < starts.length ? starts[cohort] : Infinity;
    for (let t = 0; t < T; t++) {
      const r = i * T + t;
      unit[r] = i;
      year[r] = 2000 + t;
      d[r] = t >= start ? 1 : 0;
      y[r] = a + 0.3 * t + l * f[t] + d[r] + 0.5 * rng.normal();
    }
  }
  return widePanel(fromColumns({ unit, year, y, d }), { y: "y", unit: "unit", time: "year", treat: "d" });
}

const maxGap = (a: ArrayLike<number>, c: ArrayLike<number>) => Array.from(a).reduce((s, v, j) => Math.max(s, Math.abs(v - c[j])), 0);

describe("the unit weights on the engine", () => {
  it("solveSparse: the same iterations and weights with the workspace as without", () => {
    const rng = new Xoshiro128(11, 0);
    const m = 15;
    const n = 140;
    const A = Float64Array.from({ length: m * n }, () => rng.normal());
    const b = Float64Array.from({ length: m }, () => rng.normal());
    const ws = new GramWorkspace(createEngine().backend);
    const p = weightProblem(A, m, n, b, 0.3, gramOf(A, m, n));
    const start = new Float64Array(n).fill(1 / n);
    const plain = solveSparse(p, start, 1e-5, 10_000, 100);
    const engine = solveSparse(p, start, 1e-5, 10_000, 100, ws);
    expect(engine.iterations).toBe(plain.iterations);
    expect(maxGap(engine.x, plain.x)).toBeLessThan(1e-10);
    // a Gram matrix built in the workspace's buffer, then a problem with more rows: the buffers grow and
    // the matrix moves with them
    const small = new GramWorkspace(createEngine().backend);
    small.gram(n).set(p.gram!);
    const moved = solveSparse({ ...p, gram: small.gram(n) }, start, 1e-5, 10_000, 100, small);
    expect(Array.from(moved.x)).toEqual(Array.from(engine.x));
    ws.release();
    small.release();
  });

  it.each([
    ["sdid, block design", "sdid", [14], 1e-10],
    ["sdid, staggered design", "sdid", [12, 15], 1e-10],
    ["sc, block design", "sc", [14], 1e-4],
  ] as const)("%s: placebo and bootstrap draws as the TypeScript solver gives them, on both backends", (_, method, starts, tol) => {
    const m = panel(3, 90, 20, 6, starts);
    const design = designOf(m.adoption, String);
    const plainFit = fitDesign(m, design, method);
    const plain = replicateContext(m, design, plainFit, method, m.units, null);
    for (const backend of ["wasm", "reference"] as const) {
      const ws = new GramWorkspace(createEngine({ backend }).backend);
      const fit = fitDesign(m, design, method, () => ({ workspace: ws }));
      expect(Math.abs(fit.att - plainFit.att)).toBeLessThan(tol);
      fit.blocks.forEach((b, k) => expect(maxGap(b.omega, plainFit.blocks[k].omega)).toBeLessThan(tol));
      const ctx = replicateContext(m, design, fit, method, m.units, ws);
      expect(ctx.whole).not.toBeNull();
      for (let r = 0; r < 6; r++) {
        expect(Math.abs(placeboDraw(ctx, 9, r) - placeboDraw(plain, 9, r))).toBeLessThan(tol);
        expect(Math.abs(bootstrapDraw(ctx, 9, r) - bootstrapDraw(plain, 9, r))).toBeLessThan(tol);
      }
      ws.release();
    }
  });
});
