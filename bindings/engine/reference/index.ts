// The reference backend: the kernels in plain TypeScript on ordinary typed arrays. It exists so every
// wasm kernel can be checked against an independent, readable implementation, and as a fallback where
// WebAssembly is unavailable.
import type { Arena, Backend, F64Buffer, I32Buffer } from "../backend.js";
import { withCheck } from "../kernel-checks.js";
import { KERNEL_NAMES, KERNEL_SIGNATURES, kindOf, type KernelName, type Kernels } from "../kernel-signatures.js";
import { REFERENCE_KERNELS } from "./kernels.js";

class ArrayF64 implements F64Buffer {
  readonly view: Float64Array;
  constructor(readonly length: number, view?: Float64Array) {
    this.view = view ?? new Float64Array(length);
  }
}

class ArrayI32 implements I32Buffer {
  readonly view: Int32Array;
  constructor(readonly length: number) {
    this.view = new Int32Array(length);
  }
}

class ReferenceArena implements Arena {
  f64(length: number): F64Buffer {
    return new ArrayF64(length);
  }
  i32(length: number): I32Buffer {
    return new ArrayI32(length);
  }
  f64From(values: ArrayLike<number>): F64Buffer {
    const b = new ArrayF64(values.length);
    b.view.set(values);
    return b;
  }
  i32From(values: ArrayLike<number>): I32Buffer {
    const b = new ArrayI32(values.length);
    b.view.set(values);
    return b;
  }
  f64Part(buffer: F64Buffer, offset: number, length: number): F64Buffer {
    if (offset < 0 || offset + length > buffer.length) throw new RangeError("f64Part outside its buffer");
    return new ArrayF64(length, buffer.view.subarray(offset, offset + length));
  }
  release(): void {
    // Garbage-collected: nothing to free.
  }
}

/** A kernel called with its buffers' typed arrays (null stays null) and its u32 arguments taken modulo
 *  2^32, as the wasm backend's calls convert them (see wasm-adapter.ts). */
function adapt(name: KernelName): (...args: unknown[]) => unknown {
  const kinds = KERNEL_SIGNATURES[name].params.map(kindOf);
  const buffers = kinds.flatMap((k, i) => (k.includes("[]") ? [i] : []));
  const unsigned = kinds.flatMap((k, i) => (k === "u32" ? [i] : []));
  const run = REFERENCE_KERNELS[name] as (...args: unknown[]) => unknown;
  return (...args: unknown[]) => {
    for (const i of buffers) if (args[i] !== null) args[i] = (args[i] as F64Buffer | I32Buffer).view;
    for (const i of unsigned) args[i] = (args[i] as number) >>> 0;
    return run(...args);
  };
}

/** An arena of ordinary typed arrays (the staged backend keeps its buffers outside the WebAssembly heap in one). */
export function createHostArena(): Arena {
  return new ReferenceArena();
}

export function createReferenceBackend(): Backend {
  const kernels = Object.fromEntries(KERNEL_NAMES.map((name) => [name, withCheck(name, adapt(name))])) as Kernels;
  return { name: "reference", simd: false, arena: () => new ReferenceArena(), ...kernels };
}
