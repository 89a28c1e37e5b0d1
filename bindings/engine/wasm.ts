// A small hand-written loader for the AssemblyScript kernels (not @assemblyscript/loader, deprecated since
// AssemblyScript 0.20, nor asc's generated bindings, which copy every typed array in and out).
// The module is compiled once; each backend instance owns one WebAssembly.Instance and its memory.
// Buffers are raw blocks from the kernels' TLSF heap; their typed-array views are re-created whenever
// memory.buffer has changed (growth detaches the old ArrayBuffer and old views become empty).
import type { Arena, Backend, F64Buffer, I32Buffer } from "./backend.js";
import { DidwasmError } from "../errors.js";
import { wasmKernels, type Pointer } from "./wasm-adapter.js";
import { kernelImports } from "./kernel-imports.js";
import { kernelSource, prepareKernelSource } from "./kernel-source.js";

/** What the loader itself needs of the module's exports; the kernels are adapted from their declarations
 *  (kernel-signatures.ts, wasm-adapter.ts). */
interface KernelExports {
  memory: WebAssembly.Memory;
  allocBytes(bytes: number): number;
  freeBytes(ptr: number): void;
}

/** A compiled kernel module and whether it is the SIMD build. Immutable; can be posted to workers. */
export interface CompiledKernels {
  readonly module: WebAssembly.Module;
  readonly simd: boolean;
}

// The SIMD build is compiled without validating it first: compiling validates it anyway, and an engine
// without SIMD refuses it with a CompileError, upon which the scalar build is compiled. Validating first
// decoded the whole module a second time on the calling thread (about 3 ms of every CLI process on the
// 2-core VM, where the asynchronous compile validates on V8's background threads).

/** Compiles synchronously: fine in Node and in workers; browsers' main threads must use compileKernels. */
export function compileKernelsSync(preferSimd = true): CompiledKernels {
  if (preferSimd) {
    try {
      return { module: new WebAssembly.Module(kernelSource("simd") as BufferSource), simd: true };
    } catch (e) {
      if (!(e instanceof WebAssembly.CompileError)) throw e;
    }
  }
  return { module: new WebAssembly.Module(kernelSource("scalar") as BufferSource), simd: false };
}

/** The threads build (SIMD, shared imported memory; see kernel-threads.ts), or null where this engine
 *  cannot run it (no shared memory or no threads/SIMD support in WebAssembly). */
export function threadKernelBytes(): Uint8Array<ArrayBuffer> | null {
  if (typeof SharedArrayBuffer === "undefined") return null;
  const bytes = kernelSource("threads");
  return WebAssembly.validate(bytes) ? bytes : null;
}

export async function compileKernels(preferSimd = true): Promise<CompiledKernels> {
  if (preferSimd) {
    try {
      return { module: await WebAssembly.compile(kernelSource("simd") as BufferSource), simd: true };
    } catch (e) {
      if (!(e instanceof WebAssembly.CompileError)) throw e;
    }
  }
  await prepareKernelSource("scalar");
  return { module: await WebAssembly.compile(kernelSource("scalar") as BufferSource), simd: false };
}

class WasmF64 implements F64Buffer {
  private cached: Float64Array;
  constructor(readonly memory: WebAssembly.Memory, readonly ptr: number, readonly length: number) {
    this.cached = new Float64Array(memory.buffer, ptr, length);
  }
  get view(): Float64Array {
    if (this.cached.buffer !== this.memory.buffer) this.cached = new Float64Array(this.memory.buffer, this.ptr, this.length);
    return this.cached;
  }
}

class WasmI32 implements I32Buffer {
  private cached: Int32Array;
  constructor(readonly memory: WebAssembly.Memory, readonly ptr: number, readonly length: number) {
    this.cached = new Int32Array(memory.buffer, ptr, length);
  }
  get view(): Int32Array {
    if (this.cached.buffer !== this.memory.buffer) this.cached = new Int32Array(this.memory.buffer, this.ptr, this.length);
    return this.cached;
  }
}

/** TLSF's largest block is 1 GiB; we refuse earlier with a clear message rather than trap. */
export const WASM_MAX_BLOCK_BYTES = 2 ** 30 - 64;
/** A 32-bit memory: 65536 pages of 64 KiB. */
export const WASM_MAX_HEAP_BYTES = 2 ** 32;

