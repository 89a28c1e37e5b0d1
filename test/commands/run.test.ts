// run(command, csvText, options) returns exactly what `didwasm <command> --json` prints (timing aside).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "../../bindings/commands/run.js";
import { cliJson, withoutTiming } from "../helpers/cli-json.js";
import { conformanceDir } from "../helpers/conformance.js";
import { RUN_CASES as cases } from "../helpers/run-cases.js";

const mpdta = `${conformanceDir}/data/mpdta.csv`;
const city = "data/smart-city.csv";

describe("run() equals the CLI's --json", () => {
  it.each(cases)("%s", async (command, file, options, flags) => {
    const viaRun = await run(command, readFileSync(file, "utf8"), options);
    const viaCli = await cliJson([command, file, ...flags]);
    expect(withoutTiming(viaRun)).toEqual(withoutTiming(viaCli));
    expect(Object.keys(viaRun.timing_ms as object)).toEqual(Object.keys(viaCli.timing_ms as object));
  });
  it("unknown commands and bad option values are typed errors", async () => {
    await expect(run("fitt", "a,b\n1,2\n", {})).rejects.toThrow('unknown command "fitt" (did you mean "fit"?)');
    await expect(run("eventstudy", readFileSync(mpdta, "utf8"), { y: "lemp", unit: "countyreal", time: "year", cohort: "first_treat", bin: "x" })).rejects.toThrow("--bin must be a number");
    await expect(run("placebo", readFileSync(city, "utf8"), { formula: "ire ~ did | city + year", treat: "did", unit: "city", time: "year", kind: "space" })).rejects.toThrow("--seed is required");
  });
});

describe("run() reads bytes of any supported format", () => {
  it("Stata .dta bytes give the same fit as the CSV twin", async () => {
    const dta = readFileSync("test/data/fixtures/panel-118.dta");
    const csv = readFileSync("test/data/fixtures/panel.csv", "utf8");
    const options = { formula: "income ~ treat + x1 | unit + year", vcov: "cluster:state" };
    const a = withoutTiming(await run("fit", new Uint8Array(dta), options));
    const b = withoutTiming(await run("fit", csv, options));
    expect(a).toEqual(b);
  });
});
