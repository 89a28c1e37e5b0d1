// didwasm imputation from the command line: the readable table, --json with the event-study covariance,
// and bad input as a clear message with exit status 2 (no stack trace).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../../cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-imputation-"));
const file = (name: string) => join(dir, name);

/** 12 units x 8 years: cohorts 2003 (units 1-4), 2005 (5-8), never (9-12); y with a unit and year effect. */
function panel(edit: (row: { unit: number; year: number; treat: number; y: number }) => void = () => {}): string {
  const lines = ["unit,year,treat,y"];
  for (let u = 1; u <= 12; u++) {
    const g = u <= 4 ? 2003 : u <= 8 ? 2005 : 0;
    for (let t = 2000; t < 2008; t++) {
      const row = { unit: u, year: t, treat: g && t >= g ? 1 : 0, y: 0 };
      row.y = u * 0.3 + (t - 2000) * 0.2 + (row.treat ? 1 + 0.1 * u : 0) + (((u * 7 + t * 3) % 11) - 5) / 10;
      edit(row);
      lines.push(`${row.unit},${row.year},${row.treat},${row.y}`);
    }
  }
  return lines.join("\n") + "\n";
}
writeFileSync(file("ok.csv"), panel());
writeFileSync(file("switch.csv"), panel((r) => { if (r.unit === 6 && r.year === 2007) r.treat = 0; }));
writeFileSync(file("lone.csv"), panel((r) => { if (r.unit === 9) r.treat = r.year >= 2006 ? 1 : 0; }));

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
const base = ["--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat"];

it("prints the effects table, and JSON with the event study and its covariance", async () => {
  const text = await cli(["imputation", file("ok.csv"), ...base, "--horizons", "0:2"]);
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toMatch(/Imputation estimator \(Borusyak, Jaravel and Spiess 2024\)/);
  expect(text.stdout).toMatch(/^tau2 /m);
  const json = await cli(["imputation", file("ok.csv"), ...base, "--horizons", "0:2", "--json"]);
  const r = JSON.parse(json.stdout);
  expect(r.event.map((e: { term: string }) => e.term)).toEqual(["tau0", "tau1", "tau2"]);
  expect(r.event_vcov.rel_time).toEqual([0, 1, 2]);
  expect(r.event_vcov.vcov[1][1]).toBeCloseTo(r.event[1].std_error ** 2, 12);
});

it("treatment that switches off: exit 2 naming the unit and period, pointing to dcdh", async () => {
  const r = await cli(["imputation", file("switch.csv"), ...base]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/unit 6 is treated from 2005 but untreated in 2007/);
  expect(r.stderr).toMatch(/didwasm dcdh/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

it("a cohort with one unit: exit 2 with the way out; --avg-effects-by horizon runs", async () => {
  const r = await cli(["imputation", file("lone.csv"), ...base]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/cohort 2006, period 2006 is in one cluster \(unit 9\)/);
  expect(r.stderr).toMatch(/--avg-effects-by/);
  expect((await cli(["imputation", file("lone.csv"), ...base, "--avg-effects-by", "horizon"])).code).toBe(0);
});

it("bad options: exit 2 with a message", async () => {
  for (const [args, message] of [
    [["--horizons", "3:1"], /runs backwards/],
    [["--horizons", "0:9"], /no treated observation is 5, 6, 7, 8, 9 period/],
    [["--pretrends", "0"], /pretrends/],
    [["--plot", file("x.svg")], /--plot applies only with --horizons or --pretrends/],
    [["--wtr", "nope"], /nope/],
  ] as const) {
    const r = await cli(["imputation", file("ok.csv"), ...base, ...args]);
    expect(r.code, args.join(" ")).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }
});
