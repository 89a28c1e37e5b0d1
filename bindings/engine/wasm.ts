// A small hand-written loader for the AssemblyScript kernels (not @assemblyscript/loader, deprecated since
// AssemblyScript 0.20, nor asc's generated bindings, which copy every typed array in and out).
// The module is compiled once; each backend instance owns one WebAssembly.Instance and its memory.
// Buffers are raw blocks from the kernels' TLSF heap; their typed-array views are re-created whenever
// memory.buffer has changed (growth detaches the old ArrayBuffer and old views become empty).
import { DEMEAN_COLUMN_BLOCK, type Arena, type Backend, type F64Buffer, type I32Buffer } from "./backend.js";
import { WASM_SCALAR_BASE64, WASM_SIMD_BASE64 } from "./wasm-bytes.generated.js";

interface KernelExports {
  memory: WebAssembly.Memory;
  allocBytes(bytes: number): number;
  freeBytes(ptr: number): void;
  demean(N: number, C: number, Q: number, inp: number, out: number, fe: number, G: number, w: number, tol: number,
    maxIter: number, scratch: number, scratchLen: number, iter: number): number;
  fixefSolve(N: number, Q: number, fe: number, G: number, w: number, rhs: number, threshold: number, maxIter: number,
    scratch: number, scratchLen: number, coef: number): number;
  crossprod(N: number, K: number, X: number, w: number, out: number): void;
  demeanBalanced(N: number, C: number, inp: number, out: number, unit: number, time: number, U: number, T: number, scratch: number): void;
  demeanTwoWay(N: number, C: number, inp: number, out: number, unit: number, period: number, U: number, P: number, w: number,
    cellStart: number, cellPeriod: number, cellWeight: number, unitWeight: number, L: number, scratch: number): void;
  twoWayCells(N: number, unit: number, period: number, order: number, U: number, P: number, w: number, cellStart: number, cellPeriod: number,
    cellWeight: number, unitWeight: number, periodWeight: number, cellOf: number): number;
  crossprodAB(N: number, Ka: number, A: number, Kb: number, B: number, w: number, out: number): void;
  columnMoments(N: number, C: number, X: number, w: number, mean: number, ss: number): void;
  crossprodIndicators(N: number, C: number, A: number, w: number, code: number, P: number, out: number): void;
  residuals(N: number, K: number, X: number, b: number, y: number, e: number): void;
  cholesky(K: number, A: number, L: number, keep: number, tol: number): number;
  cholSolve(K: number, L: number, keep: number, b: number, x: number): void;
  cholInverse(K: number, L: number, keep: number, inv: number, work: number): void;
  meatHetero(N: number, K: number, X: number, e: number, w: number, v: number, out: number): void;
  meatCluster(N: number, K: number, X: number, e: number, w: number, cl: number, G: number, S: number, out: number): void;
  rngFillU32(seed: number, stream: number, N: number, out: number): void;
  rngFillUniform(seed: number, stream: number, N: number, out: number): void;
  rngFillBelow(seed: number, stream: number, n: number, N: number, out: number): void;
  wildBootstrapT(G: number, K: number, T0: number, T1: number, c: number, cIdx: number, factor: number, kind: number, seed: number,
    firstRep: number, B: number, scratch: number, t: number, mom: number): void;
  wildFillWeights(kind: number, seed: number, firstRep: number, B: number, G: number, v: number): void;
  logitIrls(N: number, K: number, X: number, y: number, pw: number, beta: number, eta: number, w: number, r: number, xtwx: number, score: number): number;
}

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The SIMD build when this engine validates it, else the scalar build. */
export function kernelBytes(preferSimd = true): { bytes: Uint8Array<ArrayBuffer>; simd: boolean } {
  if (preferSimd) {
    const simd = decodeBase64(WASM_SIMD_BASE64);
    if (WebAssembly.validate(simd)) return { bytes: simd, simd: true };
  }
  return { bytes: decodeBase64(WASM_SCALAR_BASE64), simd: false };
}

/** A compiled kernel module and whether it is the SIMD build. Immutable; can be posted to workers. */
export interface CompiledKernels {
  readonly module: WebAssembly.Module;
  readonly simd: boolean;
}

/** Compiles synchronously: fine in Node and in workers; browsers' main threads must use compileKernels. */
export function compileKernelsSync(preferSimd = true): CompiledKernels {
  const { bytes, simd } = kernelBytes(preferSimd);
  return { module: new WebAssembly.Module(bytes as BufferSource), simd };
}

export async function compileKernels(preferSimd = true): Promise<CompiledKernels> {
  const { bytes, simd } = kernelBytes(preferSimd);
  return { module: await WebAssembly.compile(bytes as BufferSource), simd };
}

/** Reads an AssemblyScript string (UTF-16, byte length stored just before it) for abort messages. */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return "";
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
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
const MAX_BLOCK_BYTES = 2 ** 30 - 64;

