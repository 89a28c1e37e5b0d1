// The kernels compile the SIMD build without validating it first (bindings/engine/wasm.ts): an engine
// that refuses it (no WebAssembly SIMD) raises a CompileError, and the scalar build is compiled instead;
// any other failure is not hidden.
import { afterEach, describe, expect, it, vi } from "vitest";
import { compileKernels, compileKernelsSync, instantiateWasmBackend } from "../../bindings/engine/wasm.js";
import { kernelSource } from "../../bindings/engine/kernel-source.js";

const simdBytes = kernelSource("simd");
const isSimd = (bytes: BufferSource) => ArrayBuffer.isView(bytes) && bytes.byteLength === simdBytes.byteLength && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(Buffer.from(simdBytes));

afterEach(() => vi.restoreAllMocks());

/** A WebAssembly.Module that refuses the SIMD build with `error`, as an engine without SIMD does. */
function refuseSimdSync(error: Error) {
  const RealModule = WebAssembly.Module;
  vi.spyOn(WebAssembly, "Module").mockImplementation(function (bytes: BufferSource) {
    if (isSimd(bytes)) throw error;
    return new RealModule(bytes);
  } as unknown as (bytes: BufferSource) => WebAssembly.Module);
}

describe("compiling the kernels", () => {
  it("compiles the SIMD build where the engine takes it", async () => {
    expect(compileKernelsSync().simd).toBe(true);
    expect((await compileKernels()).simd).toBe(true);
    expect(compileKernelsSync(false).simd).toBe(false);
  });

  it("falls back to the scalar build when the SIMD build is refused with a CompileError (async)", async () => {
    const compile = WebAssembly.compile;
    const spy = vi.spyOn(WebAssembly, "compile").mockImplementation((bytes) => (isSimd(bytes) ? Promise.reject(new WebAssembly.CompileError("simd")) : compile(bytes)));
    const c = await compileKernels();
    expect(c.simd).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    // the scalar module works
    const b = instantiateWasmBackend(c);
    const a = b.arena();
    try {
      const x = a.f64From([1, 2, 3]);
      const m = a.f64(1);
      const ss = a.f64(1);
      b.columnMoments(3, 1, x, null, m, ss);
      expect(m.view[0]).toBe(2);
    } finally {
      a.release();
    }
  });

  it("falls back to the scalar build when the SIMD build is refused with a CompileError (sync)", () => {
    refuseSimdSync(new WebAssembly.CompileError("simd"));
    expect(compileKernelsSync().simd).toBe(false);
  });

  it("does not hide other failures", async () => {
    refuseSimdSync(new RangeError("out of memory"));
    expect(() => compileKernelsSync()).toThrow(RangeError);
    vi.spyOn(WebAssembly, "compile").mockImplementation(() => Promise.reject(new RangeError("out of memory")));
    await expect(compileKernels()).rejects.toThrow(RangeError);
  });
});
