// End to end through the built CLI: psm and logit on bad input give a clear message and exit status 2
// where nothing can be estimated (separation, no control within the caliper, a covariate without
// variance, an empty pre period), and a warning with the count where some treated units are dropped.
// The same inputs through the API raise a DidwasmError with a code. Needs `npm run build`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { DidwasmError } from "../../bindings/errors.js";
import { psm, type PsmOptions } from "../../bindings/estimators/psm/psm.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const CLI = resolve(__dirname, "../../dist/cli/main.js");
const STACK_LINE = /^\s+at /m;
let dir = "";

/** 60 units x 2000-2007; units 1-20 adopt in 2004 (cohort), the rest never (0). Covariates: x1 (higher for
 *  treated units), x2 (noise), const5 (5 everywhere), sep (1 exactly for treated units). */
function panelCsv(): string {
  const g = new Xoshiro128(21);
  const lines = ["unit,year,cohort,y,x1,x2,const5,sep"];
  for (let u = 1; u <= 60; u++) {
    const treated = u <= 20;
    const a = g.normal();
    const level = g.normal() + (treated ? 0.8 : 0);
    for (let t = 2000; t <= 2007; t++) {
      const d = treated && t >= 2004 ? 1 : 0;
      const y = a + 0.1 * (t - 2000) + 0.5 * d + 0.2 * g.normal();
      lines.push(`${u},${t},${treated ? 2004 : 0},${y.toFixed(6)},${(level + 0.1 * g.normal()).toFixed(6)},${g.normal().toFixed(6)},5,${treated ? 1 : 0}`);
    }
  }
  return lines.join("\n") + "\n";
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, DIDWASM_DEBUG: "" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const psmArgs = (...extra: string[]) => ["psm", join(dir, "panel.csv"), "--unit", "unit", "--time", "year", "--cohort", "cohort", ...extra];

function apiError(o: Partial<PsmOptions>): DidwasmError {
  try {
    psm(parseCsv(panelCsv()), { unit: "unit", time: "year", cohort: "cohort", covariates: ["x1", "x2"], ...o });
  } catch (e) {
    if (e instanceof DidwasmError) return e;
    throw e;
  }
  throw new Error("expected a DidwasmError");
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  dir = mkdtempSync(join(tmpdir(), "didwasm-psm-"));
  writeFileSync(join(dir, "panel.csv"), panelCsv());
  writeFileSync(join(dir, "binary.csv"), "y,x\n0,1\n1,2\n2,3\n0,4\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("psm: bad input", () => {
  it("runs on good input (exit 0, JSON with matches, balance and the DID)", () => {
    const r = cli(psmArgs("--covariates", "x1,x2", "--y", "y", "--json", "--plot", join(dir, "ps.svg")));
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.pre).toEqual([2000, 2003]);
    expect(j.matched_treated).toBe(20);
    expect(j.balance.map((b: { variable: string }) => b.variable)).toEqual(["x1", "x2"]);
    expect(j.did.coefficients[0].term).toBe("treat_post");
    expect(readFileSync(join(dir, "ps.svg"), "utf8")).toMatch(/^<svg[\s\S]*Before matching[\s\S]*After matching/);
  });

  it("separation in the propensity score: exit 2, names the variable", () => {
    const r = cli(psmArgs("--covariates", "x2,sep", "--y", "y"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/perfect separation: "sep"/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(apiError({ covariates: ["x2", "sep"] }).code).toBe("SEPARATION");
  });

  it("a covariate without variance: exit 2, names it", () => {
    const r = cli(psmArgs("--covariates", "x1,const5"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/covariate "const5" has no variance across units: its pre-period \(2000:2003\) average is 5 for all 60 units/);
    expect(apiError({ covariates: ["x1", "const5"] }).code).toBe("NO_VARIANCE");
  });

  it("a pre period with no data: exit 2", () => {
    const r = cli(psmArgs("--covariates", "x1,x2", "--pre", "1990:1995"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no observations in the pre period 1990:1995: the panel covers 2000-2007/);
    expect(apiError({ pre: [1990, 1995] }).code).toBe("EMPTY_SAMPLE");
    const inverted = cli(psmArgs("--covariates", "x1,x2", "--pre", "2003:2001"));
    expect(inverted.status).toBe(2);
    expect(inverted.stderr).toMatch(/--pre must have lo <= hi, got "2003:2001"/);
  });

  it("an empty default pre period (first adoption in the first period): exit 2, asks for --pre", () => {
    const csv = panelCsv().replace(/^(\d+,\d+),2004,/gm, "$1,2000,");
    writeFileSync(join(dir, "always.csv"), csv);
    const r = cli(["psm", join(dir, "always.csv"), "--unit", "unit", "--time", "year", "--cohort", "cohort", "--covariates", "x1,x2"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the pre period is empty: the first adoption \(2000\) is at or before the first period of the panel \(2000\); give the pre period with --pre/);
  });

  it("no control within the caliper for some treated units: a warning with the count, exit 0", () => {
    const r = cli(psmArgs("--covariates", "x1,x2", "--caliper", "0.002", "--y", "y", "--json"));
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.unmatched_treated).toBeGreaterThan(0);
    expect(j.matched_treated + j.unmatched_treated).toBe(20);
    expect(r.stderr).toMatch(new RegExp(`warning: ${j.unmatched_treated} of 20 treated unit\\(s\\) dropped: no control within the caliper 0.002`));
    expect(j.notes.map((n: { message: string }) => n.message).join(" ")).toMatch(/dropped: no control within the caliper/);
  });

  it("no control within the caliper for any treated unit: exit 2", () => {
    const r = cli(psmArgs("--covariates", "x1,x2", "--caliper", "1e-12"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no treated unit could be matched: all 20 have no control within the caliper 1e-12; widen the caliper/);
    expect(apiError({ caliper: 1e-12 }).code).toBe("NO_MATCHES");
  });

  it("bad options: exit 2 with the flag named", () => {
    expect(cli(psmArgs("--covariates", "x1", "--method", "radius")).stderr).toMatch(/radius matching needs --caliper/);
    expect(cli(psmArgs("--covariates", "x1", "--method", "fuzzy")).stderr).toMatch(/--method must be one of nearest, radius, kernel/);
    expect(cli(psmArgs("--covariates", "x1", "--method", "kernel", "--replace", "false")).status).toBe(2);
    expect(cli(psmArgs("--covariates", "nope")).stderr).toMatch(/unknown covariate "nope"/);
    expect(cli(psmArgs("--covariates", "x1", "--y", "nope")).stderr).toMatch(/unknown outcome "nope"/);
  });
});

describe("logit: bad input", () => {
  it("a non-binary outcome: exit 2 naming the line", () => {
    const r = cli(["logit", join(dir, "binary.csv"), "--formula", "y ~ x"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/outcome "y" must be 0 or 1 for a logit, but line 4 has 2/);
  });

  it("separation: exit 2, names the variable", () => {
    const r = cli(["logit", join(dir, "panel.csv"), "--formula", "sep ~ x2 + cohort"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/perfect separation: "cohort" \(every outcome "sep" = 1 has cohort >= 2004, every outcome "sep" = 0 has cohort <= 0\)/);
  });

  it("good input: JSON with coefficients, iterations and convergence", () => {
    const r = cli(["logit", join(dir, "panel.csv"), "--formula", "sep ~ x2", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.coefficients.map((c: { term: string }) => c.term)).toEqual(["(Intercept)", "x2"]);
    expect(j.converged).toBe(true);
    expect(j.iterations).toBeGreaterThan(0);
    expect(j.nobs).toBe(480);
  });
});
