// didwasm stacked from the command line: the readable table, --json with the event study, its covariance
// and the stack's composition, honestdid on the saved result, and bad input as a clear message with exit
// status 2 (no stack trace).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../../cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-stacked-"));
const file = (name: string) => join(dir, name);

/** 12 units x 8 years: cohorts 2003 (units 1-4), 2005 (5-8), never (9-12); y with unit and year effects. */
function panel(cohortOf: (u: number) => number = (u) => (u <= 4 ? 2003 : u <= 8 ? 2005 : 0), edit: (row: { unit: number; year: number; treat: number }) => void = () => {}): string {
  const lines = ["unit,year,cohort,treat,y"];
  for (let u = 1; u <= 12; u++) {
    const g = cohortOf(u);
    for (let t = 2000; t < 2008; t++) {
      const row = { unit: u, year: t, treat: g && t >= g ? 1 : 0 };
      edit(row);
      const y = u * 0.3 + (t - 2000) * 0.2 + (row.treat ? 1 + 0.1 * u : 0) + (((u * 7 + t * 3) % 11) - 5) / 10;
      lines.push(`${u},${t},${g},${row.treat},${y}`);
    }
  }
  return lines.join("\n") + "\n";
}
writeFileSync(file("ok.csv"), panel());
writeFileSync(file("switch.csv"), panel(undefined, (r) => { if (r.unit === 6 && r.year === 2007) r.treat = 0; }));
writeFileSync(file("nonever.csv"), panel((u) => (u <= 4 ? 2003 : u <= 8 ? 2005 : 2007)));
writeFileSync(file("lone.csv"), panel((u) => (u <= 4 ? 2003 : u <= 8 ? 2005 : u === 9 ? 2006 : 0)));

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
const base = ["--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort"];

async function exits2(args: string[], message: RegExp): Promise<void> {
  const r = await cli(args);
  expect(r.code, r.stdout).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

it("prints the table and composition, and JSON with event rows, event_vcov and the stack", async () => {
  const text = await cli(["stacked", file("ok.csv"), ...base, "--window", "-2:2"]);
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toMatch(/Stacked DID \(Wing, Freedman and Hollingsworth 2024\)/);
  expect(text.stdout).toMatch(/^ATT /m);
  expect(text.stdout).toMatch(/^\s+2003\s+2001\.\.2005\s+4\s+4\s+40$/m);
  const json = await cli(["stacked", file("ok.csv"), ...base, "--window", "-2:2", "--json"]);
  const r = JSON.parse(json.stdout);
  expect(r.event.map((e: { rel_time: number }) => e.rel_time)).toEqual([-2, 0, 1, 2]);
  expect(r.event_vcov.rel_time).toEqual([-2, 0, 1, 2]);
  expect(r.event_vcov.vcov[2][2]).toBeCloseTo(r.event[2].std_error ** 2, 12);
  // 2005's clean controls: never treated only (2003 is treated); 2003's: never treated (2005 <= 2003 + 2).
  expect(r.composition).toEqual([
    { cohort: 2003, treated_units: 4, control_units: 4, periods: [2001, 2005], rows: 40 },
    { cohort: 2005, treated_units: 4, control_units: 4, periods: [2003, 2007], rows: 40 },
  ]);
  expect(r.coefficients[0].term).toBe("ATT");
});

it("honestdid --from takes the saved stacked result", async () => {
  const json = await cli(["stacked", file("ok.csv"), ...base, "--window", "-2:2", "--json"]);
  writeFileSync(file("stacked.json"), json.stdout);
  const h = await cli(["honestdid", "--from", file("stacked.json"), "--delta", "sd", "--m", "0,0.1", "--json"]);
  expect(h.code, h.stderr).toBe(0);
  const out = JSON.parse(h.stdout);
  const saved = JSON.parse(json.stdout);
  expect(out.event_times).toEqual([-2, 0, 1, 2]);
  expect(out.num_pre).toBe(1);
  expect(out.original.estimate).toBe(saved.event[1].estimate);
  expect(out.robust.map((x: { m: number }) => x.m)).toEqual([0, 0.1]);
});

it("treatment that switches off: exit 2 naming the unit and period, pointing to dcdh", async () => {
  await exits2(["stacked", file("switch.csv"), "--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--window", "-2:2"], /unit 6 is treated from 2005 but untreated in 2007.*didwasm dcdh/s);
});

it("never-treated controls asked for but none exist: exit 2 naming the way out", async () => {
  await exits2(["stacked", file("nonever.csv"), ...base, "--window", "-2:0", "--clean-controls", "never"], /no never-treated units.*--clean-controls notyet/);
  const r = await cli(["stacked", file("nonever.csv"), ...base, "--window", "-2:0", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.stringify(JSON.parse(r.stdout).notes)).toMatch(/cohort 2007 left out: it has no clean control observation/);
});

it("a cohort with one unit: estimated, with a note", async () => {
  const r = await cli(["stacked", file("lone.csv"), ...base, "--window", "-2:1", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout);
  expect(j.composition.map((c: { cohort: number }) => c.cohort)).toEqual([2003, 2005, 2006]);
  expect(JSON.stringify(j.notes)).toMatch(/cohort 2006 has a single treated unit/);
});

it("nothing to estimate: exit 2 for a window outside the data, a window without -1, and no window", async () => {
  await exits2(["stacked", file("ok.csv"), ...base, "--window", "-5:5"], /no cohort can be stacked.*narrower --window/);
  await exits2(["stacked", file("ok.csv"), ...base, "--window", "0:2"], /lo <= -1/);
  await exits2(["stacked", file("ok.csv"), ...base], /window/);
});
