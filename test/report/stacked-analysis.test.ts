// The report spec's "stacked" analysis: roles fill its options (outcome, cohort, unit, time, controls), the
// window is given in the analysis, its result equals the command run directly with the same options, and
// its ATT sits in the robust estimators' table.
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { inlineEnv } from "../../bindings/commands/run.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { stacked } from "../../bindings/estimators/did/stacked.js";
import { renderTable } from "../../bindings/present/tables/render.js";
import { reportBlocks } from "../../bindings/report/blocks.js";
import { runReport } from "../../bindings/report/runner.js";
import { validateSpec } from "../../bindings/report/spec.js";

const root = resolve(__dirname, "../..");
const data = readCsvFile(join(root, "examples", "smart-city.csv"));

it("a stacked analysis runs from the roles and appears in the robust estimators' table", async () => {
  const spec = validateSpec({
    title: "stacked", data: "smart-city.csv", seed: 1,
    roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire", controls: ["lngdp"] },
    sections: [{ title: "Robust", analyses: [{ type: "stacked", window: "-3:2", label: "Stacked" }] }],
  });
  const r = await runReport(spec, data, { ...inlineEnv, pickSeed: () => 1 }, { data: "smart-city.csv" });
  expect(r.ok).toBe(true);
  type Out = { att: { estimate: number; std_error: number }; event: { rel_time: number }[]; composition: { cohort: number }[]; variance: { cluster: string } };
  const out = r.sections[0].analyses[0].calls[0].output!.json as unknown as Out;
  const direct = stacked(data, { y: "ire", unit: "city", time: "year", cohort: "cohort", controls: ["lngdp"], window: [-3, 2] });
  expect(out.att.estimate).toBe(direct.att.estimate);
  expect(out.att.std_error).toBe(direct.att.std_error);
  expect(out.variance.cluster).toBe("city");
  expect(out.composition.map((c) => c.cohort)).toEqual([2012, 2013, 2014]);
  expect(out.event.map((e) => e.rel_time)).toEqual([-3, -2, 0, 1, 2]);
  const table = reportBlocks(r)[0].blocks.find((b) => b.kind === "table");
  const text = table && table.kind === "table" ? renderTable(table.table, "text") : "";
  expect(text).toMatch(/Stacked/);
  expect(text).toContain(direct.att.estimate.toFixed(4));
}, 120_000);
