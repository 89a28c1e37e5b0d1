// HiGHS in Node is compiled by highs-node.ts and kept on V8's baseline compiler while calls into it run.
// Checked: the platform hears of the outermost stretch of calls only, even when one throws; a process
// started with its own wasm tiering flags is left alone; and the numbers (smoothness bounds, which run on
// HiGHS) are the same with the platform as with the package's own loading, in separate processes (the
// runtime is loaded once per process).
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { inHighs, useHighsPlatform } from "../../bindings/estimators/honestdid/highs-solver.js";
import { nodeHighsPlatform, userSetWasmTiering } from "../../bindings/estimators/honestdid/highs-node.js";

afterEach(() => useHighsPlatform(null));

describe("HiGHS's platform in Node", () => {
  it("hears of the outermost stretch of calls into HiGHS, once, also when a call throws", () => {
    const heard: string[] = [];
    useHighsPlatform({ compile: () => null, enter: () => heard.push("enter"), leave: () => heard.push("leave") });
    expect(inHighs(() => inHighs(() => 2) + inHighs(() => 3))).toBe(5);
    expect(heard).toEqual(["enter", "leave"]);
    expect(() => inHighs(() => inHighs(() => {
      throw new Error("solver failed");
    }))).toThrow("solver failed");
    expect(heard).toEqual(["enter", "leave", "enter", "leave"]);
    expect(inHighs(() => 1)).toBe(1);
    expect(heard).toHaveLength(6);
  });

  it("leaves a process with its own tiering flags alone", () => {
    expect(userSetWasmTiering([], "")).toBe(false);
    expect(userSetWasmTiering(["--max-old-space-size=4096", "--input-type=module"], "--stack-size=900")).toBe(false);
    expect(userSetWasmTiering(["--liftoff-only"], "")).toBe(true);
    expect(userSetWasmTiering(["--no-wasm-tier-up"], "")).toBe(true);
    expect(userSetWasmTiering([], "--max-old-space-size=100 --no-liftoff")).toBe(true);
    expect(userSetWasmTiering(["--wasm-dynamic-tiering"], "")).toBe(true);
  });

  it("compiles HiGHS's module", () => {
    const module = nodeHighsPlatform.compile();
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(WebAssembly.Module.exports(module!).length).toBeGreaterThan(10);
  });

  it("gives the smoothness bounds of the package's own loading, bit for bit", () => {
    const dir = mkdtempSync(join(tmpdir(), "didwasm-highs-node-"));
    const cols = generateSyntheticPanel({ units: 60, periods: 7, regressors: 1, seed: 9, staggered: { cohorts: [2004], neverShare: 0.5, effect: 1 } });
    const D = Float64Array.from(cols.cohort as ArrayLike<number>, (c) => (c > 0 ? 1 : 0));
    writeFileSync(join(dir, "p.csv"), toCsv({ ...cols, D }));
    const cli = join(__dirname, "..", "..", "dist", "node", "cli.js");
    const args = ["honestdid", join(dir, "p.csv"), "--formula", "y ~ i(year, D, ref = 2003) | unit + year", "--vcov", "cluster:unit", "--delta", "sd", "--m", "0,0.02,0.05", "--json"];
    const run = (nodeFlags: string[]) => {
      const { timing_ms: _t, ...rest } = JSON.parse(execFileSync(process.execPath, [...nodeFlags, cli, ...args], { encoding: "utf8" }));
      return rest;
    };
    const platform = run([]);
    // --liftoff is V8's default: it changes nothing but marks the process as having its own flags.
    const packageLoaded = run(["--liftoff"]);
    expect(platform.robust).toHaveLength(3);
    expect(platform.robust.every((r: { lb: number; ub: number }) => Number.isFinite(r.lb) && r.lb < r.ub)).toBe(true);
    expect(platform).toEqual(packageLoaded);
  });
});
