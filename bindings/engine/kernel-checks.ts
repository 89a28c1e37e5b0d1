// Preconditions a kernel cannot check itself, checked by both backends' adapters before the call: a wasm
// kernel handed a too-short buffer would write past it into other buffers of the heap (the reference
// kernel would silently drop the writes), so the call is refused with a RangeError instead.
// Kernels that get a scratch's length (kind "f64[]+len", see kernel-signatures.ts) use it to choose how many
// columns to solve together; they do not refuse one too short for a single column, which fixefCg's check does.
import { DEMEAN_COLUMN_BLOCK, cgScratchLength } from "./backend.js";
import type { KernelName, Kernels } from "./kernel-signatures.js";

type Checks = { readonly [N in KernelName]?: (...args: Parameters<Kernels[N]>) => void };

const KERNEL_CHECKS: Checks = {
  fixefCg: (N, C, Q, inp, out, fe, G, w, cellStart, cellIds, cellWeight, nullId, nNull, tol, maxIter, scratch) => {
    const G0 = G.view[0];
    let M = 0;
    for (let q = 1; q < Q; q++) M += G.view[q];
    if (cellStart.length < G0 + 1 || nullId.length < M) throw new RangeError("fixefCg: cellStart or nullId too short");
    if (scratch.length < cgScratchLength(G0, M, nNull, 1)) throw new RangeError("fixefCg: scratch too short");
  },
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

/** The precondition of one call, for calls made elsewhere than through the adapter (kernel threads). */
export function checkKernelCall(name: KernelName, args: readonly unknown[]): void {
  const check = KERNEL_CHECKS[name] as ((...a: unknown[]) => void) | undefined;
  check?.(...args);
}
