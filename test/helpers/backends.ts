// Every kernel test runs on both backends: a fresh engine per backend, never the shared defaults.
import { createEngine } from "../../bindings/engine/engine.js";
import type { Backend } from "../../bindings/engine/backend.js";

export const backendNames = ["wasm", "reference"] as const;

export function freshBackend(name: (typeof backendNames)[number]): Backend {
  return createEngine({ backend: name }).backend;
}

/** The SIMD and scalar WebAssembly builds and the reference backend, for kernels whose three results must
 *  agree to the bit. */
export function threeBuilds(): { readonly simd: Backend; readonly scalar: Backend; readonly reference: Backend } {
  return {
    simd: createEngine({ backend: "wasm" }).backend,
    scalar: createEngine({ backend: "wasm", simd: false }).backend,
    reference: createEngine({ backend: "reference" }).backend,
  };
}

/** Equal to the bit (Object.is, which also tells -0 from 0), element by element. */
export function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
