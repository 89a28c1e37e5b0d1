// Node only (the CLI): have V8 compile the kernels with its optimising tier (TurboFan), eagerly, on its
// background threads, while the main thread reads the data.
//
// WHY. By default V8 compiles WebAssembly with a baseline tier (Liftoff) and optimises a function only
// after it has run for a while; a long first call (one demeaning of a million rows) that starts in the
// baseline tier stays there to its end, about twice slower. The library therefore warms every new module
// up with small calls (warmup.ts), which costs a CLI process about 30 ms of its first estimate. Compiling
// optimised from the start costs about 18 ms of background-thread time instead, and overlaps with reading
// the file. V8 reads these two flags when it compiles, so they must be set before the first compilation
// of the process (later ones would only apply to later modules; the warm-up then still covers the first).
import v8 from "node:v8";
import { loadEngine, modulesCompileOptimised } from "./engine.js";

let pending: Promise<void> | null = null;

/** Starts compiling the kernels (once per process); the promise settles when they are ready. */
export function preloadOptimisedKernels(): Promise<void> {
  if (!pending) {
    try {
      v8.setFlagsFromString("--no-liftoff");
      v8.setFlagsFromString("--no-wasm-lazy-compilation");
      modulesCompileOptimised();
    } catch {
      // A runtime that refuses flags compiles as usual, and the warm-up stays on.
    }
    // A failure here is not reported: the first estimate compiles synchronously and reports it.
    pending = loadEngine().then(
      () => undefined,
      () => undefined,
    );
  }
  return pending;
}
