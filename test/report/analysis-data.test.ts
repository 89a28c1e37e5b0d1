// An analysis with its own data file (`data` in the analysis, relative to the spec like the spec's data):
// it runs on that file (a firm-level column beside city-level ones in one regression table), its command
// line names that file and replays to the same JSON, derived columns of that file go to a copy of their
// own, and a missing file, a file outside the spec's folder or a column the file lacks is a spec problem
// at that analysis, listed before anything runs (exit status 2).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCommandByName } from "../../bindings/commands/run.js";
import { csvRows } from "../../bindings/data/csv-write.js";
import { generateSmartCityFirms } from "../../bindings/data/demo/smart-city-firms.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { runCli } from "../../cli/program.js";

const root = resolve(__dirname, "../..");
const cityCsv = join(root, "examples", "smart-city.csv");

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A study folder with the city panel (panel.csv) and the firm panel (firms.csv), and a spec in it. */
function study(analyses: unknown[], name = "spec.json"): { dir: string; spec: string } {
  const dir = mkdtempSync(join(tmpdir(), "didwasm-analysis-data-"));
  made.push(dir);
  copyFileSync(cityCsv, join(dir, "panel.csv"));
  const firms = generateSmartCityFirms();
  writeFileSync(join(dir, "firms.csv"), csvRows(firms, 0, firms.firm.length));
  const spec = {
    title: "Own data", data: "panel.csv", seed: 1,
    roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire", controls: ["lngdp"], cluster: "city" },
    sections: [{ title: "Robustness", analyses }],
  };
  writeFileSync(join(dir, name), JSON.stringify(spec));
  return { dir, spec: join(dir, name) };
}

const FIRM = { type: "regression", label: "Firm innovation subsidy", data: "firms.csv", outcome: "subsidy", controls: ["firm_size"], fixef: ["firm", "year"] };

function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]);
  return words;
}

describe("an analysis's own data file", () => {
  it("is the data it runs on: one table, a city column and a firm column with its own N; its command line names the file and replays", async () => {
    const { dir, spec } = study([{ type: "regression", label: "City" }, FIRM]);
    const r = await cli(["report", spec, "--out", join(dir, "out"), "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8"));
    const [city, firm] = res.sections[0].analyses;
    expect(city.data).toBeUndefined();
    expect(firm.data).toBe("firms.csv");
    const call = firm.calls[0];
    // The file as the command line names it (relative to the working directory where it can be).
    expect(resolve(shellWords(call.command_line)[2])).toBe(join(dir, "firms.csv"));
    expect(call.command_line).not.toContain("panel.csv");
    expect(call.options.formula).toBe("subsidy ~ did + firm_size | firm + year");
    const firmRows = readCsvFile(join(dir, "firms.csv")).nrow;
    expect(call.result.nobs).toBe(firmRows);
    expect(city.calls[0].result.nobs).toBeLessThan(4000);
    // The same numbers as the command on the firm file, and as its command line.
    const { timing_ms: _t, ...direct } = await runCommandByName("fit", readCsvFile(join(dir, "firms.csv")), call.options);
    expect(direct).toEqual(call.result);
    const replay = await cli([...shellWords(call.command_line).slice(1), "--json"]);
    expect(replay.code, replay.stderr).toBe(0);
    const { timing_ms: _t2, ...json } = JSON.parse(replay.stdout);
    expect(json).toEqual(call.result);
    // One regression table: both columns, the firm FE row, both Ns.
    // (Header cells wrap: "Firm innovation \\ subsidy".)
    const tex = readFileSync(join(dir, "out", "tables.tex"), "utf8").replace(/ \\\\ /g, " ");
    expect((tex.match(/\\begin\{table\}/g) ?? []).length).toBe(1);
    expect(tex).toContain("Firm innovation subsidy");
    expect(tex).toMatch(/firm FE & No & Yes/);
    expect(tex).toContain(`N & ${city.calls[0].result.nobs} & ${firmRows}`);
    const html = readFileSync(join(dir, "out", "index.html"), "utf8");
    expect(html).toContain("firms.csv");
  }, 120_000);

  it("gets its own copy with the derived columns, which its command line names", async () => {
    const { dir, spec } = study([{ ...FIRM, label: "Trend", trends: ["firm_size"], controls: false }]);
    const r = await cli(["report", spec, "--out", join(dir, "out"), "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const call = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8")).sections[0].analyses[0].calls[0];
    expect(call.command_line).toContain("data-derived-firms.csv");
    expect(existsSync(join(dir, "out", "data-derived.csv"))).toBe(false); // the city panel derives nothing
    const copy = readCsvFile(join(dir, "out", "data-derived-firms.csv"));
    expect(copy.has("firm_size_initial_x_trend")).toBe(true);
    const replay = await cli([...shellWords(call.command_line).slice(1), "--json"]);
    expect(replay.code, replay.stderr).toBe(0);
    const { timing_ms: _t, ...json } = JSON.parse(replay.stdout);
    expect(json).toEqual(call.result);
  }, 120_000);

  it("a missing file, a file outside the spec's folder, a special file: problems at the analysis, exit status 2, nothing written", async () => {
    const { dir, spec } = study([{ type: "regression" }, { ...FIRM, data: "nope.csv" }, { ...FIRM, data: "../outside.csv" }, { ...FIRM, data: "/dev/zero" }]);
    const r = await cli(["report", spec, "--out", join(dir, "out"), "--quiet", "--allow-outside-data"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`sections[0].analyses[1].data: cannot read "nope.csv": file not found (looked for ${join(dir, "nope.csv")})`);
    expect(r.stderr).toContain('sections[0].analyses[2].data: cannot read "../outside.csv": file not found');
    expect(r.stderr).toContain('sections[0].analyses[3].data: "/dev/zero" is not a regular file');
    expect(existsSync(join(dir, "out"))).toBe(false);
    const outside = study([{ ...FIRM, data: "../x.csv" }]);
    copyFileSync(join(outside.dir, "firms.csv"), join(outside.dir, "..", "x.csv"));
    const o = await cli(["report", outside.spec, "--out", join(outside.dir, "out"), "--quiet"]);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/sections\[0\]\.analyses\[0\]\.data: "\.\.\/x\.csv" is outside the spec's folder/);
  });

  it("a column the file lacks is the analysis's problem, named with the file", async () => {
    const { dir, spec } = study([{ type: "regression", data: "firms.csv", fixef: ["firm", "year"] }, { ...FIRM, extra: ["lngdp"] }]);
    const r = await cli(["report", spec, "--out", join(dir, "out"), "--quiet"]);
    expect(r.code).toBe(2);
    // The roles' outcome and controls are city columns: the firm file lacks them.
    expect(r.stderr).toMatch(/sections\[0\]\.analyses\[0\]: no column "ire" in its data firms\.csv .*\(named by roles\.outcome\)/);
    expect(r.stderr).toMatch(/sections\[0\]\.analyses\[0\]: no column "lngdp" in its data firms\.csv .*\(named by roles\.controls\)/);
    expect(r.stderr).toContain('sections[0].analyses[1].extra: no column "lngdp" in its data firms.csv');
    expect(r.stderr).not.toContain("roles.outcome:");
  });

  it("is text: a spec with a non-text data key is refused", async () => {
    const { dir, spec } = study([{ ...FIRM, data: 3 }]);
    const r = await cli(["report", spec, "--out", join(dir, "out"), "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("sections[0].analyses[0].data: a non-empty text is required");
  });
});
