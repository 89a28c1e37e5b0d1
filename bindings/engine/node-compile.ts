// Node only (the CLI): have V8 compile the kernels with its optimising tier (TurboFan), each function when
// it is first called.
//
// WHY. By default V8 compiles WebAssembly with a baseline tier (Liftoff) and optimises a function only
// after it has run for a while; a long first call (one demeaning of a million rows) that starts in the
// baseline tier stays there to its end, about twice slower. The library therefore warms every new module
// up with small calls (warmup.ts), which costs a CLI process about 30 ms of its first estimate. Compiling
// optimised from the start avoids that. Compiling every function optimised up front (eagerly) cost 100-130
// ms of CPU on the 2-core VM, most of it for kernels a command never calls; compiled lazily, a command pays
// only for the few it calls (a 500-draw placebo: about 100 ms less CPU for the whole process, measured
// with bench/start.bench.mjs). What remains at load, validating the module, overlaps with reading the
// file. V8 reads these flags when it compiles, so they must be set before the first compilation of the
// process (later ones would only apply to later modules; the warm-up then still covers the first).
//
// SMALL INPUTS keep the baseline tier (still lazily, without the warm-up): on a file of a few thousand rows
// no kernel call is long, the baseline compiles a function in a fraction of what TurboFan takes on the
// main thread at its first call, and V8 still optimises the functions that turn out hot, in the background.
// Measured on the bundled panel (0.6 MB): a 500-draw placebo process ran about 6% fewer instructions.
// Lazy compilation is V8's default from Node 20 on, so small inputs set no flag at all, and node:v8 is
// required only to set one (synchronously: the compilation starts before the data is read). Loading
// node:v8 loads Node's stream classes (for its heap snapshots): some 5-10 ms of a 0.25 s placebo process
// on the 2-core VM.
import { createRequire } from "node:module";
import { loadEngine, modulesCompileOptimised } from "./engine.js";

/** Inputs up to this size (bytes of the data file; some 25,000 rows of ten columns) keep the baseline
 *  tier: their kernel calls take milliseconds, far from the long first call the optimised tier is for. */
export const BASELINE_TIER_MAX_BYTES = 2 * 2 ** 20;

let pending: Promise<void> | null = null;

/** Starts compiling the kernels (once per process); the promise settles when they are ready. `inputBytes`,
 *  the size of the data the process will work on when known, decides the tier (see SMALL INPUTS). */
export function preloadOptimisedKernels(inputBytes = Infinity): Promise<void> {
  if (!pending) {
    try {
      if (inputBytes > BASELINE_TIER_MAX_BYTES) {
        const v8 = createRequire(import.meta.url)("node:v8") as typeof import("node:v8");
        v8.setFlagsFromString("--no-liftoff");
        v8.setFlagsFromString("--wasm-lazy-compilation");
      }
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
