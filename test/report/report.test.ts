// The study report end to end: the example spec through the CLI; every number in results.json equals
// the direct API call it records, and the command line shown for it gives the same JSON; the HTML has every
// section, table and figure; it renders in Chromium without errors; a spec is checked whole against the
// data first (every problem listed, exit 2), while an analysis that fails on the data is shown in its
// section (exit 1); data paths stay in the spec's folder unless allowed.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify as toYaml } from "yaml";
import { runCommandByName } from "../../bindings/commands/run.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { COPY_SCRIPT } from "../../bindings/report/html-analyses.js";
import { addDerivedColumns } from "../../bindings/report/plan.js";
import { parseSpec } from "../../bindings/report/load.js";
import { runCli } from "../../cli/program.js";
import { unzip } from "../helpers/zip.js";
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
    expect(results.sections.length).toBe(JSON.parse(readFileSync(specPath, "utf8")).sections.length);
  });

  it("every number in results.json equals the direct API call", async () => {
    const spec = parseSpec(readFileSync(specPath, "utf8"), specPath);
    const frame = addDerivedColumns(readCsvFile(join(root, "examples", "smart-city.csv")), spec);
    // An analysis with its own data file (the firm-level column) is called on that file.
    const own = (data: string) => addDerivedColumns(readCsvFile(join(root, "examples", data)), spec, data);
    let calls = 0;
    for (const s of results.sections) {
      for (const a of s.analyses) {
        expect(a.calls.length, `${s.title}: ${a.type}`).toBeGreaterThan(0);
        for (const c of a.calls) {
          expect(c.error, `${s.title}: ${c.command}`).toBeNull();
          const { timing_ms: _t, ...direct } = await runCommandByName(c.command, a.data ? own(a.data) : frame, c.options);
          expect(direct, `${s.title}: ${c.command} ${c.role}`).toEqual(c.result);
          calls++;
        }
      }
    }
    expect(calls).toBeGreaterThanOrEqual(27); // the demo spec makes 27 calls
  }, 120_000);

  it("the HTML has every section, numbered tables and inline SVG figures, and no error", () => {
    for (const s of results.sections) expect(html).toContain(`<h2>${s.number}. ${s.title.replace(/&/g, "&amp;")}</h2>`);
    const tables = [...html.matchAll(/<caption>Table (\d+):/g)].map((m) => Number(m[1]));
    expect(tables.length).toBeGreaterThanOrEqual(12);
    expect(tables).toEqual(tables.map((_, i) => i + 1));
    const figures = [...html.matchAll(/<figcaption>Figure (\d+):/g)].map((m) => Number(m[1]));
    // event study, placebo, Bacon, compare, HonestDiD, pretrends, PSM
    expect(figures).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((html.match(/<svg /g) ?? []).length).toBe(figures.length);
    expect(html).not.toContain("Could not be estimated");
    // Self-contained: nothing fetched (no src=, no URL but SVG's namespace), and the one script is the
    // copy buttons' handler, inline and verbatim.
    expect(html).not.toMatch(/\ssrc=|https?:\/\/(?!www\.w3\.org)/);
    expect(html.match(/<script[\s\S]*?<\/script>/g)).toEqual([COPY_SCRIPT]);
    expect(html).toContain("Methods and reproducibility");
    const tex = readFileSync(join(out, "tables.tex"), "utf8");
    expect((tex.match(/\\begin\{table\}/g) ?? []).length).toBe(tables.length);
  });

  it("the robustness table (the paper's Table 6) ends with the firm-level column, in HTML, LaTeX and Word", () => {
    const section = results.sections.find((s: any) => s.title.startsWith("Robustness"));
    const firm = section.analyses.at(-1);
    expect(firm).toMatchObject({ type: "regression", label: "Firm innovation subsidy", data: "smart-city-firms.csv" });
    const n = firm.calls[0].result.nobs;
    const cityN = section.analyses[0].calls[0].result.nobs;
    expect(n).toBeGreaterThan(5 * cityN); // 2,000 firms against 284 cities
    // LaTeX: one table, the column last, with its N, its fixed-effect rows and its t statistic.
    const tex = readFileSync(join(out, "tables.tex"), "utf8").replace(/ \\\\ /g, " ");
    const start = tex.indexOf(`\\caption{${section.title}}`);
    const table = tex.slice(start, tex.indexOf("\\end{table}", start));
    expect(table).toMatch(/Firm innovation subsidy\}?\\end\{tabular\} \\\\\n|Firm innovation subsidy \\\\\n/);
    expect(table).toContain(`N & ${cityN} & `);
    expect(table).toMatch(new RegExp(`& ${n} \\\\\\\\`));
    expect(table).toMatch(/City FE( & Yes){6} & No/);
    expect(table).toMatch(/Firm FE( & No){6} & Yes/);
    const did = firm.calls[0].result.coefficients.find((c: any) => c.term === "did");
    expect(table).toContain(`(${did.statistic.toFixed(3)})`);
    // The page and the Word tables.
    expect(html).toMatch(/<th scope="col"[^>]*>Firm innovation subsidy<\/th>/);
    expect(html).toMatch(new RegExp(`<td[^>]*>${n}</td>`));
    const xml = unzip(readFileSync(join(out, "tables.docx"))).get("word/document.xml")!.toString("utf8");
    const words = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("|");
    expect(words).toContain("Firm innovation subsidy");
    expect(words).toContain(`|${n}|`);
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
      expect(await page.locator("section").count()).toBe(results.sections.length);
      expect(await page.locator("figure svg").count()).toBe(7);
      mkdirSync(outputDir, { recursive: true });
      await page.screenshot({ path: join(outputDir, "report.png"), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests.every((u) => u.startsWith("file:"))).toBe(true);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe("each analysis shows the command line that reproduces it", () => {
  it("the page lists one command line per call, and running them gives the same JSON", async () => {
    const calls = results.sections.flatMap((s: any) => s.analyses.flatMap((a: any) => a.calls));
    expect(calls.every((c: any) => typeof c.command_line === "string" && c.command_line.startsWith(`didwasm ${c.command} `))).toBe(true);
    for (const c of calls) expect(html).toContain(c.command_line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"));
    // Replay a regression, the event study, the placebo, the trend model (which reads the derived data) and
    // the firm-level model (which reads its own data file) through the CLI.
    const pick = [
      calls.find((c: any) => c.command === "fit" && c.command_line.includes("examples/smart-city-firms.csv")),
      calls.find((c: any) => c.command === "fit"),
      calls.find((c: any) => c.command === "eventstudy"),
      calls.find((c: any) => c.command === "placebo"),
      calls.find((c: any) => c.command === "fit" && JSON.stringify(c.options).includes("_initial_x_trend")),
    ];
    for (const c of pick) {
      const args = shellWords(c.command_line).slice(1);
      const r = await cli([...args, "--json"]);
      expect(r.code, `${c.command_line}\n${r.stderr}`).toBe(0);
      const { timing_ms: _t, ...json } = JSON.parse(r.stdout);
      expect(json).toEqual(c.result);
    }
  }, 120_000);
});

/** Words of a POSIX command line as the report quotes them ('...' with '\'' for a quote). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]);
  return words;
}

describe("a spec is checked whole, against the data, before anything runs", () => {
  const data = join(root, "examples", "smart-city.csv");
  function specIn(dir: string, spec: Record<string, unknown>, name = "spec.yaml"): string {
    copyFileSync(data, join(dir, "panel.csv"));
    const p = join(dir, name);
    writeFileSync(p, name.endsWith(".json") ? JSON.stringify(spec) : toYaml(spec));
    return p;
  }
  const base = {
    title: "Problems", data: "panel.csv", seed: 1,
    roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire", controls: ["lngdp"] },
  };

  it("every problem is listed with its path, exit status 2, nothing written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "didwasm-badspec-"));
    const p = specIn(dir, {
      ...base,
      sections: [
        { title: "Fine", analyses: [{ type: "regression" }] },
        { title: "Missing column", analyses: [{ type: "regression", extra: ["no_such_column"] }] },
        { title: "Unknown analysis", analyses: [{ type: "event_study" }] },
        { title: "Bad values", analyses: [{ type: "eventstudy", bin: "x", windw: [-3, 3] }, { type: "placebo", kind: "space", reps: 0 }] },
        { title: "Refused", analyses: [{ type: "csdid", estMethod: "tmle" }] },
      ],
    });
    const r = await cli(["report", p, "--out", join(dir, "out"), "--quiet"]);
    expect(r.code, r.stderr).toBe(2);
    for (const line of [
      'sections[2].analyses[0].type: unknown analysis "event_study" (did you mean "eventstudy"?)',
      "sections[3].analyses[0].bin: must be a whole number",
      'sections[3].analyses[0].windw: unknown key for a eventstudy analysis (did you mean "window"?)',
      "sections[3].analyses[1].reps: must be a whole number at least 1",
      "sections[4].analyses[0].estMethod: must be one of dr, dr-imp, ipw, reg",
    ]) expect(r.stderr).toContain(line);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("a wrong role is one problem, at the role, not a failure of every analysis", async () => {
    const dir = mkdtempSync(join(tmpdir(), "didwasm-badrole-"));
    const p = specIn(dir, { ...base, roles: { ...base.roles, outcome: "IRE" }, sections: [{ title: "A", analyses: [{ type: "regression" }, { type: "eventstudy" }, { type: "sunab" }] }] });
    const r = await cli(["report", p, "--out", join(dir, "out"), "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has 1 problem:\n  roles.outcome: no column "IRE" in the data (did you mean "ire"?)');
    const p2 = specIn(dir, { ...base, sections: [{ title: "A", analyses: [{ type: "regression", extra: ["no_such_column"] }] }] }, "s2.json");
    const r2 = await cli(["report", p2, "--out", join(dir, "out"), "--quiet"]);
    expect(r2.stderr).toContain('sections[0].analyses[0].extra: no column "no_such_column" in the data');
  });

  it("an analysis that fails on the data is shown in its section: the report is written, exit status 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "didwasm-fails-"));
    const p = specIn(dir, { ...base, sections: [{ title: "Fine", analyses: [{ type: "regression" }] }, { title: "Cannot be estimated", analyses: [{ type: "regression", formula: "ire ~ east | city + year" }] }] });
    const r = await cli(["report", p, "--out", join(dir, "out"), "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("some analyses could not be computed");
    const page = readFileSync(join(dir, "out", "index.html"), "utf8");
    expect(page).toContain("<h2>1. Fine</h2>");
    expect(page).toMatch(/every regressor is collinear with the fixed effects/);
    const res = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8"));
    expect(res.ok).toBe(false);
    expect(res.sections[0].analyses[0].calls[0].error).toBeNull();
  });

  it("data paths resolve against the spec's folder and may not leave it unless allowed; special files are refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "didwasm-paths-"));
    const sub = join(dir, "study");
    mkdirSync(sub);
    copyFileSync(data, join(dir, "outside.csv"));
    const spec = { ...base, data: "../outside.csv", sections: [{ title: "A", analyses: [{ type: "regression" }] }] };
    writeFileSync(join(sub, "s.json"), JSON.stringify(spec));
    const r = await cli(["report", join(sub, "s.json"), "--out", join(dir, "out"), "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is outside the spec's folder");
    expect((await cli(["report", join(sub, "s.json"), "--out", join(dir, "out"), "--quiet", "--allow-outside-data"])).code).toBe(0);
    for (const target of ["/etc/shadow", "/etc/passwd", "/dev/zero"]) {
      writeFileSync(join(sub, "t.json"), JSON.stringify({ ...spec, data: target }));
      const t = await cli(["report", join(sub, "t.json"), "--out", join(dir, "out2"), "--quiet", "--allow-outside-data"]);
      expect(t.code, t.stderr).toBe(2);
      expect(t.stderr).not.toMatch(/root:|daemon:|\$6\$/); // nothing of the file's content
      expect(t.stderr.length).toBeLessThan(600);
    }
  });

  it("a spec that is not a study is refused with exit status 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "didwasm-badspec2-"));
    writeFileSync(join(dir, "a.json"), '{"title": "x", "data": "d.csv", "roles": {"unit": "u"}, "sections": []}');
    const r = await cli(["report", join(dir, "a.json"), "--out", join(dir, "out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("roles.time: a non-empty text is required");
    expect(r.stderr).toContain("sections: must be a non-empty list");
    writeFileSync(join(dir, "b.json"), "{ nope");
    expect((await cli(["report", join(dir, "b.json")])).stderr).toContain("is not valid JSON");
  });
});

afterAll(() => undefined);
