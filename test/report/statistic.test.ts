// The spec's `statistic`: "t" puts t statistics (estimate / standard error) in the parentheses of every
// regression table of the report, as Chinese journals print them, with the note saying so; "se" (the
// default) standard errors; anything else is refused with its path.
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inlineEnv, runCommandByName } from "../../bindings/commands/run.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import type { Table } from "../../bindings/present/tables/model.js";
import { reportBlocks, type SectionBlocks } from "../../bindings/report/blocks.js";
import { runReport } from "../../bindings/report/runner.js";
import { validateSpec } from "../../bindings/report/spec.js";

const root = resolve(__dirname, "../..");
const data = readCsvFile(join(root, "examples", "smart-city.csv"));

const base = {
  title: "t statistics", data: "smart-city.csv", seed: 3,
  roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire", controls: ["lngdp"], cluster: "city" },
  sections: [
    { title: "Baseline", analyses: [{ type: "regression" }] },
    { title: "Event study", analyses: [{ type: "eventstudy", window: [-3, 3] }] },
  ],
};

async function blocks(statistic?: string): Promise<SectionBlocks[]> {
  const spec = validateSpec(statistic === undefined ? base : { ...base, statistic });
  const r = await runReport(spec, data, { ...inlineEnv, pickSeed: () => spec.seed }, { data: "smart-city.csv" });
  expect(r.ok).toBe(true);
  return reportBlocks(r);
}

const tableOf = (s: SectionBlocks): Table => (s.blocks.find((b) => b.kind === "table") as { table: Table }).table;
/** The text in parentheses under the row labelled `rowLabel`. */
function under(t: Table, rowLabel: string): string {
  const i = t.body.findIndex((r) => r.kind === "row" && r.cells[0].text === rowLabel);
  const next = t.body[i + 1];
  return next.kind === "row" ? next.cells[1].text : "";
}

let se: SectionBlocks[];
let tstat: SectionBlocks[];
beforeAll(async () => {
  se = await blocks();
  tstat = await blocks("t");
}, 120_000);

describe("the spec's statistic", () => {
  it('"t" prints estimate / standard error in the parentheses and says so; the default prints standard errors', async () => {
    const direct = (await runCommandByName("fit", data, { formula: "ire ~ did + lngdp | city + year", vcov: "cluster:city" })) as any;
    const did = direct.coefficients.find((c: any) => c.term === "did");
    expect(under(tableOf(se[0]), "did")).toBe(`(${did.std_error.toFixed(3)})`);
    expect(under(tableOf(tstat[0]), "did")).toBe(`(${(did.estimate / did.std_error).toFixed(3)})`);
    expect(tableOf(se[0]).notes[0]).toMatch(/^Standard errors clustered by city in parentheses/);
    expect(tableOf(tstat[0]).notes[0]).toMatch(/^t statistics in parentheses/);
  });

  it("applies to the event-study table too", () => {
    const seRow = under(tableOf(se[1]), "t + 1");
    const tRow = under(tableOf(tstat[1]), "t + 1");
    expect(tRow).not.toBe(seRow);
    expect(tableOf(tstat[1]).notes[0]).toMatch(/^t statistics in parentheses/);
  });

  it("anything but se or t is refused with its path", () => {
    expect(() => validateSpec({ ...base, statistic: "z" })).toThrow(/statistic: must be "se" \(standard errors in parentheses\) or "t"/);
  });
});
