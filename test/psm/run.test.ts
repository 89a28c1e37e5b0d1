// run("logit" | "psm", csvText, options) returns exactly what the CLI's --json prints (timing aside), and
// the psm command writes its score-density figure.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commandSpec } from "../../bindings/commands/registry.js";
import { executeCommand, inlineEnv, run } from "../../bindings/commands/run.js";
import { parseCsv } from "../../bindings/data/csv.js";
import { cliJson, withoutTiming } from "../helpers/cli-json.js";

const city = "examples/smart-city.csv";
const COVS = "lngdp,lnfin,upg,lnfis,fix,tra";

describe("run() equals the CLI's --json", () => {
  it.each([
    ["psm, defaults + caliper", { unit: "city", time: "year", cohort: "cohort", covariates: COVS, pre: "2007:2011", caliper: 0.05, y: "ire" },
      ["--unit", "city", "--time", "year", "--cohort", "cohort", "--covariates", COVS, "--pre", "2007:2011", "--caliper", "0.05", "--y", "ire"]],
    ["psm, k = 2 without replacement, formula, province clusters", {
      unit: "city", time: "year", cohort: "cohort", covariates: ["lngdp", "fix"], neighbors: 2, replace: false, formula: "ire ~ did + lngdp | city + year", vcov: "cluster:province",
    }, ["--unit", "city", "--time", "year", "--cohort", "cohort", "--covariates", "lngdp,fix", "--neighbors", "2", "--replace", "false", "--formula", "ire ~ did + lngdp | city + year", "--vcov", "cluster:province"]],
    ["psm, kernel + common support + MatchIt weights", { unit: "city", time: "year", cohort: "cohort", covariates: ["lngdp", "tra"], method: "kernel", kernel: "normal", bandwidth: 0.02, common: true, y: "ire", didWeights: "matchit" },
      ["--unit", "city", "--time", "year", "--cohort", "cohort", "--covariates", "lngdp,tra", "--method", "kernel", "--kernel", "normal", "--bandwidth", "0.02", "--common", "--y", "ire", "--did-weights", "matchit"]],
  ] as const)("%s", async (_, options, flags) => {
    const viaRun = await run("psm", readFileSync(city, "utf8"), options);
    const viaCli = await cliJson(["psm", city, ...flags]);
    expect(withoutTiming(viaRun)).toEqual(withoutTiming(viaCli));
  });

  it("logit", async () => {
    const o = { formula: "east ~ lngdp + tra", subset: "year == 2010" };
    const viaRun = await run("logit", readFileSync(city, "utf8"), o);
    const viaCli = await cliJson(["logit", city, "--formula", o.formula, "--subset", o.subset]);
    expect(withoutTiming(viaRun)).toEqual(withoutTiming(viaCli));
    expect(Object.keys(viaRun.timing_ms as object)).toEqual(["read", "fit"]);
  });

  it("the psm figure and text", async () => {
    const out = await executeCommand(commandSpec("psm"), parseCsv(readFileSync(city, "utf8")), { unit: "city", time: "year", cohort: "cohort", covariates: COVS, y: "ire" }, inlineEnv);
    expect(out.figure!()).toMatch(/^<svg[\s\S]*Treated \(100\)[\s\S]*Control \(184\)[\s\S]*After matching/);
    expect(out.text).toMatch(/Balance \(pstest\)[\s\S]*lngdp\s+U[\s\S]*DID on the matched panel \(unit weights: count\)/);
  });
});
