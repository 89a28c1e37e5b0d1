// The web tool in a real browser (Debian's Chromium via playwright-core): open shared conformance CSVs
// through the file picker, run a regression and an event study through the interface and compare the
// numbers shown with the CLI's; run() in the page equals the CLI's --json; wasm-vs-reference parity and
// conformance cases inside the page; resampling progress and worker-pool determinism; clear messages
// for bad files and bad choices; downloads; screenshots in test-output/browser/.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fmtNum, fmtP, fmtT, stars } from "../../web/src/format.js";
import { compareRegressionJson, conformanceDir, loadCases, type ConformanceCase } from "../helpers/conformance.js";
import { cliJson, withoutTiming } from "../helpers/cli-json.js";
import { RUN_CASES } from "../helpers/run-cases.js";
import { openTool, outputDir, root, startHarness, type Harness } from "./harness.js";

const data = (f: string) => join(conformanceDir, "data", f);
const castle = data("castle.csv");
const mpdta = data("mpdta.csv");
const city = join(root, "examples", "smart-city.csv");
const text = (f: string) => readFileSync(f, "utf8");

type Json = Record<string, any>;

interface ShownCell {
  text: string;
  value: string | undefined;
}

/** The result table as shown: one entry per row (keyed by data-term), cells by column key. */
async function shownTable(page: Page): Promise<Map<string, Record<string, ShownCell>>> {
  const rows = await page.$$eval("#result-table tbody tr", (trs) =>
    trs.map((tr) => [
      (tr as HTMLElement).dataset.term ?? "",
      Object.fromEntries([...tr.querySelectorAll("td")].map((td) => [td.dataset.key ?? "", { text: td.textContent ?? "", value: td.dataset.value }])),
    ] as const),
  );
  return new Map(rows);
}

/** Every shown coefficient equals the CLI's, as a number (data-value) and as formatted text. */
function expectShownEqualsCli(shown: Map<string, Record<string, ShownCell>>, cli: Json, key: (c: Json) => string): void {
  expect(shown.size).toBe(cli.coefficients.length);
  for (const c of cli.coefficients as Json[]) {
    const row = shown.get(key(c));
    expect(row, `row ${key(c)}`).toBeDefined();
    for (const k of ["estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"]) expect(row![k].value, `${key(c)} ${k}`).toBe(String(c[k]));
    expect(row!.estimate.text).toBe(fmtNum(c.estimate) + stars(c.p_value));
    expect(row!.std_error.text).toBe(fmtNum(c.std_error));
    expect(row!.statistic.text).toBe(fmtT(c.statistic));
    expect(row!.p_value.text).toBe(fmtP(c.p_value));
  }
}

async function openCsv(page: Page, file: string, rows: number): Promise<void> {
  await page.setInputFiles("#file-input", file);
  await page.waitForFunction(
    ([name, n]) => document.querySelector("#data-status .file")?.textContent === name && document.querySelector("#data-meta")?.textContent?.startsWith(`${n.toLocaleString("en-US")} rows`),
    [basename(file), rows] as const,
  );
}

async function runAndWait(page: Page, command: string): Promise<void> {
  await page.click("#run");
  await page.waitForSelector(`.result[data-command="${command}"]`, { timeout: 20_000 });
}