class WasmArena implements Arena {
  private blocks: number[] = [];
  constructor(private readonly k: KernelExports) {}
  private alloc(bytes: number): number {
    if (bytes > MAX_BLOCK_BYTES) {
      throw new RangeError(`a single buffer of ${(bytes / 2 ** 20).toFixed(0)} MiB exceeds the 1 GiB block limit of the wasm heap`);
    }
    const ptr = this.k.allocBytes(Math.max(bytes, 16));
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


export function instantiateWasmBackend(compiled: CompiledKernels): Backend {
  let memory: WebAssembly.Memory | null = null;
  const imports = {
    env: {
      abort(msg: number, file: number, line: number, col: number): never {
        const text = memory ? `${readAsString(memory, msg)} at ${readAsString(memory, file)}:${line}:${col}` : "abort";
        throw new Error(`wasm kernel aborted: ${text}`);
      },
    },
  };
  const instance = new WebAssembly.Instance(compiled.module, imports);
  const k = instance.exports as unknown as KernelExports;
  memory = k.memory;
  /** The address of a buffer of this instance; buffers of another backend or instance are refused. */
  const ptr = (b: F64Buffer | I32Buffer | null): number => {
    if (b === null) return 0;
    if ((b instanceof WasmF64 || b instanceof WasmI32) && b.memory === k.memory) return b.ptr;
    throw new TypeError("buffer was not allocated by this wasm backend's arena");
  };
  return {
    name: "wasm",
    simd: compiled.simd,
    arena: () => new WasmArena(k),
    demean: (N, C, Q, inp, out, fe, G, w, tol, maxIter, scratch, iter) =>
      k.demean(N, C, Q, ptr(inp), ptr(out), ptr(fe), ptr(G), ptr(w), tol, maxIter, ptr(scratch), scratch.length, ptr(iter)),
    fixefSolve: (N, Q, fe, G, w, rhs, threshold, maxIter, scratch, coef) =>
      k.fixefSolve(N, Q, ptr(fe), ptr(G), ptr(w), ptr(rhs), threshold, maxIter, ptr(scratch), scratch.length, ptr(coef)),
    crossprod: (N, K, X, w, out) => k.crossprod(N, K, ptr(X), ptr(w), ptr(out)),
    demeanBalanced: (N, C, inp, out, unit, time, U, T, scratch) =>
      k.demeanBalanced(N, C, ptr(inp), ptr(out), ptr(unit), ptr(time), U, T, ptr(scratch)),
    twoWayCells: (N, unit, period, order, U, P, w, cellStart, cellPeriod, cellWeight, unitWeight, periodWeight, cellOf) =>
      k.twoWayCells(N, ptr(unit), ptr(period), ptr(order), U, P, ptr(w), ptr(cellStart), ptr(cellPeriod), ptr(cellWeight), ptr(unitWeight),
        ptr(periodWeight), ptr(cellOf)),
    demeanTwoWay: (N, C, inp, out, unit, period, U, P, w, cellStart, cellPeriod, cellWeight, unitWeight, L, scratch) => {
      if (scratch.length < (U + P) * Math.min(C, DEMEAN_COLUMN_BLOCK)) throw new RangeError("demeanTwoWay: scratch too short");
      k.demeanTwoWay(N, C, ptr(inp), ptr(out), ptr(unit), ptr(period), U, P, ptr(w), ptr(cellStart), ptr(cellPeriod), ptr(cellWeight),
        ptr(unitWeight), ptr(L), ptr(scratch));
    },
    crossprodAB: (N, Ka, A, Kb, B, w, out) => k.crossprodAB(N, Ka, ptr(A), Kb, ptr(B), ptr(w), ptr(out)),
    columnMoments: (N, C, X, w, mean, ss) => k.columnMoments(N, C, ptr(X), ptr(w), ptr(mean), ptr(ss)),
    crossprodIndicators: (N, C, A, w, code, P, out) => k.crossprodIndicators(N, C, ptr(A), ptr(w), ptr(code), P, ptr(out)),
    residuals: (N, K, X, b, y, e) => k.residuals(N, K, ptr(X), ptr(b), ptr(y), ptr(e)),
    cholesky: (K, A, L, keep, tol) => k.cholesky(K, ptr(A), ptr(L), ptr(keep), tol),
    cholSolve: (K, L, keep, b, x) => k.cholSolve(K, ptr(L), ptr(keep), ptr(b), ptr(x)),
    cholInverse: (K, L, keep, inv, work) => k.cholInverse(K, ptr(L), ptr(keep), ptr(inv), ptr(work)),
    meatHetero: (N, K, X, e, w, v, out) => k.meatHetero(N, K, ptr(X), ptr(e), ptr(w), ptr(v), ptr(out)),
    meatCluster: (N, K, X, e, w, cl, G, S, out) => k.meatCluster(N, K, ptr(X), ptr(e), ptr(w), ptr(cl), G, ptr(S), ptr(out)),
    rngFillU32: (seed, stream, N, out) => k.rngFillU32(seed >>> 0, stream >>> 0, N, ptr(out)),
    rngFillUniform: (seed, stream, N, out) => k.rngFillUniform(seed >>> 0, stream >>> 0, N, ptr(out)),
    rngFillBelow: (seed, stream, n, N, out) => k.rngFillBelow(seed >>> 0, stream >>> 0, n, N, ptr(out)),
    wildBootstrapT: (G, K, T0, T1, c, cIdx, factor, kind, seed, firstRep, B, scratch, t, mom) =>
      k.wildBootstrapT(G, K, ptr(T0), ptr(T1), ptr(c), cIdx, factor, kind, seed >>> 0, firstRep >>> 0, B, ptr(scratch), ptr(t), ptr(mom)),
    wildFillWeights: (kind, seed, firstRep, B, G, v) => k.wildFillWeights(kind, seed >>> 0, firstRep >>> 0, B, G, ptr(v)),
    logitIrls: (N, K, X, y, pw, beta, eta, w, r, xtwx, score) =>
      k.logitIrls(N, K, ptr(X), ptr(y), ptr(pw), ptr(beta), ptr(eta), ptr(w), ptr(r), ptr(xtwx), ptr(score)),
  };
}
