// The extended TWFE meat's products (assembly/block-outer.ts; estimators/did/etwfe-meat.ts). The kernel
// agrees to the bit across the SIMD and scalar wasm builds and the reference backend, with what it is
// defined to compute, and for any split of R's rows. cellMeat gives the same bits in TypeScript alone, in
// the kernel, and on 1, 2 and 3 kernel threads (the built JavaScript in dist/, as threaded-sums.test.ts),
// for groups the kernel takes (cells increasing, with or without gaps) and groups it leaves to TypeScript
// (cells out of order, or spread out), mixed in one meat.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../bindings/engine/backend.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { sameBits, threeBuilds } from "../helpers/backends.js";
import "../../dist/bindings/index.js"; // registers the platform: kernel threads need it
import { threadedEngine } from "../../dist/bindings/engine/threaded-engine.js";
import { cellMeat } from "../../dist/bindings/estimators/did/etwfe-meat.js";
import { etwfeLayout } from "../../dist/bindings/estimators/did/etwfe-layout.js";

const backends = threeBuilds();

/** Runs of varied lengths at overlapping starts, some entries exactly zero. */
function runs(G: number, D: number, seed: number) {
  const g = new Xoshiro128(seed, 5);
  const off = new Int32Array(G + 1);
  const start = new Int32Array(G);
  const S: number[] = [];
  for (let c = 0; c < G; c++) {
    const len = 1 + g.below(Math.min(23, D));
    start[c] = g.below(D - len + 1);
    for (let a = 0; a < len; a++) S.push(g.uniform() < 0.15 ? 0 : 10 ** g.below(3) * g.normal());
    off[c + 1] = S.length;
  }
  return { S: Float64Array.from(S), off, start };
}

function kernelR(b: Backend, G: number, D: number, r: ReturnType<typeof runs>, cuts: number[]): Float64Array {
  const a = b.arena();
  try {
    const R = a.f64(D * D);
    const S = a.f64From(r.S);
    const off = a.i32From(r.off);
    const start = a.i32From(r.start);
    const bounds = [0, ...cuts, D];
    for (let p = 0; p + 1 < bounds.length; p++) b.blockOuterUpper(G, S, off, start, D, bounds[p], bounds[p + 1], R);
    return Float64Array.from(R.view);
  } finally {
    a.release();
  }
}

describe("blockOuterUpper", () => {
  const G = 300;
  const D = 41;
  const r = runs(G, D, 11);

  it("adds each group's upper-triangle products in group order, skipping zero rows", () => {
    const want = new Float64Array(D * D);
    for (let c = 0; c < G; c++) {
      const s = r.S.subarray(r.off[c], r.off[c + 1]);
      for (let a = 0; a < s.length; a++) {
        if (s[a] === 0) continue;
        for (let b2 = a; b2 < s.length; b2++) want[(r.start[c] + a) * D + r.start[c] + b2] += s[a] * s[b2];
      }
    }
    expect(want.some((v, i) => v !== 0 && Math.floor(i / D) > i % D)).toBe(false); // upper triangle only
    for (const [name, b] of Object.entries(backends)) expect(sameBits(kernelR(b, G, D, r, []), want), name).toBe(true);
  });

  it("gives the same bits for any split of R's rows, on every backend", () => {
    const whole = kernelR(backends.simd, G, D, r, []);
    for (const cuts of [[20], [1, 2, 40], [7, 19, 33]]) {
      for (const [name, b] of Object.entries(backends)) expect(sameBits(kernelR(b, G, D, r, cuts), whole), `${name} ${cuts}`).toBe(true);
    }
  });
});

describe("cellMeat", () => {
  // 3 cohorts (0: control) x 6 periods, 2 controls; treated cells from period 3 on.
  const T = 6;
  const periods = [1, 2, 3, 4, 5, 6];
  const cohorts = [Infinity, 3, 5];
  const treatedCells = [1, 2].flatMap((a) => periods.map((t, p) => (t >= cohorts[a] ? a * T + p : -1)).filter((c) => c >= 0));
  const layout = etwfeLayout({ cohortName: "g", timeName: "t", controls: ["x1", "x2"], cohorts, periods, treatedCells, means: new Float64Array(6) });
  const kept = Int32Array.from(layout.names.map((_, j) => j));

  /** 900 units; the first 300 with every period in order, the next with periods missing, the last with
   *  their rows in reverse period order or with a lone early and late period (left to TypeScript). */
  function panel(seed: number) {
    const g = new Xoshiro128(seed, 9);
    const cell: number[] = [];
    const ids: number[] = [];
    for (let u = 0; u < 900; u++) {
      const a = u % 3;
      let ps = [0, 1, 2, 3, 4, 5];
      if (u >= 300 && u < 600) ps = ps.filter(() => g.uniform() < 0.7);
      if (u >= 600) ps = u % 2 ? [5, 4, 3, 2, 1, 0] : [0, 5];
      if (ps.length === 0) ps = [2];
      for (const p of ps) {
        cell.push(a * T + p);
        ids.push(u);
      }
    }
    const n = cell.length;
    const rows = { cell: Int32Array.from(cell), y: new Float64Array(n), xs: [0, 1].map(() => Float64Array.from({ length: n }, () => g.normal() * 3 + 1)) };
    const resid = Float64Array.from({ length: n }, () => g.normal());
    return { rows, resid, group: { ids: Int32Array.from(ids), G: 900 } };
  }

  it("is the same in TypeScript, in the kernel and on 1, 2 and 3 kernel threads, clustered and not", () => {
    const { rows, resid, group } = panel(3);
    for (const grouping of [group, null]) {
      const plain = cellMeat(layout, rows, resid, kept, grouping, null);
      expect(plain.every(Number.isFinite)).toBe(true);
      expect(plain.some((v) => v !== 0)).toBe(true);
      const engines = [createEngine({ backend: "wasm" }).backend, ...[1, 2, 3].map((t) => threadedEngine(t).backend)];
      // the default chunks (one here, on one thread), and many small chunks split over the threads
      for (const chunking of [undefined, { doubles: 64, groups: 5, minProductsPerThread: 1 }]) {
        for (const b of engines) expect(sameBits(cellMeat(layout, rows, resid, kept, grouping, b as Backend, chunking), plain)).toBe(true);
      }
    }
  });

  it("is sum_g s_g s_g' of the groups' score vectors", () => {
    const { rows, resid, group } = panel(4);
    const m = 3;
    const D = layout.entries.length * m;
    // R from each group's W (cells x (1, x1, x2) times e), then M R M' as the layout maps cells to columns
    const p = layout.names.length;
    const scores = Array.from({ length: group.G }, () => new Float64Array(p));
    for (let i = 0; i < rows.cell.length; i++) {
      const { cols, a } = layout.entries[rows.cell[i]];
      const z = [1, rows.xs[0][i], rows.xs[1][i]];
      for (let e = 0; e < cols.length; e++) scores[group.ids[i]][cols[e]] += resid[i] * (a[e * m] * z[0] + a[e * m + 1] * z[1] + a[e * m + 2] * z[2]);
    }
    const want = new Float64Array(p * p);
    for (const s of scores) for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) want[j * p + k] += s[j] * s[k];
    const got = cellMeat(layout, rows, resid, kept, group, backends.simd);
    expect(D).toBeGreaterThan(0);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 6);
  });
});
