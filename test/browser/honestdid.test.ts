// honestdid in Chromium: the web tool fetches the HiGHS solver on first use and gives the same numbers as
// Node, === (smoothness bounds: the FLCI's quadratic programs in HiGHS's WebAssembly; relative magnitudes:
// TypeScript only); the self-contained library file leaves HiGHS out and says so, while relative magnitudes
// run there too.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommandByName } from "../../bindings/commands/run.js";
import { openTool, root, startHarness, type Harness } from "./harness.js";

const ehec = JSON.parse(readFileSync(join(root, "test", "golden", "honestdid", "ehec-event-study.json"), "utf8"));
const from = JSON.stringify({ betahat: ehec.betahat, sigma: ehec.sigma, num_pre: 5 });
const csv = "x\n0\n";
const withoutTiming = ({ timing_ms: _t, ...rest }: Record<string, unknown>) => rest;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe("honestdid in the browser", () => {
  it("the web tool: smoothness (HiGHS) and relative magnitudes, the same as Node", async () => {
    const { page, errors } = await openTool(h);
    for (const options of [{ from, delta: "sd", m: [0, 0.01, 0.03] }, { from, delta: "rm", mbar: [0.5, 1], gridPoints: 200 }]) {
      const inPage = (await page.evaluate(([c, o]) => (globalThis as any).didwasm.run("honestdid", c, JSON.parse(o)), [csv, JSON.stringify(options)] as const)) as Record<string, unknown>;
      const inNode = await runCommandByName("honestdid", csv, options);
      expect(withoutTiming(inPage)).toEqual(withoutTiming(inNode));
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("the self-contained library file: relative magnitudes run, smoothness says HiGHS is left out", async () => {
    const { page } = await openTool(h);
    const out = (await page.evaluate(async ([c, f]) => {
      // import() written as text: vitest would otherwise rewrite it for Node before it reaches the page
      const load = new Function("url", "return import(url)") as (url: string) => Promise<any>;
      const lib = await load(`${location.origin}/lib/didwasm.js`);
      await lib.loadEngine();
      const rm = await lib.run("honestdid", c, { from: f, mbar: [1], gridPoints: 200 });
      const sd = await lib.run("honestdid", c, { from: f, delta: "sd", m: [0] }).then(() => "ran", (e: Error) => e.message);
      return { rm: rm.robust[0].lb, sd };
    }, [csv, from] as const)) as { rm: number; sd: string };
    const node = (await runCommandByName("honestdid", csv, { from, mbar: [1], gridPoints: 200 })) as { robust: Array<{ lb: number }> };
    expect(out.rm).toBe(node.robust[0].lb);
    expect(out.sd).toMatch(/does not include the HiGHS solver/);
    await page.close();
  }, 120_000);
});
