// The event study and Sun-Abraham share fit's variance language: twoway, NW(L), DK(L) (their unit and
// time by default) and conley(km):lat+lon work there and are named in the result; placebo's t-statistic
// draws, which recompute only iid, hetero and one-way clustered variances, refuse the others by name.
import { describe, expect, it } from "vitest";
import { runCommandByName } from "../../bindings/commands/run.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";

const cols = generateSyntheticPanel({
  units: 60, periods: 8, regressors: 1, seed: 5, unitsPerState: 12, staggered: { cohorts: [2003, 2005], neverShare: 0.35, effect: 1 },
});
const units = (cols.unit as ArrayLike<number>);
const lat = Float64Array.from(units, (u) => 40 + (u % 10) * 0.4);
const lon = Float64Array.from(units, (u) => -3 + Math.floor(u / 10) * 0.5);
const data = fromColumns({ ...cols, lat, lon });
const ES = { y: "y", unit: "unit", time: "year", cohort: "cohort" };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ses = (j: Json) => (j.coefficients as Array<{ std_error: number }>).map((r) => r.std_error);

describe("DID commands with fit's variances", () => {
  for (const command of ["eventstudy", "sunab"]) {
    it(`${command}: twoway, NW, DK and conley are computed and named`, async () => {
      const base = (await runCommandByName(command, data, ES)) as Json;
      const expected: Record<string, string> = {
        twoway: "cluster:unit+year", "NW(1)": "NW(1):unit+year", "DK(2)": "DK(2):year", "conley(100):lat+lon": "conley(100):lat+lon",
      };
      for (const [vcov, label] of Object.entries(expected)) {
        const j = (await runCommandByName(command, data, { ...ES, vcov })) as Json;
        const fit = command === "sunab" ? j.regression ?? j : j;
        expect(JSON.stringify(j), vcov).toContain(label);
        expect(ses(fit).every((s) => Number.isFinite(s) && s > 0), vcov).toBe(true);
        expect(ses(fit), vcov).not.toEqual(ses(command === "sunab" ? base.regression ?? base : base));
      }
    });
  }

  it("placebo's t-statistic draws refuse variances they cannot recompute", async () => {
    const o = { formula: "y ~ treat + x1 | unit + year", treat: "treat", unit: "unit", time: "year", kind: "space", reps: 5, seed: 1, tStats: true };
    for (const vcov of ["NW(1)", "twoway", "cluster:state^year"]) {
      const e = await runCommandByName("placebo", data, { ...o, vcov }).then(() => null, (err: Error) => err);
      expect(e?.message, vcov).toMatch(/t-statistic draws support iid, hetero and one-way clustered variances \(on one column\), not /);
    }
  });
});
