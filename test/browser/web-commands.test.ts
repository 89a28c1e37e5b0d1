// The web tool's issue-16 features in Chromium: every CLI command in the analysis menu; PSM-DID with its
// balance table, the wild bootstrap, logit and describe run through the interface, each equal to the CLI
// run from the command line the page shows; pickers that offer only sensible columns; the multi-column
// regression table and its LaTeX equal to `didwasm table` on the columns' JSON; a 300 dpi PNG of a figure;
// and the command line wrapped only at spaces.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../cli/program.js";
import { parseCsv } from "../../bindings/data/csv.js";
import { summarizeColumns } from "../../bindings/web-worker/summary.js";
import { ANALYSES, suits } from "../../web/src/analyses.js";
import { fmtNum, fmtP } from "../../web/src/format.js";
import { conformanceDir } from "../helpers/conformance.js";
import { cliJson, withoutTiming } from "../helpers/cli-json.js";
import { shellWords } from "../helpers/shell-words.js";
import { unzip } from "../helpers/zip.js";
import { openTool, outputDir, root, startHarness, type Harness } from "./harness.js";

const city = join(root, "examples", "smart-city.csv");
const castle = join(conformanceDir, "data", "castle.csv");
type Json = Record<string, any>;

let h: Harness;
const work = mkdtempSync(join(tmpdir(), "didwasm-webcmd-"));
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
  rmSync(work, { recursive: true, force: true });
});

async function openDemo(page: Page): Promise<void> {
  await page.click("#load-demo");
  await page.waitForSelector(".data-view");
}

async function runAndWait(page: Page, command: string): Promise<void> {
  const before = Number(await page.evaluate(() => document.body.dataset.runs ?? 0));
  await page.click("#run");
  await page.waitForFunction(([c, n]) => Number(document.body.dataset.runs ?? 0) > (n as number) && !!document.querySelector(`.result[data-command="${c}"]`), [command, before] as const, { timeout: 30_000 });
}

async function download(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
}

/** The CLI's output for the command line the page shows (its data file name replaced by the file's path). */
async function cliOfShown(page: Page, file: string, extra: string[] = []): Promise<string> {
  const words = shellWords((await page.textContent("#result-cli"))!);
  expect(words.slice(0, 2)).toEqual(["npx", "didwasm"]);
  const args = [...words.slice(2)];
  args[1] = file;
  let out = "";
  let err = "";
  const code = await runCli([...args, ...extra], { out: (t) => (out += t), err: (t) => (err += t) });
  expect(code, err).toBe(0);
  return out;
}

/** The page's JSON download equals the CLI's --json for the command line the page shows. */
async function expectJsonEqualsCli(page: Page, file: string): Promise<Json> {
  const page_ = JSON.parse((await download(page, "#dl-json")).bytes.toString("utf8")) as Json;
  const cli = JSON.parse(await cliOfShown(page, file, ["--json"])) as Json;
  expect(withoutTiming(page_)).toEqual(withoutTiming(cli));
  return cli;
}

