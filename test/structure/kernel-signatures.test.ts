// Each kernel's signature is declared once (bindings/engine/kernel-signatures.ts); these tests hold the
// two implementations to it: the AssemblyScript source (parameter names and types, result type), the
// compiled module's exports (arity, both builds), the reference implementations (arity, which TypeScript
// lets a shorter function satisfy), and the constants both sides share.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WILD_WEIGHT_CODES } from "../../bindings/engine/backend.js";
import { KERNEL_NAMES, KERNEL_SIGNATURES, kindOf, nameOf, type KernelName, type ParamKind } from "../../bindings/engine/kernel-signatures.js";
import { REFERENCE_KERNELS } from "../../bindings/engine/reference/kernels.js";
import { compileKernelsSync } from "../../bindings/engine/wasm.js";
import { wasmArity, wasmKernels } from "../../bindings/engine/wasm-adapter.js";
import { freshBackend, backendNames } from "../helpers/backends.js";
import { ROOT } from "./import-graph.js";

const assembly = (file: string) => readFileSync(join(ROOT, "assembly", file), "utf8");

/** name -> source file of every function assembly/index.ts re-exports. */
function exportedFunctions(): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of assembly("index.ts").matchAll(/export\s*\{([^}]*)\}\s*from\s*"\.\/([\w-]+)"/g)) {
    for (const name of m[1].split(",").map((s) => s.trim()).filter(Boolean)) out.set(name, `${m[2]}.ts`);
  }
  return out;
}

/** The parameters ("name:type") and result type of an AssemblyScript function's declaration. */
function assemblySignature(file: string, name: string): { params: string[]; result: string } {
  const m = new RegExp(`export function ${name}\\(([^)]*)\\)\\s*:\\s*(\\w+)\\s*\\{`).exec(assembly(file));
  if (!m) throw new Error(`no declaration of ${name} in assembly/${file}`);
  const params = m[1].split(",").map((p) => p.replace(/\s+/g, "")).filter(Boolean);
  return { params, result: m[2] };
}

/** The AssemblyScript parameters a declared parameter stands for. */
function expectedAssemblyParams(spec: `${string}:${ParamKind}`): string[] {
  const name = nameOf(spec);
  const kind = kindOf(spec);
  if (kind === "f64[]+len") return [`${name}:usize`, `${name}Len:i32`];
  return [`${name}:${kind.includes("[]") ? "usize" : kind}`];
}

describe("kernel declarations and the AssemblyScript kernels", () => {
  const exported = exportedFunctions();

  it.each(KERNEL_NAMES)("%s: same parameter names and types, same result type", (name) => {
    const file = exported.get(name);
    expect(file, `assembly/index.ts exports ${name}`).toBeDefined();
    const sig = assemblySignature(file!, name);
    expect(sig.params).toEqual(KERNEL_SIGNATURES[name].params.flatMap(expectedAssemblyParams));
    expect(sig.result).toBe(KERNEL_SIGNATURES[name].result);
  });

  it("every function the module exports is a declared kernel (but the allocator's two and the thread setup)", () => {
    const undeclared = [...exported.keys()].filter((n) => !(KERNEL_NAMES as string[]).includes(n));
    expect(undeclared.sort()).toEqual(["allocBytes", "freeBytes", "setThreadLocal"]);
  });

  it("the wild bootstrap weight codes are the kernels' WILD_* constants", () => {
    const source = assembly("resample.ts");
    const codes = Object.fromEntries([...source.matchAll(/export const WILD_(\w+): i32 = (\d+);/g)].map((m) => [m[1].toLowerCase(), Number(m[2])]));
    expect(codes).toEqual(WILD_WEIGHT_CODES);
  });
});

