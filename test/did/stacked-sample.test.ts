// The stacked sample and its block absorber (bindings/estimators/did/stacked-sample.ts, stacked-demean.ts)
// against the general path they replace: the stack written out as a frame with its two fixed effects as
// numbers, encoded by buildSample, and absorbed by absorb() one sub-experiment at a time. On an unbalanced
// panel where one cohort has an event time without treated rows (its controls there weigh 0 and leave the
// sample), so that the blocks are not what the stack's rows alone would give.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { Frame } from "../../bindings/data/frame.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { absorb } from "../../bindings/estimators/absorb.js";
import { timingFromCohort, unitIdsOfFrame } from "../../bindings/estimators/did/cohorts.js";
import { buildStack, experimentOfRow } from "../../bindings/estimators/did/stacked-build.js";
import { blockAbsorber } from "../../bindings/estimators/did/stacked-demean.js";
import { localIds, stackedSample } from "../../bindings/estimators/did/stacked-sample.js";
import { correctiveWeights } from "../../bindings/estimators/did/stacked-weights.js";
import { groupIds } from "../../bindings/model/groups.js";
import { buildSample } from "../../bindings/model/sample.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const WINDOW: [number, number] = [-2, 1];

function panel() {
  const rng = new Xoshiro128(11);
  const unit: number[] = [];
  const year: number[] = [];
  const cohort: number[] = [];
  const cohorts = [2003, 2003, 2003, 2005, 2005, 2007, 0, 0, 0, 0, 0];
  cohorts.forEach((g, u) => {
    for (let t = 2000; t <= 2008; t++) {
      // Cohort 2003's units are all missing in 2004 (its event time 1): no treated row there. Others miss a
      // few years at random (unbalanced blocks).
      if (g === 2003 && t === 2004) continue;
      if (g !== 2003 && rng.uniform() < 0.1) continue;
      unit.push(100 + u);
      year.push(t);
      cohort.push(g);
    }
  });
  return fromColumns({ unit, year, cohort });
}

function stackOf(f: ReturnType<typeof panel>) {
  const timing = timingFromCohort(f, { unit: "unit", time: "year", cohort: "cohort" });
  const units = unitIdsOfFrame(f, "unit");
  const stack = buildStack({ timing, time: f.numeric("year"), unitIds: units.ids, units: units.G, usable: new Uint8Array(f.nrow).fill(1), window: WINDOW, cleanControls: "notyet" });
  return { stack, units, weights: correctiveWeights(stack, WINDOW) };
}