async function download(page: Page, selector: string): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = await d.path();
  return { name: d.suggestedFilename(), text: readFileSync(path!, "utf8") };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("web tool in Chromium", () => {
  it("loads the bundled demo panel with one click and answers the baseline regression like the CLI", async () => {
    const { page, errors } = await openTool(h);
    expect(await page.textContent("#status")).toMatch(/^Ready · WebAssembly/);
    await page.click("#load-demo");
    await page.waitForSelector(".data-view");
    expect(await page.textContent("#data-meta")).toContain("3,976 rows × 28 columns");
    await page.screenshot({ path: join(outputDir, "01-data.png") });
    await runAndWait(page, "fit");
    const formula = "ire ~ did + lngdp + lnfin + upg + lnfis + fix + tra | city + year";
    expect(await page.textContent(".result .formula")).toBe(formula);
    const cli = await cliJson(["fit", city, "--formula", formula, "--vcov", "cluster:city"]);
    expectShownEqualsCli(await shownTable(page), cli, (c) => c.term);
    expect(await page.textContent('[data-stat="nobs"] .stat-value')).toBe(cli.nobs.toLocaleString("en-US"));
    expect(await page.textContent("#result-cli")).toBe(`npx didwasm fit smart-city.csv --formula '${formula}' --vcov cluster:city`);
    await page.screenshot({ path: join(outputDir, "02-regression-demo.png") });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opens a conformance CSV with the file picker and runs a regression through the interface", async () => {
    const { page, errors } = await openTool(h);
    await openCsv(page, castle, 550);
    await page.selectOption("#analysis", "fit");
    await page.fill("#f-formula", "l_homicide ~ post + l_pop + l_income | sid + year");
    await page.selectOption("#f-vcov", "cluster:sid");
    await runAndWait(page, "fit");
    const cli = await cliJson(["fit", castle, "--formula", "l_homicide ~ post + l_pop + l_income | sid + year", "--vcov", "cluster:sid"]);
    expectShownEqualsCli(await shownTable(page), cli, (c) => c.term);
    expect(await page.textContent('[data-stat="r2"] .stat-value')).toBe(fmtNum(cli.r2, 3));

    // The downloads: the shared publication table (LaTeX, CSV), the tidy coefficients, the JSON.
    const tex = await download(page, "#dl-latex");
    expect(tex.name).toBe("castle-fit.tex");
    expect(tex.text).toContain("\\begin{tabular}");
    expect(tex.text).toContain("\\toprule");
    expect(tex.text).toMatch(/^post & /m);
    const csv = await download(page, "#dl-csv");
    expect(csv.text).toMatch(/^\uFEFF?,\(1\)/);
    const tidy = await download(page, "#dl-tidy");
    // RFC 4180 CSV, as the library writes it: CRLF line ends (and a byte-order mark when not ASCII).
    expect(tidy.text.split("\r\n")[0]).toBe("Term,Estimate,Std. error,t,p-value,95% CI low,95% CI high");
    expect(tidy.text.split("\r\n")[1]).toBe(`post,${cli.coefficients[0].estimate},${cli.coefficients[0].std_error},${cli.coefficients[0].statistic},${cli.coefficients[0].p_value},${cli.coefficients[0].conf_low},${cli.coefficients[0].conf_high}`);
    const json = await download(page, "#dl-json");
    expect(withoutTiming(JSON.parse(json.text))).toEqual(withoutTiming(cli));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("runs an event study through the interface: the table and the figure", async () => {
    const { page, errors } = await openTool(h);
    await openCsv(page, mpdta, 2500);
    await page.selectOption("#analysis", "eventstudy");
    await page.selectOption("#f-y", "lemp");
    await page.selectOption("#f-unit", "countyreal");
    await page.selectOption("#f-time", "year");
    await page.selectOption("#f-cohort", "first_treat");
    await page.selectOption("#f-vcov", "cluster:countyreal");
    await page.fill("#f-ref", "-1");
    await runAndWait(page, "eventstudy");
    const cli = await cliJson(["eventstudy", mpdta, "--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--ref", "-1", "--vcov", "cluster:countyreal"]);
    expectShownEqualsCli(await shownTable(page), cli, (c) => String(c.rel_time));
    expect(await page.textContent('[data-stat="pretrend"] .stat-value')).toContain(`p = ${fmtP(cli.pretrend.p_value)}`);
    // A marker per period (circles before treatment, squares after), each with its tooltip.
    expect(await page.locator("#result-figure svg circle:has(title), #result-figure svg rect:has(title)").count()).toBeGreaterThanOrEqual(cli.coefficients.length);
    expect(await page.textContent("#result-cli")).toBe("npx didwasm eventstudy mpdta.csv --y lemp --unit countyreal --time year --cohort first_treat --vcov cluster:countyreal --ref -1");
    const svg = await download(page, "#dl-svg");
    expect(svg.name).toBe("mpdta-eventstudy.svg");
    expect(svg.text).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const tex = await download(page, "#dl-latex");
    expect(tex.text).toContain("\\begin{tabular}");
    await page.screenshot({ path: join(outputDir, "03-event-study.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the Goodman-Bacon decomposition with its own table and figure, and CSV/LaTeX of it", async () => {
    const { page, errors } = await openTool(h);
    await openCsv(page, castle, 550);
    await page.selectOption("#analysis", "bacon");
    await page.selectOption("#f-y", "l_homicide");
    await page.selectOption("#f-unit", "state");
    await page.selectOption("#f-time", "year");
    await page.selectOption("#f-treat", "post");
    await runAndWait(page, "bacon");
    const cli = await cliJson(["bacon", castle, "--y", "l_homicide", "--unit", "state", "--time", "year", "--treat", "post"]);
    const shown = await shownTable(page);
    for (const t of cli.by_type as Json[]) expect(shown.get(t.type)?.weight.value).toBe(String(t.weight));
    expect(await page.locator("#result-figure svg").count()).toBe(1);
    const csv = await download(page, "#dl-csv");
    expect(csv.text.split("\r\n")[0]).toBe("\uFEFFComparison,Weight,Average 2×2 estimate");
    const tex = await download(page, "#dl-latex");
    expect(tex.text).toContain("Average $2\\times2$ estimate");
    await page.screenshot({ path: join(outputDir, "04-bacon.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the progress of a long placebo run, which can be cancelled without losing the data", async () => {
    const { page, errors } = await openTool(h);
    await page.click("#load-demo");
    await page.waitForSelector(".data-view");
    await page.selectOption("#analysis", "placebo");
    await page.fill("#f-reps", "100000");
    await page.click("#run");
    await page.waitForFunction(() => /^[\d,]+ of 100,000 draws$/.test(document.querySelector("#progress-text")?.textContent ?? ""));
    expect(await page.isVisible("#progress")).toBe(true);
    await page.screenshot({ path: join(outputDir, "06-placebo-progress.png") });
    await page.click("#cancel");
    await page.waitForFunction(() => document.querySelector("#status")?.textContent === "Cancelled");
    expect(await page.isHidden("#run-error")).toBe(true);
    expect(await page.isHidden("#progress")).toBe(true);
    // The fresh worker has the demo panel again: the next run works.
    await page.fill("#f-reps", "200");
    await runAndWait(page, "placebo");
    expect(await page.textContent('[data-stat="reps"] .stat-value')).toBe("200");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opens Stata .dta and Parquet files as well, with the same regression as from the CSV", async () => {
    const { page, errors } = await openTool(h);
    const fixtures = join(root, "test", "data", "fixtures");
    const estimates: string[] = [];
    for (const f of ["panel.csv", "panel-118.dta", "panel.parquet"]) {
      await openCsv(page, join(fixtures, f), 180);
      expect(await page.textContent("#data-status .file")).toBe(f);
      await page.selectOption("#analysis", "fit");
      await page.fill("#f-formula", "x1 ~ treat + x2 | unit + year");
      await page.selectOption("#f-vcov", "cluster:unit");
      await page.click("#run");
      await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) === n, estimates.length + 1);
      estimates.push((await page.getAttribute('#result-table td[data-key="estimate"]', "data-value"))!);
    }
    expect(new Set(estimates).size).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("gives clear messages for bad files and bad choices, in the page", async () => {
    const { page } = await openTool(h);
    const dataError = () => page.textContent("#data-error");
    await page.setInputFiles("#file-input", { name: "panel.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]) });
    await page.waitForSelector("#data-error:not([hidden])");
    expect(await dataError()).toContain("Save it as CSV");
    await page.setInputFiles("#file-input", { name: "empty.csv", mimeType: "text/csv", buffer: Buffer.alloc(0) });
    await page.waitForFunction(() => document.querySelector("#data-error")?.textContent?.includes("empty"));
    await page.setInputFiles("#file-input", { name: "ragged.csv", mimeType: "text/csv", buffer: Buffer.from("id,year,y\n1,2000,3\n1,2001,4,5\n") });
    await page.waitForFunction(() => document.querySelector("#data-error")?.textContent?.includes("ragged.csv"));
    expect(await dataError()).toMatch(/line 3/);

    await openCsv(page, castle, 550);
    expect(await page.isHidden("#data-error")).toBe(true);
    await page.selectOption("#analysis", "eventstudy");
    await page.selectOption("#f-y", "l_homicide");
    await page.selectOption("#f-unit", "sid");
    await page.selectOption("#f-time", "sid");
    await page.click("#run");
    expect(await page.textContent("#run-error")).toContain("same column");
    expect(await page.locator('.field.invalid[data-field="time"]').count()).toBe(1);
    await page.selectOption("#f-time", "year");
    await page.selectOption("#f-cohort", "");
    await page.click("#run");
    expect(await page.textContent("#run-error")).toContain("Choose the cohort");
    await page.selectOption("#f-cohort", "effyear");
    // A text column is not offered as the outcome; typed into a formula, the library names the problem.
    expect(await page.$$eval("#f-y option", (os) => os.map((o) => (o as HTMLOptionElement).value))).not.toContain("state");
    await page.selectOption("#analysis", "fit");
    await page.fill("#f-formula", "state ~ post | sid");
    await page.click("#run");
    await page.waitForSelector("#run-error:not([hidden])");
    expect(await page.textContent("#run-error")).toMatch(/"state" must be numeric/);
    await page.fill("#f-formula", "l_homicide ~ post + | sid");
    await page.click("#run");
    await page.waitForFunction(() => !document.querySelector<HTMLElement>("#run-error")?.hidden && document.querySelector("#run")?.textContent === "Run");
    expect(await page.textContent("#run-error")).toMatch(/formula/i);
    await page.screenshot({ path: join(outputDir, "05-bad-choice.png") });
    await page.close();
  });
});

describe("the library's browser build (dist/browser/didwasm.js)", () => {
  it("is importable as an ES module: the engine on the page's main thread, run(), and the computation worker", async () => {
    const page = await h.browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`${h.url}lib/didwasm.js`); // any same-origin document will do
    const options = { formula: "l_homicide ~ post + l_pop | sid + year", vcov: "cluster:sid" };
    const r = await page.evaluate(async ([csv, o]) => {
      // import() written as text: vitest would otherwise rewrite it for Node before it reaches the page
      const load = new Function("url", "return import(url)") as (url: string) => Promise<any>;
      const m = await load(`${location.origin}/lib/didwasm.js`);
      await m.loadEngine(); // asynchronous compilation: required on a page's main thread
      const fit = m.feols(m.parseCsv(csv), o.formula, { vcov: o.vcov });
      const viaRun = await m.run("fit", csv, o);
      const client = m.createComputeWorker();
      const info = await client.ready;
      const viaWorker = await client.run("fit", csv, o);
      client.terminate();
      return { fit: fit.toJSON(), viaRun, viaWorker, info, version: m.VERSION };
    }, [text(castle), options] as const);
    const cli = await cliJson(["fit", castle, "--formula", options.formula, "--vcov", options.vcov]);
    expect(withoutTiming(r.viaRun)).toEqual(withoutTiming(cli));
    expect(withoutTiming(r.viaWorker)).toEqual(withoutTiming(cli));
    expect(r.fit.coefficients).toEqual(cli.coefficients);
    expect(r.info.simd).toBe(true);
    expect(errors).toEqual([]);
    // Nothing from elsewhere: the page's own files, and the workers the library starts from blob: URLs.
    expect(requests.filter((u) => !u.startsWith(h.url) && !u.startsWith("blob:"))).toEqual([]);
    await page.close();
  });
});

describe("the page's uniform entry, globalThis.didwasm.run", () => {
  let page: Page;
  beforeAll(async () => {
    page = (await openTool(h)).page;
  });
  afterAll(async () => {
    await page?.close();
  });

  it.each(RUN_CASES)("%s: the same object as the CLI's --json", async (command, file, options, flags) => {
    const inPage = (await page.evaluate(([c, csv, o]) => (globalThis as any).didwasm.run(c, csv, o), [command, text(file), options] as const)) as Json;
    const viaCli = await cliJson([command, file, ...flags]);
    expect(withoutTiming(inPage)).toEqual(withoutTiming(viaCli));
    expect(Object.keys(inPage.timing_ms)).toEqual(Object.keys(viaCli.timing_ms));
  });

  it("wasm and reference backends agree bit for bit inside the page", async () => {
    const checks: Array<[string, string, Json]> = [
      ["fit", castle, { formula: "l_homicide ~ post + l_pop + l_income | sid + year", vcov: "cluster:sid" }],
      ["fit", mpdta, { formula: "lemp ~ treat_post + lpop | countyreal + year", vcov: "hetero" }],
      ["eventstudy", mpdta, { y: "lemp", unit: "countyreal", time: "year", cohort: "first_treat", vcov: "cluster:countyreal" }],
      ["placebo", city, { formula: "ire ~ did + lngdp | city + year", treat: "did", unit: "city", time: "year", kind: "space", reps: 40, seed: 5 }],
    ];
    for (const [command, file, options] of checks) {
      // Compared inside the page: every number of the two results with Object.is.
      const mismatches = await page.evaluate(async ([c, csv, o]) => {
        const api = (globalThis as any).didwasm;
        const a = await api.run(c, csv, { ...o, backend: "wasm" });
        const b = await api.run(c, csv, { ...o, backend: "reference" });
        delete a.timing_ms;
        delete b.timing_ms;
        const out: string[] = [];
        let numbers = 0;
        const walk = (x: any, y: any, path: string) => {
          if (typeof x === "number" || typeof y === "number") {
            numbers++;
            if (!Object.is(x, y)) out.push(`${path}: ${x} vs ${y}`);
          } else if (x && typeof x === "object") {
            if (!y || typeof y !== "object" || Object.keys(x).length !== Object.keys(y).length) out.push(`${path}: shapes differ`);
            else for (const k of Object.keys(x)) walk(x[k], y[k], `${path}.${k}`);
          } else if (x !== y) out.push(`${path}: ${x} vs ${y}`);
        };
        walk(a, b, c);
        return { out, numbers };
      }, [command, text(file), options] as const);
      expect(mismatches.out, `${command} ${JSON.stringify(options)}`).toEqual([]);
      expect(mismatches.numbers).toBeGreaterThan(10);
    }
  });

  it("conformance cases (fit, eventstudy) inside the page match the R references", async () => {
    const cases: ConformanceCase[] = [...loadCases("fit"), ...loadCases("eventstudy")];
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const options = c.command === "fit"
        ? { formula: c.formula, vcov: c.vcov, fixefRm: c.fixef_rm, subset: c.subset }
        : { y: c.y, unit: c.unit, time: c.time, cohort: c.cohort, controls: c.controls, bin: c.bin, ref: c.ref, vcov: c.vcov };
      const out = await page.evaluate(([cmd, csv, o]) => (globalThis as any).didwasm.run(cmd, csv, JSON.parse(o)), [c.command, text(data(c.data)), JSON.stringify(options)] as const);
      expect(compareRegressionJson(out, c.expect), c.id).toEqual([]);
    }
  });

  it("resampling reports progress, and Web Worker pools give the same draws as one thread", async () => {
    const r = await page.evaluate(async (csv) => {
      const api = (globalThis as any).didwasm;
      const o = { formula: "ire ~ did + lngdp | city + year", treat: "did", unit: "city", time: "year", kind: "space", reps: 300, seed: 11 };
      const events: Array<[number, number]> = [];
      const one = await api.runDetailed("placebo", csv, o, { workers: 1, onProgress: (d: number, t: number) => events.push([d, t]) });
      const pooled: Array<[number, number]> = [];
      const three = await api.runDetailed("placebo", csv, o, { workers: 3, onProgress: (d: number, t: number) => pooled.push([d, t]) });
      return { one: one.json, three: three.json, events, pooled, svg: one.svg?.slice(0, 4) };
    }, text(city));
    const { timing_ms: _a, ...one } = r.one;
    const { timing_ms: _b, ...three } = r.three;
    expect(three).toEqual(one);
    expect(r.events.length).toBeGreaterThan(5);
    expect(r.events.at(-1)).toEqual([300, 300]);
    expect(r.events.every(([d], i) => i === 0 || d > r.events[i - 1][0])).toBe(true);
    expect(r.pooled.at(-1)).toEqual([300, 300]);
    expect(r.svg).toBe("<svg");
  });

  it("reports a user's mistake as a typed error with the CLI's message", async () => {
    const err = await page.evaluate(async (csv) => {
      try {
        await (globalThis as any).didwasm.run("fit", csv, { formula: "l_homicide ~ pst | sid + year" });
        return null;
      } catch (e) {
        return { name: (e as Error).name, code: (e as any).code, message: (e as Error).message };
      }
    }, text(castle));
    expect(err).toMatchObject({ name: "DidwasmError", code: "UNKNOWN_COLUMN" });
    expect(err!.message).toContain('did you mean "post"');
  });
});
