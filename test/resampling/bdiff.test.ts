import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { feols } from "../../bindings/estimators/feols.js";
import { bdiff } from "../../bindings/resampling/bdiff.js";
import { DidwasmError } from "../../bindings/errors.js";

// A tiny cross-section: 10 observations, groups of 4 and 6: C(10, 4) = 210 splits.
const tiny = fromColumns({
  y: [1.2, 0.4, 2.9, 1.7, 3.3, 0.8, 2.2, 2.8, 1.1, 3.9],
  x: [0.5, 0.1, 1.4, 0.9, 1.6, 0.2, 0.7, 1.1, 0.3, 1.8],
  g: [0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
});

function bruteForceP(): { diff: number; p: number; count: number } {
  const coefOn = (idx: number[]) => feols(fromColumns({ y: idx.map((i) => tiny.numeric("y")[i]), x: idx.map((i) => tiny.numeric("x")[i]) }), "y ~ x", { vcov: "iid" }).coef("x");
  const all = Array.from({ length: 10 }, (_, i) => i);
  const d0 = coefOn([0, 1, 2, 3]) - coefOn([4, 5, 6, 7, 8, 9]);
  let ge = 0;
  let count = 0;
  for (let a = 0; a < 10; a++) for (let b = a + 1; b < 10; b++) for (let c = b + 1; c < 10; c++) for (let d = c + 1; d < 10; d++) {
    const g0 = [a, b, c, d];
    const g1 = all.filter((i) => !g0.includes(i));
    if (coefOn(g0) - coefOn(g1) >= d0 - 1e-12) ge++;
    count++;
  }
  const p = ge / count;
  return { diff: d0, p: p > 0.5 ? 1 - p : p, count };
}

describe("bdiff", () => {
  it("exact permutation p-value equals brute-force enumeration of every split", () => {
    const truth = bruteForceP();
    const r = bdiff(tiny, { formula: "y ~ x", group: "g", coef: "x", exact: true, seed: 1 });
    expect(r.reps).toBe(210);
    expect(r.diff).toBeCloseTo(truth.diff, 12);
    expect(r.p_value).toBe(truth.p);
    // Random permutations approach it.
    const mc = bdiff(tiny, { formula: "y ~ x", group: "g", coef: "x", reps: 4000, seed: 2 });
    expect(Math.abs(mc.p_value - truth.p)).toBeLessThan(4 * Math.sqrt((truth.p * (1 - truth.p)) / 4000) + 1e-9);
  });

  it("d0 is b(group 0) - b(group 1), each estimated on its own sample", () => {
    const city = fromColumns(generateSmartCity());
    const f = "ire ~ did + lngdp + lnfin + upg + lnfis + fix + tra | city + year";
    const r = bdiff(city, { formula: f, group: "east", coef: "did", reps: 20, seed: 1 });
    const b0 = feols(city, f, { subset: "east == 0" }).coef("did");
    const b1 = feols(city, f, { subset: "east == 1" }).coef("did");
    expect(Math.abs(r.diff - (b0 - b1))).toBeLessThan(1e-10);
    expect(r.groups).toEqual(["0", "1"]);
  });

  it("seeded runs are identical across backends; cluster-level permutation keeps units whole", () => {
    const city = fromColumns(generateSmartCity());
    const f = "ire ~ did + lngdp + lnfin + upg + lnfis + fix + tra | city + year";
    const a = bdiff(city, { formula: f, group: "east", coef: "did", reps: 40, seed: 9, clusterLevel: "city", backend: "wasm" });
    const b = bdiff(city, { formula: f, group: "east", coef: "did", reps: 40, seed: 9, clusterLevel: "city", backend: "reference" });
    expect(Array.from(a.draws)).toEqual(Array.from(b.draws));
    const boot = bdiff(city, { formula: f, group: "east", coef: "did", method: "bootstrap", reps: 40, seed: 9, clusterLevel: "city" });
    expect(boot.draws.length).toBe(40);
  });

  it("under a true null the permutation p-value is not small", () => {
    const data = fromColumns(generateSyntheticPanel({ units: 80, periods: 6, regressors: 1, seed: 5 }));
    const withGroup = data.withColumn({ kind: "numeric", name: "grp", values: Float64Array.from(data.numeric("state"), (s) => s % 2) });
    const r = bdiff(withGroup, { formula: "y ~ x1 | unit + year", group: "grp", coef: "x1", reps: 300, seed: 3, clusterLevel: "unit" });
    expect(r.p_value).toBeGreaterThan(0.01);
  });

  it("bad input: a group variable with other than two values, an unknown coefficient, reps out of range", () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as DidwasmError;
      }
      throw new Error("no error");
    };
    const three = tiny.withColumn({ kind: "numeric", name: "g3", values: Float64Array.from({ length: 10 }, (_, i) => i % 3) });
    expect(err(() => bdiff(three, { formula: "y ~ x", group: "g3", coef: "x", seed: 1 })).message).toContain('has 3 values in the sample; bdiff needs exactly two');
    expect(err(() => bdiff(tiny, { formula: "y ~ x", group: "g", coef: "z", seed: 1 })).code).toBe("UNKNOWN_COEFFICIENT");
    expect(err(() => bdiff(tiny, { formula: "y ~ x", group: "g", coef: "x", seed: 1, reps: 0 })).message).toContain("reps must be a positive whole number");
    expect(err(() => bdiff(tiny, { formula: "y ~ x", group: "g", coef: "x", seed: 1, reps: 5_000_000 })).message).toContain("more than 1,000,000");
  });
});
