// Stacked DID on several threads gives exactly the one-thread numbers. With the corrective weights the block
// absorber solves each sub-experiment's columns in place, one kernel call per column and as many at once as
// there are threads (stacked-demean.ts), and the kernel threads touch the fits' memory ahead while the stack
// is built (touchHeapAhead); unweighted, absorb() splits a block's columns over the threads. The JSON holds
// every estimate, standard error and the event-time covariance. Kernel threads run the built JavaScript
// (dist/), as in test/estimators/threads.test.ts.
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { stacked } from "../../dist/bindings/index.js";
import { fromColumns } from "../../dist/bindings/data/columns.js";
import { Xoshiro128 } from "../../dist/bindings/random/xoshiro.js";

const CORES = availableParallelism();

/** The result's JSON without the note that more threads were asked for than the machine has. */
function numbers(r: ReturnType<typeof stacked>) {
  const json = r.toJSON() as Record<string, unknown> & { notes: Array<{ kind: string }> };
  return { ...json, notes: json.notes.filter((n) => n.kind !== "threads") };
}

/** 5,000 units x 12 years, cohorts 2004, 2006, 2008 and never treated, effects growing with time since
 *  adoption: the stack (about 50,000 rows) is large enough for the memory touched ahead (over 4 MB). */
function panel() {
  const g = new Xoshiro128(2026, 14);
  const cols = { unit: [] as number[], year: [] as number[], cohort: [] as number[], x1: [] as number[], y: [] as number[] };
  for (let u = 0; u < 5000; u++) {
    const cohort = [2004, 2006, 2008, 0][u % 4];
    const a = g.normal();
    for (let t = 2000; t < 2012; t++) {
      const x1 = g.normal();
      const effect = cohort > 0 && t >= cohort ? 1 + 0.2 * (t - cohort) : 0;
      cols.unit.push(u + 1); cols.year.push(t); cols.cohort.push(cohort); cols.x1.push(x1);
      cols.y.push(a + 0.1 * (t - 2000) + 0.5 * x1 + effect + g.normal());
    }
  }
  return fromColumns(cols);
}

describe("stacked DID on several threads", () => {
  const data = panel();
  it.each(["corrective", "none"] as const)("weighting %s: the same bits for 1, 2 and 3 threads", (weighting) => {
    const run = (threads: number) => stacked(data, { y: "y", unit: "unit", time: "year", cohort: "cohort", never: 0, controls: ["x1"], window: [-3, 3], weighting, threads });
    const one = run(1);
    expect(one.threads).toBe(1);
    for (const t of [2, 3]) {
      const many = run(t);
      expect(many.threads).toBe(Math.min(t, CORES));
      expect(numbers(many)).toEqual(numbers(one));
    }
    // The effects are recovered: the test would notice columns demeaned wrongly, not only differently.
    expect(one.att.estimate).toBeGreaterThan(1);
    expect(one.att.estimate).toBeLessThan(1.6);
  });
});