describe("the web tool offers every command of the CLI", () => {
  it("lists each registered command in the analysis menu", async () => {
    const { page, errors } = await openTool(h);
    const offered = await page.$$eval("#analysis option", (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(ANALYSES.map((a) => a.command));
    for (const c of ["psm", "boot", "logit", "describe"]) expect(offered).toContain(c);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("PSM-DID: the balance table and the matched DID, as the CLI computes them", async () => {
    const { page, errors } = await openTool(h);
    await openDemo(page);
    await page.selectOption("#analysis", "psm");
    await runAndWait(page, "psm");
    const cli = await expectJsonEqualsCli(page, city);
    expect(await page.getAttribute("#result-table", "data-table")).toBe("balance");
    const rows = await page.$$eval("#result-table tbody tr", (trs) => trs.length);
    expect(rows).toBe(2 * cli.balance.length);
    const bias = await page.$$eval('#result-table td[data-key="bias"]', (tds) => tds.map((td) => Number((td as HTMLElement).dataset.value)));
    expect(bias).toEqual(cli.balance.flatMap((b: Json) => [b.bias_before, b.bias_after]));
    expect(await page.textContent('[data-stat="did"] .stat-value')).toContain(fmtNum(cli.did.coefficients[0].estimate));
    expect(await page.locator("#result-figure svg").count()).toBe(1);
    await page.screenshot({ path: join(outputDir, "10-psm.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("wild cluster bootstrap, logit and describe run through the interface as on the command line", async () => {
    const { page, errors } = await openTool(h);
    await openDemo(page);
    await page.selectOption("#analysis", "boot");
    await page.fill("#f-reps", "199");
    await runAndWait(page, "boot");
    const boot = await expectJsonEqualsCli(page, city);
    expect(await page.textContent('[data-stat="p_value"] .stat-value')).toBe(fmtP(boot.p_value));
    expect(await page.isChecked("#f-imposeNull")).toBe(true); // default on, shown on
    expect(await page.textContent("#result-cli")).not.toContain("impose-null");

    await page.selectOption("#analysis", "logit");
    expect(await page.inputValue("#f-formula")).toMatch(/^east ~ did \+ lngdp/);
    await runAndWait(page, "logit");
    const logit = await expectJsonEqualsCli(page, city);
    const shown = await page.$$eval('#result-table td[data-key="estimate"]', (tds) => tds.map((td) => Number((td as HTMLElement).dataset.value)));
    expect(shown).toEqual(logit.coefficients.map((c: Json) => c.estimate));

    // A command registered after the page was written (fepois): its form, run, and coefficient table.
    if (ANALYSES.some((x) => x.command === "fepois")) {
      await page.selectOption("#analysis", "fepois");
      await runAndWait(page, "fepois");
      const pois = await expectJsonEqualsCli(page, city);
      const est = await page.$$eval('#result-table td[data-key="estimate"]', (tds) => tds.map((td) => Number((td as HTMLElement).dataset.value)));
      expect(est).toEqual(pois.coefficients.map((c: Json) => c.estimate));
    }

    await page.selectOption("#analysis", "describe");
    await page.click('#f-vars .chip[data-column="ire"]');
    await page.click('#f-vars .chip[data-column="lngdp"]');
    await page.selectOption("#f-by", "east");
    await page.fill("#f-percentiles", "25,50,75");
    await runAndWait(page, "describe");
    await expectJsonEqualsCli(page, city);
    const tex = (await download(page, "#dl-latex")).bytes.toString("utf8");
    expect(tex).toBe(await cliOfShown(page, city, ["--format", "latex"]));
    const docx = unzip((await download(page, "#dl-docx")).bytes).get("word/document.xml")!.toString("utf8");
    expect(docx).toContain("<w:tbl>");
    expect(docx).toContain(">lngdp<");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("pickers offer only the columns that suit the role", async () => {
    const { page, errors } = await openTool(h);
    await page.setInputFiles("#file-input", castle);
    await page.waitForFunction(() => document.querySelector("#data-status .file")?.textContent === "castle.csv");
    const columns = summarizeColumns(parseCsv(readFileSync(castle, "utf8")));
    const options = (sel: string) => page.$$eval(`${sel} option`, (os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ""));
    await page.selectOption("#analysis", "eventstudy");
    await page.selectOption("#f-y", "");
    expect(await options("#f-y")).toEqual(columns.filter((c) => suits("numeric", c)).map((c) => c.name));
    expect(await options("#f-y")).not.toContain("state");
    await page.selectOption("#f-unit", "");
    expect(await options("#f-unit")).toEqual(columns.filter((c) => suits("id", c)).map((c) => c.name));
    expect(await options("#f-unit")).toContain("state");
    expect(await options("#f-unit")).not.toContain("l_homicide");
    await page.selectOption("#analysis", "bdiff");
    await page.selectOption("#f-group", "");
    const groups = await options("#f-group");
    expect(groups).toEqual(columns.filter((c) => suits("binary", c)).map((c) => c.name));
    expect(groups).toContain("post");
    const chips = await page.$$eval("#f-_fe .chip", (cs) => cs.map((c) => (c as HTMLElement).dataset.column));
    expect(chips).not.toContain("l_homicide");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("the multi-column regression table", () => {
  it("collects runs as columns; its LaTeX is what `didwasm table` writes from the columns' JSON", async () => {
    const { page, errors } = await openTool(h);
    await openDemo(page);
    await runAndWait(page, "fit");
    await page.click("#add-to-table");
    await page.fill("#f-formula", "ire ~ did | city + year");
    await runAndWait(page, "fit");
    await page.click("#add-to-table");
    expect(await page.textContent("#tab-table")).toBe("Table (2)");
    await page.click("#tab-table");
    await page.selectOption("#mt-statistic", "t");
    await page.fill("#mt-titles", "Controls,No controls");
    await page.press("#mt-titles", "Tab");
    await page.waitForFunction(() => document.querySelector("#model-table thead")?.textContent?.includes("No controls"));
    const heads = await page.$$eval("#model-table thead tr:first-child th", (ths) => ths.map((t) => t.textContent));
    expect(heads.slice(1)).toEqual(["Controls", "No controls"]);
    // Save both columns' JSON as the page names them, then run the command line the page shows.
    const files: string[] = [];
    for (const i of [0, 1]) {
      const d = await download(page, `#mt-entries [data-json="${i}"]`);
      writeFileSync(join(work, d.name), d.bytes);
      files.push(d.name);
    }
    const line = (await page.textContent("#mt-cli"))!;
    const words = shellWords(line);
    expect(words.slice(0, 5)).toEqual(["npx", "didwasm", "table", ...files]);
    let out = "";
    const code = await runCli([...words.slice(2, 3), ...files.map((f) => join(work, f)), ...words.slice(5)], { out: (t) => (out += t), err: () => {} });
    expect(code).toBe(0);
    const tex = (await download(page, "#mt-latex")).bytes.toString("utf8");
    expect(tex).toBe(out);
    expect(tex).toContain("Controls & No controls");
    // Word: a real table in the document, the same cells as the LaTeX (the t statistics in parentheses).
    const word = await download(page, "#mt-docx");
    expect(word.name).toBe("regression-table.docx");
    const xml = unzip(word.bytes).get("word/document.xml")!.toString("utf8");
    expect(xml).toContain("<w:tbl>");
    const runs = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("|");
    expect(runs).toContain("No controls");
    const first = JSON.parse(readFileSync(join(work, files[0]), "utf8")) as Json;
    const did = (first.coefficients as Json[]).find((c) => c.term === "did")!;
    expect(did.statistic).toBeGreaterThan(0);
    expect(tex).toContain(`(${did.statistic.toFixed(3)})`);
    expect(runs).toContain(`(${did.statistic.toFixed(3)})`);
    await page.screenshot({ path: join(outputDir, "11-regression-table.png"), fullPage: true });
    await page.click('#mt-entries [data-remove="0"]');
    expect(await page.textContent("#tab-table")).toBe("Table (1)");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("figures and the command line", () => {
  it("downloads a figure as a 300 dpi PNG", async () => {
    const { page, errors } = await openTool(h);
    await openDemo(page);
    await page.selectOption("#analysis", "eventstudy");
    await runAndWait(page, "eventstudy");
    const svg = (await download(page, "#dl-svg")).bytes.toString("utf8");
    const png = await download(page, "#dl-png");
    expect(png.name).toBe("smart-city-eventstudy.png");
    const b = png.bytes;
    expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = Number(/<svg[^>]*\swidth="([\d.]+)/.exec(svg)![1]);
    expect(b.readUInt32BE(16)).toBe(Math.round((width * 300) / 96));
    expect(b.subarray(37, 41).toString("latin1")).toBe("pHYs");
    expect(b.readUInt32BE(41)).toBe(11811);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("downloads a figure as a vector PDF one column wide, the bundled fonts embedded, its text as text", async () => {
    const { page, errors } = await openTool(h);
    await openDemo(page);
    await page.selectOption("#analysis", "eventstudy");
    await runAndWait(page, "eventstudy");
    const svg = (await download(page, "#dl-svg")).bytes.toString("utf8");
    const pdf = await download(page, "#dl-pdf");
    expect(pdf.name).toBe("smart-city-eventstudy.pdf");
    const raw = pdf.bytes.toString("latin1");
    expect(raw.startsWith("%PDF-")).toBe(true);
    // 3.5 inches wide (252 pt), as `--plot-size single` in the CLI; the fonts embedded as TrueType subsets.
    expect(Number(/\/MediaBox \[0 0 ([\d.]+) [\d.]+\]/.exec(raw)![1])).toBeCloseTo(252, 3);
    expect(raw).toMatch(/\/FontFile2 /);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+/);
    const file = join(outputDir, "figure-from-page.pdf");
    writeFileSync(file, pdf.bytes);
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    const words = [...svg.matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1].replace(/&[a-z]+;/g, "").replace(/\s+/g, "")).filter((w) => /^[A-Za-z]{4,}$/.test(w));
    expect(words.length).toBeGreaterThan(0);
    for (const w of words) expect(text, w).toContain(w);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("wraps the command line only at spaces, never inside a word", async () => {
    const { page, errors } = await openTool(h, { width: 900, height: 900 });
    await openDemo(page);
    await runAndWait(page, "fit");
    // At several widths (a break after a space could be luck at one width), every line starts after a space.
    let wrapped = 0;
    for (const width of [880, 905, 930, 955, 980, 1010, 1040]) {
      await page.setViewportSize({ width, height: 900 });
      const r = await page.evaluate(() => {
        const text = document.querySelector("#result-cli")!.firstChild as Text;
        const range = document.createRange();
        const breaks: number[] = [];
        let top: number | null = null;
        for (let i = 0; i < text.length; i++) {
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          const rect = range.getClientRects()[0];
          if (!rect) continue;
          if (top !== null && rect.top > top + 2) breaks.push(i);
          top = rect.top;
        }
        return { text: text.data, breaks };
      });
      wrapped += r.breaks.length;
      for (const i of r.breaks) expect(r.text[i - 1], `${width} px: break before “${r.text.slice(i, i + 12)}”`).toBe(" ");
    }
    expect(wrapped).toBeGreaterThan(3);
    await page.screenshot({ path: join(outputDir, "12-command-line-wrap.png") });
    expect(errors).toEqual([]);
    await page.close();
  });
});
