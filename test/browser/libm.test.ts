// Bit-for-bit the same numbers in Chromium as in Node: libm's elementary functions, the p-values and
// quantiles built on them, normal draws and the demo panel, computed in the page on the same inputs and
// compared as raw 64-bit patterns. For contrast it also counts how often the engines' own Math.* differ
// (Node 20's V8 vs Chromium's): the reason libm exists.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as probe from "./libm-probe.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import { root, startHarness, type Harness } from "./harness.js";

const UNARY = ["exp", "expm1", "log", "log1p", "log10", "sin", "cos", "tanh"] as const;
type Unary = (typeof UNARY)[number];

/** libm-probe.ts as one classic script defining globalThis.libmProbe. */
async function probeBundle(): Promise<string> {
  const out = (await build({
    configFile: false,
    logLevel: "silent",
    build: {
      write: false,
      minify: false,
      lib: { entry: join(root, "test", "browser", "libm-probe.ts"), formats: ["iife"], name: "libmProbe", fileName: () => "probe.js" },
    },
  })) as Array<{ output: Array<{ type: string; code?: string }> }> | { output: Array<{ type: string; code?: string }> };
  const chunk = (Array.isArray(out) ? out[0] : out).output.find((o) => o.type === "chunk");
  return chunk!.code!;
}

/** Inputs spread over each function's useful range, from a fixed seed. */
function inputs(name: Unary, n: number): number[] {
  const g = new Xoshiro128(2026, UNARY.indexOf(name));
  const u = (lo: number, hi: number) => lo + (hi - lo) * g.uniform();
  return Array.from({ length: n }, (_, i) => {
    const wide = 2 ** u(-40, 40) * (g.uniform() < 0.5 ? -1 : 1);
    switch (name) {
      case "exp": case "expm1": return i % 2 ? u(-700, 700) : u(-3, 3);
      case "log": case "log10": return i % 2 ? Math.abs(wide) : u(0.01, 3);
      case "log1p": return i % 2 ? Math.abs(wide) : u(-0.99, 3);
      case "sin": case "cos": return i % 2 ? wide : u(-7, 7);
      case "tanh": return u(-20, 20);
    }
  });
}

/** Bit patterns of doubles, as hex, so that -0, NaN payloads and last bits all count. */
const bits = (xs: ArrayLike<number>) => Array.from(new BigUint64Array(Float64Array.from(xs).buffer), (b) => b.toString(16));

const N = 20_000;
let h: Harness;
let page: Page;
beforeAll(async () => {
  h = await startHarness();
  page = await h.browser.newPage();
  await page.setContent("<!doctype html><title>libm probe</title>"); // a blank page: no CSP of the tool's
  await page.addScriptTag({ content: await probeBundle() });
});
afterAll(async () => {
  await page?.close();
  await h?.close();
});

describe("the same bits in Chromium as in Node", () => {
  it.each(UNARY)(`libm.%s on ${N.toLocaleString("en-US")} inputs`, async (name) => {
    const xs = inputs(name, N);
    const inPage = await page.evaluate(([f, x]) => {
      const p = (globalThis as any).libmProbe;
      const hex = (v: number[]) => Array.from(new BigUint64Array(Float64Array.from(v).buffer), (b) => b.toString(16));
      return { libm: hex(x.map((v) => p.libm[f](v))), math: hex(x.map((v) => (Math as any)[f](v))) };
    }, [name, xs] as const);
    expect(inPage.libm).toEqual(bits(xs.map((x) => probe.libm[name](x))));
    const mathDiffers = bits(xs.map((x) => Math[name](x))).filter((b, i) => b !== inPage.math[i]).length;
    if (process.env.LIBM_REPORT) console.log(`Math.${name}: ${mathDiffers} of ${N} differ between Node ${process.versions.v8} and ${h.browser.version()}`);
  });

  it("pow, p-values, quantiles and normal draws", async () => {
    const g = new Xoshiro128(2027);
    const pairs = Array.from({ length: 5000 }, () => [2 ** (60 * g.uniform() - 30), 40 * g.uniform() - 20] as const);
    const stats = Array.from({ length: 2000 }, () => [10 * g.uniform() - 5, 1 + Math.floor(200 * g.uniform()), g.uniform()] as const);
    const node = {
      pow: bits(pairs.map(([x, y]) => probe.libm.pow(x, y))),
      t: bits(stats.flatMap(([t, df, p]) => [probe.tTwoSidedP(t, df), probe.tQuantile(p, df), probe.normalQuantile(p), probe.fUpperP(Math.abs(t), 3, df), probe.chi2UpperP(t * t, df)])),
      normal: bits((() => { const r = new probe.Xoshiro128(5); return Array.from({ length: 5000 }, () => r.normal()); })()),
    };
    const inPage = await page.evaluate(([pairs, stats]) => {
      const p = (globalThis as any).libmProbe;
      const hex = (v: number[]) => Array.from(new BigUint64Array(Float64Array.from(v).buffer), (b) => b.toString(16));
      const r = new p.Xoshiro128(5);
      return {
        pow: hex(pairs.map(([x, y]) => p.libm.pow(x, y))),
        t: hex(stats.flatMap(([t, df, q]) => [p.tTwoSidedP(t, df), p.tQuantile(q, df), p.normalQuantile(q), p.fUpperP(Math.abs(t), 3, df), p.chi2UpperP(t * t, df)])),
        normal: hex(Array.from({ length: 5000 }, () => r.normal())),
      };
    }, [pairs, stats] as const);
    expect(inPage).toEqual(node);
  });

  it("the demo panel (generated in the page by the web tool)", async () => {
    const inPage = await page.evaluate(() => JSON.stringify((globalThis as any).libmProbe.generateSmartCity()));
    expect(inPage).toBe(JSON.stringify(probe.generateSmartCity()));
  });
});