describe("stacked sample", () => {
  const f = panel();
  const { stack, units, weights } = stackOf(f);
  const got = stackedSample({
    stack, window: WINDOW, unitIds: units.ids, units: units.G, names: { unitFe: "su", periodFe: "st", cluster: "unit", weights: "w" },
    cluster: f.numeric("unit"), weights, describeRow: (r) => `row ${r + 1}`,
  });

  it("bounds each sub-experiment's stacked rows: its row count, and its cohort's period on every row", () => {
    const A = stack.experiments.length;
    expect(A).toBeGreaterThan(1);
    expect(stack.starts.length).toBe(A + 1);
    expect(stack.starts[0]).toBe(0);
    expect(stack.starts[A]).toBe(stack.source.length);
    stack.experiments.forEach((x, j) => expect(stack.starts[j + 1] - stack.starts[j]).toBe(x.rows));
    const year = f.numeric("year");
    for (let i = 0; i < stack.source.length; i++) {
      expect(year[stack.source[i]] - stack.event[i]).toBe(stack.experiments[experimentOfRow(stack, i)].cohort);
    }
  });

  it("encodes both fixed effects, the rows and the weights as buildSample does on the stack written out", () => {
    const S = stack.source.length;
    const E = WINDOW[1] - WINDOW[0] + 1;
    const su = Float64Array.from({ length: S }, (_, i) => experimentOfRow(stack, i) * units.G + units.ids[stack.source[i]]);
    const st = Float64Array.from({ length: S }, (_, i) => experimentOfRow(stack, i) * E + stack.event[i] - WINDOW[0]);
    const written = new Frame(S, [
      { kind: "numeric", name: "su", values: su },
      { kind: "numeric", name: "st", values: st },
      { kind: "numeric", name: "w", values: weights },
    ]);
    const want = buildSample(written, {
      numeric: [], categorical: [], weights: "w", fixef: [{ vars: ["su"], name: "su", pos: 0 }, { vars: ["st"], name: "st", pos: 0 }], fixefRm: "none",
    });
    expect(want.dropped.zeroWeight).toBeGreaterThan(0);
    expect(got.sample.dropped).toEqual(want.dropped);
    expect(Array.from(got.sample.rows)).toEqual(Array.from(want.rows));
    expect(Array.from(got.sample.weights!)).toEqual(Array.from(want.weights!));
    got.sample.fixef.forEach((fe, q) => {
      expect(fe.G).toBe(want.fixef[q].G);
      expect(Array.from(fe.ids)).toEqual(Array.from(want.fixef[q].ids));
    });
    expect(Array.from(got.source)).toEqual(Array.from(want.rows, (i) => stack.source[i]));
    // Each row's dummy slot: event times -2 .. 1 of the window but the reference -1, treated rows only.
    const slots = [-2, 0, 1];
    expect(Array.from(got.code)).toEqual(Array.from(want.rows, (i) => (stack.treated[i] === 1 ? slots.indexOf(stack.event[i]) : -1)));
    // Blocks: each sub-experiment's sample rows, in order, with its fixed effects renumbered from 0.
    const A = stack.experiments.length;
    for (let b = 0; b < A; b++) {
      const rows = Array.from(want.rows).filter((i) => experimentOfRow(stack, i) === b);
      const lo = got.blocks[b];
      expect(got.blocks[b + 1] - lo).toBe(rows.length);
      want.fixef.forEach((fe, q) => {
        const map = new Map<number, number>();
        const local = Array.from(fe.ids.subarray(lo, lo + rows.length), (g) => map.get(g) ?? (map.set(g, map.size), map.size - 1));
        expect(Array.from(localIds(got.blockFixef[b][q]))).toEqual(local);
        expect(got.blockFixef[b][q].G).toBe(map.size);
      });
    }
    expect(got.frame.numeric("unit")[0]).toBe(f.numeric("unit")[stack.source[0]]);
    // A cluster given as numbers is left to the fits' encoder.
    expect(got.clusterGroups("unit")).toBeNull();
  });

  it("a cluster given as codes is numbered as the fits' encoder numbers the column, which is made when read", () => {
    const byCodes = stackedSample({
      stack, window: WINDOW, unitIds: units.ids, units: units.G, names: { unitFe: "su", periodFe: "st", cluster: "unit", weights: "w" },
      cluster: { codes: units.ids, count: units.G }, weights, describeRow: (r) => `row ${r + 1}`,
    });
    const want = groupIds(got.frame, "unit", got.sample.rows);
    const groups = byCodes.clusterGroups("unit")!;
    expect(groups.G).toBe(want.G);
    expect(Array.from(groups.ids)).toEqual(Array.from(want.ids));
    expect(byCodes.clusterGroups("st")).toBeNull();
    // The column holds the codes (as the unit's dense ids: the same partition as the unit's numbers).
    expect(Array.from(byCodes.frame.numeric("unit"))).toEqual(Array.from(stack.source, (r) => units.ids[r]));
    expect(Array.from(groupIds(byCodes.frame, "unit", byCodes.sample.rows).ids)).toEqual(Array.from(want.ids));
  });

  for (const backend of ["wasm", "reference"] as const) {
    for (const weighted of [true, false]) {
      // Weighted blocks are solved directly through ids and cells kept between calls, unweighted ones by
      // absorb(); both through a scratch of one value here, so that their columns go two at a time (several
      // calls per block).
      const how = weighted ? "weighted, through kept cells" : "unweighted, through absorb()";
      it(`the block absorber demeans each sub-experiment as absorb() does on it alone (${backend}, ${how})`, () => {
        const engine = createEngine({ backend });
        const be = engine.backend;
        const n = got.sample.rows.length;
        const C = 7;
        const rng = new Xoshiro128(5);
        const values = Float64Array.from({ length: n * C }, () => rng.normal() * 3 + 1);
        const w = weighted ? got.sample.weights! : null;
        const blockFe = blockAbsorber(got.blocks, got.blockFixef, 1e-10, 10_000, 1);
        const run = (weights: Float64Array | null = w) => {
          const arena = be.arena();
          try {
            const data = arena.f64From(values);
            const iterations = blockFe.absorber(be, arena, n, C, data, weights && arena.f64From(weights));
            return { out: data.view.slice(), iterations: Array.from(iterations) };
          } finally {
            arena.release();
          }
        };
        const first = run();
        // Cells built before the fits (prepare) give the same numbers; so do cells built for other weights,
        // which a fit with these weights must not use.
        blockFe.prepare(be, w);
        expect(run().out).toEqual(first.out);
        if (w) {
          blockFe.prepare(be, w.map((x) => 2 * x + 1));
          expect(run().out).toEqual(first.out);
        }
        blockFe.release();
        // After release the cells are built again for each call: the same numbers.
        expect(run().out).toEqual(first.out);
        for (let b = 0; b + 1 < got.blocks.length; b++) {
          const lo = got.blocks[b];
          const m = got.blocks[b + 1] - lo;
          if (m === 0) continue;
          const arena = be.arena();
          try {
            const block = arena.f64(m * C);
            for (let c = 0; c < C; c++) block.view.set(values.subarray(c * n + lo, c * n + lo + m), c * m);
            const renumber = (ids: Int32Array) => {
              const map = new Map<number, number>();
              return Int32Array.from(ids.subarray(lo, lo + m), (g) => map.get(g) ?? (map.set(g, map.size), map.size - 1));
            };
            const fixef = got.sample.fixef.map((fe) => {
              const ids = renumber(fe.ids);
              return { ids, G: Math.max(...ids) + 1 };
            });
            absorb(be, arena, m, C, block, fixef, w && arena.f64From(w.subarray(lo, lo + m)), 1e-10, 10_000);
            for (let c = 0; c < C; c++) {
              for (let i = 0; i < m; i++) expect(first.out[c * n + lo + i]).toBeCloseTo(block.view[c * m + i], 12);
            }
          } finally {
            arena.release();
          }
        }
        expect(first.iterations.every((it) => it > 0)).toBe(true);
      });
    }
  }
});
