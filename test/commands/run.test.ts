// run(command, csvText, options) returns exactly what `didwasm <command> --json` prints (timing aside).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run, runCommandByName } from "../../bindings/commands/run.js";
import { cliJson, withoutTiming } from "../helpers/cli-json.js";
import { conformanceDir } from "../helpers/conformance.js";
import { RUN_CASES as cases } from "../helpers/run-cases.js";

const mpdta = `${conformanceDir}/data/mpdta.csv`;
const city = "examples/smart-city.csv";

describe("run() equals the CLI's --json", () => {
  it.each(cases)("%s", async (command, file, options, flags) => {
    const viaRun = await runCommandByName(command, readFileSync(file, "utf8"), options);
    const viaCli = await cliJson([command, file, ...flags]);
    expect(withoutTiming(viaRun)).toEqual(withoutTiming(viaCli));
    expect(Object.keys(viaRun.timing_ms as object)).toEqual(Object.keys(viaCli.timing_ms as object));
  });
  it("unknown commands, unknown keys and bad option values are typed errors (and, where typed, compile errors)", async () => {
    // @ts-expect-error -- "fitt" is not a command: run()'s command argument is the union of the command names
    await expect(run("fitt", "a,b\n1,2\n", {})).rejects.toThrow('unknown command "fitt" (did you mean "fit"?)');
    const es = { y: "lemp", unit: "countyreal", time: "year", cohort: "first_treat" } as const;
    // @ts-expect-error -- bin is a number in run()'s option types
    await expect(run("eventstudy", readFileSync(mpdta, "utf8"), { ...es, bin: "x" })).rejects.toThrow("bin must be a whole number");
    await expect(run("placebo", readFileSync(city, "utf8"), { formula: "ire ~ did | city + year", treat: "did", unit: "city", time: "year", kind: "space" })).rejects.toThrow("seed is required");
    // A typo is an error with a suggestion, not a silently ignored key.
    // @ts-expect-error -- vcvo is not an option of fit
    await expect(run("fit", readFileSync(city, "utf8"), { formula: "ire ~ did | city + year", vcvo: "hetero" })).rejects.toThrow("vcvo is not an option of this command (did you mean vcov?)");
    // The CLI's output switches are not run() options.
    await expect(runCommandByName("fit", readFileSync(city, "utf8"), { formula: "ire ~ did | city + year", json: true })).rejects.toThrow("json is not an option of this command");
    // @ts-expect-error -- formula is required
    await expect(run("fit", readFileSync(city, "utf8"), {})).rejects.toThrow("formula is required");
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
