// Engines whose kernels can run on several threads: the threads build of the kernels (SIMD on a shared
// WebAssembly memory) instantiated once on the calling thread, which owns the heap and allocates every
// buffer, and once on each kernel thread, which only runs kernels on addresses it is given (kernels never
// allocate: assembly/memory.ts). Each instance has its own small work area (assembly/thread-local.ts).
// How threads are started is platform-specific (worker_threads, Web Workers): the Node and browser entries
// register a spawner; without one, or without SharedArrayBuffer, or on a thread that may not block (a
// browser's main thread), there are no kernel threads and fits run on one thread, saying why.
import type { Engine } from "./engine.js";
import { warmUpIfNeeded } from "./engine.js";
import type { KernelThreadInit } from "./threads/protocol.js";
import { controlBlock } from "./threads/protocol.js";
import { KernelThreads, type KernelThreadHandle } from "./threads/kernel-threads.js";
import { instantiateKernels, threadKernelBytes } from "./wasm.js";

/** Starts one kernel thread with its init. */
export type KernelThreadSpawner = (init: KernelThreadInit) => KernelThreadHandle;

/** Bytes of each instance's work area (THREAD_LOCAL_BYTES in assembly/thread-local.ts). */
const THREAD_LOCAL_BYTES = 4096;
/** The threads build's memory: 16 pages to start, the whole 32-bit space at most (as the other builds). */
const INITIAL_PAGES = 16;
const MAXIMUM_PAGES = 65536;

/** How a platform starts kernel threads. */
export interface KernelThreadPlatform {
  readonly spawn: KernelThreadSpawner;
  /** Cores this machine has (the most threads worth running). */
  readonly cores: number;
  /** Whether a thread may block while its kernel threads start (Node: yes; a browser worker must return
   *  to its event loop first, so its kernel threads are started ahead with startKernelThreads). */
  readonly blockingStart: boolean;
  /** Why this platform cannot start threads after all (e.g. its thread script is missing), or null. */
  readonly unavailable?: () => string | null;
}

let platform: KernelThreadPlatform | null = null;
let threadModule: WebAssembly.Module | null | undefined;

export function registerKernelThreadPlatform(p: KernelThreadPlatform): void {
  platform = p;
}

/** The registered platform's cores (1 without one). */
export function machineCores(): number {
  return platform?.cores ?? 1;
}

/** Whether a fit may wait for kernel threads that are still starting. */
export function mayWaitForThreadStart(): boolean {
  return platform?.blockingStart ?? false;
}

function compiledThreadModule(): WebAssembly.Module | null {
  if (threadModule === undefined) {
    const bytes = threadKernelBytes();
    threadModule = bytes ? new WebAssembly.Module(bytes as BufferSource) : null;
  }
  return threadModule;
}

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Why kernel threads cannot run here, or null when they can. */
export function kernelThreadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer === "undefined") {
    return "SharedArrayBuffer is not available (a browser page must be cross-origin isolated: COOP/COEP headers)";
  }
  if (!platform) return "no way to start threads is registered in this entry point";
  const missing = platform.unavailable?.();
  if (missing) return missing;
  if (!canBlock()) return "this thread may not wait for others (a browser's main thread): run estimations in a Web Worker";
  if (!compiledThreadModule()) return "this WebAssembly engine does not support threads and SIMD";
  return null;
}

/** Starts the kernel threads of an all-cores engine now and resolves when they are ready (false when threads
 *  cannot run here or did not start within timeoutMs). For threads that must not block while kernel
 *  threads start (a browser's): the fits that come later find them ready. */
export async function prestartKernelThreads(timeoutMs: number): Promise<boolean> {
  const cores = machineCores();
  if (cores < 2 || kernelThreadsUnavailable() !== null) return false;
  return threadedEngine(cores).threads.whenReady(timeoutMs);
}

export interface ThreadedEngine extends Engine {
  readonly threads: KernelThreads;
}

const engines = new Map<number, ThreadedEngine>();

/** The engine with `threads` threads in all (the caller's and threads - 1 kernel threads), started on
 *  first use and kept for the process (its threads do not keep a process alive). Kernel threads may still
 *  be starting when it returns: wait with engine.threads.waitReady / whenReady. Throws when
 *  kernelThreadsUnavailable() says why. */
export function threadedEngine(threads: number): ThreadedEngine {
  const known = engines.get(threads);
  if (known) return known;
  const why = kernelThreadsUnavailable();
  if (why) throw new Error(`kernel threads unavailable: ${why}`);
  const module = compiledThreadModule()!;
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  const main = instantiateKernels({ module, simd: true }, memory);
  const alloc = main.exports.allocBytes as (bytes: number) => number;
  (main.exports.setThreadLocal as (ptr: number) => void)(alloc(THREAD_LOCAL_BYTES) >>> 0);
  warmUpIfNeeded(main.backend);
  const workers = threads - 1;
  const control = controlBlock(workers);
  const handles = Array.from({ length: workers }, (_, slot) =>
    platform!.spawn({ module, memory, control, slot, threadLocal: alloc(THREAD_LOCAL_BYTES) >>> 0 }),
  );
  const free = main.exports.freeBytes as (ptr: number) => void;
  const pool = new KernelThreads(main.backend, main.pointer, control, workers, handles, { memory, alloc, free });
  // A new arena first settles the pool's touchHeapAhead, whose freed reservation its buffers then reuse.
  const arena = () => {
    pool.settle();
    return main.backend.arena();
  };
  const engine: ThreadedEngine = { backend: { ...main.backend, arena, threads: pool }, threads: pool };
  engines.set(threads, engine);
  return engine;
}
