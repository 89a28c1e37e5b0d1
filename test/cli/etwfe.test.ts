// didwasm etwfe from the command line: the readable table, --json with the event study and its covariance
// (enough for honestdid --from), and bad input as a clear message with exit status 2 (no stack trace).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../../cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-etwfe-"));
const file = (name: string) => join(dir, name);

interface Row { unit: number; year: number; cohort: number; treat: number; x: number; y: number }
/** 16 units x 8 years: cohorts 2003 (units 1-5), 2005 (6-10), never (11-16); y with unit and year effects. */
function panel(edit: (row: Row) => void = () => {}, keep: (row: Row) => boolean = () => true): string {
  const lines = ["unit,year,cohort,treat,x,y"];
  for (let u = 1; u <= 16; u++) {
    const g = u <= 5 ? 2003 : u <= 10 ? 2005 : 0;
    for (let t = 2000; t < 2008; t++) {
      const row = { unit: u, year: t, cohort: g, treat: g && t >= g ? 1 : 0, x: ((u * 5 + t * 7) % 13) / 4, y: 0 };
      row.y = u * 0.3 + (t - 2000) * 0.2 + 0.5 * row.x + (row.treat ? 1 + 0.1 * (t - g) : 0) + (((u * 7 + t * 3) % 11) - 5) / 10;
      edit(row);
      if (keep(row)) lines.push(`${row.unit},${row.year},${row.cohort},${row.treat},${row.x},${row.y}`);
    }
  }
  return lines.join("\n") + "\n";
}
writeFileSync(file("ok.csv"), panel());
writeFileSync(file("switch.csv"), panel((r) => { if (r.unit === 7 && r.year === 2007) r.treat = 0; }));
writeFileSync(file("no-never.csv"), panel(() => {}, (r) => r.cohort !== 0));
writeFileSync(file("lone.csv"), panel((r) => { if (r.unit === 11) { r.cohort = 2006; r.treat = r.year >= 2006 ? 1 : 0; } }));
writeFileSync(file("negative.csv"), panel((r) => { if (r.unit === 3 && r.year === 2001) r.y = -1; }));
writeFileSync(file("all-never.csv"), panel((r) => { r.cohort = 0; r.treat = 0; }));

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
const base = ["--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort"];

it("prints the effects table, and JSON with the event study and its covariance that honestdid --from reads", async () => {
  const text = await cli(["etwfe", file("ok.csv"), ...base, "--controls", "x", "--vcov", "cluster:unit"]);
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toMatch(/Extended TWFE \(Wooldridge\), OLS/);
  expect(text.stdout).toMatch(/^ATT /m);
  expect(text.stdout).toMatch(/\.Dtreat:cohort::2003:year::2003/);
  const json = await cli(["etwfe", file("ok.csv"), ...base, "--cgroup", "never", "--aggregate", "event", "--vcov", "cluster:unit", "--json"]);
  expect(json.code, json.stderr).toBe(0);
  const r = JSON.parse(json.stdout);
  expect(r.event_vcov.rel_time).toEqual([-5, -4, -3, -2, 0, 1, 2, 3, 4]);
  expect(r.event_vcov.vcov[5][5]).toBeCloseTo(r.event[5].std_error ** 2, 12);
  writeFileSync(file("es.json"), json.stdout);
  const hd = await cli(["honestdid", "--from", file("es.json"), "--json"]);
  expect(hd.code, hd.stderr).toBe(0);
  expect(JSON.parse(hd.stdout).original.estimate).toBeCloseTo(r.event.find((e: { rel_time: number }) => e.rel_time === 0).estimate, 10);
});

it("the same effects from --treat as from --cohort", async () => {
  const a = JSON.parse((await cli(["etwfe", file("ok.csv"), ...base, "--aggregate", "group", "--json"])).stdout);
  const b = JSON.parse((await cli(["etwfe", file("ok.csv"), "--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--aggregate", "group", "--json"])).stdout);
  expect(b.coefficients.map((e: { estimate: number }) => e.estimate)).toEqual(a.coefficients.map((e: { estimate: number }) => e.estimate));
  expect(b.coefficients.map((e: { std_error: number }) => e.std_error)).toEqual(a.coefficients.map((e: { std_error: number }) => e.std_error));
});

it("treatment that switches off: exit 2 naming the unit and period, pointing to dcdh", async () => {
  const r = await cli(["etwfe", file("switch.csv"), "--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/unit 7 is treated from 2005 but untreated in 2007/);
  expect(r.stderr).toMatch(/didwasm dcdh/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

it("no never-treated units: --cgroup never is refused; notyet compares with the last cohort and says so", async () => {
  const never = await cli(["etwfe", file("no-never.csv"), ...base, "--cgroup", "never"]);
  expect(never.code).toBe(2);
  expect(never.stderr).toMatch(/no never-treated units: cgroup "never" needs units that are never treated/);
  expect(never.stderr).not.toMatch(/\n\s+at /);
  const notyet = await cli(["etwfe", file("no-never.csv"), ...base, "--json"]);
  expect(notyet.code, notyet.stderr).toBe(0);
  const r = JSON.parse(notyet.stdout);
  expect(r.notes.map((n: { message: string }) => n.message).join("\n")).toMatch(/the last cohort \(2005\) is the control group/);
  expect(r.nobs).toBe(10 * 5); // the periods from 2005 on are left out
});

it("a cohort with one unit: estimated, with a warning note", async () => {
  const r = await cli(["etwfe", file("lone.csv"), ...base, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout).notes.map((n: { message: string }) => n.message).join("\n")).toMatch(/cohort\(s\) 2006 have a single unit/);
});

it("nothing to estimate or bad options: exit 2 with a message", async () => {
  for (const [f, args, message] of [
    ["all-never.csv", [], /no treated units/],
    ["ok.csv", ["--treat", "treat"], /exactly one of cohort/],
    ["ok.csv", ["--vcov", "twoway"], /etwfe supports --vcov iid, hetero or cluster/],
    ["ok.csv", ["--family", "poisson", "--fe", "vs"], /applies to the gaussian family only/],
    ["ok.csv", ["--plot", file("x.svg")], /--plot applies only with --aggregate event/],
    ["ok.csv", ["--controls", "nope"], /nope/],
    ["negative.csv", ["--family", "poisson"], /a Poisson outcome must be non-negative, but "y" is -1 on line 19/],
  ] as const) {
    const r = await cli(["etwfe", file(f), ...base, ...args]);
    expect(r.code, args.join(" ")).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }
});
