// i(f) with many levels: its dummies are codes until the fit writes them into its own buffer
// (model/design.ts, lazy-columns.ts), and multiplied through those codes (ols-crossproduct.ts). A design
// the engine can hold is estimated; one it cannot is refused with TOO_LARGE before any dense column is
// made (i(state) with 5,000 levels on 1M rows used to ask for 38 GB and crash).
import { describe, expect, it } from "vitest";
import { feols } from "../../bindings/estimators/feols.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { backendNames } from "../helpers/backends.js";

function data(n: number, levels: number) {
  const g = new Xoshiro128(17);
  const grp = Float64Array.from({ length: n }, (_, i) => i % levels);
  const effect = Float64Array.from({ length: levels }, () => g.normal());
  const x1 = Float64Array.from({ length: n }, () => g.normal());
  const y = Float64Array.from(x1, (x, i) => 0.7 * x + effect[grp[i]] + g.normal());
  return { grp, x1, y };
}

describe("i(f) with many levels", () => {
  it.each(backendNames)("300 levels on 20,000 rows: estimated, x1 as with f absorbed (%s)", (backend) => {
    const d = data(20_000, 300);
    const engine = createEngine({ backend });
    // iid: a robust meat costs n K^2 whatever the crossproduct does.
    const dummies = feols(d, "y ~ x1 + i(grp)", { engine, vcov: "iid" });
    const absorbed = feols(d, "y ~ x1 | grp", { engine, vcov: "iid" });
    expect(dummies.coefNames).toHaveLength(1 + 1 + 299);
    expect(dummies.removed).toEqual([]);
    expect(Math.abs(dummies.coef("x1") - absorbed.coef("x1"))).toBeLessThan(1e-10);
  });

  it("20,000 levels on 40,000 rows (6.4 GB of dummies): TOO_LARGE on the wasm engine, before making them", () => {
    const d = data(40_000, 20_000);
    const before = process.memoryUsage().arrayBuffers;
    expect(() => feols(d, "y ~ x1 + i(grp)", { engine: createEngine({ backend: "wasm" }) })).toThrow(
      expect.objectContaining({ code: "TOO_LARGE", message: expect.stringMatching(/40,000 rows x 20,002 columns.*fewer i\(\) levels or event-time cells \(19,999 indicator columns\)/) }),
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
  });
});
