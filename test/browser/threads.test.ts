// Fits on several threads in a browser: the computation worker starts kernel threads (Web Workers on one
// shared WebAssembly memory) on a cross-origin isolated page, and gives exactly the one-thread numbers; on a
// page that is not isolated there is no SharedArrayBuffer, and the fit runs on one thread and says why.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { startServer } from "../../scripts/serve-web.mjs";
import { LAUNCH_ARGS, chromiumPath, libDist, webDist } from "./harness.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** A worker x firm x year panel (CSV) whose three fixed effects go to the CG solver. */
function panelCsv(): string {
  const g = new Xoshiro128(7, 3);
  const rows = ["worker,firm,year,x1,x2,y"];
  for (let i = 0; i < 1500; i++) {
    let f = g.below(200);
    const a = g.normal();
    for (let t = 0; t < 6; t++) {
      if (t > 0 && g.uniform() < 0.1) f = g.below(200);
      const x1 = g.normal();
      const x2 = g.normal() + 0.3 * a;
      rows.push([i, f, 2000 + t, x1, x2, x1 - 0.5 * x2 + a + f / 100 + g.normal()].join(","));
    }
  }
  return rows.join("\n");
}

type Servers = Array<{ url: string; close(): Promise<void> }>;
let browser: Browser;
const servers: Servers = [];

beforeAll(async () => {
  for (const isolated of [true, false]) servers.push(await startServer({ root: webDist, port: 0, mounts: { "/lib/": libDist }, isolated }));
  browser = await chromium.launch({ executablePath: chromiumPath(), args: LAUNCH_ARGS });
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

/** Fits with `threads` in the library's computation worker on a page of `url`; the fits' JSON. */
async function fitsInWorker(url: string, csv: string, runs: Array<number | "cores">) {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${url}lib/didwasm.js`); // any same-origin document
  const out = await page.evaluate(async ([data, plan]) => {
    const load = new Function("u", "return import(u)") as (u: string) => Promise<any>;
    const m = await load(`${location.origin}/lib/didwasm.js`);
    const client = m.createComputeWorker();
    await client.ready;
    const cores = navigator.hardwareConcurrency;
    const fits: any[] = [];
    for (const t of plan) {
      const threads = t === "cores" ? cores : t;
      let r = await client.run("fit", data, { formula: "y ~ x1 + x2 | worker + firm + year", threads });
      // Kernel threads start in the background when the worker starts; give them a moment on a slow machine.
      for (let k = 0; k < 50 && threads > 1 && crossOriginIsolated && r.demeaning.threads === 1; k++) {
        await new Promise((res) => setTimeout(res, 100));
        r = await client.run("fit", data, { formula: "y ~ x1 + x2 | worker + firm + year", threads });
      }
      fits.push(r);
    }
    client.terminate();
    return { fits, isolated: crossOriginIsolated, cores };
  }, [csv, runs] as const);
  await page.close();
  return { ...out, errors };
}

/** A staggered panel (CSV): 4,000 units x 6 years, cohorts 2002, 2004 and never treated, one control. */
function staggeredCsv(): string {
  const g = new Xoshiro128(11, 5);
  const rows = ["unit,year,cohort,treat,x1,y"];
  for (let u = 0; u < 4000; u++) {
    const cohort = [2002, 2004, 0][u % 3];
    const a = g.normal();
    for (let t = 2000; t < 2006; t++) {
      const d = cohort > 0 && t >= cohort ? 1 : 0;
      const x1 = g.normal();
      rows.push([u, t, cohort, d, x1, a + 0.1 * (t - 2000) + 0.5 * x1 + d + g.normal()].join(","));
    }
  }
  return rows.join("\n");
}

/** Each [command, options] in one computation worker of the page at `url`, in order; the results' JSON.
 *  A run that asks for 2 threads is repeated while its JSON says 1 (kernel threads start in the background
 *  when the worker starts; etwfe reports its count). */
async function commandsInWorker(url: string, csv: string, plan: ReadonlyArray<readonly [string, Record<string, unknown>]>) {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${url}lib/didwasm.js`);
  const results = await page.evaluate(async ([data, runs]) => {
    const load = new Function("u", "return import(u)") as (u: string) => Promise<any>;
    const m = await load(`${location.origin}/lib/didwasm.js`);
    const client = m.createComputeWorker();
    await client.ready;
    const out: any[] = [];
    for (const [name, o] of runs) {
      let r = await client.run(name, data, o);
      for (let k = 0; k < 50 && o.threads === 2 && r.threads === 1; k++) {
        await new Promise((res) => setTimeout(res, 100));
        r = await client.run(name, data, o);
      }
      out.push(r);
    }
    client.terminate();
    return out;
  }, [csv, plan] as const);
  await page.close();
  return { results, errors };
}

describe("fits on kernel threads in the browser", () => {
  const csv = panelCsv();
  it("on a cross-origin isolated page: every core, the one-thread numbers", async () => {
    const r = await fitsInWorker(servers[0].url, csv, [1, "cores"]);
    expect(r.isolated).toBe(true);
    expect(r.errors).toEqual([]);
    const [one, many] = r.fits;
    expect(one.demeaning.threads).toBe(1);
    expect(many.demeaning.threads).toBe(Math.max(1, r.cores));
    expect(r.cores).toBeGreaterThan(1); // this machine has more than one core: the test means something
    expect(many.coefficients).toEqual(one.coefficients);
    expect(many.demeaning.columns).toEqual(one.demeaning.columns);
    expect(many.notes.filter((n: { kind: string }) => n.kind === "threads")).toEqual([]);
  });
  it("on a page that is not isolated: one thread, and the note says why", async () => {
    const r = await fitsInWorker(servers[1].url, csv, [2]);
    expect(r.isolated).toBe(false);
    const [fit] = r.fits;
    expect(fit.demeaning.threads).toBe(1);
    expect(fit.notes.map((n: { message: string }) => n.message).join("\n")).toMatch(/running on one thread: SharedArrayBuffer is not available.*cross-origin isolated/);
  });
  it("estimators whose arrays kernel threads touch first (etwfe, imputation): the one-thread numbers", async () => {
    const panel = { y: "y", unit: "unit", time: "year" };
    const etwfe = { ...panel, cohort: "cohort", controls: ["x1"], vcov: "cluster:unit" };
    const imputation = { ...panel, treat: "treat", controls: ["x1"], horizons: "all" };
    const r = await commandsInWorker(servers[0].url, staggeredCsv(), [
      ["etwfe", { ...etwfe, threads: 1 }], ["etwfe", { ...etwfe, threads: 2 }],
      ["imputation", { ...imputation, threads: 1 }], ["imputation", { ...imputation, threads: 2 }],
    ]);
    expect(r.errors).toEqual([]);
    const [e1, e2, i1, i2] = r.results;
    expect([e1.threads, e2.threads]).toEqual([1, 2]); // the kernel threads ran
    const numbers = (x: unknown) => JSON.stringify(x, (k, v) => (k === "threads" || k === "timing_ms" ? undefined : v));
    expect(numbers(e2)).toBe(numbers(e1));
    expect(numbers(i2)).toBe(numbers(i1));
  });
});
