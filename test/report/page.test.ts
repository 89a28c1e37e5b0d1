// The demo report as a reader gets it (run through the CLI once): the page has a table of contents, and
// each analysis its notes, its files (only those that exist) and its command lines with working copy
// buttons; printed to PDF by Chromium on A4 and on Letter, no table is wider than the printable width;
// tables.tex numbers each caption once, writes ≤ ± × as math and no number in e-notation, turns the widest
// table's page, and compiles with pdflatex without an overfull box or any warning.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { figureLinks } from "../../bindings/report/html-analyses.js";
import { runCli } from "../../cli/program.js";
import { LAUNCH_ARGS, chromiumPath } from "../browser/harness.js";

const root = resolve(__dirname, "../..");
const out = mkdtempSync(join(tmpdir(), "didwasm-page-"));
const outputDir = join(root, "test-output", "report");

let html: string;
let tex: string;
let results: any;
let browser: Browser;

beforeAll(async () => {
  let err = "";
  const code = await runCli(["report", join(root, "examples", "smart-city.json"), "--out", out, "--quiet"], { out: () => {}, err: (t) => (err += t) });
  expect(code, err).toBe(0);
  html = readFileSync(join(out, "index.html"), "utf8");
  tex = readFileSync(join(out, "tables.tex"), "utf8");
  results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  browser = await chromium.launch({ executablePath: chromiumPath(), args: LAUNCH_ARGS });
  mkdirSync(outputDir, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe("the report page", () => {
  it("has a table of contents with every section, table and figure", () => {
    const toc = /<nav class="toc"[^]*?<\/nav>/.exec(html)![0];
    for (const s of results.sections) expect(toc).toContain(`<a href="#s${s.number}">`);
    const tables = [...html.matchAll(/<div class="block" id="table-(\d+)"/g)].map((m) => m[1]);
    const figures = [...html.matchAll(/<figure id="figure-(\d+)"/g)].map((m) => m[1]);
    expect(tables.length).toBeGreaterThanOrEqual(12);
    for (const n of tables) expect(toc).toContain(`<a href="#table-${n}">Table ${n}:`);
    for (const n of figures) expect(toc).toContain(`<a href="#figure-${n}">Figure ${n}:`);
  });

  it("shows each analysis with its notes, its JSON file and every command line with a copy button", () => {
    for (const s of results.sections) {
      s.analyses.forEach((a: any, i: number) => {
        const entry = new RegExp(`<div class="analysis" id="s${s.number}-a${i + 1}">(.*?)</div>\\n?(?=<div class="analysis"|</div>)`, "s").exec(html);
        expect(entry, `section ${s.number} analysis ${i + 1}`).not.toBeNull();
        const body = entry![0];
        for (const c of a.calls) {
          expect(body).toContain(`<code>${c.command_line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;")}</code><button type="button" class="copy" data-done="Copied" hidden>Copy</button>`);
          for (const n of c.result?.notes ?? []) expect(body).toContain(n.message.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&#39;"));
        }
        expect(body).toMatch(/<a href="json\/s\d+-\d+-\w+\.json">JSON<\/a>/);
      });
    }
    // PSM's warning is marked as one.
    expect(html).toMatch(/<li class="warning">Warning: 1 of 100 treated unit\(s\) dropped/);
  });

  it("links only files that exist: every relative link resolves, each analysis's JSON holds its calls", () => {
    const hrefs = [...html.matchAll(/href="([^"#][^"]*)"/g)].map((m) => m[1]);
    const figures = new Set([...html.matchAll(/id="figure-(\d+)"/g)].map((m) => m[1])).size;
    expect(figures).toBe(7);
    expect(hrefs.filter((h) => h.startsWith("figures/")).length).toBe(figures * 3 * 2); // SVG/PDF/PNG, under the figure and in its analysis
    for (const h of hrefs) expect(existsSync(join(out, h)), h).toBe(true);
    const es = JSON.parse(readFileSync(join(out, "json", "s3-1-eventstudy.json"), "utf8"));
    expect(es.calls[0].result).toEqual(results.sections[2].analyses[0].calls[0].result);
    // A figure block's links follow the files there are.
    const block = { kind: "figure", number: 3, caption: "Figure 3: Event study of y", title: "", svg: "", analyses: [0] } as const;
    expect(figureLinks(block, () => false)).toBe("");
    expect(figureLinks(block, (p) => p.endsWith(".pdf"))).toBe('<a href="figures/fig-3-event-study-of-y.pdf">PDF</a>');
  });

  it("has one inline script (the copy buttons) and fetches nothing; a copy button copies its command line", async () => {
    expect((html.match(/<script/g) ?? []).length).toBe(1);
    expect(html).not.toMatch(/<script[^>]*src=|https?:\/\/(?!www\.w3\.org)/);
    const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(pathToFileURL(join(out, "index.html")).href);
      const button = page.locator("#s3-a1 button.copy");
      await button.click();
      await page.waitForFunction(() => document.querySelector("#s3-a1 button.copy")?.getAttribute("data-copied") === "true");
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(results.sections[2].analyses[0].calls[0].command_line);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe("printed by Chromium", () => {
  // Printable width at 96 px per inch: the paper less the style sheet's 15 mm margins.
  const PAPERS = [
    { format: "A4", widthMm: 210, heightMm: 297 },
    { format: "Letter", widthMm: 215.9, heightMm: 279.4 },
  ] as const;
  for (const paper of PAPERS) {
    it(`to ${paper.format}: no table is wider than the printable width, and the PDF has ${paper.format} pages`, async () => {
      const page = await browser.newPage();
      try {
        await page.goto(pathToFileURL(join(out, "index.html")).href);
        const printable = Math.floor(((paper.widthMm - 30) / 25.4) * 96);
        // The print layout: print media at the printable width (what page.pdf lays out below).
        await page.emulateMedia({ media: "print" });
        await page.setViewportSize({ width: printable, height: 1200 });
        const tables = await page.evaluate(() =>
          [...document.querySelectorAll(".block")].map((b) => {
            const t = b.querySelector("table")!.getBoundingClientRect();
            return { id: b.id, left: t.left, right: t.right, width: t.width, overflow: b.scrollWidth - b.clientWidth };
          }),
        );
        expect(tables.length).toBeGreaterThanOrEqual(12);
        for (const t of tables) {
          expect(t.width, `${t.id} on ${paper.format}`).toBeLessThanOrEqual(printable);
          expect(t.left, t.id).toBeGreaterThanOrEqual(0);
          expect(t.right, t.id).toBeLessThanOrEqual(printable);
          expect(t.overflow, t.id).toBeLessThanOrEqual(0);
        }
        const pdf = await page.pdf({ format: paper.format, path: join(outputDir, `report-${paper.format}.pdf`) });
        const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf.toString("latin1"))!;
        // Chromium sizes A4 in hundredths of an inch (8.27 x 11.7 in): within 2 pt of the paper.
        expect(Math.abs(Number(box[1]) - (paper.widthMm / 25.4) * 72)).toBeLessThan(2);
        expect(Math.abs(Number(box[2]) - (paper.heightMm / 25.4) * 72)).toBeLessThan(2);
        expect((pdf.toString("latin1").match(/\/Type\s*\/Page\b/g) ?? []).length).toBeGreaterThan(5);
      } finally {
        await page.close();
      }
    }, 60_000);
  }
});

describe("tables.tex", () => {
  it("numbers each caption once (LaTeX's own numbering), writes math symbols and no e-notation, turns the widest table's page", () => {
    const captions = [...tex.matchAll(/\\caption\{([^}]*)\}/g)].map((m) => m[1]);
    expect(captions.length).toBeGreaterThanOrEqual(12);
    for (const c of captions) expect(c).not.toMatch(/^Table \d/);
    expect(tex).toContain("t $\\le$ $-$5 (binned)");
    expect(tex).toContain("t $\\ge$ +5 (binned)");
    expect(tex).toContain("beyond $\\pm$5 binned");
    expect(tex).toMatch(/Smart-city pilot \(DID\) \$\\times\$ Manufacturing agglomeration/);
    expect(tex).not.toMatch(/<=|>=|\+-|\d\.?\d*e-\d/);
    expect(tex).not.toContain("\\maketitle");
    // Table 7 (eight columns of robustness checks) goes on a landscape page.
    const landscape = [...tex.matchAll(/\\begin\{landscape\}[^]*?\\end\{landscape\}/g)].map((m) => m[0]).join("\n");
    expect(landscape).toContain("\\caption{Robustness: other policies, initial conditions, matching, sample years}");
  });

  it("compiles with pdflatex: no overfull box, no warning", () => {
    const dir = mkdtempSync(join(tmpdir(), "didwasm-tex-"));
    copyFileSync(join(out, "tables.tex"), join(dir, "tables.tex"));
    const has = spawnSync("sh", ["-c", "command -v pdflatex"]).status === 0;
    expect(has, "pdflatex is needed (Debian: apt-get install texlive-latex-base texlive-latex-extra; .ci/run installs them)").toBe(true);
    // Twice, as LaTeX needs for its labels; the second run's log is the one read.
    for (let i = 0; i < 2; i++) {
      const r = spawnSync("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "tables.tex"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
      expect(r.status, r.stdout.slice(-2000)).toBe(0);
    }
    const log = readFileSync(join(dir, "tables.log"), "utf8");
    expect(log.match(/Overfull \\[hv]box.*/g) ?? []).toEqual([]);
    expect(log.match(/(LaTeX|Package \w+) Warning.*/g) ?? []).toEqual([]);
    copyFileSync(join(dir, "tables.pdf"), join(outputDir, "tables.pdf"));
    writeFileSync(join(outputDir, "tables.log"), log);
  }, 120_000);
});
