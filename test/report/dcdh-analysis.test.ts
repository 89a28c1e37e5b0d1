// The report spec's "dcdh" analysis: roles fill its options (outcome, treatment, unit, time, cluster), effects
// and placebos are given in the analysis, its result equals the command run directly with the same options,
// and its average total effect sits in the robust estimators' table.
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { inlineEnv } from "../../bindings/commands/run.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { dcdh } from "../../bindings/estimators/did/dcdh.js";
import { renderTable } from "../../bindings/present/tables/render.js";
import { reportBlocks } from "../../bindings/report/blocks.js";
import { runReport } from "../../bindings/report/runner.js";
import { validateSpec } from "../../bindings/report/spec.js";

const root = resolve(__dirname, "../..");
const data = readCsvFile(join(root, "examples", "smart-city.csv"));

it("a dcdh analysis runs from the roles and appears in the robust estimators' table", async () => {
  const spec = validateSpec({
    title: "dcdh", data: "smart-city.csv", seed: 1,
    roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire", controls: ["lngdp"] },
    sections: [{ title: "Robust", analyses: [{ type: "dcdh", effects: 3, placebo: 2, label: "dCDH" }] }],
  });
  const r = await runReport(spec, data, { ...inlineEnv, pickSeed: () => 1 }, { data: "smart-city.csv" });
  expect(r.ok).toBe(true);
  type Out = { average_total_effect: { estimate: number; std_error: number }; event: { rel_time: number }[]; variance: { cluster: string } };
  const out = r.sections[0].analyses[0].calls[0].output!.json as unknown as Out;
  const direct = dcdh(data, { y: "ire", unit: "city", time: "year", treat: "did", effects: 3, placebo: 2 });
  expect(out.average_total_effect.estimate).toBe(direct.ate.estimate);
  expect(out.average_total_effect.std_error).toBe(direct.ate.std_error);
  expect(out.variance.cluster).toBe("city");
  expect(out.event.map((e) => e.rel_time)).toEqual([-3, -2, 0, 1, 2]);
  const table = reportBlocks(r)[0].blocks.find((b) => b.kind === "table");
  const text = table && table.kind === "table" ? renderTable(table.table, "text") : "";
  expect(text).toMatch(/dCDH/);
  expect(text).toContain(direct.ate.estimate.toFixed(4));
}, 120_000);

it("controls in a dcdh analysis are refused with the reason", async () => {
  const spec = validateSpec({
    title: "dcdh", data: "smart-city.csv", seed: 1,
    roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire" },
    sections: [{ title: "Robust", analyses: [{ type: "dcdh", controls: ["lngdp"] }] }],
  });
  const r = await runReport(spec, data, { ...inlineEnv, pickSeed: () => 1 }, { data: "smart-city.csv" });
  expect(r.ok).toBe(false);
  expect(JSON.stringify(r.sections[0].analyses[0])).toMatch(/does not support controls/);
}, 120_000);
