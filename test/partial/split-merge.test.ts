// A resampling run split into uneven ranges of replicates (--replicates), each part through JSON text as a
// file would carry it, then merged: the result is the single run's, every number bit for bit.
import { describe, expect, it } from "vitest";
import { runCommandByName } from "../../bindings/commands/run.js";
import { mergePartials } from "../../bindings/commands/partial/merge.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";

const cols = generateSyntheticPanel({
  units: 40, periods: 7, regressors: 2, seed: 11, weights: true, unitsPerState: 8, missingRate: 0.02,
  staggered: { cohorts: [2002, 2004], neverShare: 0.4, effect: 1 },
});
const grp = Float64Array.from(cols.state as ArrayLike<number>, (s) => Number(s) % 2);
const data = fromColumns({ ...cols, grp });

const withoutTiming = (o: Record<string, unknown>) => {
  const { timing_ms: _t, ...rest } = o;
  return rest;
};

/** The parts of replicates 1..reps cut at `cuts` (1-based starts of the second and later parts), each
 *  written to and read back from JSON text. */
async function parts(command: string, options: Record<string, unknown>, reps: number, cuts: number[]): Promise<unknown[]> {
  const starts = [1, ...cuts];
  const out: unknown[] = [];
  for (let k = 0; k < starts.length; k++) {
    const end = k + 1 < starts.length ? starts[k + 1] - 1 : reps;
    const part = await runCommandByName(command, data, { ...options, replicates: `${starts[k]}:${end}` });
    out.push(JSON.parse(JSON.stringify(part)));
  }
  return out;
}

/** Every number of the merged JSON is the one-run number (compared as JSON text: identical digits are
 *  identical doubles), and the draws themselves are compared by their bits. */
async function expectSplitEqualsOneRun(command: string, options: Record<string, unknown>, reps: number, cuts: number[]): Promise<Record<string, unknown>> {
  const one = withoutTiming(await runCommandByName(command, data, options));
  const p = await parts(command, options, reps, cuts);
  // Merged in a shuffled order: the ranges, not the order given, place the draws.
  const merged = withoutTiming(mergePartials([p[2], p[0], p[1]]));
  expect(JSON.stringify(merged)).toBe(JSON.stringify(one));
  return one;
}

describe("split over three machines, merged == one run", () => {
  it("placebo (mixed, with t statistics)", async () => {
    const o = { formula: "y ~ treat + x1 | unit + year", treat: "treat", unit: "unit", time: "year", kind: "mixed", variant: "2", reps: 97, seed: 5, tStats: true, vcov: "cluster:unit" };
    const one = await expectSplitEqualsOneRun("placebo", o, 97, [13, 71]);
    expect((one.draws as number[]).length).toBeGreaterThan(90);
  });

  it("placebo (space)", async () => {
    await expectSplitEqualsOneRun("placebo", { formula: "y ~ treat + x1 | unit + year", treat: "treat", unit: "unit", time: "year", kind: "space", reps: 50, seed: 9 }, 50, [2, 3]);
  });

  it("bdiff (bootstrap of whole units)", async () => {
    const o = { formula: "y ~ treat + x1 | unit + year", group: "grp", coef: "treat", method: "bootstrap", clusterLevel: "unit", reps: 61, seed: 3 };
    await expectSplitEqualsOneRun("bdiff", o, 61, [31, 40]);
  });

  it("bdiff (permutation)", async () => {
    await expectSplitEqualsOneRun("bdiff", { formula: "y ~ treat + x1 | unit + year", group: "grp", coef: "treat", reps: 40, seed: 8 }, 40, [10, 39]);
  });
});

describe("boot split over three machines, merged == one run", () => {
  const B = { formula: "y ~ treat + x1 | unit + year", coef: "treat", cluster: "state", seed: 4 };
  it("wild (restricted, webb weights: confidence interval by test inversion over the merged moments)", async () => {
    const one = await expectSplitEqualsOneRun("boot", { ...B, weights: "webb", reps: 199 }, 199, [50, 51]);
    expect(one.conf_low).toBeTypeOf("number");
  });
  it("wild (unrestricted, normal weights)", async () => {
    await expectSplitEqualsOneRun("boot", { ...B, weights: "normal", imposeNull: false, reps: 150 }, 150, [100, 149]);
  });
  it("wild with every sign vector enumerated (2^5 replicates)", async () => {
    const one = await expectSplitEqualsOneRun("boot", { ...B, reps: 999 }, 32, [9, 20]);
    expect(one.enumerated).toBe(true);
  });
  it("pairs", async () => {
    await expectSplitEqualsOneRun("boot", { ...B, cluster: "unit", method: "pairs", reps: 120 }, 120, [7, 77]);
  });
  it("randomization inference (whole clusters permuted)", async () => {
    await expectSplitEqualsOneRun("boot", { ...B, cluster: "unit", method: "ri", reps: 130 }, 130, [64, 65]);
  });
});
