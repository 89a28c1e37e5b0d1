// The package entry points export the documented API, and the README's library example runs.
import { describe, expect, it } from "vitest";
import * as node from "../bindings/index.js";
import * as browser from "../bindings/browser.js";
import { readFileSync } from "node:fs";

describe("entry points", () => {
  it("the README example runs as written", () => {
    const data = node.readCsvFile("examples/smart-city.csv");
    const fit = node.feols(data, "ire ~ did + lngdp | city + year", { vcov: "cluster:city" });
    expect(fit.coef("did")).toBeGreaterThan(0);
    expect(fit.withVcov("hetero").se("did")).not.toBe(fit.se("did"));
    expect(Object.keys(fit.confint(0.9))).toEqual(["did", "lngdp"]);
  });
  it("the browser entry has the same API minus Node-only functions, and imports no Node built-ins", () => {
    // Files and worker threads are Node's; the computation worker and Web Worker pools are the browser's.
    const nodeOnly = ["readCsvFile", "fileSource", "readDataFile", "placeboParallel", "bdiffParallel"];
    const browserOnly = ["createComputeWorker", "browserEnv", "placeboBrowser", "bdiffBrowser"];
    expect(Object.keys(browser).filter((k) => !browserOnly.includes(k)).sort()).toEqual(Object.keys(node).filter((k) => !nodeOnly.includes(k)).sort());
    expect(readFileSync("bindings/browser.ts", "utf8")).not.toMatch(/node:/);
  });
  it("the package version matches package.json", () => {
    expect(node.VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });
});
