// The report spec's "imputation" analysis: roles fill its options (outcome, treatment, unit, time, cluster,
// controls), any command option may be added (horizons), and its ATT sits in the robust estimators' table
// next to did2s's, equal to it (the same imputed Y(0)).
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

it("an imputation analysis runs from the roles and reports the same ATT as did2s", async () => {
  const spec = validateSpec({
    title: "imputation", data: "smart-city.csv", seed: 1,
    roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire", controls: ["lngdp"], cluster: "city" },
    sections: [{ title: "Robust", analyses: [{ type: "did2s" }, { type: "imputation", horizons: "0:2", avgEffectsBy: "horizon" }] }],
  });
  const r = await runReport(spec, data, { ...inlineEnv, pickSeed: () => 1 }, { data: "smart-city.csv" });
  expect(r.ok).toBe(true);
  type Row = { term: string; estimate: number };
  type Out = { coefficients: Row[]; overall: Row; event: Row[]; first_stage: { coefficients: object }; variance: { cluster: string } };
  const [did2s, imp] = r.sections[0].analyses.map((a) => a.calls[0].output!.json as unknown as Out);
  expect(imp.event.map((e) => e.term)).toEqual(["tau0", "tau1", "tau2"]);
  expect(imp.first_stage.coefficients).toHaveProperty("lngdp");
  expect(imp.variance.cluster).toBe("city");
  expect(Math.abs(imp.overall.estimate - did2s.coefficients[0].estimate)).toBeLessThan(1e-9);
  const table = reportBlocks(r)[0].blocks.find((b) => b.kind === "table");
  const text = table && table.kind === "table" ? renderTable(table.table, "text") : "";
  expect(text).toMatch(/imputation/);
}, 120_000);
