// The kernels' bytes as browser bundles get them (bindings/engine/kernel-source-browser.ts, swapped in by
// scripts/build-web.mjs): the SIMD and threads builds at once, the scalar build only once prepared (a chunk
// of its own, fetched where SIMD is missing), then the same bytes as the library's other sources.
import { describe, expect, it } from "vitest";
import * as browser from "../../bindings/engine/kernel-source-browser.js";
import { kernelSource } from "../../bindings/engine/kernel-source.js";

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

describe("kernel-source-browser", () => {
  it("gives the SIMD and threads builds at once, as kernel-source.ts does", () => {
    expect(same(browser.kernelSource("simd"), kernelSource("simd"))).toBe(true);
    expect(same(browser.kernelSource("threads"), kernelSource("threads"))).toBe(true);
  });

  it("refuses the scalar build until prepared, saying how to load it, then gives the same bytes", async () => {
    expect(() => browser.kernelSource("scalar")).toThrow(/no WebAssembly SIMD.*loadEngine/);
    await browser.prepareKernelSource("scalar");
    const scalar = browser.kernelSource("scalar");
    expect(same(scalar, kernelSource("scalar"))).toBe(true);
    expect(WebAssembly.validate(scalar)).toBe(true);
  });
});
