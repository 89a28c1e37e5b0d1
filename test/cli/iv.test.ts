// fit with instrumental variables on the command line, in process (runCli): the printed summary (second
// stage, IV statistics, first stages), the JSON's first_stages and iv fields, and bad input exiting with
// status 2 and a message naming the problem.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../cli/program.js";

const CIG = join(__dirname, "../golden/iv/cigarettes.csv");

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}
const fit = (formula: string, ...more: string[]) => cli(["fit", CIG, "--formula", formula, ...more]);

describe("fit with instrumental variables", () => {
  it("prints the second stage, the IV statistics and the first stage", async () => {
    const r = await fit("lpacks ~ lrincome | state + year | lrprice ~ salestax + cigtax");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^TSLS estimation, dependent variable: lpacks\nEndogenous: lrprice {3}Instruments: salestax, cigtax\nSecond stage:/);
    expect(r.out).toMatch(/fit_lrprice +-1\.20240/);
    expect(r.out).toMatch(/F-test \(1st stage\), lrprice: stat = 156\.46\d*, p < 1e-16, on 2 and 91 DoF/);
    expect(r.out).toMatch(/Wu-Hausman: stat = 3\.5014\d*, p = 0\.0680, on 1 and 44 DoF/);
    expect(r.out).toMatch(/First stage, dependent variable: lrprice\n.*\nsalestax +0\.013457/);
  });

  it("writes the first stages and the IV statistics in the JSON", async () => {
    const r = await fit("lpacks ~ lrincome | lrprice ~ salestax + cigtax", "--vcov", "hetero", "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.coefficients.map((c: { term: string }) => c.term)).toEqual(["(Intercept)", "fit_lrprice", "lrincome"]);
    expect(j.first_stages[0].coefficients.map((c: { term: string }) => c.term)).toEqual(["(Intercept)", "salestax", "cigtax", "lrincome"]);
    expect(Object.keys(j.first_stages[0].ivf)).toEqual(["stat", "p", "df1", "df2"]);
    expect(Object.keys(j.iv)).toEqual(["endogenous", "instruments", "wh", "ivf2", "ivwald2"]);
  });

  it.each([
    ["lpacks ~ lrincome | lrprice + pop ~ salestax", /2 endogenous variable\(s\) \(`lrprice`, `pop`\) but 1 instrument\(s\) \(`salestax`\).* at position 35/],
    ["lpacks ~ lrincome | lrprice ~ salestax + lrincome", /`lrincome` is both an instrument and an exogenous regressor/],
    ["lpacks ~ lrincome | nope ~ salestax", /unknown endogenous variable "nope"/],
    ["lpacks ~ lrincome | lrprice ~ salestax + nope", /unknown instrument "nope"/],
  ])("exits 2 on %s", async (formula, message) => {
    const r = await fit(formula);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it("is refused by the commands that refit the design (exit 2)", async () => {
    const r = await cli(["boot", CIG, "--formula", "lpacks ~ lrincome | lrprice ~ salestax", "--coef", "lrincome", "--cluster", "state", "--seed", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/instrumental variables .* are estimated by fit \(feols\) only/);
  });
});
