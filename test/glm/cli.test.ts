// The fepois and feglm commands through the CLI, in process: the table printed like fit's (z statistics),
// the JSON's fit statistics and notes, and bad input as exit status 2 with the row named.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-glm-cli-"));
const file = join(dir, "c.csv");
const rows = ["id,t,x,y,b"];
for (let id = 1; id <= 12; id++) for (let t = 1; t <= 5; t++) rows.push(`${id},${t},${((id * 7 + t * 3) % 11) / 5},${(id * t) % 4},${(id + t) % 2}`);
writeFileSync(file, rows.join("\n") + "\n");
const bad = join(dir, "bad.csv");
writeFileSync(bad, "y,x\n1,1\n2,2\n-1,3\n0,4\n");

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe("didwasm fepois / feglm", () => {
  it("prints a Poisson table with z statistics and the fit statistics", async () => {
    const r = await cli(["fepois", file, "--formula", "y ~ x | id + t"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Poisson estimation, dependent variable: y/);
    expect(r.stdout).toMatch(/z value +Pr\(>\|z\|\)/);
    // 3 ids and 1 period have only zero counts: removed, as fixest does (the note says so).
    expect(r.stdout).toMatch(/Note: fixed-effect groups with only 0 outcomes removed \(as fixest\): id 3/);
    expect(r.stdout).toMatch(/Standard errors: Clustered \(id: 9\)/);
    expect(r.stdout).toMatch(/Log-likelihood: .* Adj\. pseudo R2: /);
  });
  it("--json carries the deviance, log-likelihoods, iterations and notes", async () => {
    const r = await cli(["feglm", file, "--formula", "b ~ x | t", "--family", "probit", "--vcov", "hetero", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ model: "feglm", family: "probit", vcov: "hetero", distribution: "normal", converged: true });
    for (const k of ["deviance", "log_lik", "log_lik_null", "pseudo_r2", "bic", "iterations"]) expect(typeof j[k]).toBe("number");
    expect(Array.isArray(j.warnings)).toBe(true);
  });
  it("--wald, --fixef-out and --predict: the test in the JSON, the fixed effects and fitted means written", async () => {
    const fe = join(dir, "fe.csv");
    const pred = join(dir, "pred.csv");
    const r = await cli(["fepois", file, "--formula", "y ~ x | id + t", "--wald", "^x$", "--fixef-out", fe, "--predict", pred, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.wald).toMatchObject({ coefficients: ["x"], df1: 1, df2: j.nobs - j.nparams });
    const feLines = readFileSync(fe, "utf8").trimEnd().split("\n");
    expect(feLines[0]).toBe("fe,level,value");
    // 3 ids and 1 period with only zero counts are removed: 9 ids and 4 periods remain.
    expect(feLines.length - 1).toBe(9 + 4);
    const predLines = readFileSync(pred, "utf8").trimEnd().split("\n");
    expect(predLines.length - 1).toBe(60);
    // A removed row has empty cells; a kept row a positive mean and residual y - mean.
    const cells = predLines.slice(1).map((l) => l.split(","));
    expect(cells.some((c) => c[1] === "" && c[2] === "")).toBe(true);
    const kept = cells.find((c) => c[1] !== "")!;
    expect(Number(kept[1])).toBeGreaterThan(0);
  });

  it("stepwise formulas print one table with a column per model and the GLM statistics", async () => {
    const r = await cli(["fepois", file, "--formula", "y ~ csw(x, t) | id"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(1\) +\(2\)/);
    expect(r.stdout).toMatch(/Pseudo R² +0\.\d+ +0\.\d+/);
    const j = JSON.parse((await cli(["feglm", file, "--family", "logit", "--formula", "b ~ x | sw(id, t)", "--json"])).stdout);
    expect(j.models.map((m: { step: unknown }) => m.step)).toEqual([{ fixef: { index: 0, terms: "id" } }, { fixef: { index: 1, terms: "t" } }]);
    expect(j.models[0].model).toBe("feglm");
  });

  it("a negative Poisson outcome exits 2 naming the row; feglm needs --family", async () => {
    const r = await cli(["fepois", bad, "--formula", "y ~ x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/outcome "y" must be non-negative .*line 4 has -1/);
    const g = await cli(["feglm", file, "--formula", "b ~ x"]);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/family/);
  });
});
