// didwasm dcdh from the command line: the readable table and --json (effects, placebos, average total effect,
// joint tests, event_vcov that honestdid --from reads), a treatment that switches off (which the
// absorbing-only estimators refuse, pointing here), and bad input as a clear message with exit status 2.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../../cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-dcdh-"));
const file = (name: string) => join(dir, name);

/** 24 units x 8 years: cohorts 2003, 2004, 2005, never (6 units each), a unit and year effect, effect 1. */
function panel(edit: (row: { unit: number; year: number; treat: number; y: number; st: number }) => void = () => {}): string {
  const lines = ["unit,year,treat,y,st"];
  for (let u = 1; u <= 24; u++) {
    const g = [2003, 2004, 2005, 0][u % 4];
    for (let t = 2000; t < 2008; t++) {
      const row = { unit: u, year: t, treat: g && t >= g ? 1 : 0, y: 0, st: u % 6 };
      row.y = u * 0.3 + (t - 2000) * 0.2 + row.treat + (((u * 7 + t * 3) % 11) - 5) / 10;
      edit(row);
      lines.push(`${row.unit},${row.year},${row.treat},${row.y},${row.st}`);
    }
  }
  return lines.join("\n") + "\n";
}
writeFileSync(file("ok.csv"), panel());
// units 1 and 5 (cohort 2004) switch off again in 2006
writeFileSync(file("switch.csv"), panel((r) => { if ((r.unit === 1 || r.unit === 5) && r.year >= 2006) r.treat = 0; }));
// every unit switches in 2004: no not-yet-switched controls
writeFileSync(file("once.csv"), panel((r) => { r.treat = r.year >= 2004 ? 1 : 0; }));
// unit 3 starts at treatment 2 (alone with that baseline)
writeFileSync(file("lone.csv"), panel((r) => { if (r.unit === 3) r.treat = 2; }));
// a cluster that varies within unit 7
writeFileSync(file("cluster.csv"), panel((r) => { if (r.unit === 7 && r.year === 2001) r.st = 99; }));

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
const base = ["--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat"];
async function exits2(args: string[], message: RegExp) {
  const r = await cli(args);
  expect(r.code, r.stdout).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

it("prints the effects, the average total effect and the placebos; JSON with event_vcov that honestdid --from reads", async () => {
  const text = await cli(["dcdh", file("ok.csv"), ...base, "--effects", "3", "--placebo", "2"]);
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toMatch(/de Chaisemartin and D'Haultfoeuille \(2024\)/);
  expect(text.stdout).toMatch(/^Effect_3 /m);
  expect(text.stdout).toMatch(/Average cumulative \(total\) effect per treatment unit\n.*\nAv_tot_eff /);
  expect(text.stdout).toMatch(/Test of joint nullity of the placebos: chi2\(2\)/);
  const json = await cli(["dcdh", file("ok.csv"), ...base, "--effects", "3", "--placebo", "2", "--json"]);
  const r = JSON.parse(json.stdout);
  expect(r.effects.map((e: { term: string }) => e.term)).toEqual(["Effect_1", "Effect_2", "Effect_3"]);
  expect(r.event_vcov.rel_time).toEqual([-3, -2, 0, 1, 2]);
  expect(r.event_vcov.vcov[2][2]).toBeCloseTo(r.effects[0].std_error ** 2, 12);
  // no noise in the effect: each DID_l is 1 up to the outcome's wiggle
  expect(Math.abs(r.average_total_effect.estimate - 1)).toBeLessThan(0.5);
  writeFileSync(file("dcdh.json"), json.stdout);
  const hd = await cli(["honestdid", "--from", file("dcdh.json"), "--json"]);
  expect(hd.code, hd.stderr).toBe(0);
  expect(JSON.parse(hd.stdout).event_times).toEqual([-3, -2, 0, 1, 2]);
});

it("treatment that switches off, which the absorbing-only estimators refuse, is estimated", async () => {
  const refused = await cli(["imputation", file("switch.csv"), ...base]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/didwasm dcdh/);
  const r = await cli(["dcdh", file("switch.csv"), ...base, "--effects", "3", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout);
  expect(j.effects).toHaveLength(3);
  for (const e of j.effects) expect(Number.isFinite(e.estimate) && e.std_error > 0).toBe(true);
});

it("a baseline treatment held by one group: that group is dropped with a note", async () => {
  const r = await cli(["dcdh", file("lone.csv"), ...base, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout).notes.map((n: { message: string }) => n.message).join("\n")).toMatch(/period-one treatment 2 dropped/);
});

it("bad input: exit 2 with a message", async () => {
  await exits2(["dcdh", file("once.csv"), ...base], /no effect can be estimated: within every value of the period-one treatment of "treat", all groups change treatment at the same date/);
  await exits2(["dcdh", file("cluster.csv"), ...base, "--cluster", "st"], /must be nested within the cluster variable "st": group 7/);
  await exits2(["dcdh", file("ok.csv"), ...base, "--controls", "st"], /does not support controls/);
  await exits2(["dcdh", file("ok.csv"), ...base, "--effects-equal"], /effects-equal needs --effects of at least 2|effectsEqual needs effects of at least 2/);
  await exits2(["dcdh", file("ok.csv"), ...base.slice(0, 6), "--treat", "nope"], /nope/);
  await exits2(["dcdh", file("ok.csv"), ...base, "--switchers", "out"], /no group whose treatment went down/);
});
