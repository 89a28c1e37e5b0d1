// An engine whose kernel calls are timed: wraps a backend's kernels (and arena allocation, which for the
// wasm backend includes growing and zero-filling WebAssembly memory) with performance.now(), so a whole
// fit can be split into "kernel" time and "host" (TypeScript) time. Pass it to feols as options.engine.
import { createEngine } from "../../dist/bindings/engine/engine.js";

/** Every function of the backend but `arena` is a kernel (new kernels are timed without changes here). */
const kernelNames = (backend) => Object.keys(backend).filter((k) => k !== "arena" && typeof backend[k] === "function");
/** Kernel names, filled by the first timedEngine() call. */
const KERNELS = [];

export function timedEngine(backendName) {
  const innerEngine = createEngine({ backend: backendName });
  const inner = innerEngine.backend;
  const ms = {};
  const add = (k, t) => (ms[k] = (ms[k] ?? 0) + t);
  const backend = { ...inner };
  if (KERNELS.length === 0) KERNELS.push(...kernelNames(inner));
  for (const k of kernelNames(inner)) {
    backend[k] = (...args) => {
      const t0 = performance.now();
      try {
        return inner[k](...args);
      } finally {
        add(k, performance.now() - t0);
      }
    };
  }
  // The arena is a class instance: time every method call through a proxy.
  backend.arena = () => {
    const a = inner.arena();
    return new Proxy(a, {
      get(target, prop) {
        const v = target[prop];
        if (typeof v !== "function") return v;
        return (...args) => {
          const t0 = performance.now();
          try {
            return v.apply(target, args);
          } finally {
            add("arena", performance.now() - t0);
          }
        };
      },
    });
  };
  return {
    engine: { ...innerEngine, backend },
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
