// The study report end to end: the example spec through the CLI; every number in results.json equals
// the direct API call it records; the HTML has every section, table and figure; it renders in Chromium
// without errors; a spec with a missing column, an unknown analysis and an unestimable model still gives
// a complete report (errors shown in their sections) and exit status 1.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify as toYaml } from "yaml";
import { run } from "../../bindings/commands/run.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { addDerivedColumns } from "../../bindings/report/plan.js";
import { parseSpec } from "../../bindings/report/load.js";
import { runCli } from "../../cli/program.js";
import { LAUNCH_ARGS, chromiumPath } from "../browser/harness.js";

const root = resolve(__dirname, "../..");
const specPath = join(root, "examples", "smart-city.json");
const out = mkdtempSync(join(tmpdir(), "didwasm-report-"));
const outputDir = join(root, "test-output", "report");

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

let results: any;
let html: string;
let runCode: number;
let runErr: string;

beforeAll(async () => {
  const r = await cli(["report", specPath, "--out", out]);
  runCode = r.code;
  runErr = r.stderr;
  results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  html = readFileSync(join(out, "index.html"), "utf8");
}, 120_000);

describe("didwasm report on the example study", () => {
  it("completes with exit status 0 and progress on stderr", () => {
    expect(runCode, runErr).toBe(0);
    expect(runErr).toContain("report: wrote");
    expect(results.ok).toBe(true);
    expect(results.sections.length).toBe(10);
  });

  it("every number in results.json equals the direct API call", async () => {
    const spec = parseSpec(readFileSync(specPath, "utf8"), specPath);
    const frame = addDerivedColumns(readCsvFile(join(root, "data", "smart-city.csv")), spec);
    let calls = 0;
    for (const s of results.sections) {
      for (const a of s.analyses) {
        expect(a.error, `${s.title}: ${a.type}`).toBeNull();
        for (const c of a.calls) {
          expect(c.error, `${s.title}: ${c.command}`).toBeNull();
          const { timing_ms: _t, ...direct } = await run(c.command, frame, c.options);
          expect(direct, `${s.title}: ${c.command} ${c.role}`).toEqual(c.result);
          calls++;
        }
      }
    }
    expect(calls).toBeGreaterThanOrEqual(28);
  }, 120_000);

  it("the HTML has every section, numbered tables and inline SVG figures, and no error", () => {
    for (const s of results.sections) expect(html).toContain(`<h2>${s.number}. ${s.title.replace(/&/g, "&amp;")}</h2>`);
    const tables = [...html.matchAll(/<caption>Table (\d+):/g)].map((m) => Number(m[1]));
    expect(tables.length).toBeGreaterThanOrEqual(12);
    expect(tables).toEqual(tables.map((_, i) => i + 1));
    const figures = [...html.matchAll(/<figcaption>Figure (\d+):/g)].map((m) => Number(m[1]));
    expect(figures).toEqual([1, 2, 3, 4]);
    expect((html.match(/<svg /g) ?? []).length).toBe(figures.length);
    expect(html).not.toContain("Could not be estimated");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain("Methods and reproducibility");
    const tex = readFileSync(join(out, "tables.tex"), "utf8");
    expect((tex.match(/\\begin\{table\}/g) ?? []).length).toBe(tables.length);
  });

  it("renders in headless Chromium without errors (screenshot in test-output/report)", async () => {
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: LAUNCH_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(join(out, "index.html")).href);
      expect(await page.locator("section").count()).toBe(10);
      expect(await page.locator("figure svg").count()).toBe(4);
      mkdirSync(outputDir, { recursive: true });
      await page.screenshot({ path: join(outputDir, "report.png"), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests.every((u) => u.startsWith("file:"))).toBe(true);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe("a spec with problems still gives a whole report", () => {
  it("missing column, unknown analysis, unestimable model: errors in their sections, exit status 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "didwasm-badspec-"));
    const spec = {
      title: "Problems", data: join(root, "data", "smart-city.csv"), seed: 1,
      roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire", controls: ["lngdp"] },
      sections: [
        { title: "Fine", analyses: [{ type: "regression" }] },
        { title: "Missing column", analyses: [{ type: "regression", extra: ["no_such_column"] }] },
        { title: "Unknown analysis", analyses: [{ type: "eventstdy" }] },
        { title: "Cannot be estimated", analyses: [{ type: "regression", formula: "ire ~ east | city + year" }] },
      ],
    };
    const p = join(dir, "spec.yaml");
    writeFileSync(p, toYaml(spec));
    const r = await cli(["report", p, "--out", join(dir, "out"), "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("some analyses could not be computed");
    const page = readFileSync(join(dir, "out", "index.html"), "utf8");
    expect(page).toContain("<h2>1. Fine</h2>");
    expect(page).toMatch(/Could not be estimated<\/strong> \(regression\): unknown regressor &quot;no_such_column&quot;/);
    expect(page).toMatch(/unknown analysis &quot;eventstdy&quot; \(did you mean &quot;eventstudy&quot;\?\)/);
    expect(page).toMatch(/every regressor is collinear with the fixed effects/);
    const res = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8"));
    expect(res.ok).toBe(false);
    expect(res.sections[0].analyses[0].calls[0].error).toBeNull();
  });
  it("a spec that is not a study is refused with exit status 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "didwasm-badspec2-"));
    writeFileSync(join(dir, "a.json"), '{"title": "x", "data": "d.csv", "roles": {"unit": "u"}, "sections": []}');
    const r = await cli(["report", join(dir, "a.json"), "--out", join(dir, "out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("spec roles.time: a non-empty text is required");
    writeFileSync(join(dir, "b.json"), "{ nope");
    expect((await cli(["report", join(dir, "b.json")])).stderr).toContain("is not valid JSON");
  });
});

afterAll(() => undefined);
