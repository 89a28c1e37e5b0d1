// Wild bootstrap weight distributions: names, kernel codes, and the draws. The draws themselves are
// specified (and implemented) once per backend in assembly/resample.ts and its mirror
// bindings/engine/reference/resample.ts; replicate r draws its G cluster weights, in cluster-id order, from
// PRNG stream (seed, r):
//   rademacher  +1 / -1 with probability 1/2 each: +1 when the low bit of a u32 output is 1.
//   webb        six points -sqrt(3/2), -1, -sqrt(1/2), sqrt(1/2), 1, sqrt(3/2), index below(6).
//   mammen      -(sqrt5 - 1)/2 with probability (sqrt5 + 1)/(2 sqrt5) (uniform() below it), else (sqrt5 + 1)/2.
//   normal      Box-Muller from two uniforms; reproducible per backend only (log and cos may differ in the
//               last ulp between AssemblyScript and V8), the other three are bit-identical across backends.
// All four have mean 0 and variance 1.
import { DidwasmError } from "../errors.js";
import {
  WILD_ENUMERATE, WILD_MAMMEN, WILD_NORMAL, WILD_RADEMACHER, WILD_WEBB, wildWeights,
} from "../engine/reference/resample.js";

export type WildWeights = "rademacher" | "webb" | "mammen" | "normal";

export const WILD_WEIGHT_NAMES: readonly WildWeights[] = ["rademacher", "webb", "mammen", "normal"];

const CODES: Record<WildWeights, number> = { rademacher: WILD_RADEMACHER, webb: WILD_WEBB, mammen: WILD_MAMMEN, normal: WILD_NORMAL };

/** The kernel's code for a weight distribution, or for the enumeration of all 2^G sign vectors. */
export function weightCode(w: WildWeights, enumerate: boolean): number {
  return enumerate ? WILD_ENUMERATE : CODES[w];
}

export function checkWeights(w: string): WildWeights {
  if (!(WILD_WEIGHT_NAMES as readonly string[]).includes(w)) {
    throw new DidwasmError("BAD_OPTION", `weights must be one of ${WILD_WEIGHT_NAMES.join(", ")}, got "${w}"`);
  }
  return w as WildWeights;
}

/** The G weights of replicate `rep` (TypeScript draws, identical to the kernels' for all but normal). */
export function drawWildWeights(w: WildWeights, seed: number, rep: number, G: number): Float64Array {
  const v = new Float64Array(G);
  wildWeights(CODES[w], seed, rep, G, v);
  return v;
}

/** Whether the distribution makes every sign vector equally likely, so enumerating them is exact. */
export function enumerable(w: WildWeights): boolean {
  return w === "rademacher";
}
