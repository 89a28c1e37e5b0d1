// kernel-source.ts for browser bundles (scripts/build-web.mjs swaps it in): the SIMD and threads builds
// embedded, the scalar build (the fallback for engines without WebAssembly SIMD, which every current
// browser has) in a chunk of its own, fetched by prepareKernelSource. compileKernels (wasm.ts) prepares it
// before falling back to it; a synchronous compilation without SIMD that was not prepared says so.
import { WASM_SIMD_BASE64, WASM_THREADS_BASE64 } from "./wasm-bytes.generated.js";
import type { KernelBuild } from "./kernel-source.js";

export type { KernelBuild };

let scalarBase64: string | null = null;

export async function prepareKernelSource(build: KernelBuild): Promise<void> {
  if (build === "scalar") scalarBase64 ??= (await import("./wasm-bytes-scalar.generated.js")).WASM_SCALAR_BASE64;
}

export function kernelSource(build: KernelBuild): Uint8Array<ArrayBuffer> {
  const base64 = build === "simd" ? WASM_SIMD_BASE64 : build === "threads" ? WASM_THREADS_BASE64 : scalarBase64;
  if (base64 === null) {
    throw new Error("this browser has no WebAssembly SIMD, and the kernels' scalar build is loaded on demand: create the engine with `await loadEngine()` first");
  }
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}
