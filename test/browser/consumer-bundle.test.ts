// A consumer's app that writes `import { run, ... } from "didwasm"`, bundled for the browser with esbuild and
// with Vite as a user would, served, and run in Chromium: the package's `browser` export condition must pick
// the self-contained browser build (no node:fs, no worker_threads), and the Web Workers must start from the
// bundled app (the computation worker, and resampling workers both from the page and nested inside the
// computation worker) with the same numbers as in Node. Also the resolution a webpack-style resolver makes
// (the exports map under the "browser" condition), checked with Node's own resolver.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { build as viteBuild } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../bindings/commands/run.js";
import { generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import { startServer } from "../../scripts/serve-web.mjs";
import { LAUNCH_ARGS, chromiumPath, root } from "./harness.js";

const app = join(root, "test-output", "consumer-app");
const browserBuild = join(root, "dist", "browser", "didwasm.js");

const FIT = { formula: "ire ~ did + lngdp | city + year", vcov: "cluster:city" };
const PLACEBO = { formula: "ire ~ did + lngdp | city + year", treat: "did", unit: "city", time: "year", kind: "space", reps: 120, seed: 7 } as const;

/** The consumer's code: nothing but the package's public imports. */
const MAIN_JS = `
import { run, createComputeWorker, placeboBrowser, loadEngine, generateSmartCity, VERSION } from "didwasm";
const FIT = ${JSON.stringify(FIT)};
const PLACEBO = ${JSON.stringify(PLACEBO)};
window.app = {
  version: VERSION,
  async fit() {
    await loadEngine();
    return run("fit", generateSmartCity(), FIT);
  },
  async placeboInWorker(workers) {
    const client = createComputeWorker();
    try {
      await client.ready;
      await client.load("demo", { kind: "demo" });
      return await client.run("placebo", { dataset: "demo" }, PLACEBO, { workers });
    } finally {
      client.terminate();
    }
  },
  async placeboOnPage(workers) {
    await loadEngine();
    return (await placeboBrowser(generateSmartCity(), PLACEBO, { workers })).toJSON();
  },
};
document.body.dataset.ready = "1";
`;
const INDEX_HTML = (script: string) => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>consumer</title></head><body><script type="module" src="${script}"></script></body></html>\n`;

type Json = Record<string, any>;
const withoutTiming = ({ timing_ms: _t, ...rest }: Json) => rest;

/** A project folder whose node_modules/didwasm is this package (as `npm install ../didwasm` links it). */
function makeApp(): void {
  rmSync(app, { recursive: true, force: true });
  mkdirSync(join(app, "node_modules"), { recursive: true });
  symlinkSync(root, join(app, "node_modules", "didwasm"), "dir");
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  writeFileSync(join(app, "main.js"), MAIN_JS);
}

let browser: Browser;
const servers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  if (!existsSync(browserBuild)) execFileSync(process.execPath, [join(root, "scripts", "build-web.mjs")], { cwd: root, stdio: "inherit" });
  makeApp();
  browser = await chromium.launch({ executablePath: chromiumPath(), args: LAUNCH_ARGS });
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

/** Serves a bundled app, runs the consumer's three calls, and checks them against Node's run(). */
async function runBundledApp(dir: string): Promise<void> {
  const server = await startServer({ root: dir, port: 0 });
  servers.push(server);
  const page = await browser.newPage();
  const errors: string[] = [];
  const failed: string[] = [];
  const workers: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("requestfailed", (r) => failed.push(r.url()));
  page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
  page.on("worker", (w) => workers.push(w.url()));
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready]", { state: "attached", timeout: 15_000 });

  const fit = (await page.evaluate(() => (globalThis as any).app.fit())) as Json;
  expect(withoutTiming(fit)).toEqual(withoutTiming(await run("fit", generateSmartCity(), FIT)));

  const node = withoutTiming(await run("placebo", generateSmartCity(), PLACEBO));
  // Two resampling workers nested inside the computation worker, then two started by the page itself.
  const inWorker = (await page.evaluate(() => (globalThis as any).app.placeboInWorker(2))) as Json;
  expect(withoutTiming(inWorker)).toEqual(node);
  const onPage = (await page.evaluate(() => (globalThis as any).app.placeboOnPage(2))) as Json;
  expect(onPage.p_two).toBe(node.p_two);
  expect(onPage.estimate).toBe(node.estimate);

  // The computation worker and the page's two resampling workers really started (from blob: URLs, which
  // need nothing from the server), and nothing asked the server for a file it does not have.
  expect(workers.length).toBeGreaterThanOrEqual(3);
  expect(workers.every((u) => u.startsWith("blob:"))).toBe(true);
  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
}

describe("a consumer's app bundled for the browser", () => {
  it("esbuild resolves the browser build (no Node built-ins), and the bundled app runs, workers included", async () => {
    const out = join(app, "esbuild-dist");
    const r = await esbuild.build({
      entryPoints: [join(app, "main.js")], bundle: true, format: "esm", platform: "browser", outdir: out, metafile: true, logLevel: "silent",
    });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const inputs = Object.keys(r.metafile!.inputs);
    expect(inputs.some((f) => f.endsWith("dist/browser/didwasm.js"))).toBe(true);
    expect(inputs.some((f) => f.includes("dist/bindings/"))).toBe(false);
    writeFileSync(join(out, "index.html"), INDEX_HTML("./main.js"));
    await runBundledApp(out);
  });

  it("Vite builds the app, and it runs, workers included", async () => {
    writeFileSync(join(app, "index.html"), INDEX_HTML("./main.js"));
    const out = join(app, "vite-dist");
    await viteBuild({ root: app, configFile: false, logLevel: "silent", publicDir: false, build: { outDir: out, emptyOutDir: true } });
    const js = readFileSync(join(out, "index.html"), "utf8");
    expect(js).toMatch(/<script type="module"[^>]*src="\/assets\/index-[^"]+\.js"/);
    await runBundledApp(out);
  });

  it("the exports map gives browser resolvers the browser build and Node the Node entry", () => {
    const resolve = (spec: string, conditions: string[]) =>
      execFileSync(process.execPath, [...conditions.map((c) => `--conditions=${c}`), "--input-type=module", "-e", `console.log(import.meta.resolve(${JSON.stringify(spec)}))`], { cwd: app, encoding: "utf8" }).trim();
    // webpack 5 for the web resolves with the "browser", "import" and "module" conditions.
    expect(resolve("didwasm", ["browser", "module"])).toMatch(/\/dist\/browser\/didwasm\.js$/);
    expect(resolve("didwasm/browser", [])).toMatch(/\/dist\/browser\/didwasm\.js$/);
    // Node: the bundled library (scripts/build-node.mjs), one file to load instead of tsc's three hundred.
    expect(resolve("didwasm", [])).toMatch(/\/dist\/node\/didwasm\.js$/);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    // Resolvers that predate "exports" (webpack 4, browserify) read the top-level browser field.
    expect(pkg.browser).toBe("./dist/browser/didwasm.js");
    // The browser build has no Node built-ins anywhere (the build also refuses them).
    expect(readFileSync(browserBuild, "utf8")).not.toMatch(/["']node:|require\(["'](fs|worker_threads|path|os)["']\)/);
  });
});
