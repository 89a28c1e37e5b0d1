// The CLI has V8 compile the kernels optimised (each function on its first call; the module itself while
// it reads the data: bindings/engine/node-compile.ts): one compilation per process, no warm-up, the same
// numbers.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { compiledKernels } from "../../bindings/engine/engine.js";
import { preloadOptimisedKernels } from "../../bindings/engine/node-compile.js";
import { feols } from "../../bindings/estimators/feols.js";

const city = join(__dirname, "..", "..", "examples", "smart-city.csv");

describe("preloadOptimisedKernels", () => {
  it("starts one compilation per process and leaves the compiled module to later engines", async () => {
    const first = preloadOptimisedKernels();
    expect(preloadOptimisedKernels()).toBe(first);
    await first;
    const module = compiledKernels().module;
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(compiledKernels().module).toBe(module); // not compiled again
  });

  it("the optimised module gives the reference backend's numbers", async () => {
    await preloadOptimisedKernels();
    const frame = readCsvFile(city);
    const formula = "ire ~ did + lngdp + lnfin | city + year";
    const w = feols(frame, formula, { backend: "wasm", vcov: "cluster:city" }).tidy();
    const r = feols(frame, formula, { backend: "reference", vcov: "cluster:city" }).tidy();
    w.forEach((row, i) => {
      expect(row.estimate).toBe(r[i].estimate);
      expect(row.std_error).toBe(r[i].std_error);
    });
  });
});
