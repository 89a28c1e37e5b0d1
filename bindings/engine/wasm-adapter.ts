// The wasm backend's kernels, built from their declarations (kernel-signatures.ts): each call passes
// numbers through and buffers as their addresses in the instance's memory (0 for null), with the length
// right after the address for "f64[]+len". u32 arguments pass through as they are: the JS-to-wasm i32
// conversion (ToInt32) keeps the low 32 bits, the same bits `>>> 0` gives.
//
// The adapters are closures over a precomputed list of the argument positions that hold buffers, so a
// call costs one pass over those positions on top of the kernel itself; kernels are on hot paths (a
// placebo run calls them for every replicate); bench/fit.bench.mjs measures whole fits.
import { withCheck } from "./kernel-checks.js";
import { KERNEL_NAMES, KERNEL_SIGNATURES, kindOf, type KernelName, type Kernels, type ParamKind } from "./kernel-signatures.js";
import type { F64Buffer, I32Buffer } from "./buffers.js";

/** A kernel as the module exports it: numbers in, a number (or nothing) out. */
type RawKernel = (...args: number[]) => number | undefined;
export type Pointer = (b: F64Buffer | I32Buffer | null) => number;

const isBuffer = (k: ParamKind) => k.includes("[]");

/** How many arguments the module's function takes for a declaration ("+len" adds the length). */
export function wasmArity(name: KernelName): number {
  return KERNEL_SIGNATURES[name].params.reduce((n, p) => n + (kindOf(p) === "f64[]+len" ? 2 : 1), 0);
}

/** A kernel call's arguments as the module's function takes them: buffers as addresses, and the length of
 *  an "f64[]+len" buffer right after its address. Returns a function that converts `args` in place. */
export function rawArgumentsOf(name: KernelName, ptr: Pointer): (args: unknown[]) => number[] {
  const kinds = KERNEL_SIGNATURES[name].params.map(kindOf);
  const buffers = kinds.flatMap((k, i) => (isBuffer(k) ? [i] : []));
  // A buffer whose length the kernel needs too (demean's scratch): the length goes right after its address.
  const lengthAfter = kinds.indexOf("f64[]+len");
  if (kinds.lastIndexOf("f64[]+len") !== lengthAfter) throw new Error(`${name}: at most one f64[]+len parameter is supported`);
  return (args: unknown[]) => {
    const length = lengthAfter >= 0 ? (args[lengthAfter] as F64Buffer).length : 0;
    for (let j = 0; j < buffers.length; j++) {
      const i = buffers[j];
      args[i] = ptr(args[i] as F64Buffer | I32Buffer | null);
    }
    if (lengthAfter >= 0) args.splice(lengthAfter + 1, 0, length);
    return args as number[];
  };
}

function adapt(name: KernelName, raw: RawKernel, ptr: Pointer): (...args: unknown[]) => unknown {
  const toRaw = rawArgumentsOf(name, ptr);
  return (...args: unknown[]) => raw(...toRaw(args));
}

/** Every declared kernel of an instance's exports; refuses a module whose kernels do not match their
 *  declarations (a stale build of assembly/). */
export function wasmKernels(exports: Record<string, unknown>, ptr: Pointer): Kernels {
  const out: Record<string, unknown> = {};
  for (const name of KERNEL_NAMES) {
    const raw = exports[name];
    if (typeof raw !== "function" || raw.length !== wasmArity(name)) {
      const got = typeof raw === "function" ? `takes ${raw.length} arguments` : "is missing";
      throw new Error(`the wasm kernel module's ${name} ${got}, its declaration ${wasmArity(name)}: rebuild it (node scripts/build-wasm.mjs)`);
    }
    out[name] = withCheck(name, adapt(name, raw as RawKernel, ptr));
  }
  return out as Kernels;
}
