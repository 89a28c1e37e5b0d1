// Multi-model results on the CLI: one table with a column per model, JSON { models: [...] } whose elements
// are each exactly the single fit's JSON plus lhs / step / sample, and bad combinations refused (exit 2).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../../cli/program.js";
import { cliJson } from "../helpers/cli-json.js";

const airquality = join(dirname(fileURLToPath(import.meta.url)), "..", "golden", "multi", "data", "airquality.csv");

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** A fit's JSON without what differs between runs or between a model of a multi-model call and its own fit. */
const comparable = ({ timing_ms: _t, warnings: _w, notes: _n, formula: _f, ...rest }: Record<string, unknown>) => rest;

describe("didwasm fit with several models", () => {
  it("prints one table with a column per model, the variance of each when they differ", async () => {
    const r = await cli(["fit", airquality, "--formula", "c(Ozone, Solar.R) ~ csw(Wind, Temp) | csw0(Month)"]);
    expect(r.code, r.err).toBe(0);
    const header = r.out.split("\n").find((l) => l.includes("(1)"))!;
    expect(header.match(/\(\d\)/g)).toEqual(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"]);
    expect(r.out.match(/^Wind /gm)).toHaveLength(1);
    expect(r.out).toMatch(/^Month FE +No +No +No +No +Yes +Yes +Yes +Yes\s*$/m);
    expect(r.out).toMatch(/^S\.E\. type +IID +IID +IID +IID +by: Month +by: Month +by: Month +by: Month\s*$/m);
    expect(r.out).toMatch(/^\(3\), \(4\), \(7\), \(8\): 7 observation\(s\) removed because of missing values$/m);
  });

  it("writes { models: [...] }, each a single fit's JSON plus what tells it apart", async () => {
    const j = await cliJson(["fit", airquality, "--formula", "c(Ozone, Solar.R) ~ csw(Wind, Temp) | csw0(Month)"]);
    expect(Object.keys(j).sort()).toEqual(["models", "notes", "timing_ms", "warnings"]);
    expect(j.models).toHaveLength(8);
    expect(j.models[6]).toMatchObject({ lhs: "Solar.R", step: { rhs: { index: 0, terms: "Wind" }, fixef: { index: 1, terms: "Month" } }, formula: "c(Ozone, Solar.R) ~ Wind | Month" });
    expect(j.models[6]).not.toHaveProperty("sample");
    const single = await cliJson(["fit", airquality, "--formula", "Solar.R ~ Wind | Month"]);
    const { lhs: _l, step: _s, ...fitPart } = j.models[6];
    expect(comparable(fitPart)).toEqual(comparable(single));
  });

  it("shows the fixed effects alone (the empty step of csw0) as a column without coefficients", async () => {
    const r = await cli(["fit", airquality, "--formula", "Ozone ~ csw0(Wind) | Month"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Wind +-4\.643\*\*\s*$/m);
    expect(r.out).toMatch(/^N +116 +116\s*$/m);
  });

  it("splits with --split and --fsplit, the sample in each model's JSON", async () => {
    const j = await cliJson(["fit", airquality, "--formula", "Ozone ~ Wind", "--fsplit", "season"]);
    expect(j.models.map((m: { sample: unknown }) => m.sample)).toEqual([{ var: "season", value: null }, { var: "season", value: "early" }, { var: "season", value: "late" }]);
    const single = await cliJson(["fit", airquality, "--formula", "Ozone ~ Wind", "--subset", 'season == "late"']);
    const { sample: _s, ...fitPart } = j.models[2];
    expect(comparable(fitPart)).toEqual(comparable(single));
    const text = await cli(["fit", airquality, "--formula", "Ozone ~ Wind", "--split", "Month"]);
    expect(text.out).toMatch(/^Sample \(Month\) +5 +6 +7 +8 +9\s*$/m);
  });

  it("refuses bad combinations with exit 2, naming what is wrong", async () => {
    const both = await cli(["fit", airquality, "--formula", "Ozone ~ Wind", "--split", "Month", "--fsplit", "Day"]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--fsplit cannot be given with --split/);
    const two = await cli(["fit", airquality, "--formula", "Ozone ~ sw(Wind, Temp) + csw(Day, Month)"]);
    expect(two.code).toBe(2);
    expect(two.err).toMatch(/only one stepwise function is allowed in the regressors/);
    const tooFew = await cli(["fit", airquality, "--formula", "Ozone ~ Wind + Temp | Day", "--split", "Month"]);
    expect(tooFew.code).toBe(2);
    expect(tooFew.err).toMatch(/model \d \(sample Month = \d, Ozone ~ Wind \+ Temp \| Day\): /);
  });
});
