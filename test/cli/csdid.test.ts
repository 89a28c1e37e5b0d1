// didwasm csdid with covariates from the command line: the did package's published numbers on mpdta in the
// readable table and in --json, a saved result fed to honestdid --from, and bad input as a clear message with
// exit status 2 (no stack trace).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../../cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-csdid-"));
const file = (name: string) => join(dir, name);
const mpdta = join(__dirname, "..", "golden", "data", "mpdta.csv");
const M = ["--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first.treat"];

/** mpdta's rows rewritten by `edit` (columns year, countyreal, lpop, lemp, first.treat, treat). */
function mpdtaWith(name: string, edit: (cells: string[], i: number) => string[] | null): string {
  const [head, ...rows] = readFileSync(mpdta, "utf8").trim().split("\n");
  const out = rows.map((r, i) => edit(r.split(","), i)).filter((r): r is string[] => r !== null).map((r) => r.join(","));
  writeFileSync(file(name), [head, ...out].join("\n") + "\n");
  return file(name);
}

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function refused(args: string[], message: RegExp) {
  const r = await cli(args);
  expect(r.code, r.stdout).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

it("prints did's ATT(g,t) with lpop (doubly robust) and --json with the method and the event-study covariance", async () => {
  const text = await cli(["csdid", mpdta, ...M, "--controls", "lpop"]);
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toContain("Covariates: lpop; estimation method: doubly robust");
  expect(text.stdout).toMatch(/2004\s+2006\s+-0\.1404/);
  const json = await cli(["csdid", mpdta, ...M, "--controls", "lpop", "--est-method", "reg", "--control-group", "notyet", "--json"]);
  expect(json.code, json.stderr).toBe(0);
  const j = JSON.parse(json.stdout);
  expect([j.est_method, j.controls, j.control_group, j.panel]).toEqual(["reg", ["lpop"], "notyet", true]);
  expect(j.event_vcov.rel_time).toEqual([-3, -2, -1, 0, 1, 2, 3]);
});

it("a universal-base result goes to honestdid --from without the varying-base warning", async () => {
  const saved = await cli(["csdid", mpdta, ...M, "--controls", "lpop", "--base-period", "universal", "--json"]);
  expect(saved.code, saved.stderr).toBe(0);
  const j = JSON.parse(saved.stdout);
  // The reference event time -1 is 0 by construction: in the dynamic effects, not a row of the covariance.
  expect(j.dynamic.find((d: { e: number }) => d.e === -1).att).toBe(0);
  expect(j.event_vcov.rel_time).toEqual([-4, -3, -2, 0, 1, 2, 3]);
  writeFileSync(file("cs.json"), saved.stdout);
  const h = await cli(["honestdid", "--from", file("cs.json"), "--mbar", "0.5,1", "--json"]);
  expect(h.code, h.stderr).toBe(0);
  const out = JSON.parse(h.stdout);
  expect(out.event_times).toEqual(j.event_vcov.rel_time);
  expect(out.warnings.join(" ")).not.toMatch(/varying base period/);
});

it("repeated cross sections: --panel false counts rows and gives wider intervals on a panel", async () => {
  const p = JSON.parse((await cli(["csdid", mpdta, ...M, "--controls", "lpop", "--json"])).stdout);
  const r = await cli(["csdid", mpdta, ...M, "--controls", "lpop", "--panel", "false", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const rc = JSON.parse(r.stdout);
  expect([p.units, rc.units]).toEqual([500, 2500]);
  expect(rc.overall.simple.std_error).toBeGreaterThan(p.overall.simple.std_error);
});

it("bad input: a clear message naming the problem, exit status 2", async () => {
  await refused(["csdid", mpdta, ...M, "--est-method", "ipw"], /--est-method needs --controls/);
  await refused(["csdid", mpdta, ...M, "--controls", "lpop", "--est-method", "tmle"], /--est-method must be one of dr, dr-imp, ipw, reg/);
  await refused(["csdid", mpdta, ...M, "--controls", "no_such"], /no_such/);
  await refused(["csdid", mpdta, ...M, "--anticipation", "-1"], /--anticipation/);
  // A covariate with text in it: the column and the row are named.
  await refused(["csdid", mpdtaWith("text.csv", (c, i) => (i === 7 ? [c[0], c[1], "big", ...c.slice(3)] : c)), ...M, "--controls", "lpop"], /lpop/);
  // A constant covariate is collinear with the intercept: nothing can be estimated, and the reason is given.
  await refused(["csdid", mpdtaWith("const.csv", (c) => [c[0], c[1], "1", ...c.slice(3)]), ...M, "--controls", "lpop"], /no post-treatment group-time effect.*collinear/);
  // No never-treated units with never-treated controls chosen.
  await refused(["csdid", mpdtaWith("nonever.csv", (c) => (c[4] === "0" ? null : c)), ...M, "--controls", "lpop"], /no never-treated units.*--control-group notyet/);
  // A unit twice in one period: a panel needs one row per unit and period.
  await refused(["csdid", mpdtaWith("dup.csv", (c, i) => (i === 1 ? [c[0].replace("2004", "2003"), ...c.slice(1)] : c)), ...M], /appears twice in period 2003.*--panel false/);
});

it("a cohort with a single unit is estimated with a note saying so", async () => {
  let kept = 0;
  const f = mpdtaWith("lone.csv", (c) => {
    if (c[4] !== "2004") return c;
    if (c[1] === "13045" || (kept === 0 && (kept = Number(c[1])))) return c;
    return Number(c[1]) === kept ? c : null;
  });
  const r = await cli(["csdid", f, ...M, "--controls", "lpop", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout);
  expect(j.notes.map((n: { message: string }) => n.message).join(" ")).toMatch(/cohort 2004 has a single unit/);
});
