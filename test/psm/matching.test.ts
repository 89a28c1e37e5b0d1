// Matching on the score, worked by hand: nearest neighbours and their tie-breaking, the caliper,
// matching without replacement (MatchIt's largest-score-first order), MatchIt 4.5.1's truncated distances,
// radius and kernel weights, common support, and the pstest balance formulas on a tiny example.
import { describe, expect, it } from "vitest";
import { balanceTable } from "../../bindings/estimators/psm/balance.js";
import { commonSupport, matchOnScore, type MatchOptions } from "../../bindings/estimators/psm/matching.js";
import { didUnitWeights } from "../../bindings/estimators/psm/weights.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const NEAREST: MatchOptions = { method: "nearest", neighbors: 1, replace: true, caliper: null, kernel: "epan", bandwidth: 0.06 };

/** Units in table order: [score, treated]. Returns "t->c" pairs with unit indices. */
function match(units: Array<[number, 0 | 1]>, o: Partial<MatchOptions> = {}) {
  const score = Float64Array.from(units, (u) => u[0]);
  const treated = Uint8Array.from(units, (u) => u[1]);
  const m = matchOnScore(score, treated, new Uint8Array(units.length).fill(1), { ...NEAREST, ...o });
  return { ...m, keys: m.pairs.map((p) => `${p.treated}->${p.control}`) };
}

