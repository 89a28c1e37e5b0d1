// An engine whose kernel calls are timed: wraps a backend's kernels (and arena allocation, which for the
// wasm backend includes growing and zero-filling WebAssembly memory) with performance.now(), so a whole
// fit can be split into "kernel" time and "host" (TypeScript) time. Pass it to feols as options.engine.
import { createEngine } from "../../dist/bindings/engine/engine.js";

const KERNELS = ["demean", "crossprod", "cholesky", "cholSolve", "cholInverse", "meatHetero", "meatCluster"];
const ARENA = ["f64", "i32", "f64From", "i32From", "release"];

export function timedEngine(backendName) {
  const inner = createEngine({ backend: backendName }).backend;
  const ms = {};
  const add = (k, t) => (ms[k] = (ms[k] ?? 0) + t);
  const backend = { name: inner.name, simd: inner.simd };
  for (const k of KERNELS) {
    backend[k] = (...args) => {
      const t0 = performance.now();
      try {
        return inner[k](...args);
      } finally {
        add(k, performance.now() - t0);
      }
    };
  }
  backend.arena = () => {
    const a = inner.arena();
    const wrapped = {};
    for (const m of ARENA) {
      wrapped[m] = (...args) => {
        const t0 = performance.now();
        try {
          return a[m](...args);
        } finally {
          add("arena", performance.now() - t0);
        }
      };
    }
    return wrapped;
  };
  return {
    engine: { backend },
    /** Milliseconds per kernel since the last reset, plus "arena" (allocation) time. */
    ms,
    reset() {
      for (const k of Object.keys(ms)) delete ms[k];
    },
    kernelMs() {
      return KERNELS.reduce((s, k) => s + (ms[k] ?? 0), 0);
    },
  };
}
