// Preconditions a kernel cannot check itself, checked by both backends' adapters before the call: a wasm
// kernel handed a too-short buffer would write past it into other buffers of the heap (the reference
// kernel would silently drop the writes), so the call is refused with a RangeError instead.
// Kernels that get a buffer's length (kind "f64[]+len", see kernel-signatures.ts) check it themselves.
import { DEMEAN_COLUMN_BLOCK } from "./backend.js";
import type { KernelName, Kernels } from "./kernel-signatures.js";

type Checks = { readonly [N in KernelName]?: (...args: Parameters<Kernels[N]>) => void };

const KERNEL_CHECKS: Checks = {
  demeanTwoWay: (N, C, inp, out, unit, period, U, P, w, cellStart, cellPeriod, cellWeight, unitWeight, L, scratch) => {
    if (scratch.length < (U + P) * Math.min(C, DEMEAN_COLUMN_BLOCK)) throw new RangeError("demeanTwoWay: scratch too short");
  },
};

/** The kernel `run`, preceded by its precondition when it has one. */
export function withCheck<F extends (...args: never[]) => unknown>(name: KernelName, run: F): F {
  const check = KERNEL_CHECKS[name] as ((...args: Parameters<F>) => void) | undefined;
  if (!check) return run;
  return ((...args: Parameters<F>) => {
    check(...args);
    return run(...args);
  }) as F;
}
