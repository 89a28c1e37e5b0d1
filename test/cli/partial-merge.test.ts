// The command line of a split run: `--replicates A:B --out part.json` on each machine, then
// `didwasm merge part*.json`: the same output as one run (timing aside), and every wrong combination of
// parts refused with exit 2 and a message naming the problem. Also walks merge's own options.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { mergeOptions } from "../../cli/commands/merge.js";
import { runCli } from "../../cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-partial-"));
const file = (name: string) => join(dir, name);
const cols = generateSyntheticPanel({ units: 40, periods: 6, regressors: 2, seed: 3, weights: true, staggered: { cohorts: [2002, 2004], neverShare: 0.4, effect: 1 } });
const grp = Float64Array.from(cols.state as ArrayLike<number>, (s) => Number(s) % 2);
writeFileSync(file("p.csv"), toCsv({ ...cols, grp }));
// The same panel with one outcome changed: different data.
const y = Float64Array.from(cols.y as ArrayLike<number>);
y[5] += 1;
writeFileSync(file("q.csv"), toCsv({ ...cols, y, grp }));

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function ok(args: string[]) {
  const r = await cli(args);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

async function refused(args: string[], message: RegExp) {
  const r = await cli(args);
  expect(r.code, r.stdout).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const PLACEBO = ["placebo", file("p.csv"), "--formula", "y ~ treat + x1 | unit + year", "--treat", "treat", "--unit", "unit", "--time", "year", "--kind", "mixed", "--reps", "60"];
const BDIFF = ["bdiff", file("p.csv"), "--formula", "y ~ treat + x1 | unit + year", "--group", "grp", "--coef", "treat", "--reps", "30", "--seed", "2"];
const BOOT = ["boot", file("p.csv"), "--formula", "y ~ treat + x1 | unit + year", "--coef", "treat", "--cluster", "unit", "--reps", "99", "--seed", "2"];

/** Writes part files for the given ranges of a command line; returns their paths. */
async function partsOf(args: string[], ranges: string[], tag: string): Promise<string[]> {
  const paths: string[] = [];
  for (const [k, range] of ranges.entries()) {
    const path = file(`${tag}-${k}.json`);
    await ok([...args, "--replicates", range, "--out", path]);
    paths.push(path);
  }
  return paths;
}

const strip = (s: string) => JSON.stringify({ ...JSON.parse(s), timing_ms: 0 });

describe("split on the command line, merged == one run", () => {
  for (const [name, args, ranges] of [
    ["placebo", [...PLACEBO, "--seed", "1"], ["1:7", "8:50", "51:60"]],
    ["bdiff", BDIFF, ["21:30", "1:1", "2:20"]],
    ["boot", BOOT, ["1:33", "34:34", "35:99"]],
    ["synthdid", ["synthdid", file("p.csv"), "--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--vcov", "bootstrap", "--reps", "12", "--seed", "2"], ["1:5", "6:12"]],
  ] as Array<[string, string[], string[]]>) {
    it(name, async () => {
      const parts = await partsOf(args, ranges, name);
      const one = await ok([...args, "--json"]);
      const merged = await ok(["merge", ...parts, "--json"]);
      expect(strip(merged.stdout)).toBe(strip(one.stdout));
      expect(JSON.parse(merged.stdout)).toHaveProperty("timing_ms");
      // The text is the one run's text too.
      expect((await ok(["merge", ...parts])).stdout).toBe((await ok(args)).stdout);
    }, 60_000);
  }

  it("a part printed to standard output (no --out) is the same partial result", async () => {
    const [path] = await partsOf([...PLACEBO, "--seed", "1"], ["1:60"], "stdout");
    const printed = await ok([...PLACEBO, "--seed", "1", "--replicates", "1:60"]);
    expect(JSON.parse(printed.stdout)).toEqual(JSON.parse(readFileSync(path, "utf8")));
  });
});

describe("wrong parts and ranges: exit 2, the problem named", () => {
  const seed1 = [...PLACEBO, "--seed", "1"];
  it("a range outside --reps", async () => {
    await refused([...seed1, "--replicates", "50:61"], /replicates 50:61 lie outside this run's replicates 1:60/);
    await refused([...seed1, "--replicates", "0:10"], /--replicates must be a whole number at least 1/);
    await refused([...seed1, "--replicates", "9:3"], /--replicates must have lo <= hi/);
  });
  it("no seed, or options that cannot apply to a part", async () => {
    await refused([...PLACEBO, "--replicates", "1:10"], /--replicates needs --seed/);
    await refused([...seed1, "--replicates", "1:10", "--json"], /--json does not apply with --replicates/);
    await refused([...seed1, "--replicates", "1:10", "--plot", file("x.svg")], /--plot does not apply with --replicates/);
    await refused([...seed1, "--replicates", "1:10", "--workers", "1"], /--workers does not apply with --replicates/);
  });
  it("parts of different seeds, data, commands; overlaps and gaps; edited and foreign files", async () => {
    const [a, b] = await partsOf(seed1, ["1:30", "31:60"], "ok");
    const [b2] = await partsOf([...PLACEBO, "--seed", "2"], ["31:60"], "seed2");
    await refused(["merge", a, b2], /were run with different options: seed 1 vs 2/);
    const [bq] = await partsOf([...seed1.slice(0, 1), file("q.csv"), ...seed1.slice(2)], ["31:60"], "q");
    await refused(["merge", a, bq], /were computed on different data/);
    const [bd] = await partsOf(BDIFF, ["1:30"], "bd");
    await refused(["merge", a, bd], /is a placebo run and .* a bdiff run/);
    const [over] = await partsOf(seed1, ["25:60"], "over");
    await refused(["merge", a, over], /replicates overlap: .*over-0.json holds 25:60 and .*ok-0.json holds 1:30/);
    const [gap] = await partsOf(seed1, ["41:60"], "gap");
    await refused(["merge", a, gap], /replicates 31:40 are in no part \(60 replicates in all\)/);
    await refused(["merge", a], /replicates 31:60 are in no part/);
    const edited = JSON.parse(readFileSync(b, "utf8"));
    edited.options.seed = 7;
    writeFileSync(file("edited.json"), JSON.stringify(edited));
    await refused(["merge", a, file("edited.json")], /edited.json was edited or is damaged/);
    writeFileSync(file("result.json"), (await ok([...seed1, "--json"])).stdout);
    await refused(["merge", a, file("result.json")], /result.json is not a didwasm partial result/);
    writeFileSync(file("broken.json"), "{");
    await refused(["merge", a, file("broken.json")], /broken.json is not valid JSON/);
    await refused(["merge", file("missing.json")], /partial result not found: .*missing.json/);
  }, 60_000);
});

describe("merge: every option acts or is refused", () => {
  const probes: Record<string, () => Promise<void>> = {
    json: async () => {
      const [a] = await partsOf([...PLACEBO, "--seed", "1"], ["1:60"], "j");
      const text = (await ok(["merge", a])).stdout;
      expect(() => JSON.parse(text)).toThrow();
      expect(JSON.parse((await ok(["merge", a, "--json"])).stdout)).toHaveProperty("p_two");
    },
    plot: async () => {
      const [a] = await partsOf([...PLACEBO, "--seed", "1"], ["1:60"], "pl");
      await ok(["merge", a, "--plot", file("m.svg")]);
      await ok([...PLACEBO, "--seed", "1", "--plot", file("one.svg")]);
      expect(readFileSync(file("m.svg"), "utf8")).toBe(readFileSync(file("one.svg"), "utf8"));
      await refused(["merge", a, "--plot", file("m.jpg")], /--plot writes .svg, .pdf, .png files/);
      const [bd] = await partsOf(BDIFF, ["1:30"], "plbd");
      await refused(["merge", bd, "--plot", file("bd.svg")], /--plot: bdiff results have no figure/);
    },
    plotSize: async () => {
      const [a] = await partsOf([...PLACEBO, "--seed", "1"], ["1:60"], "ps");
      await ok(["merge", a, "--plot", file("s.svg"), "--plot-size", "single"]);
      expect(readFileSync(file("s.svg"), "utf8")).toMatch(/^<svg [^>]*width="3.5in"/);
      await refused(["merge", a, "--plot-size", "single"], /--plot-size applies only with --plot/);
    },
    out: async () => {
      const [a] = await partsOf([...PLACEBO, "--seed", "1"], ["1:60"], "o");
      const r = await ok(["merge", a, "--json", "--out", file("merged.json")]);
      expect(r.stdout).toBe("");
      expect(JSON.parse(readFileSync(file("merged.json"), "utf8"))).toHaveProperty("draws");
      await refused(["merge", a, "--out", dir], /--out .* is a directory/);
    },
  };
  it("a probe for each option", () => expect(Object.keys(probes).sort()).toEqual(Object.keys(mergeOptions).sort()));
  for (const [k, probe] of Object.entries(probes)) it(`merge --${k}`, probe, 60_000);
});
