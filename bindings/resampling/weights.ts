// Wild bootstrap weight distributions: names, kernel codes (the kernel contract's WILD_WEIGHT_CODES), and
// the draws. The draws themselves are specified (and implemented) once per backend in assembly/resample.ts
// and its mirror in the reference backend; replicate r draws its G cluster weights, in cluster-id order,
// from PRNG stream (seed, r):
//   rademacher  +1 / -1 with probability 1/2 each: +1 when the low bit of a u32 output is 1.
//   webb        six points -sqrt(3/2), -1, -sqrt(1/2), sqrt(1/2), 1, sqrt(3/2), index below(6).
//   mammen      -(sqrt5 - 1)/2 with probability (sqrt5 + 1)/(2 sqrt5) (uniform() below it), else (sqrt5 + 1)/2.
//   normal      Box-Muller from two uniforms; reproducible per backend only (log and cos may differ in the
//               last ulp between AssemblyScript and V8), the other three are bit-identical across backends.
// All four have mean 0 and variance 1.
import { WILD_WEIGHT_CODES, type BackendName } from "../engine/backend.js";
import { defaultEngine } from "../engine/engine.js";
import { DidwasmError } from "../errors.js";

export type WildWeights = "rademacher" | "webb" | "mammen" | "normal";

export const WILD_WEIGHT_NAMES: readonly WildWeights[] = ["rademacher", "webb", "mammen", "normal"];

/** The kernel's code for a weight distribution, or for the enumeration of all 2^G sign vectors. */
export function weightCode(w: WildWeights, enumerate: boolean): number {
  return enumerate ? WILD_WEIGHT_CODES.enumerate : WILD_WEIGHT_CODES[w];
}

export function checkWeights(w: string): WildWeights {
  if (!(WILD_WEIGHT_NAMES as readonly string[]).includes(w)) {
    throw new DidwasmError("BAD_OPTION", `weights must be one of ${WILD_WEIGHT_NAMES.join(", ")}, got "${w}"`);
  }
  return w as WildWeights;
}

/** The G weights of replicate `rep`, drawn by the wildFillWeights kernel of `backend`'s shared engine
 *  (the reference backend by default: bit-identical to the wasm kernel's for all but normal). */
export function drawWildWeights(w: WildWeights, seed: number, rep: number, G: number, backend: BackendName = "reference"): Float64Array {
  const b = defaultEngine(backend).backend;
  const a = b.arena();
  try {
    const v = a.f64(G, false);
    b.wildFillWeights(WILD_WEIGHT_CODES[w], seed, rep, 1, G, v);
    return Float64Array.from(v.view);
  } finally {
    a.release();
  }
}

/** Whether the distribution makes every sign vector equally likely, so enumerating them is exact. */
export function enumerable(w: WildWeights): boolean {
  return w === "rademacher";
}
