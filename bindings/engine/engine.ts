// An Engine owns one backend instance (for "wasm": one WebAssembly.Instance and its memory). Estimators
// take an engine explicitly through options.engine; when none is given they use the shared default engine
// of the requested backend, created on first use. Jobs run synchronously and release their buffers before
// returning, so sharing a default engine carries no state from one call to the next.
import type { Backend, BackendName } from "./backend.js";
import { createReferenceBackend } from "./reference/index.js";
import { compileKernels, compileKernelsSync, instantiateWasmBackend, type CompiledKernels } from "./wasm.js";
import { warmUp } from "./warmup.js";

export interface Engine {
  readonly backend: Backend;
}

export interface EngineOptions {
  backend?: BackendName;
  /** Use the SIMD build when the runtime supports it (default true). */
  simd?: boolean;
}

let compiledSimd: CompiledKernels | null = null;
let compiledScalar: CompiledKernels | null = null;
/** Whether a freshly compiled module is warmed up (see warmup.ts): not when the runtime compiles
 *  WebAssembly with its optimising tier from the start (see node-compile.ts). */
let warmUpNeeded = true;

/** Declares that modules compiled from now on start out optimised, so warming them up is wasted work. */
export function modulesCompileOptimised(): void {
  warmUpNeeded = false;
}

/** Warms up a backend of a freshly compiled module unless modules compile optimised (see warmup.ts). */
export function warmUpIfNeeded(b: Backend): void {
  if (warmUpNeeded) warmUp(b);
}

/** Compiles once per process and warms the module up (see warmup.ts). */
function compiled(simd: boolean): CompiledKernels {
  if (simd && compiledSimd) return compiledSimd;
  if (!simd && compiledScalar) return compiledScalar;
  return remember(compileKernelsSync(simd), simd);
}

function remember(c: CompiledKernels, simd: boolean): CompiledKernels {
  if (warmUpNeeded) warmUp(instantiateWasmBackend(c));
  if (simd) compiledSimd = c;
  else compiledScalar = c;
  return c;
}

/** Creates an engine synchronously (Node, workers). */
export function createEngine(options: EngineOptions = {}): Engine {
  const name = options.backend ?? "wasm";
  if (name === "reference") return { backend: createReferenceBackend() };
  if (name !== "wasm") throw new TypeError(`unknown backend '${String(name)}': use "wasm" or "reference"`);
  return { backend: instantiateWasmBackend(compiled(options.simd ?? true)) };
}

/** Creates an engine with asynchronous compilation (required on a browser's main thread), and makes the
 *  compiled module available to later synchronous calls. */
export async function loadEngine(options: EngineOptions = {}): Promise<Engine> {
  const simd = options.simd ?? true;
  if ((options.backend ?? "wasm") === "wasm") {
    if (simd && !compiledSimd) remember(await compileKernels(true), true);
    if (!simd && !compiledScalar) remember(await compileKernels(false), false);
  }
  return createEngine(options);
}

const defaults = new Map<BackendName, Engine>();

/** The shared engine of a backend, created on first use. */
export function defaultEngine(name: BackendName = "wasm"): Engine {
  let e = defaults.get(name);
  if (!e) {
    e = createEngine({ backend: name });
    defaults.set(name, e);
  }
  return e;
}

/** An engine on an already compiled kernel module (workers receive the module instead of recompiling). */
export function engineFromModule(module: WebAssembly.Module, simd: boolean): Engine {
  return { backend: instantiateWasmBackend({ module, simd }) };
}

/** The compiled kernels behind the shared wasm engine (to post to workers). */
export function compiledKernels(simd = true): CompiledKernels {
  return compiled(simd);
}
