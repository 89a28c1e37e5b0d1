// Drives the built web tool (web/dist) in Debian's Chromium through playwright-core: a static server on a
// free port, one headless browser. No browser download: the executable comes from the system (.ci/run
// installs the chromium package when it is missing).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { startServer } from "../../scripts/serve-web.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const webDist = join(root, "web", "dist");
export const outputDir = join(root, "test-output", "browser");
/** The library's browser build (served under /lib/ by the test server). */
export const libDist = join(root, "dist", "browser");

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The Chromium executable: $CHROMIUM_PATH, else the first system browser found. */
export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? CANDIDATES.find((c) => existsSync(c));
  if (!p || !existsSync(p)) {
    throw new Error(`no Chromium found (tried ${CANDIDATES.join(", ")}); install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return p;
}

/** Launch flags for a headless browser that never talks to the network on its own. */
export const LAUNCH_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

export interface Harness {
  readonly browser: Browser;
  readonly url: string;
  close(): Promise<void>;
}

/** Builds the page when web/dist is missing (running this file alone), serves it (and the library's
 *  browser build under /lib/), starts Chromium. */
export async function startHarness(): Promise<Harness> {
  if (!existsSync(join(webDist, "index.html"))) execFileSync(process.execPath, [join(root, "scripts", "build-web.mjs")], { cwd: root, stdio: "inherit" });
  mkdirSync(outputDir, { recursive: true });
  if (!existsSync(join(libDist, "didwasm.js"))) execFileSync(process.execPath, [join(root, "scripts", "build-web.mjs")], { cwd: root, stdio: "inherit" });
  const server = await startServer({ root: webDist, port: 0, mounts: { "/lib/": libDist } });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: LAUNCH_ARGS });
  return {
    browser,
    url: server.url,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A fresh page on the tool, ready (engine compiled), collecting page errors and console errors. */
export async function openTool(h: Harness, viewport = { width: 1440, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await h.browser.newPage({ viewport, acceptDownloads: true });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console error: ${m.text()}`);
  });
  await page.goto(h.url);
  await page.waitForSelector("body[data-ready]", { timeout: 15_000 });
  return { page, errors };
}
