// The report spec's "compare", "honestdid" and "pretrends" analyses on the demo panel: roles fill their
// options; compare's table has a column per estimator and its overall ATT row; honestdid and pretrends
// run on a TWFE event study of the derived years-since-treatment column (never-treated cities at the second
// reference level), the same event study the eventstudy command estimates.
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { inlineEnv } from "../../bindings/commands/run.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { renderTable } from "../../bindings/present/tables/render.js";
import { reportBlocks } from "../../bindings/report/blocks.js";
import { runReport } from "../../bindings/report/runner.js";
import { validateSpec } from "../../bindings/report/spec.js";

const root = resolve(__dirname, "../..");
const data = readCsvFile(join(root, "examples", "smart-city.csv"));
type Json = Record<string, any>;

it("compare, honestdid and pretrends analyses run from the roles, with tables and figures", async () => {
  const spec = validateSpec({
    title: "side by side", data: "smart-city.csv", seed: 1,
    roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire", cluster: "city" },
    sections: [
      { title: "Compare", analyses: [{ type: "compare", estimators: ["twfe", "sunab", "csdid"] }, { type: "eventstudy", window: [-7, 8] }] },
      { title: "Sensitivity", analyses: [{ type: "honestdid", mbar: [0.5, 1] }, { type: "pretrends", slope: 0.005 }] },
    ],
  });
  const r = await runReport(spec, data, { ...inlineEnv, pickSeed: () => 1 }, { data: "smart-city.csv" });
  expect(r.ok, JSON.stringify(r.sections.flatMap((s) => s.analyses.flatMap((a) => a.calls.map((c) => c.error))))).toBe(true);
  const [cmp, es] = r.sections[0].analyses.map((a) => a.calls[0].output!.json as Json);
  expect(cmp.estimators.map((e: Json) => e.key)).toEqual(["twfe", "sunab", "csdid"]);
  // compare's TWFE path is the eventstudy command's.
  const twfe = cmp.event.filter((p: Json) => p.estimator === "twfe");
  for (const p of twfe) expect(p.estimate).toBeCloseTo(es.coefficients.find((c: Json) => c.rel_time === p.rel_time).estimate, 10);
  const [hd, pt] = r.sections[1].analyses.map((a) => a.calls[0].output!.json as Json);
  expect(r.sections[1].analyses[0].calls[0].options.formula).toBe("ire ~ i(year_since_treatment, ref = c(-1, -1000)) | city + year");
  // The honestdid event study: the same pre- and post-periods as the event study (-7..-2 and 0..8).
  expect(hd.num_pre).toBe(6);
  expect(hd.event_times).toEqual(es.coefficients.map((c: Json) => c.rel_time));
  expect(hd.betahat[0]).toBeCloseTo(es.coefficients[0].estimate, 10);
  expect(pt.reference).toBe(-1);
  expect(pt.trend).toEqual({ kind: "slope", slope: 0.005, from_power: null });
  expect(pt.power).toBeGreaterThan(0.05);
  const blocks = reportBlocks(r);
  const tables = blocks.flatMap((s) => s.blocks.filter((b) => b.kind === "table"));
  const text = tables.map((t) => (t.kind === "table" ? renderTable(t.table, "text") : "")).join("\n");
  expect(text).toMatch(/Event time\s+TWFE\s+Sun-Abraham\s+Callaway-Sant'Anna[\s\S]*Overall ATT/);
  expect(text).toMatch(/Original \(parallel trends\)[\s\S]*Mbar = 0.5/);
  expect(text).toMatch(/Power against the hypothesised trend[\s\S]*Slope detected with 80% power/);
  const figures = blocks.flatMap((s) => s.blocks.filter((b) => b.kind === "figure"));
  expect(figures.length).toBe(4); // compare, eventstudy, honestdid, pretrends
}, 300_000);
