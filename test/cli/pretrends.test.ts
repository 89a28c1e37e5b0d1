// didwasm pretrends on the command line: the pretrends README's He and Wang (2017) example from a saved
// event study (--from, no DATA), an eventstudy --json result fed to --from (same numbers as the regression
// fitted here), the text table and the figure, and input errors that exit 2 with a message (no stack).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { runCli } from "../../cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-pretrends-"));
const file = (name: string) => join(dir, name);
const hw = JSON.parse(readFileSync(join(import.meta.dirname, "..", "golden", "data", "he-wang-2017-event-study.json"), "utf8"));
writeFileSync(file("hw.json"), JSON.stringify({ event_vcov: { rel_time: hw.t, estimate: hw.beta, vcov: hw.sigma } }));
const cols = generateSyntheticPanel({ units: 60, periods: 7, regressors: 1, seed: 5, staggered: { cohorts: [2004], neverShare: 0.5, effect: 1 } });
const D = Float64Array.from(cols.cohort as ArrayLike<number>, (c) => (c > 0 ? 1 : 0));
writeFileSync(file("p.csv"), toCsv({ ...cols, D }));

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

describe("didwasm pretrends", () => {
  it("the README's He and Wang numbers from a saved event study, as text and JSON, with the figure", async () => {
    const text = await cli(["pretrends", "--from", file("hw.json"), "--plot", file("pt.svg")]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Power against it: 0\.5[\s\S]*Slope detected with 50% power: 0\.05207[\s\S]*Slope detected with 80% power[\s\S]*mean after pre-test/);
    expect(readFileSync(file("pt.svg"), "utf8")).toMatch(/^<svg[\s\S]*Hypothesised trend[\s\S]*Expected after pre-testing[\s\S]*<\/svg>\n$/);
    const q = await cli(["pretrends", "--from", file("hw.json"), "--delta", hw.t.map((t: number) => 0.024 * (t + 1) ** 2).join(","), "--json"]);
    expect(q.code, q.stderr).toBe(0);
    const j = JSON.parse(q.stdout);
    expect(j.power).toBeCloseTo(0.6624282, 3);
    expect(j.bayes_factor).toBeCloseTo(0.3841516, 3);
    expect(j.likelihood_ratio).toBeCloseTo(0.4332635, 6);
    expect(j.event).toHaveLength(7);
  });

  it("--from an eventstudy --json result equals the regression fitted here", async () => {
    const es = await cli(["eventstudy", file("p.csv"), "--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort", "--json"]);
    expect(es.code, es.stderr).toBe(0);
    writeFileSync(file("es.json"), es.stdout);
    const a = JSON.parse((await cli(["pretrends", "--from", file("es.json"), "--slope", "0.1", "--json"])).stdout);
    const direct = await cli(["pretrends", file("p.csv"), "--formula", "y ~ i(year, D, ref = 2003) | unit + year", "--slope", "0.1", "--json"]);
    expect(direct.code, direct.stderr).toBe(0);
    const b = JSON.parse(direct.stdout);
    expect(a.event.map((r: { t: number }) => r.t)).toEqual([-4, -3, -2, 0, 1, 2]);
    expect(b.reference).toBe(2003);
    expect(a.power).toBeCloseTo(b.power, 8);
    a.event.forEach((r: { mean_after_pretesting: number }, i: number) => expect(r.mean_after_pretesting).toBeCloseTo(b.event[i].mean_after_pretesting, 8));
  });

  it("exits 2 with a message on bad input", async () => {
    writeFileSync(file("nothing.json"), JSON.stringify({ coefficients: [] }));
    await exits2(["pretrends", "--from", file("nothing.json")], /has no event_vcov/);
    await exits2(["pretrends", "--from", file("hw.json"), "--delta", "0.1,0.2"], /delta has 2 entries; the event study has 7 coefficients/);
    await exits2(["pretrends", "--from", file("hw.json"), "--slope", "0.1", "--delta", "0,0,0,0,0,0,0"], /slope cannot be given with --delta/);
    await exits2(["pretrends", "--from", file("hw.json"), "--reference", "-5"], /no pre-period coefficients/);
    await exits2(["pretrends", file("p.csv"), "--formula", "y ~ i(year, D) | unit + year"], /give reference: the formula.s i\(\) term has no numeric ref/);
  });
});
