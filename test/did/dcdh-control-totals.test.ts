// dCDH's control totals for every horizon in one pass (controlTotalsUpTo, dcdh-horizon.ts) are each
// horizon's own (controlTotals), to the bit, for effects and placebos, on an unbalanced panel with gaps.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { dcdhDesign } from "../../bindings/estimators/did/dcdh-design.js";
import { controlTotals, controlTotalsUpTo } from "../../bindings/estimators/did/dcdh-horizon.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

describe("controlTotalsUpTo", () => {
  const rng = new Xoshiro128(5);
  const cols = { g: [] as number[], t: [] as number[], y: [] as number[], d: [] as number[] };
  for (let g = 0; g < 90; g++) {
    const start = g % 3 === 0 ? Infinity : 3 + (g % 5);
    for (let t = 1; t <= 12; t++) {
      if (rng.uniform() < 0.1) continue; // gaps
      cols.g.push(g);
      cols.t.push(t);
      cols.d.push(t >= start ? 1 + (g % 2) : 0);
      cols.y.push(t + rng.uniform() + (t >= start ? 1 : 0));
    }
  }
  const ds = dcdhDesign(fromColumns(cols), { y: "y", unit: "g", time: "t", treat: "d", cluster: null, weights: null, subset: null });

  it.each([false, true])("placebo %s: horizon l's totals are controlTotals(ds, l)", (placebo) => {
    const all = controlTotalsUpTo(ds, 6, placebo);
    expect(all).toHaveLength(6);
    all.forEach((tot, i) => {
      const one = controlTotals(ds, i + 1, placebo);
      expect(Array.from(tot)).toEqual(Array.from(one));
    });
    expect(all[0].some((v) => v > 0) && all[1].some((v) => v > 0)).toBe(true); // not a comparison of zeros
  });
});
