// The report spec's "etwfe" analysis: roles fill its options (outcome, cohort, unit, time, controls, the
// clustered variance), any command option may be added (type), and its overall ATT sits in the robust
// estimators' table.
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { inlineEnv } from "../../bindings/commands/run.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { etwfe } from "../../bindings/estimators/did/etwfe.js";
import { renderTable } from "../../bindings/present/tables/render.js";
import { reportBlocks } from "../../bindings/report/blocks.js";
import { runReport } from "../../bindings/report/runner.js";
import { validateSpec } from "../../bindings/report/spec.js";

const root = resolve(__dirname, "../..");
const data = readCsvFile(join(root, "examples", "smart-city.csv"));

it("an etwfe analysis runs from the roles and reports its overall ATT in the robust table", async () => {
  const spec = validateSpec({
    title: "etwfe", data: "smart-city.csv", seed: 1,
    roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire", controls: ["lngdp"], cluster: "city" },
    sections: [{ title: "Robust", analyses: [{ type: "etwfe", label: "ETWFE" }] }],
  });
  const r = await runReport(spec, data, { ...inlineEnv, pickSeed: () => 1 }, { data: "smart-city.csv" });
  expect(r.ok).toBe(true);
  const out = r.sections[0].analyses[0].calls[0].output!.json as { att: { estimate: number; std_error: number }; vcov: string };
  expect(out.vcov).toBe("cluster:city");
  const direct = etwfe(data, { y: "ire", unit: "city", time: "year", cohort: "cohort", controls: ["lngdp"], vcov: "cluster:city" });
  expect(out.att.estimate).toBe(direct.att.estimate);
  const table = reportBlocks(r)[0].blocks.find((b) => b.kind === "table");
  const text = table && table.kind === "table" ? renderTable(table.table, "text") : "";
  expect(text).toMatch(/ETWFE/);
  expect(text).toContain(direct.att.estimate.toFixed(4));
}, 120_000);
