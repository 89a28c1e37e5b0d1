// The bad inputs of fixest's model language (issue 13), each through the CLI as a user meets them: an error
// with exit status 2 that names the variable (never a stack trace), or, where fixest estimates anyway, a
// note in the result that names the variable. In process (runCli), on the golden data sets (public data) and
// small files derived from them here.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { runCli } from "../../cli/program.js";
import { STACK_LINE } from "./fixtures.js";

const GOLDEN = join(__dirname, "../golden");
const CIG = join(GOLDEN, "iv/cigarettes.csv");
const GRUNFELD = join(GOLDEN, "data/variance/grunfeld.csv");
const CO2 = join(GOLDEN, "data/language/co2.csv");
const SEP = join(GOLDEN, "data/glm_sep.csv");
const MTCARS = join(GOLDEN, "data/glm_mtcars.csv");

const dir = mkdtempSync(join(tmpdir(), "didwasm-language-bad-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Grunfeld with one investment made negative (data row 7, file line 8). */
const NEGATIVE = join(dir, "negative.csv");
{
  const lines = readFileSync(GRUNFELD, "utf8").trimEnd().split("\n");
  const cells = lines[7].split(",");
  cells[2] = `-${cells[2]}`;
  lines[7] = cells.join(",");
  writeFileSync(NEGATIVE, lines.join("\n") + "\n");
}
/** CO2 with `k`, constant within every plant (the plant's number), and `k1`, constant within plant Qn1 only. */
const CO2K = join(dir, "co2k.csv");
{
  const lines = readFileSync(CO2, "utf8").trimEnd().split("\n");
  const plants: string[] = [];
  const out = [`${lines[0]},"k","k1"`];
  for (const l of lines.slice(1)) {
    const [plant, , , conc] = l.split(",");
    if (!plants.includes(plant)) plants.push(plant);
    out.push(`${l},${plants.indexOf(plant) + 1},${plant === '"Qn1"' ? 7 : conc}`);
  }
  writeFileSync(CO2K, out.join("\n") + "\n");
}

async function cli(args: string[]) {
  let out = "";
  let err = "";
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("bad input of fixest's model language: exit 2, the variable named", () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      "fewer instruments than endogenous variables",
      ["fit", CIG, "--formula", "lpacks ~ lrincome | lrprice + pop ~ cigtax"],
      /2 endogenous variable\(s\) \(`lrprice`, `pop`\) but 1 instrument\(s\) \(`cigtax`\)/,
    ],
    ["a negative outcome for fepois", ["fepois", NEGATIVE, "--formula", "inv ~ value | firm"], /outcome "inv" must be non-negative .*line 8 has -/],
    ["a text outcome for fepois", ["fepois", CO2, "--formula", "Type ~ conc"], /outcome "Type" must be numeric/],
    ["an outcome other than 0/1 for logit", ["feglm", GRUNFELD, "--family", "logit", "--formula", "inv ~ value | firm"], /outcome "inv" must be 0 or 1 for a logit, but line 2 has 317\.6/],
    ["an outcome other than 0/1 for probit", ["feglm", MTCARS, "--family", "probit", "--formula", "gear ~ wt"], /outcome "gear" must be 0 or 1 for a probit/],
    ["a text slope variable", ["fit", CO2, "--formula", "uptake ~ log(conc) | Plant[Type]"], /slope variable "Type" must be numeric/],
    [
      "a Newey-West lag longer than the panel",
      ["fit", GRUNFELD, "--formula", "inv ~ value | firm + year", "--vcov", "NW(50):firm+year"],
      /lag L = 50 is too large for the panel: "year" has T = 20 period\(s\).*at most 18/,
    ],
    ["a Driscoll-Kraay lag longer than the panel", ["fepois", GRUNFELD, "--formula", "inv ~ value | firm", "--vcov", "DK(25):year"], /lag L = 25 is too large .*"year" has T = 20/],
    ["conley without coordinates", ["fit", GRUNFELD, "--formula", "inv ~ value | firm", "--vcov", "conley(100)"], /conley\(100\) needs coordinates: give lat and lon/],
    ["conley with a text coordinate", ["fit", CO2, "--formula", "uptake ~ conc", "--vcov", "conley(100)", "--lat", "Type", "--lon", "conc"], /latitude "Type" must be numeric/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await cli(args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(STACK_LINE);
      expect(r.out).toBe("");
    });
  }
});

describe("where fixest estimates anyway: a note naming the variable", () => {
  it("Poisson separation: the separated rows are removed and the separating regressor named", async () => {
    const r = await cli(["fepois", SEP, "--formula", "y ~ x + d | g", "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.separated_removed).toBe(24);
    expect(j.notes.map((n: { message: string }) => n.message).join("\n")).toMatch(/24 observation\(s\) with outcome 0 are separated by the regressors \(d\) and were removed/);
    expect(r.err).toMatch(/warning: 24 observation\(s\) .* separated by the regressors \(d\)/);
  });

  it("logit separation: the perfectly predicted rows and the diverging regressors are named", async () => {
    const r = await cli(["feglm", MTCARS, "--family", "logit", "--formula", "am ~ wt + hp + qsec", "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const messages = j.notes.map((n: { message: string }) => n.message).join("\n");
    expect(messages).toMatch(/32 observation\(s\) are predicted perfectly .* separated along wt, qsec/);
    expect(j.converged).toBe(false);
  });

  it("a slope variable constant within one group: a note naming it, the group's slope left out", async () => {
    const r = await cli(["fit", CO2K, "--formula", "uptake ~ log(conc) | Plant[k1]"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/slope variable `k1` is constant within 1 of the 12 groups of `Plant` \(in Plant\[k1\]\)/);
  });

  it("a slope variable constant within every group: the note names it for all of them", async () => {
    const r = await cli(["fit", CO2K, "--formula", "uptake ~ log(conc) | Plant[k]", "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.notes.map((n: { message: string }) => n.message).join("\n")).toMatch(/slope variable `k` is constant within 12 of the 12 groups of `Plant`/);
  });
});
