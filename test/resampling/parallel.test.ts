// The worker pool gives exactly the single-threaded results, whatever the number of workers. Workers run
// the built JavaScript (dist/), which `npm test` builds first.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../dist/bindings/data/columns.js";
import { generateSmartCity } from "../../dist/bindings/data/demo/smart-city.js";
import { bdiffParallel, placeboParallel } from "../../dist/bindings/resampling/parallel-node.js";

const city = fromColumns(generateSmartCity());
const formula = "ire ~ did + lngdp + lnfin + upg + lnfis + fix + tra | city + year";

describe("parallel resampling", () => {
  it("placebo draws are identical with 1, 2 and 3 workers and on the reference backend", async () => {
    const opts = { formula, treat: "did", unit: "city", time: "year", cohort: "cohort", kind: "mixed" as const, variant: 3 as const, reps: 90, seed: 77, tStats: true };
    const one = await placeboParallel(city, opts, { workers: 1 });
    const progress: number[] = [];
    const two = await placeboParallel(city, opts, { workers: 2, onProgress: (d: number) => progress.push(d) });
    const three = await placeboParallel(city, { ...opts, backend: "reference" }, { workers: 3 });
    expect(Array.from(two.draws!)).toEqual(Array.from(one.draws!));
    expect(Array.from(two.tDraws!)).toEqual(Array.from(one.tDraws!));
    expect(Array.from(three.draws!)).toEqual(Array.from(one.draws!));
    expect(progress.at(-1)).toBe(90);
    expect(progress.length).toBeGreaterThan(1);
  });
  it("says so when asked-for workers are not used because the draws cost less than starting one", async () => {
    const opts = { formula, treat: "did", unit: "city", time: "year", cohort: "cohort", kind: "mixed" as const, variant: 1 as const, reps: 200, seed: 5 };
    const one = await placeboParallel(city, opts, { workers: 1 });
    const two = await placeboParallel(city, opts, { workers: 2 });
    expect(Array.from(two.draws!)).toEqual(Array.from(one.draws!));
    expect(one.notes.some((n) => n.kind === "threads")).toBe(false);
    const note = two.notes.find((n) => n.kind === "threads");
    expect(note?.message).toMatch(/200 draws ran in the calling thread, not on 2 workers/);
  });
  it("bdiff draws are identical with 1 and 2 workers", async () => {
    const opts = { formula, group: "east", coef: "did", reps: 40, seed: 3, clusterLevel: "city", method: "bootstrap" as const };
    const one = await bdiffParallel(city, opts, { workers: 1 });
    const two = await bdiffParallel(city, opts, { workers: 2 });
    expect(Array.from(two.draws)).toEqual(Array.from(one.draws));
    expect(two.p_value).toBe(one.p_value);
  });
  it("a user error inside a worker comes back as the same typed error", async () => {
    await expect(placeboParallel(city, { formula, treat: "did", unit: "city", time: "year", kind: "space", reps: 10, seed: 1, vcov: "cluster:nope" }, { workers: 2 }))
      .rejects.toThrow(/unknown cluster variable "nope"/);
  });
});
