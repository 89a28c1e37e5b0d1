// run(command, csvText, options) returns exactly what `didwasm <command> --json` prints (timing aside).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "../../bindings/commands/run.js";
import { runCli } from "../../cli/program.js";
import { conformanceDir } from "../helpers/conformance.js";

const mpdta = `${conformanceDir}/data/mpdta.csv`;
const castle = `${conformanceDir}/data/castle.csv`;
const city = "data/smart-city.csv";

async function cliJson(args: string[]): Promise<Record<string, unknown>> {
  let out = "";
  let err = "";
  const code = await runCli([...args, "--json"], { out: (t) => (out += t), err: (t) => (err += t) });
  expect(code, err).toBe(0);
  return JSON.parse(out);
}

const withoutTiming = ({ timing_ms: _t, ...rest }: Record<string, unknown>) => rest;

const cases: Array<[string, string, Record<string, unknown>, string[]]> = [
  ["fit", castle, { formula: "l_homicide ~ post + l_pop | sid + year", vcov: "cluster:sid" }, ["--formula", "l_homicide ~ post + l_pop | sid + year", "--vcov", "cluster:sid"]],
  ["eventstudy", mpdta, { y: "lemp", unit: "countyreal", time: "year", cohort: "first_treat", bin: 3, ref: -1 }, ["--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--bin", "3", "--ref", "-1"]],
  ["bacon", castle, { y: "l_homicide", unit: "state", time: "year", treat: "post", controls: ["l_pop"] }, ["--y", "l_homicide", "--unit", "state", "--time", "year", "--treat", "post", "--controls", "l_pop"]],
  ["did2s", mpdta, { y: "lemp", unit: "countyreal", time: "year", treat: "treat_post", event: true, cohort: "first_treat" }, ["--y", "lemp", "--unit", "countyreal", "--time", "year", "--treat", "treat_post", "--event", "--cohort", "first_treat"]],
  ["sunab", mpdta, { y: "lemp", unit: "countyreal", time: "year", cohort: "first_treat" }, ["--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat"]],
  ["csdid", mpdta, { y: "lemp", unit: "countyreal", time: "year", cohort: "first_treat", controlGroup: "notyet", bootstrap: 99, seed: 4 }, ["--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--control-group", "notyet", "--bootstrap", "99", "--seed", "4"]],
  ["placebo", city, { formula: "ire ~ did + lngdp | city + year", treat: "did", unit: "city", time: "year", kind: "mixed", variant: 2, reps: 50, seed: 9 }, ["--formula", "ire ~ did + lngdp | city + year", "--treat", "did", "--unit", "city", "--time", "year", "--kind", "mixed", "--variant", "2", "--reps", "50", "--seed", "9"]],
  ["bdiff", city, { formula: "ire ~ did + lngdp | city + year", group: "east", coef: "did", reps: 20, seed: 9, clusterLevel: "city" }, ["--formula", "ire ~ did + lngdp | city + year", "--group", "east", "--coef", "did", "--reps", "20", "--seed", "9", "--cluster-level", "city"]],
];

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