describe("nearest-neighbour matching", () => {
  it("takes the nearest control on either side", () => {
    // treated 0.5; controls 0.45 (distance 0.05) and 0.53 (0.03, nearer)
    expect(match([[0.5, 1], [0.45, 0], [0.53, 0]]).keys).toEqual(["0->2"]);
  });

  it("breaks an exact tie in distance towards the lower score", () => {
    // 0.5 - 0.25 = 0.75 - 0.5 = 0.25 exactly: the left (lower) control, unit 2, wins
    expect(match([[0.5, 1], [0.75, 0], [0.25, 0]]).keys).toEqual(["0->2"]);
  });

  it("breaks ties between equal scores by unit order, nearest to the treated unit in (score, unit) order", () => {
    // All at 0.5. Sorted (score, unit): c0, t1, c2, c3. The left side of t1 is c0 (distance 0): it wins.
    expect(match([[0.5, 0], [0.5, 1], [0.5, 0], [0.5, 0]]).keys).toEqual(["1->0"]);
    // t0 first: every control is on its right; the nearest in order is c1, then c3.
    expect(match([[0.5, 1], [0.5, 0], [0.7, 1], [0.5, 0]], { neighbors: 2 }).keys).toEqual(["0->1", "0->3", "2->3", "2->1"]);
  });

  it("takes k neighbours by merging both sides, nearest first, each with share 1/k", () => {
    const m = match([[0.5, 1], [0.1, 0], [0.45, 0], [0.52, 0], [0.6, 0], [0.9, 0]], { neighbors: 3 });
    expect(m.keys).toEqual(["0->3", "0->2", "0->4"]);
    expect(m.pairs.map((p) => p.weight)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(m.controlWeight[3]).toBeCloseTo(1 / 3, 15);
  });

  it("reuses controls with replacement; weights count the uses", () => {
    const m = match([[0.5, 1], [0.51, 1], [0.49, 1], [0.5, 0], [0.1, 0]]);
    expect(m.keys).toEqual(["0->3", "1->3", "2->3"]);
    expect(Array.from(m.controlWeight)).toEqual([0, 0, 0, 3, 0]);
    expect(Array.from(didUnitWeights(m.treatedMatched, m.controlWeight, "count"))).toEqual([1, 1, 1, 3, 0]);
    expect(Array.from(didUnitWeights(m.treatedMatched, m.controlWeight, "matchit"))).toEqual([1, 1, 1, 1, 0]);
    expect(Array.from(didUnitWeights(m.treatedMatched, m.controlWeight, "none"))).toEqual([1, 1, 1, 1, 0]);
  });

  it("drops treated units with no control within the caliper, and stops a side at the caliper", () => {
    const m = match([[0.5, 1], [0.9, 1], [0.47, 0], [0.58, 0]], { caliper: 0.05, neighbors: 2 });
    expect(m.keys).toEqual(["0->2"]); // 0.58 is 0.08 away; treated 0.9 has nothing within 0.05
    expect(m.unmatched).toBe(1);
    expect(Array.from(m.treatedMatched)).toEqual([1, 0, 0, 0]);
  });

  it("without replacement, matches the largest scores first (MatchIt's m.order = \"largest\")", () => {
    // A = 0.6 goes first and takes C = 0.58; B = 0.55 then gets D = 0.3 (C is used)
    const m = match([[0.55, 1], [0.6, 1], [0.58, 0], [0.3, 0]], { replace: false });
    expect(m.keys.sort()).toEqual(["0->3", "1->2"]);
    // k = 2 in rounds: round 1 A->C, B->E; round 2 A->D (nearest unused), B -> nothing left
    const m2 = match([[0.55, 1], [0.6, 1], [0.58, 0], [0.3, 0], [0.54, 0]], { replace: false, neighbors: 2 });
    expect(m2.keys).toEqual(["0->4", "1->2", "1->3"]);
  });

  it("with compat matchit-4.5.1, reproduces MatchIt 4.5.1's truncated distances", () => {
    // MatchIt 4.5.1 matches treated 0.5 to 0.45, not to the nearer 0.53 (every |difference| < 1 counts as
    // 0, and the left candidate wins ties), and ignores the caliper: checked with R (golden/README.md).
    expect(match([[0.5, 1], [0.45, 0], [0.53, 0]], { compat: "matchit-4.5.1" }).keys).toEqual(["0->1"]);
    expect(match([[0.5, 1], [0.45, 0], [0.53, 0]], { compat: "matchit-4.5.1", caliper: 0.01 }).keys).toEqual(["0->1"]);
    // With no lower control, the right one is taken.
    expect(match([[0.2, 1], [0.9, 0], [0.3, 0]], { compat: "matchit-4.5.1" }).keys).toEqual(["0->2"]);
  });
});

describe("radius and kernel matching", () => {
  it("radius: every control within the caliper, equal shares", () => {
    const m = match([[0.5, 1], [0.45, 0], [0.53, 0], [0.6, 0]], { method: "radius", caliper: 0.06 });
    expect(m.keys.sort()).toEqual(["0->1", "0->2"]);
    expect(m.pairs.map((p) => p.weight)).toEqual([0.5, 0.5]);
  });

  it("kernel (Epanechnikov): weights 1 - u^2 on |u| < 1, normalised", () => {
    // h = 0.1: u = -0.5 (0.45) -> 0.75, u = 0.3 (0.53) -> 0.91, u = 1.5 (0.65) -> 0
    const m = match([[0.5, 1], [0.45, 0], [0.53, 0], [0.65, 0]], { method: "kernel", bandwidth: 0.1 });
    const w = Object.fromEntries(m.pairs.map((p) => [p.control, p.weight]));
    const u1 = (0.45 - 0.5) / 0.1;
    const u2 = (0.53 - 0.5) / 0.1;
    const k1 = 1 - u1 * u1;
    const k2 = 1 - u2 * u2;
    expect(w[1]).toBeCloseTo(k1 / (k1 + k2), 15);
    expect(w[2]).toBeCloseTo(k2 / (k1 + k2), 15);
    expect(w[3]).toBeUndefined();
  });

  it("kernel (normal): every control, weights exp(-u^2/2), normalised; a caliper limits them", () => {
    const m = match([[0.5, 1], [0.45, 0], [0.53, 0], [0.65, 0]], { method: "kernel", kernel: "normal", bandwidth: 0.1 });
    const k = [0.45, 0.53, 0.65].map((c) => Math.exp(-0.5 * ((c - 0.5) / 0.1) ** 2));
    const s = k[0] + k[1] + k[2];
    expect(m.pairs.map((p) => [p.control, p.weight])).toEqual([
      [2, k[1] / s],
      [1, k[0] / s],
      [3, k[2] / s],
    ].map(([c, w]) => [c, expect.closeTo(w, 15)]));
    expect(match([[0.5, 1], [0.45, 0], [0.53, 0], [0.65, 0]], { method: "kernel", kernel: "normal", bandwidth: 0.1, caliper: 0.1 }).keys.sort()).toEqual(["0->1", "0->2"]);
  });
});

describe("common support and balance", () => {
  it("drops treated units outside the controls' score range", () => {
    const score = Float64Array.from([0.95, 0.5, 0.05, 0.2, 0.8]);
    const treated = Uint8Array.from([1, 1, 1, 0, 0]);
    const cs = commonSupport(score, treated, new Uint8Array(5).fill(1));
    expect(Array.from(cs.eligible)).toEqual([0, 1, 0, 1, 1]);
    expect(cs.offSupport).toBe(2);
  });

  it("computes pstest's %bias, reduction and t-tests", () => {
    // Treated x = 1, 2, 3 (mean 2, var 1); controls x = 0, 2, 4, 6 (mean 3, var 20/3).
    // %bias before = 100 (2 - 3) / sqrt((1 + 20/3) / 2) = -100 / sqrt(23/6).
    // After: treated 0 and 1 matched (mean 1.5); controls 2 (x = 2, weight 1) and 3 (x = 4, weight 1):
    // mean 3 -> %bias after = 100 (1.5 - 3) / sqrt(23/6).
    const x = Float64Array.from([1, 2, 3, 0, 2, 4, 6]);
    const treated = Uint8Array.from([1, 1, 1, 0, 0, 0, 0]);
    const matched = Uint8Array.from([1, 1, 0, 0, 0, 0, 0]);
    const cw = Float64Array.from([0, 0, 0, 0, 1, 1, 0]);
    const { rows } = balanceTable(["x"], [x], new Uint8Array(7).fill(1), treated, matched, cw);
    const b = rows[0];
    expect(b.bias_before).toBeCloseTo(-100 / Math.sqrt(23 / 6), 12);
    expect(b.bias_after).toBeCloseTo((100 * -1.5) / Math.sqrt(23 / 6), 12);
    expect(b.reduction).toBeCloseTo(100 * (1 - 1.5), 12);
    // t before: pooled variance (2 * 1 + 3 * 20/3) / 5 = 22/5; se = sqrt(22/5 (1/3 + 1/4)); t = -1 / se
    expect(b.t_before).toBeCloseTo(-1 / Math.sqrt((22 / 5) * (1 / 3 + 1 / 4)), 12);
    // t after, weights 1: W = 4, residual SS = 0.5 + 2 = 2.5, s2 = 2.5 / 2; se = sqrt(s2 (1/2 + 1/2))
    expect(b.t_after).toBeCloseTo(-1.5 / Math.sqrt(1.25), 12);
  });
});

describe("speed of the sorted score index", () => {
  it("matches 10,000 treated among 100,000 controls quickly", () => {
    const g = new Xoshiro128(5);
    const U = 110_000;
    const score = Float64Array.from({ length: U }, () => g.uniform());
    const treated = Uint8Array.from({ length: U }, (_, u) => (u % 11 === 0 ? 1 : 0));
    const t0 = performance.now();
    const m = matchOnScore(score, treated, new Uint8Array(U).fill(1), { ...NEAREST, caliper: 0.001 });
    const ms = performance.now() - t0;
    expect(m.pairs.length).toBe(10_000 - m.unmatched);
    expect(ms).toBeLessThan(3000); // target 1 s (bench/psm.bench.mjs measures it); generous under test load
  });
});
