// didwasm honestdid through runCommandByName: from a regression with an i() term fitted here, and from the
// saved JSON of every event-study estimator (their event_vcov: the event-time estimates and the full
// covariance, whose diagonal is each coefficient's squared standard error).
import { describe, expect, it } from "vitest";
import { runCommandByName } from "../../bindings/commands/run.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { isDidwasmError } from "../../bindings/errors.js";

type Json = Record<string, any>;
const cols = generateSyntheticPanel({ units: 80, periods: 8, regressors: 1, seed: 11, staggered: { cohorts: [2003, 2005], neverShare: 0.4, effect: 1 } });
const cohort = cols.cohort as ArrayLike<number>;
const data = fromColumns({ ...cols, D: Float64Array.from(cohort, (c) => (c === 2005 ? 1 : 0)), keep: Float64Array.from(cohort, (c) => (c === 2003 ? 0 : 1)) });
const ES = { y: "y", unit: "unit", time: "year", cohort: "cohort" };
const FORMULA = "y ~ i(year, D, ref = 2004) | unit + year";

async function refusal(options: Json, data0: unknown = data): Promise<string> {
  const e = await runCommandByName("honestdid", data0 as never, options).then(() => null, (err: unknown) => err);
  expect(isDidwasmError(e), JSON.stringify(options)).toBe(true);
  return (e as Error).message;
}

describe("honestdid from a regression", () => {
  it("takes the i() coefficients, splits them at ref, and matches the fit's own coefficients", async () => {
    const fit = (await runCommandByName("fit", data, { formula: FORMULA, subset: "keep == 1" })) as Json;
    const out = (await runCommandByName("honestdid", data, { formula: FORMULA, subset: "keep == 1", mbar: [0, 1] })) as Json;
    expect(out.event_times).toEqual([2000, 2001, 2002, 2003, 2005, 2006, 2007]);
    expect([out.num_pre, out.num_post]).toEqual([4, 3]);
    expect(out.betahat).toEqual(fit.coefficients.map((c: Json) => c.estimate));
    out.sigma.forEach((row: number[], i: number) => expect(Math.sqrt(row[i])).toBeCloseTo(fit.coefficients[i].std_error, 12));
    expect(out.original.estimate).toBe(out.betahat[4]);
    expect(out.robust.map((r: Json) => r.m)).toEqual([0, 1]);
    expect(out.robust[1].lb).toBeLessThanOrEqual(out.robust[0].lb);
    expect(out.delta).toBe("RM");
    expect(out.method).toBe("C-LF");
  });

  it("--num-pre overrides the split; without a numeric ref it is required", async () => {
    const out = (await runCommandByName("honestdid", data, { formula: FORMULA, subset: "keep == 1", numPre: 3, lVec: [1, 0, 0, 0], mbar: [1] })) as Json;
    expect([out.num_pre, out.num_post]).toEqual([3, 4]);
    expect(await refusal({ formula: "y ~ i(year, D) | unit + year", subset: "keep == 1" })).toMatch(/give num-pre/);
    expect(await refusal({ formula: "y ~ x1 | unit + year" })).toMatch(/no i\(\) term/);
  });

  it("smoothness: FLCI by default, HonestDiD's default M grid (10 values from 0)", async () => {
    const out = (await runCommandByName("honestdid", data, { formula: FORMULA, subset: "keep == 1", delta: "sd" })) as Json;
    expect(out.method).toBe("FLCI");
    expect(out.robust).toHaveLength(10);
    expect(out.robust[0].m).toBe(0);
    expect(out.robust[9].m).toBeGreaterThan(0);
  });

  it("refuses options that do not fit together", async () => {
    expect(await refusal({ formula: FORMULA, delta: "sd", mbar: [1] })).toMatch(/mbar applies only with delta rm/);
    expect(await refusal({ formula: FORMULA, m: [1] })).toMatch(/m applies only with delta sd/);
    expect(await refusal({ formula: FORMULA, method: "flci" })).toMatch(/flci applies only with delta sd/);
    expect(await refusal({ formula: FORMULA, delta: "sd", gridPoints: 100 })).toMatch(/gridPoints applies only to the conditional tests/);
    expect(await refusal({})).toMatch(/formula is required, or from instead/);
    expect(await refusal({ formula: FORMULA, subset: "keep == 1", lVec: [1, 1] })).toMatch(/l-vec has 2 weight\(s\) but there are 3 post-period/);
  });
});

