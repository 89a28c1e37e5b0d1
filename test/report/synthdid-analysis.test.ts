// The report spec's "synthdid" analysis: roles fill its options (outcome, treatment, unit, time), the seed
// derives from the spec's, any command option may be added (method), and its ATT sits in the robust
// estimators' table with a note saying what it is.
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { inlineEnv } from "../../bindings/commands/run.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { synthdid } from "../../bindings/estimators/did/synthdid.js";
import { renderTable } from "../../bindings/present/tables/render.js";
import { reportBlocks } from "../../bindings/report/blocks.js";
import { runReport } from "../../bindings/report/runner.js";
import { validateSpec } from "../../bindings/report/spec.js";

const root = resolve(__dirname, "../..");
const file = join(root, "test", "golden", "data", "synthdid_stagger.csv");
const data = readCsvFile(file);

it("a synthdid analysis runs from the roles, seeded by the spec, and joins the robust estimators' table", async () => {
  const spec = validateSpec({
    title: "synthdid", data: "synthdid_stagger.csv", seed: 4,
    roles: { unit: "unit", time: "year", treatment: "treat", outcome: "y" },
    sections: [{ title: "Robust", analyses: [{ type: "imputation" }, { type: "synthdid", reps: 30 }, { type: "synthdid", method: "did", vcov: "jackknife", label: "DID" }] }],
  });
  const r = await runReport(spec, data, { ...inlineEnv, pickSeed: () => 1 }, { data: "synthdid_stagger.csv" });
  expect(r.ok).toBe(true);
  type Out = { estimate: number; method: string; variance: { method: string; seed?: number; reps?: number } };
  const [, sdid, did] = r.sections[0].analyses.map((a) => a.calls[0].output!.json as unknown as Out);
  expect(sdid.variance).toMatchObject({ method: "placebo", reps: 30 });
  // the analysis's seed derives from the spec's (not a drawn one): the same spec gives the same errors
  expect(sdid.variance.seed).not.toBe(1);
  const again = await runReport(spec, data, { ...inlineEnv, pickSeed: () => 2 }, { data: "synthdid_stagger.csv" });
  expect(again.sections[0].analyses[1].calls[0].output!.json).toEqual(r.sections[0].analyses[1].calls[0].output!.json);
  expect(sdid.estimate).toBeCloseTo(synthdid(data, { y: "y", unit: "unit", time: "year", treat: "treat", vcov: "jackknife" }).estimate, 12);
  expect(did.method).toBe("did");
  const table = reportBlocks(r)[0].blocks.find((b) => b.kind === "table");
  const text = table && table.kind === "table" ? renderTable(table.table, "text") : "";
  expect(text).toMatch(/synthdid/);
  expect(text).toMatch(/DID/);
  expect(text).toMatch(/synthetic DID with synthdid's unit and time weights/);
}, 120_000);