class WasmArena implements Arena {
  private blocks: number[] = [];
  constructor(private readonly k: KernelExports) {}
  private alloc(bytes: number): number {
    if (bytes > WASM_MAX_BLOCK_BYTES) {
      throw new DidwasmError(
        "TOO_LARGE",
        `a single buffer of ${(bytes / 2 ** 20).toFixed(0)} MiB exceeds the 1 GiB block limit of the WebAssembly heap: use a subset of the rows, fewer columns, or the reference backend (--backend reference)`,
        { bytes },
      );
    }
    let ptr: number;
    try {
      // Addresses above 2 GiB come back from the i32 export as negative numbers: read them unsigned.
      ptr = this.k.allocBytes(Math.max(bytes, 16)) >>> 0;
    } catch (e) {
      // The allocator traps (unreachable) when memory cannot grow: the heap is full or the runtime refuses.
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      throw new DidwasmError(
        "TOO_LARGE",
        `the WebAssembly heap cannot grow by ${(bytes / 2 ** 20).toFixed(0)} MiB (it holds ${(this.k.memory.buffer.byteLength / 2 ** 30).toFixed(2)} GiB of at most 4 GiB): ` +
          "use a subset of the rows, fewer columns, or the reference backend (--backend reference)",
        { bytes },
      );
    }
    this.blocks.push(ptr);
    return ptr;
  }
  f64(length: number, zero = true): F64Buffer {
    const ptr = this.alloc(length * 8);
    const b = new WasmF64(this.k.memory, ptr, length);
    if (zero) b.view.fill(0);
    return b;
  }
  i32(length: number, zero = true): I32Buffer {
    const ptr = this.alloc(length * 4);
    const b = new WasmI32(this.k.memory, ptr, length);
    if (zero) b.view.fill(0);
    return b;
  }
  f64From(values: ArrayLike<number>): F64Buffer {
    const b = new WasmF64(this.k.memory, this.alloc(values.length * 8), values.length);
    b.view.set(values);
    return b;
  }
  i32From(values: ArrayLike<number>): I32Buffer {
    const b = new WasmI32(this.k.memory, this.alloc(values.length * 4), values.length);
    b.view.set(values);
    return b;
  }
  f64Part(buffer: F64Buffer, offset: number, length: number): F64Buffer {
    if (!(buffer instanceof WasmF64) || offset < 0 || offset + length > buffer.length) throw new RangeError("f64Part outside its buffer");
    return new WasmF64(this.k.memory, buffer.ptr + offset * 8, length);
  }
  release(): void {
    for (const p of this.blocks) this.k.freeBytes(p);
    this.blocks = [];
  }
}


/** An instance of the kernels: its backend, its raw exports and how buffers map to its addresses. */
export interface KernelInstance {
  readonly backend: Backend;
  readonly exports: Record<string, unknown>;
  readonly memory: WebAssembly.Memory;
  readonly pointer: Pointer;
}

export function instantiateKernels(compiled: CompiledKernels, shared: WebAssembly.Memory | null = null): KernelInstance {
  let memory: WebAssembly.Memory | null = shared;
  const instance = new WebAssembly.Instance(compiled.module, kernelImports(() => memory, shared));
  const k = instance.exports as unknown as KernelExports;
  memory = shared ?? k.memory;
  const mem = memory;
  const arenaExports: KernelExports = { memory: mem, allocBytes: k.allocBytes, freeBytes: k.freeBytes };
  /** The address of a buffer of this memory; buffers of another backend or memory are refused. */
  const pointer = (b: F64Buffer | I32Buffer | null): number => {
    if (b === null) return 0;
    if ((b instanceof WasmF64 || b instanceof WasmI32) && b.memory === mem) return b.ptr;
    throw new TypeError("buffer was not allocated by this wasm backend's arena");
  };
  const backend: Backend = { name: "wasm", simd: compiled.simd, arena: () => new WasmArena(arenaExports), ...wasmKernels(instance.exports, pointer) };
  return { backend, exports: instance.exports, memory: mem, pointer };
}

export function instantiateWasmBackend(compiled: CompiledKernels): Backend {
  return instantiateKernels(compiled).backend;
}