describe("every event-study estimator's JSON carries event_vcov, and honestdid --from reads it", () => {
  const cases: Array<[string, Json, (j: Json) => Array<{ t: number; est: number; se: number }>]> = [
    ["eventstudy", ES, (j) => j.coefficients.filter((c: Json) => "rel_time" in c).map((c: Json) => ({ t: c.rel_time, est: c.estimate, se: c.std_error }))],
    ["sunab", ES, (j) => j.coefficients.filter((c: Json) => "rel_time" in c).map((c: Json) => ({ t: c.rel_time, est: c.estimate, se: c.std_error }))],
    ["did2s", { ...ES, treat: "treat", event: true }, (j) => j.coefficients.map((c: Json) => ({ t: c.rel_time, est: c.estimate, se: c.std_error }))],
    ["csdid", ES, (j) => j.dynamic.map((d: Json) => ({ t: d.e, est: d.att, se: d.std_error }))],
  ];
  for (const [command, options, rows] of cases) {
    it(command, async () => {
      const j = (await runCommandByName(command, data, options)) as Json;
      const ev = j.event_vcov;
      const expected = rows(j).sort((a, b) => a.t - b.t);
      expect(ev.rel_time).toEqual(expected.map((r) => r.t));
      expect(ev.estimate).toEqual(expected.map((r) => r.est));
      ev.vcov.forEach((row: number[], i: number) => {
        expect(Math.sqrt(row[i])).toBeCloseTo(expected[i].se, 10);
        row.forEach((v, k) => expect(v).toBeCloseTo(ev.vcov[k][i], 15));
      });
      const out = (await runCommandByName("honestdid", { x: [0] }, { from: JSON.stringify(j), mbar: [1] })) as Json;
      const pre = expected.filter((r) => r.t < 0).length;
      expect([out.num_pre, out.num_post]).toEqual([pre, expected.length - pre]);
      expect(out.event_times).toEqual(ev.rel_time);
      expect(out.source).toBe("from");
      expect(out.original.estimate).toBe(ev.estimate[pre]);
      // csdid's pre-periods use a varying base period: said in a warning.
      expect(out.warnings.some((w: string) => /varying base period/.test(w))).toBe(command === "csdid");
    });
  }

  it("warns when the event times skip periods (the bounds assume consecutive periods)", async () => {
    const vcov = [[4, 1, 0, 0], [1, 4, 1, 0], [0, 1, 4, 1], [0, 0, 1, 4]].map((r) => r.map((v) => v * 1e-4));
    const run = (times: number[]) => runCommandByName("honestdid", { x: [0] }, { from: JSON.stringify({ event_vcov: { rel_time: times, estimate: [0, 0.01, 0.2, 0.3], vcov } }), mbar: [1], gridPoints: 100 }) as Promise<Json>;
    expect((await run([-3, -2, 0, 1])).warnings).toEqual([]);
    expect((await run([-5, -2, 0, 1])).warnings.join(" ")).toMatch(/miss 3 periods/);
  });

  it("refuses a file without an event study, or one without pre-periods", async () => {
    const fit = (await runCommandByName("fit", data, { formula: "y ~ x1 | unit + year" })) as Json;
    expect(await refusal({ from: JSON.stringify(fit) })).toMatch(/no event_vcov/);
    expect(await refusal({ from: "{not json" })).toMatch(/not JSON/);
    const post = JSON.stringify({ event_vcov: { rel_time: [0, 1], estimate: [0.1, 0.2], vcov: [[1e-4, 0], [0, 1e-4]] } });
    expect(await refusal({ from: post })).toMatch(/no pre-period coefficient/);
    const indefinite = JSON.stringify({ event_vcov: { rel_time: [-1, 0], estimate: [0.1, 0.2], vcov: [[1e-4, 3e-4], [3e-4, 1e-4]] } });
    expect(await refusal({ from: indefinite })).toMatch(/not positive semidefinite/);
    expect(await refusal({ from: post, formula: FORMULA })).toMatch(/formula cannot be given with from/);
    expect(await refusal({ from: post, vcov: "iid" })).toMatch(/vcov applies to the regression fitted here/);
  });
});
