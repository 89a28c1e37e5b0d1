// Layouts of a whole column's groups (groups.ts IdLayout): runs of equal length, each a new
// group (units of a panel stored unit by unit), or the same groups cycling in the same order (its periods).
// The fit takes a balanced panel's closed form without ids only on these, so a layout said where the ids do
// not follow it would demean wrongly: every break must be caught.
import { describe, expect, it } from "vitest";
import { toFrame } from "../../bindings/data/columns.js";
import { groupIds, writeIds } from "../../bindings/model/groups.js";
import { feols } from "../../bindings/estimators/feols.js";
import { createEngine } from "../../bindings/engine/engine.js";

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

function layoutOf(values: number[]) {
  const g = groupIds(toFrame({ v: values }), "v", all(values.length));
  return g.layout ?? null;
}

describe("id layouts of whole columns", () => {
  it("runs of equal length, each a new group", () => {
    expect(layoutOf([4, 4, 4, 9, 9, 9, 1, 1, 1])).toEqual({ runs: 3, cycle: 0 });
    // one group: one run, and a cycle of one
    expect(layoutOf([7, 7, 7, 7])).toEqual({ runs: 4, cycle: 1 });
  });

  it("a cycle: the same groups in the same order", () => {
    expect(layoutOf([2001, 2002, 2003, 2001, 2002, 2003])).toEqual({ runs: 0, cycle: 3 });
    // all distinct: runs of one row, and one cycle
    expect(layoutOf([5, 6, 8])).toEqual({ runs: 1, cycle: 3 });
  });

  it.each([
    ["runs of unequal length", [1, 1, 2, 2, 2, 3, 3]],
    ["a short last run", [1, 1, 1, 2, 2, 2, 3, 3]],
    ["a group coming back", [1, 1, 2, 2, 1, 1]],
    ["a cycle in another order", [1, 2, 3, 2, 1, 3]],
    ["a cycle with a repeated row inside", [1, 2, 3, 1, 1, 3]],
    ["a cycle cut short", [1, 2, 3, 1, 2]],
    ["a cycle ending on a repeated row", [1, 2, 1, 2, 2]],
    ["a new group after the first cycle", [1, 2, 1, 2, 3, 1]],
  ])("no layout said for %s", (_label, values) => {
    const l = layoutOf(values);
    const n = values.length;
    // whatever is said must be what the ids are
    const ids = Array.from(groupIds(toFrame({ v: values }), "v", all(n)).ids);
    if (l && l.runs > 0) expect(ids).toEqual(values.map((_, i) => Math.floor(i / l.runs)));
    if (l && l.cycle > 0) expect(ids).toEqual(values.map((_, i) => i % l.cycle));
    expect(l === null || (l.runs === 0 && l.cycle === 0)).toBe(true);
  });

  it("ids written from a layout are the encoded ids", () => {
    const unit = Array.from({ length: 60 }, (_, i) => 100 + 3 * Math.floor(i / 4));
    const year = Array.from({ length: 60 }, (_, i) => 1990 + (i % 4));
    const f = toFrame({ unit, year });
    for (const name of ["unit", "year"]) {
      const g = groupIds(f, name, all(60));
      const written = new Int32Array(60);
      writeIds(g, written);
      const fresh = groupIds(toFrame({ v: name === "unit" ? unit : year }), "v", all(60)).ids;
      expect(Array.from(written), name).toEqual(Array.from(fresh));
    }
  });
});

describe("the balanced closed form from layouts", () => {
  it("a panel stored unit by unit, period by period or shuffled: the same fit, ids read only where the order does not give them", () => {
    const U = 40;
    const T = 5;
    const rows = Array.from({ length: U * T }, (_, i) => ({ u: Math.floor(i / T), t: i % T }));
    const value = (u: number, t: number) => ({ x: Math.sin(u * 1.3 + t * 0.7) + 0.1 * t, y: 2 * Math.sin(u * 1.3 + t * 0.7) + Math.cos(u * t + 1) + u / U });
    const frameOf = (order: typeof rows) => toFrame({
      unit: order.map((r) => 1 + r.u), year: order.map((r) => 2000 + r.t),
      x: order.map((r) => value(r.u, r.t).x), y: order.map((r) => value(r.u, r.t).y),
    });
    const byPeriod = [...rows].sort((a, b) => a.t - b.t || a.u - b.u);
    const shuffled = rows.map((r, i) => ({ r, k: (i * 7919) % rows.length })).sort((a, b) => a.k - b.k).map((e) => e.r);
    const calls: string[] = [];
    const engine = createEngine({ backend: "wasm" });
    const counting = {
      ...engine,
      backend: {
        ...engine.backend,
        demeanBalanced: (...a: Parameters<typeof engine.backend.demeanBalanced>) => (calls.push("ids"), engine.backend.demeanBalanced(...a)),
        demeanPanelOrder: (...a: Parameters<typeof engine.backend.demeanPanelOrder>) => (calls.push(`order:${a[6]}`), engine.backend.demeanPanelOrder(...a)),
        clusterScoresRuns: (...a: Parameters<typeof engine.backend.clusterScoresRuns>) => (calls.push(`runs:${a[5]}`), engine.backend.clusterScoresRuns(...a)),
        meatCluster: (...a: Parameters<typeof engine.backend.meatCluster>) => (calls.push("cluster ids"), engine.backend.meatCluster(...a)),
      },
    };
    const fit = (order: typeof rows) => feols(frameOf(order), "y ~ x | unit + year", { vcov: "cluster:unit", engine: counting });
    const a = fit(rows);
    const b = fit(byPeriod);
    const c = fit(shuffled);
    // unit by unit: the units' runs of 5 rows also give the clusters without ids
    expect(calls).toEqual(["order:1", `runs:${T}`, "order:0", "cluster ids", "ids", "cluster ids"]);
    expect(Number.isFinite(a.coef().x) && a.se().x > 0).toBe(true);
    for (const f of [b, c]) {
      expect(f.coef().x).toBeCloseTo(a.coef().x, 12);
      expect(f.se().x).toBeCloseTo(a.se().x, 12);
    }
  });
});
