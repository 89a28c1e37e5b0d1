// Samples shared between the models of one multiple estimation: requests that differ only in variables
// without a missing value give the same sample (built once); any other difference builds its own. Columns
// over a sample's rows are gathered once.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { SampleCache } from "../../bindings/model/sample-cache.js";
import { buildSample, type SampleRequest } from "../../bindings/model/sample.js";
import { errorOf } from "../helpers/frames.js";

const frame = fromColumns({
  y: [1, 2, 3, 4, 5, 6],
  full: [1, 0, 1, 0, 1, 1],
  gappy: [1, NaN, 2, 3, 4, 5],
  id: [1, 1, 2, 2, 3, 3],
});
const fe = [{ vars: ["id"], name: "id", pos: 0 }];
const req = (numeric: string[], more: Partial<SampleRequest> = {}): SampleRequest => ({
  numeric: numeric.map((name) => ({ name, role: "regressor" })), categorical: [{ name: "id", role: "fixed effect" }], fixef: fe, fixefRm: "none", ...more,
});

describe("SampleCache", () => {
  it("gives one sample to requests that differ only in complete variables", () => {
    const cache = new SampleCache();
    const a = cache.build(frame, req(["y"]));
    expect(cache.build(frame, req(["y", "full"]))).toBe(a);
    expect(a).toEqual(buildSample(frame, req(["y", "full"])));
  });

  it("builds its own sample for a variable with missing values, other weights, subset, filter or fixed effects", () => {
    const cache = new SampleCache();
    const a = cache.build(frame, req(["y"]));
    const gappy = cache.build(frame, req(["y", "gappy"]));
    expect(gappy).not.toBe(a);
    expect(gappy.rows.length).toBe(5);
    expect(cache.build(frame, req(["y"], { weights: "full" }))).not.toBe(a);
    expect(cache.build(frame, req(["y"], { subset: "y > 1" })).rows.length).toBe(5);
    const f1 = Uint8Array.of(1, 1, 1, 1, 0, 0);
    expect(cache.build(frame, req(["y"], { rowFilter: f1 })).rows.length).toBe(4);
    expect(cache.build(frame, req(["y"], { rowFilter: Uint8Array.of(1, 1, 1, 1, 1, 0) })).rows.length).toBe(5);
    expect(cache.build(frame, req(["y"], { fixef: [] })).fixef).toEqual([]);
  });

  it("gathers a column over a sample's rows once, for every model that asks", () => {
    const cache = new SampleCache();
    const s = cache.build(frame, req(["gappy"]));
    const x = cache.values(frame, "full", s.rows, "regressor");
    expect(Array.from(x)).toEqual([1, 1, 0, 1, 1]);
    expect(cache.values(frame, "full", s.rows, "regressor")).toBe(x);
    // Other rows, another column: gathered anew.
    const all = cache.build(frame, req(["y"]));
    expect(cache.values(frame, "full", all.rows, "regressor")).not.toBe(x);
    expect(Array.from(cache.values(frame, "y", s.rows, "outcome"))).toEqual([1, 3, 4, 5, 6]);
    expect(errorOf(() => cache.values(frame, "nope", s.rows, "regressor")).code).toBe("UNKNOWN_COLUMN");
  });

  it("leaves errors to buildSample", () => {
    expect(errorOf(() => new SampleCache().build(frame, req(["y", "nope"]))).code).toBe("UNKNOWN_COLUMN");
  });
});
