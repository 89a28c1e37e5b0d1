// dCDH's control totals for every horizon in one pass (controlTotalsUpTo, dcdh-horizon.ts) are each horizon's
// totals taken on their own from the definition, to the bit, for effects and placebos, on an unbalanced
// panel with gaps.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { dcdhDesign } from "../../bindings/estimators/did/dcdh-design.js";
import { controlTotalsUpTo } from "../../bindings/estimators/did/dcdh-horizon.js";
import type { DcdhDesign } from "../../bindings/estimators/did/dcdh-design.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** Horizon l alone: per (period t, baseline), the weight of the groups not switched by t with an outcome
 *  change from t - l to t (a placebo: also from t - l back to t - 2l), groups and periods in order. */
function totalsOfOneHorizon(ds: DcdhDesign, l: number, placebo: boolean): Float64Array {
  const { T, K, Y, N, F, dsqId } = ds;
  const out = new Float64Array((T + 1) * K);
  const y = (g: number, t: number) => Y[g * T + t - 1];
  for (let g = 0; g < F.length; g++) {
    for (let t = l + 1; t <= Math.min(F[g] - 1, T); t++) {
      const change = y(g, t) - y(g, t - l);
      const before = t - 2 * l >= 1 ? y(g, t - 2 * l) - y(g, t - l) : NaN;
      if (!Number.isNaN(change) && (!placebo || !Number.isNaN(before))) out[t * K + dsqId[g]] += N[g * T + t - 1];
    }
  }
  return out;
}

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

  it.each([false, true])("placebo %s: horizon l's totals are its own, taken alone", (placebo) => {
    const all = controlTotalsUpTo(ds, 6, placebo);
    expect(all).toHaveLength(6);
    all.forEach((tot, i) => {
      const one = totalsOfOneHorizon(ds, i + 1, placebo);
      expect(Array.from(tot)).toEqual(Array.from(one));
    });
    expect(all[0].some((v) => v > 0) && all[1].some((v) => v > 0)).toBe(true); // not a comparison of zeros
  });
});
