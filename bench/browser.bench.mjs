#!/usr/bin/env node
// Browser benchmark of the web tool (web/dist) in Debian's Chromium (playwright-core), written as the
// "Browser" section of bench/RESULTS.md (the section is replaced, the rest of the file kept):
//   - load to interactive: navigation start until the page's controls are wired, and until the computation
//     worker has compiled the WebAssembly kernels (everything usable); a fresh browser context (empty
//     cache) per load; median of LOADS loads;
//   - the demo panel: click "Load the demo panel" until its preview is shown;
//   - the bundled panel's baseline regression (README's `npm start` model): click "Run" until the result
//     table is in the page and a frame has been painted; the first click, and the median of CLICKS more;
//   - the bundle: every file of web/dist, gzipped (level 9).
// Usage: npm run build && node bench/browser.bench.mjs [--loads 7] [--clicks 15]
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { startServer } from "../scripts/serve-web.mjs";
import { median } from "./lib/cli-measure.mjs";
import { waitForIdle } from "./lib/idle.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { ROOT } from "./lib/paths.mjs";
import { RESULTS_MD as RESULTS, replaceSection } from "./lib/results-md.mjs";

const { values: args } = parseArgs({ options: { loads: { type: "string", default: "7" }, clicks: { type: "string", default: "15" } } });
const LOADS = Math.max(1, Number(args.loads));
const CLICKS = Math.max(1, Number(args.clicks));
const WEB_DIST = join(ROOT, "web", "dist");
const TARGETS = { interactiveMs: 1000, clickMs: 100, gzipBytes: 500_000 };
const CHROMIUM = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find(existsSync);
const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const log = (s) => process.stderr.write(`[bench:browser] ${s}\n`);
const ms = (x) => (x < 10 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`);

if (!existsSync(join(WEB_DIST, "index.html"))) {
  console.error("web/dist is missing: run `npm run build` first");
  process.exit(1);
}
if (!CHROMIUM) {
  console.error("no Chromium found: install it (apt-get install -y chromium) or set CHROMIUM_PATH");
  process.exit(1);
}

function files(dir) {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}
const bundle = files(WEB_DIST).map((f) => {
  const bytes = readFileSync(f);
  return { file: relative(WEB_DIST, f), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const gzipTotal = bundle.reduce((s, b) => s + b.gzip, 0);
/** Chunks fetched only when needed: the Stata/Parquet readers, and the resampling workers of big runs. */
const onDemand = (file) =>
  /read-any/.test(file) ? " (on demand: Stata .dta and Parquet readers)" : /worker-browser/.test(file) ? " (on demand: resampling workers of big runs)" : "";
const rawTotal = bundle.reduce((s, b) => s + b.raw, 0);

const server = await startServer({ root: WEB_DIST, port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
const viewport = { width: 1440, height: 900 };

await waitForIdle("browser loads", { maxMs: 60_000 });
const loads = [];
for (let i = 0; i < LOADS; i++) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    return { wired: Number(document.body.dataset.wired), ready: Number(document.body.dataset.ready), dcl: nav.domContentLoadedEventEnd, fcp: paint ? paint.startTime : NaN };
  });
  loads.push(t);
  await context.close();
}
log(`loads: ${loads.map((l) => Math.round(l.ready)).join(", ")} ms`);

await waitForIdle("browser clicks", { maxMs: 60_000 });
const context = await browser.newContext({ viewport });
const page = await context.newPage();
await page.goto(server.url);
await page.waitForSelector("body[data-ready]");
const demo = await page.evaluate(async () => {
  const t0 = performance.now();
  document.querySelector("#load-demo").click();
  while (!document.querySelector(".data-view")) await new Promise((r) => setTimeout(r, 1));
  await new Promise((r) => requestAnimationFrame(() => r()));
  return performance.now() - t0;
});
/** One click on Run until the new result is in the page and the next frame is painted. */
const click = () =>
  page.evaluate(async () => {
    const before = Number(document.body.dataset.runs ?? 0);
    const t0 = performance.now();
    document.querySelector("#run").click();
    await new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (Number(document.body.dataset.runs ?? 0) > before) {
          obs.disconnect();
          resolve();
        }
      });
      obs.observe(document.body, { attributes: true, attributeFilter: ["data-runs"] });
    });
    await new Promise((r) => requestAnimationFrame(() => r()));
    const nobs = document.querySelector('[data-stat="nobs"] .stat-value')?.textContent;
    return { ms: performance.now() - t0, nobs };
  });
const first = await click();
const clicks = [];
for (let i = 0; i < CLICKS; i++) clicks.push((await click()).ms);
const formula = await page.textContent(".result .formula");
const inWorker = await page.evaluate(() => document.querySelector('[data-stat="time"] .stat-value')?.textContent);

// The page during a long run: a placebo test of PLACEBO_REPS draws runs in the workers while the main
// thread's long tasks (over 50 ms, PerformanceObserver "longtask") and the gaps between frames are recorded.
const PLACEBO_REPS = 20_000;
await page.selectOption("#analysis", "placebo");
await page.fill("#f-reps", String(PLACEBO_REPS));
const longRun = await page.evaluate(async () => {
  const tasks = [];
  const po = new PerformanceObserver((l) => tasks.push(...l.getEntries().map((e) => ({ start: e.startTime, duration: e.duration }))));
  po.observe({ type: "longtask" });
  const before = Number(document.body.dataset.runs ?? 0);
  let frames = 0;
  let maxGap = 0;
  let last = performance.now();
  const t0 = last;
  const tick = () => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    frames++;
    if (Number(document.body.dataset.runs ?? 0) === before) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  document.querySelector("#run").click();
  while (Number(document.body.dataset.runs ?? 0) === before) await new Promise((r) => setTimeout(r, 20));
  const t1 = performance.now();
  await new Promise((r) => setTimeout(r, 100));
  po.disconnect();
  // Long tasks that began after the last progress update are the drawing of the result.
  return { ms: t1 - t0, longTasks: tasks.map((t) => ({ ...t, start: t.start - t0 })), frames, maxGap };
});
await context.close();
const chromeVersion = browser.version();
await browser.close();
await server.close();
log(`demo ${ms(demo)}, first click ${ms(first.ms)}, clicks ${clicks.map((c) => c.toFixed(1)).join(", ")} ms`);

const m = machineInfo();
const wired = median(loads.map((l) => l.wired));
const ready = median(loads.map((l) => l.ready));
const clickMedian = median(clicks);
const status = (ok) => (ok ? "pass" : "**FAIL**");
const section = [
  "## Browser",
  "",
  `Generated by \`node bench/browser.bench.mjs\` on ${new Date().toUTCString()}; Chromium ${chromeVersion} headless (playwright-core), ` +
    `${m.cpu}, ${m.cores} logical cores; the page served from web/dist by scripts/serve-web.mjs on localhost. Each load in a fresh browser context (empty cache).`,
  "",
  "| target | measured | limit | status |",
  "| --- | ---: | ---: | ---: |",
  `| page interactive after load: controls wired, and the computation worker's wasm compiled (median of ${LOADS} loads) | ${ms(wired)} / ${ms(ready)} | ≤ ${TARGETS.interactiveMs} ms | ${status(ready <= TARGETS.interactiveMs)} |`,
  `| baseline regression on the bundled panel, click to painted result (median of ${CLICKS} clicks; first click ${ms(first.ms)}) | ${ms(clickMedian)} | ≤ ${TARGETS.clickMs} ms | ${status(clickMedian <= TARGETS.clickMs && first.ms <= TARGETS.clickMs)} |`,
  `| browser bundle, everything in web/dist gzipped (WebAssembly embedded in the worker scripts) | ${(gzipTotal / 1000).toFixed(1)} kB (${(rawTotal / 1000).toFixed(0)} kB raw) | < ${TARGETS.gzipBytes / 1000} kB | ${status(gzipTotal < TARGETS.gzipBytes)} |`,
  "",
  `During a ${PLACEBO_REPS.toLocaleString("en-US")}-draw placebo test on the panel (${ms(longRun.ms)} in the workers, with progress), the page drew ${longRun.frames} frames, ` +
    `the longest gap between frames was ${ms(longRun.maxGap)}; main-thread long tasks (> 50 ms): ` +
    `${longRun.longTasks.length ? longRun.longTasks.map((t) => `${ms(t.duration)} at ${ms(t.start)}`).join(", ") : "none"} after the click.`,
  "",
  `Baseline model: \`${formula}\`, clustered by city, ${first.nobs} observations; the worker's own timing of the estimation (timing_ms.fit) on the last click: ${inWorker}. ` +
    `Loading the demo panel (generated in the worker, then the preview and column summaries drawn): ${ms(demo)}. ` +
    `First contentful paint: ${ms(median(loads.map((l) => l.fcp)))}; DOMContentLoaded: ${ms(median(loads.map((l) => l.dcl)))} (medians).`,
  "",
  "| file | raw | gzip |",
  "| --- | ---: | ---: |",
  ...bundle.sort((a, b) => b.gzip - a.gzip).map((b) => `| ${b.file}${onDemand(b.file)} | ${(b.raw / 1000).toFixed(1)} kB | ${(b.gzip / 1000).toFixed(1)} kB |`),
  `| fetched when the page opens | ${(bundle.filter((b) => !onDemand(b.file)).reduce((t, b) => t + b.raw, 0) / 1000).toFixed(0)} kB | ${(bundle.filter((b) => !onDemand(b.file)).reduce((t, b) => t + b.gzip, 0) / 1000).toFixed(1)} kB |`,
  "",
  "Load times, ms (controls wired / kernels compiled): " + loads.map((l) => `${Math.round(l.wired)}/${Math.round(l.ready)}`).join(", ") + ".",
  "Click times, ms: " + clicks.map((c) => c.toFixed(1)).join(", ") + ".",
  "",
].join("\n");

replaceSection("## Browser", section, { before: (h) => h.startsWith("## Reproduce") });
log(`wrote the Browser section of ${relative(ROOT, RESULTS)}`);
console.log(section);