describe("kernel declarations and the implementations", () => {
  it.each([true, false])("the compiled module (SIMD %s) exports every kernel with the declared arity", (simd) => {
    const instance = new WebAssembly.Instance(compileKernelsSync(simd).module, { env: { abort: () => {} } });
    for (const name of KERNEL_NAMES) expect((instance.exports[name] as (...a: number[]) => unknown).length, name).toBe(wasmArity(name));
  });

  it("every reference implementation takes the declared number of arguments", () => {
    for (const name of KERNEL_NAMES) expect(REFERENCE_KERNELS[name].length, name).toBe(KERNEL_SIGNATURES[name].params.length);
  });

  it("a module whose kernel does not match its declaration is refused, naming the kernel", () => {
    const { exports } = fakeExports();
    expect(() => wasmKernels(exports, () => 0)).not.toThrow();
    exports.crossprod = (N: number, K: number) => N + K;
    expect(() => wasmKernels(exports, () => 0)).toThrow(/crossprod takes 2 arguments, its declaration 5: rebuild/);
    delete exports.crossprod;
    expect(() => wasmKernels(exports, () => 0)).toThrow(/crossprod is missing/);
  });

  it("the wasm adapter passes numbers as they are, buffers as addresses (0 for null), and a scratch's length after its address", () => {
    const { exports, calls } = fakeExports();
    const address = new Map<unknown, number>();
    const f64 = (length: number, at: number) => placedAt(address, { length, view: new Float64Array(length) }, at);
    const i32 = (at: number) => placedAt(address, { length: 1, view: new Int32Array(1) }, at);
    const k = wasmKernels(exports, (b) => (b === null ? 0 : address.get(b)!));
    k.demean(10, 2, 1, f64(20, 100), f64(20, 200), i32(300), i32(400), null, 1e-8, 50, f64(77, 500), i32(600));
    expect(calls.get("demean")).toEqual([10, 2, 1, 100, 200, 300, 400, 0, 1e-8, 50, 500, 77, 600]);
    k.wildFillWeights(1, 2 ** 32 - 1, 5, 3, 4, f64(12, 700));
    expect(calls.get("wildFillWeights")).toEqual([1, 2 ** 32 - 1, 5, 3, 4, 700]);
  });
});

/** Stand-ins for the module's exports with the declared arities, each recording its last arguments. */
function fakeExports(): { exports: Record<string, unknown>; calls: Map<string, number[]> } {
  const calls = new Map<string, number[]>();
  const stub = (name: KernelName) => {
    const f = (...args: number[]) => {
      calls.set(name, args);
      return 0;
    };
    return Object.defineProperty(f, "length", { value: wasmArity(name) });
  };
  return { exports: Object.fromEntries(KERNEL_NAMES.map((n) => [n, stub(n)])), calls };
}

/** Registers `b` at address `at`. */
function placedAt<B>(address: Map<unknown, number>, b: B, at: number): B {
  address.set(b, at);
  return b;
}

describe.each(backendNames)("kernel preconditions (%s)", (name) => {
  it("demeanTwoWay refuses a scratch shorter than (U + P) x min(C, 8) with a RangeError, before the kernel runs", () => {
    const b = freshBackend(name);
    const a = b.arena();
    try {
      const N = 4;
      const C = 2;
      const x = a.f64From([1, 2, 3, 4, 5, 6, 7, 8]);
      const out = a.f64(N * C);
      const unit = a.i32From([0, 0, 1, 1]);
      const period = a.i32From([0, 1, 0, 1]);
      const run = (scratch: number) =>
        b.demeanTwoWay(N, C, x, out, unit, period, 2, 2, null, a.i32From([0, 2, 4]), a.i32From([0, 1, 0, 1]), a.f64From([1, 1, 1, 1]),
          a.f64From([2, 2]), a.f64From([1]), a.f64(scratch));
      expect(() => run(7)).toThrow(RangeError);
      expect(Array.from(out.view)).toEqual(new Array(N * C).fill(0));
      expect(() => run(8)).not.toThrow();
    } finally {
      a.release();
    }
  });
});
