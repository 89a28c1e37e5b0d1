// A report's regression with several models (stepwise, split) is one table with a column per model,
// titled by the split sample or the column number, with the outcome row when titles do not name it.
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { CommandEnv } from "../../bindings/commands/types.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { reportBlocks } from "../../bindings/report/blocks.js";
import { parseSpec } from "../../bindings/report/load.js";
import { runReport } from "../../bindings/report/runner.js";

const root = resolve(__dirname, "../..");
const env: CommandEnv = {
  placebo: () => Promise.reject(new Error("no resampling here")),
  bdiff: () => Promise.reject(new Error("no resampling here")),
  pickSeed: () => 1,
};

describe("report: regressions with several models", () => {
  it("renders stepwise and split models as columns of one table", async () => {
    const spec = parseSpec(JSON.stringify({
      title: "multi", data: "smart-city.csv", seed: 1,
      roles: { unit: "city", time: "year", treatment: "did", outcome: "ire", controls: ["lngdp"], cluster: "city" },
      labels: { ire: "Innovation resilience" },
      sections: [
        { title: "Stepwise", analyses: [{ type: "regression", formula: "ire ~ did + csw0(lngdp, lnfin) | city + year" }] },
        { title: "Split", analyses: [{ type: "regression", formula: "ire ~ did | city + year", fsplit: "east" }] },
      ],
    }), join(root, "examples", "spec.json"));
    const frame = readCsvFile(join(root, "examples", "smart-city.csv"));
    const r = await runReport(spec, frame, env, { data: "smart-city.csv" });
    expect(r.ok).toBe(true);
    const [stepwise, split] = reportBlocks(r).map((s) => s.blocks.find((b) => b.kind === "table")!);
    if (stepwise.kind !== "table" || split.kind !== "table") throw new Error("tables expected");
    expect(stepwise.table.header.map((h) => h.cells.map((c) => c.text))).toEqual([
      ["", "(1)", "(2)", "(3)"],
      ["", "Innovation resilience", "Innovation resilience", "Innovation resilience"],
    ]);
    const eastValues = [...new Set(frame.numeric("east"))].sort((a, b) => a - b);
    expect(split.table.header[0].cells.map((c) => c.text)).toEqual(["", "Full sample", ...eastValues.map((v) => `east = ${v}`)]);
  });
});
