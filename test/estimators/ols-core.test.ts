// Large fits do not keep a copy of their demeaned regressors: withVcov recomputes them through the same
// demeaning call. That recomputation must give exactly the stored values. Nor, for Fits, a copy of their
// residuals: those are recomputed when first read, and must be the bits a copy would have held.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { STORED_DESIGN_LIMIT, runOls } from "../../bindings/estimators/ols-core.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { groupIds } from "../../bindings/model/groups.js";
import { DEFAULT_SSC } from "../../bindings/model/vcov-spec.js";

/** The same doubles bit for bit (NaN payloads and -0 included), fast on millions of values. */
const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe("runOls", () => {
  it.each(["wasm", "reference"] as const)("recomputes the demeaned design bit for bit (%s)", (backend) => {
    const f = fromColumns(generateSyntheticPanel({ units: 300, periods: 7, regressors: 10, seed: 2, weights: true }));
    const rows = Int32Array.from({ length: f.nrow }, (_, i) => i);
    const unit = { name: "unit", ...groupIds(f, "unit", rows) };
    const year = { name: "year", ...groupIds(f, "year", rows) };
    const names = Array.from({ length: 10 }, (_, j) => `x${j + 1}`);
    const res = runOls({
      backend: createEngine({ backend }).backend,
      outcomes: [{ name: "y", values: f.numeric("y") }],
      design: { names, columns: names.map((nm) => f.numeric(nm)), intercept: false },
      weights: f.numeric("w"), fixef: [unit, year], tol: 1e-8, maxIter: 1000, vcov: { type: "iid" }, ssc: DEFAULT_SSC,
      clusterGroups: () => unit,
    });
    expect(res.X).not.toBeNull();
    expect(Array.from(res.demeanedX())).toEqual(Array.from(res.X!));
  });

  it("a large job's residuals recomputed on demand are the copied residuals, bit for bit, and withVcov's demeaning hands them over", () => {
    // 16,384 units x 8 periods x 9 regressors: 1.2 million doubles of design, over the 1,048,576 a fit keeps.
    const K = 9;
    const U = 16_384;
    const T = 8;
    const n = U * T;
    expect(K * n).toBeGreaterThan(STORED_DESIGN_LIMIT);
    const cols: Record<string, Float64Array> = { unit: new Float64Array(n), year: new Float64Array(n), y: new Float64Array(n) };
    for (let j = 1; j <= K; j++) cols[`x${j}`] = Float64Array.from({ length: n }, (_, i) => Math.sin(i * (0.7 + j)) + 0.01 * ((i >> 3) % (5 + j)));
    for (let i = 0; i < n; i++) {
      cols.unit[i] = Math.floor(i / T);
      cols.year[i] = 2000 + (i % T);
      cols.y[i] = cols.x1[i] - 0.5 * cols.x2[i] + Math.cos(3 * i) + 0.001 * (i % 7919);
    }
    const f = fromColumns(cols);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const unit = { name: "unit", ...groupIds(f, "unit", rows) };
    const year = { name: "year", ...groupIds(f, "year", rows) };
    const names = Array.from({ length: K }, (_, j) => `x${j + 1}`);
    const engine = createEngine({ backend: "wasm" });
    let demeanings = 0;
    // The panel is stored unit by unit: its closed form runs without ids (demeanPanelOrder).
    const counting = {
      ...engine.backend,
      demeanBalanced: (...a: Parameters<typeof engine.backend.demeanBalanced>) => (demeanings++, engine.backend.demeanBalanced(...a)),
      demeanPanelOrder: (...a: Parameters<typeof engine.backend.demeanPanelOrder>) => (demeanings++, engine.backend.demeanPanelOrder(...a)),
    };
    const job = (residualsOnDemand: boolean) =>
      runOls({
        backend: counting, outcomes: [{ name: "y", values: f.numeric("y") }],
        design: { names, columns: names.map((nm) => f.numeric(nm)), intercept: false },
        weights: null, fixef: [unit, year], tol: 1e-8, maxIter: 1000, vcov: { type: "cluster", vars: ["unit"] }, ssc: DEFAULT_SSC,
        clusterGroups: () => unit, residualsOnDemand,
      });
    const copied = job(false);
    expect(copied.X).toBeNull();
    const copiedResid = copied.outcomes[0].resid;
    const design = copied.demeanedX();
    // Read first: one more demeaning, the copied bits, kept from then on.
    const onDemand = job(true);
    expect(Array.from(onDemand.outcomes[0].coef)).toEqual(Array.from(copied.outcomes[0].coef));
    expect(onDemand.outcomes[0].vcov.vcov).toEqual(copied.outcomes[0].vcov.vcov);
    demeanings = 0;
    const first = onDemand.outcomes[0].resid;
    expect(demeanings).toBe(1);
    expect(sameBits(first, copiedResid)).toBe(true);
    expect(onDemand.outcomes[0].resid).toBe(first);
    expect(demeanings).toBe(1);
    // After a recomputation of the design (withVcov's): no demeaning of their own.
    const afterDesign = job(true);
    demeanings = 0;
    expect(sameBits(afterDesign.demeanedX(), design)).toBe(true);
    expect(sameBits(afterDesign.outcomes[0].resid, copiedResid)).toBe(true);
    expect(demeanings).toBe(1);
    // The recomputed design is kept: withVcov asked again demeans nothing.
    expect(afterDesign.demeanedX()).toBe(afterDesign.demeanedX());
    expect(demeanings).toBe(1);
  });
});
