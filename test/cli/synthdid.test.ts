// didwasm synthdid from the command line: the readable table with the weights, --json with unit and time
// weights and no event rows, the figure, and bad input as a clear message with exit status 2.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../../cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-synthdid-"));
const file = (name: string) => join(dir, name);

/** 16 units x 8 years: cohorts 2004 (units 1-3), 2006 (4-6), never (7-16). */
function panel(edit: (row: { unit: number; year: number; treat: number; y: number }) => void = () => {}): string {
  const lines = ["unit,year,treat,y"];
  for (let u = 1; u <= 16; u++) {
    const g = u <= 3 ? 2004 : u <= 6 ? 2006 : 0;
    for (let t = 2000; t < 2008; t++) {
      const row = { unit: u, year: t, treat: g && t >= g ? 1 : 0, y: 0 };
      row.y = u * 0.3 + (t - 2000) * 0.2 * (1 + (u % 3) / 4) + (row.treat ? 1 : 0) + (((u * 7 + t * 3) % 11) - 5) / 10;
      edit(row);
      lines.push(`${row.unit},${row.year},${row.treat},${row.y}`);
    }
  }
  return lines.join("\n") + "\n";
}
writeFileSync(file("ok.csv"), panel());
writeFileSync(file("switch.csv"), panel((r) => { if (r.unit === 5 && r.year === 2007) r.treat = 0; }));
writeFileSync(file("allTreated.csv"), panel((r) => { if (r.unit > 6) r.treat = r.year >= 2005 ? 1 : 0; }));
writeFileSync(file("lone.csv"), panel((r) => { if (r.unit === 7) r.treat = r.year >= 2005 ? 1 : 0; }));
writeFileSync(file("early.csv"), panel((r) => { if (r.unit <= 3) r.treat = r.year >= 2001 ? 1 : 0; }));
writeFileSync(file("first.csv"), panel((r) => { if (r.unit === 1) r.treat = 1; }));
writeFileSync(file("gap.csv"), panel().split("\n").filter((l) => l !== panel().split("\n")[20]).join("\n"));

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
const base = ["--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat"];

it("prints the ATT, the cohorts and the weights; JSON has unit and time weights and no event rows", async () => {
  const text = await cli(["synthdid", file("ok.csv"), ...base, "--seed", "3", "--reps", "50"]);
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toMatch(/Synthetic difference-in-differences/);
  expect(text.stdout).toMatch(/Cohorts \(each on the never-treated units/);
  expect(text.stdout).toMatch(/Unit weights \(cohort 2004\): /);
  expect(text.stdout).toMatch(/placebo, 50 replicates, seed 3/);
  const json = JSON.parse((await cli(["synthdid", file("ok.csv"), ...base, "--seed", "3", "--reps", "50", "--json"])).stdout);
  expect(json.design).toBe("staggered");
  expect(json.cohorts.map((c: { adoption: number }) => c.adoption)).toEqual([2004, 2006]);
  expect(json.cohorts[0].time_weights).toHaveLength(4);
  const sum = json.cohorts[1].unit_weights.reduce((s: number, w: { weight: number }) => s + w.weight, 0);
  expect(sum).toBeCloseTo(1, 12);
  expect(json.event).toBeUndefined();
  expect(json.event_vcov).toBeUndefined();
  expect(json.draws).toHaveLength(50);
  expect(json.estimate).toBeGreaterThan(0.5);
});

it("writes the trajectories figure", async () => {
  const r = await cli(["synthdid", file("ok.csv"), ...base, "--vcov", "jackknife", "--plot", file("sdid.svg")]);
  expect(r.code, r.stderr).toBe(0);
  const svg = readFileSync(file("sdid.svg"), "utf8");
  expect(svg).toMatch(/<svg/);
  expect(svg).toMatch(/synthetic/);
});

it.each([
  ["switch.csv", [], /switches off: unit 5 is treated from 2006 but untreated in 2007 .*didwasm dcdh/],
  ["allTreated.csv", [], /no never-treated unit/],
  ["lone.csv", ["--vcov", "jackknife"], /at least 2 treated units in every cohort/],
  ["gap.csv", [], /balanced panel, but unit 3 has no row for year 2003/],
  ["early.csv", [], /the cohort adopting in year 2001 has 1 pre-treatment period: synthetic DID needs at least 2/],
  ["first.csv", [], /unit 1 is treated from the first period \(year 2000\)/],
] as const)("%s %s: a clear message, exit 2", async (name, extra, message) => {
  const r = await cli(["synthdid", file(name), ...base, ...extra]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

it("the placebo needs more controls than treated units", async () => {
  const r = await cli(["synthdid", file("lone.csv"), ...base, "--subset", "unit <= 12", "--seed", "1"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/more control units than treated ones \(5 never-treated, 7 treated\)/);
});

it("a static estimator: honestdid --from a synthdid result says there is no event-study covariance", async () => {
  const r = await cli(["synthdid", file("ok.csv"), ...base, "--vcov", "jackknife", "--json"]);
  writeFileSync(file("sdid.json"), r.stdout);
  const h = await cli(["honestdid", "--from", file("sdid.json")]);
  expect(h.code).toBe(2);
  expect(h.stderr).toMatch(/no event_vcov/);
});
