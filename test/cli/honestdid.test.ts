// didwasm honestdid on the command line: from DATA and --formula, from a saved result (--from, no DATA),
// the text table and the sensitivity plot, and the input errors that exit 2 with a message (no stack).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { runCli } from "../../cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-honestdid-"));
const file = (name: string) => join(dir, name);
const cols = generateSyntheticPanel({ units: 60, periods: 7, regressors: 1, seed: 5, staggered: { cohorts: [2004], neverShare: 0.5, effect: 1 } });
const D = Float64Array.from(cols.cohort as ArrayLike<number>, (c) => (c > 0 ? 1 : 0));
writeFileSync(file("p.csv"), toCsv({ ...cols, D }));
const FORMULA = ["--formula", "y ~ i(year, D, ref = 2003) | unit + year", "--vcov", "cluster:unit"];

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function exits2(args: string[], message: RegExp) {
  const r = await cli(args);
  expect(r.code, r.stdout).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("didwasm honestdid", () => {
  it("prints the table, writes the plot, and --from a saved event study gives the same numbers", async () => {
    const text = await cli(["honestdid", file("p.csv"), ...FORMULA, "--num-pre", "3", "--num-post", "3", "--mbar", "0.5,1", "--plot", file("s.svg")]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/relative magnitudes[\s\S]*Original \(parallel trends\)[\s\S]*Mbar\s+lb\s+ub\s+method[\s\S]*C-LF[\s\S]*Breakdown/);
    expect(readFileSync(file("s.svg"), "utf8")).toMatch(/^<svg[\s\S]*Original[\s\S]*<\/svg>\n$/);

    const es = await cli(["eventstudy", file("p.csv"), "--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort", "--json"]);
    expect(es.code, es.stderr).toBe(0);
    writeFileSync(file("es.json"), es.stdout);
    const fromFile = await cli(["honestdid", "--from", file("es.json"), "--delta", "sd", "--m", "0,0.05", "--l-vec", "0.5,0.25,0.25", "--json"]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const a = JSON.parse(fromFile.stdout);
    const direct = await cli(["honestdid", file("p.csv"), ...FORMULA, "--delta", "sd", "--m", "0,0.05", "--l-vec", "0.5,0.25,0.25", "--json"]);
    const b = JSON.parse(direct.stdout);
    // The same design (relative time = year - 2004 for the one cohort), two estimators of it.
    expect(a.event_times).toEqual([-4, -3, -2, 0, 1, 2]);
    expect(b.event_times).toEqual([2000, 2001, 2002, 2004, 2005, 2006]);
    a.robust.forEach((r: { lb: number; ub: number }, i: number) => {
      expect(r.lb).toBeCloseTo(b.robust[i].lb, 9);
      expect(r.ub).toBeCloseTo(b.robust[i].ub, 9);
    });
    expect(a.robust[0].method).toBe("FLCI");
    expect(a).toHaveProperty("timing_ms");
  });

  it("exits 2 with a message on bad input", async () => {
    await exits2(["honestdid", "--mbar", "1"], /give a data file/);
    await exits2(["honestdid", file("p.csv"), "--from", file("es.json")], /--from replaces the data file/);
    await exits2(["honestdid", "--from", file("missing.json")], /not found/);
    writeFileSync(file("post.json"), JSON.stringify({ event_vcov: { rel_time: [0, 1], estimate: [0.1, 0.2], vcov: [[1e-4, 0], [0, 1e-4]] } }));
    await exits2(["honestdid", "--from", file("post.json")], /no pre-period coefficient/);
    writeFileSync(file("indefinite.json"), JSON.stringify({ betahat: [0.1, 0.2], sigma: [[1e-4, 5e-4], [5e-4, 1e-4]], num_pre: 1 }));
    await exits2(["honestdid", "--from", file("indefinite.json")], /sigma is not positive semidefinite/);
    await exits2(["honestdid", file("p.csv"), "--formula", "y ~ i(year, D, ref = 2000) | unit + year"], /no pre-period coefficient/);
    await exits2(["honestdid", file("p.csv"), ...FORMULA, "--num-pre", "2", "--num-post", "2"], /= 4 coefficients, but the event study has 6: give num-pre and num-post that add up to 6/);
    await exits2(["honestdid", file("p.csv"), ...FORMULA, "--mbar", "-1"], /mbar/);
  });
});
