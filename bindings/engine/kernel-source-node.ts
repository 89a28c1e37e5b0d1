// The Node bundles' kernel-source.ts (scripts/build-node.mjs swaps it in and copies build/didwasm.*.wasm
// beside the bundles): the bytes are read from those files when the kernels are first compiled, instead of
// being parsed as base64 text with the rest of the library at import. tsc's own output keeps
// kernel-source.ts (there is no .wasm file beside dist/bindings/engine/).
import { readFileSync } from "node:fs";
import type { KernelBuild } from "./kernel-source.js";

export type { KernelBuild };

export function kernelSource(build: KernelBuild): Uint8Array<ArrayBuffer> {
  const file = readFileSync(new URL(`./didwasm.${build}.wasm`, import.meta.url));
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength) as Uint8Array<ArrayBuffer>;
}

/** Makes a build's bytes available to kernelSource (all are, here). */
export async function prepareKernelSource(_build: KernelBuild): Promise<void> {}
