// The whole-number table behind groupIds: one pass whose table grows around the values seen, falling back
// to the hash map when a value is not whole or the range is too wide. Whatever path a column takes, its ids
// must be the first-appearance numbering a plain map gives.
import { describe, expect, it } from "vitest";
import { toFrame } from "../../bindings/data/columns.js";
import { groupIds } from "../../bindings/model/groups.js";
import { buildSample } from "../../bindings/model/sample.js";

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** First-appearance ids by a Map (SameValueZero: 0 and -0 are one group). */
function referenceIds(values: readonly number[]): number[] {
  const map = new Map<number, number>();
  return values.map((v) => {
    if (!map.has(v)) map.set(v, map.size);
    return map.get(v)!;
  });
}

function idsOf(values: readonly number[]): { ids: number[]; G: number } {
  const g = groupIds(toFrame({ v: values.slice() }), "v", all(values.length));
  return { ids: Array.from(g.ids), G: g.G };
}

function expectReference(values: readonly number[], label: string): void {
  const want = referenceIds(values);
  const got = idsOf(values);
  expect(got.ids, label).toEqual(want);
  expect(got.G, label).toBe(new Set(want).size);
}

describe("whole-number ids", () => {
  it("grows the table below and above the first value, keeping ids already given", () => {
    // First value in the middle, then values far below and far above the first table's reach.
    expectReference([5000, 4999, -20000, 5000, 90000, -20000, 4999, 123456, 0, -1], "both ways");
    expectReference(Array.from({ length: 5000 }, (_, i) => 5000 - i), "descending");
    expectReference(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 4999), "scattered");
  });

  it("falls back to the map mid-column, with the same ids", () => {
    expectReference([1, 2, 3, 2, 1, 2.5, 3, 2.5], "a fraction after whole numbers");
    expectReference([1, 2, 1, 1e15, 2, 1e15], "a range too wide after a compact start");
    expectReference([3, -Infinity, 3, Infinity, -Infinity], "infinite values");
    expectReference([0.5, 1, 0.5], "a fraction first");
    expectReference([1e17, 1e17 + 16, 1e17, 1e17 - 16], "whole numbers too large for exact table keys");
    expectReference([5, 2 ** 50 + 8, 5, 2 ** 50 + 8], "past 2^50 after a small start");
  });

  it("a tiny fraction that v - lo would round away still makes its own group", () => {
    // With the table starting at -5, 1e-300 - (-5) rounds to 5, the key of 0: the test must be on the value.
    const got = idsOf([-5, 0, 1e-300, 0]);
    expect(got.ids).toEqual([0, 1, 2, 1]);
  });

  it("0 and -0 are one group, as in the map", () => {
    expectReference([0, -0, 1, -0], "signed zeros");
    expect(idsOf([-0, 0, 2]).ids).toEqual([0, 0, 1]);
  });

  it("random whole and mixed columns agree with the map", () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 40; t++) {
      const n = 1 + Math.floor(rand() * 300);
      const width = [3, 50, 2000, 1e6][t % 4];
      const values = Array.from({ length: n }, () => Math.floor((rand() - 0.3) * width));
      if (t % 5 === 4) values[Math.floor(rand() * n)] += 0.5;
      expectReference(values, `trial ${t}`);
    }
  });
});

describe("the sample's rows", () => {
  const req = {
    numeric: [{ name: "y", role: "outcome" }],
    categorical: [{ name: "g", role: "fixed effect" }],
    fixef: [{ name: "g", vars: ["g"], pos: 0 }],
    fixefRm: "none" as const,
  };

  it("every row kept: rows 0..n-1 and nothing dropped", () => {
    const s = buildSample(toFrame({ y: [1, 2, 3, 4], g: [7, 7, 8, 8] }), req);
    expect(Array.from(s.rows)).toEqual([0, 1, 2, 3]);
    expect(s.dropped).toEqual({ missing: 0, subset: 0, zeroWeight: 0, singletons: 0 });
    expect(Array.from(s.fixef[0].ids)).toEqual([0, 0, 1, 1]);
  });

  it("the row count is the rows left after missing values, the subset and zero weights", () => {
    const f = toFrame({ y: [1, NaN, 3, 4, 5, 6], g: [7, 7, NaN, 8, 8, 9], w: [1, 1, 1, 0, 2, 1] });
    const s = buildSample(f, { ...req, weights: "w", subset: "y < 6" });
    expect(Array.from(s.rows)).toEqual([0, 4]);
    // y < 6 is false for the missing y too: the subset drops rows 1 and 5 first, then g drops row 2.
    expect(s.dropped).toEqual({ missing: 1, subset: 2, zeroWeight: 1, singletons: 0 });
    expect(Array.from(s.weights!)).toEqual([1, 2]);
  });
});
