// HiGHS in Node: its module compiled here, kept on V8's baseline compiler (Liftoff), never optimised.
//
// WHY. V8 compiles WebAssembly lazily with Liftoff and re-compiles the functions that turn out hot with
// TurboFan on background threads. HiGHS's hot functions are large C++ solver routines: the sensitivity
// analysis's few hundred small programs made V8 spend over a second of CPU optimising them, on threads
// that compete with the solve on a small machine, and Node's exit waits for those compiles to finish
// (about 0.5 s after the CLI had written its result). The programs are small enough that Liftoff's code
// solves them in tens of milliseconds; the optimised code would never pay for its compilation here.
//
// HOW (V8 11, Node 20). V8 has no per-module setting, only process-wide flags, read at two moments:
//  - whether a module tiers up as it runs ("dynamic tiering") is fixed when it is compiled: HiGHS is
//    compiled synchronously with that flag off, and it is set back on before anything else can compile,
//    so every other module (the kernels, in this thread or others) keeps tiering up as usual;
//  - a module compiled without dynamic tiering has each function optimised eagerly in the background,
//    decided when the function is first called (lazy compilation), unless --no-wasm-tier-up: that flag is
//    off while calls into HiGHS run (highs-solver.ts's enter/leave), and on again between them. It does
//    not touch modules that tier up dynamically, so other wasm running meanwhile is unaffected.
// Numbers are the same either way: WebAssembly's arithmetic is exact IEEE in every tier.
// A process started with its own wasm tiering flags keeps them: HiGHS is then loaded as the package does.
// node:fs and node:v8 are required on first use, not imported: every CLI process loads this file, and
// loading node:v8 loads Node's stream classes (for its heap snapshots), milliseconds of a short run.
import { createRequire } from "node:module";
import { useHighsPlatform, type HighsPlatform } from "./highs-solver.js";

const nodeRequire = createRequire(import.meta.url);
let v8Module: typeof import("node:v8") | null = null;
const v8 = (): typeof import("node:v8") => (v8Module ??= nodeRequire("node:v8") as typeof import("node:v8"));

/** Flags a user may have given Node that decide how WebAssembly tiers; with any of them, V8 is left alone. */
const TIERING_FLAG = /--(no-)?(liftoff|wasm-tier-up|wasm-dynamic-tiering|wasm-lazy-compilation|liftoff-only)\b/;

/** HiGHS's compiled module, or null (the package then loads it) when the flags cannot be set. */
function compileBaselineOnly(): WebAssembly.Module | null {
  const { readFileSync } = nodeRequire("node:fs") as typeof import("node:fs");
  const bytes = readFileSync(nodeRequire.resolve("highs/runtime"));
  try {
    v8().setFlagsFromString("--no-wasm-dynamic-tiering");
  } catch {
    return null;
  }
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    v8().setFlagsFromString("--wasm-dynamic-tiering");
  }
}

export const nodeHighsPlatform: HighsPlatform = {
  compile: compileBaselineOnly,
  enter: () => v8().setFlagsFromString("--no-wasm-tier-up"),
  leave: () => v8().setFlagsFromString("--wasm-tier-up"),
};

/** Whether this process was started with flags of its own about wasm tiering (then they are kept). */
export function userSetWasmTiering(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ""): boolean {
  return execArgv.some((a) => TIERING_FLAG.test(a)) || TIERING_FLAG.test(nodeOptions);
}

/** Has this Node process load and call HiGHS as above (the Node entry and the CLI call it). */
export function useNodeHighs(): void {
  if (!userSetWasmTiering()) useHighsPlatform(nodeHighsPlatform);
}
