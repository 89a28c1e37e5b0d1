// Golden numbers for stacked DID: stacked() on fixest's public base_stagg and the generated staggered panel
// against stacked/stacked.R, which builds the stack and the corrective weights in base R from the paper's
// definitions and fits it with fixest::feols (sub-experiment x unit and x period fixed effects, clustered).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { stacked } from "../../bindings/estimators/did/stacked.js";

const here = dirname(fileURLToPath(import.meta.url));

interface Case {
  id: string;
  dataset: "base_stagg" | "staggered";
  unit: string;
  time: string;
  cohort: string;
  never: number;
  window: [number, number];
  clean_controls: "notyet" | "never";
  weighting: "corrective" | "none";
  controls: string[];
  cluster: string;
  expect: {
    nobs: number;
    att: { estimate: number; std_error: number };
    event: { rel_time: number; estimate: number; std_error: number }[];
    event_vcov: number[][];
    rows_by_cohort: Record<string, number>;
  };
}
const { cases } = JSON.parse(readFileSync(join(here, "stacked", "expected.json"), "utf8")) as { cases: Case[] };
const frames = { base_stagg: readCsvFile(join(here, "data", "base_stagg.csv")), staggered: readCsvFile(join(here, "data", "staggered.csv")) };
// Two fixed effects, one with at most 500 levels: solved exactly, so only rounding separates the two.
const TOL = 1e-9;
const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(want)));

describe("stacked DID against fixest on a stack built in R", () => {
  for (const c of cases) {
    for (const backend of ["wasm", "reference"] as const) {
      it(`${c.id} (${backend})`, () => {
        const r = stacked(frames[c.dataset], {
          y: "y", unit: c.unit, time: c.time, cohort: c.cohort, never: c.never, window: c.window,
          cleanControls: c.clean_controls, weighting: c.weighting, controls: c.controls, cluster: c.cluster === c.unit ? null : c.cluster, backend,
        });
        expect(r.nobs).toBe(c.expect.nobs);
        near(r.att.estimate, c.expect.att.estimate);
        near(r.att.std_error, c.expect.att.std_error);
        expect(r.event.map((e) => e.rel_time)).toEqual(c.expect.event.map((e) => e.rel_time));
        r.event.forEach((e, k) => {
          near(e.estimate, c.expect.event[k].estimate);
          near(e.std_error, c.expect.event[k].std_error);
        });
        r.eventVcov.vcov.forEach((row, i) => row.forEach((v, j) => near(v, c.expect.event_vcov[i][j])));
        expect(Object.fromEntries(r.experiments.map((x) => [String(x.cohort), x.rows]))).toEqual(c.expect.rows_by_cohort);
      });
    }
  }
});
