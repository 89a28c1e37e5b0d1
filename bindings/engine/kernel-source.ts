// The kernels' WebAssembly bytes, one build at a time, decoded from the base64 that scripts/build-wasm.mjs
// embeds in the generated module, so that bundlers and browsers need no file beside the library.
// The Node bundles (scripts/build-node.mjs) swap this module for kernel-source-node.ts, which reads the
// .wasm files copied beside them: the library's import then neither parses 130 kB of base64 text nor
// decodes it; browser bundles (scripts/build-web.mjs) swap it for kernel-source-browser.ts, which loads the
// scalar build only where it is needed.
import { WASM_SIMD_BASE64, WASM_THREADS_BASE64 } from "./wasm-bytes.generated.js";
import { WASM_SCALAR_BASE64 } from "./wasm-bytes-scalar.generated.js";

/** The three builds of one source (asconfig.json): SIMD, scalar, and SIMD on shared memory for threads. */
export type KernelBuild = "simd" | "scalar" | "threads";

const BASE64: Record<KernelBuild, string> = { simd: WASM_SIMD_BASE64, scalar: WASM_SCALAR_BASE64, threads: WASM_THREADS_BASE64 };

export function kernelSource(build: KernelBuild): Uint8Array<ArrayBuffer> {
  const bin = atob(BASE64[build]);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Makes a build's bytes available to kernelSource (all are, here). */
export async function prepareKernelSource(_build: KernelBuild): Promise<void> {}
