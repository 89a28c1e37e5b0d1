// The kernel contract shared by the WebAssembly backend and the pure-TypeScript reference backend: the
// kernels' signatures (declared once, in kernel-signatures.ts), the buffers they work on (buffers.ts), and
// the constants both implementations and their callers must agree on.
import type { Arena } from "./buffers.js";
import type { Kernels } from "./kernel-signatures.js";

export type { Arena, F64Buffer, I32Buffer } from "./buffers.js";
export type { KernelName, Kernels } from "./kernel-signatures.js";
import type { ThreadRunner } from "./thread-runner.js";

export type BackendName = "wasm" | "reference";

/** Columns the demeaning kernel sweeps together at most (mirrors COLUMN_BLOCK in assembly/demean.ts). */
export const DEMEAN_COLUMN_BLOCK = 8;
/** Scratch doubles of the demeaning kernel that do not depend on the groups (mirrors SCRATCH_FIXED). */
export const DEMEAN_SCRATCH_FIXED = 8 * 8 + 32;

/** Scratch doubles for demean/fixefSolve over fixed effects with sumG groups in all, so that blocks of
 *  `columns` columns (at most DEMEAN_COLUMN_BLOCK) are swept together; see assembly/demean.ts. */
export function demeanScratchLength(sumG: number, columns = DEMEAN_COLUMN_BLOCK): number {
  const B = Math.max(1, Math.min(columns, DEMEAN_COLUMN_BLOCK));
  return (1 + 7 * B) * sumG + DEMEAN_SCRATCH_FIXED;
}

/** The exact scratch demean lays out for fixed effects of G[0], G[1], ... groups (the first one's
 *  coefficients are never iterated on, so a large first fixed effect costs little): far less than
 *  demeanScratchLength when one fixed effect is much larger than the others, as units are in a panel. */
export function demeanScratchFor(G: ArrayLike<number>, columns = DEMEAN_COLUMN_BLOCK): number {
  const B = Math.max(1, Math.min(columns, DEMEAN_COLUMN_BLOCK));
  let sumG = 0;
  let maxG = 0;
  for (let q = 0; q < G.length; q++) {
    sumG += G[q];
    maxG = Math.max(maxG, G[q]);
  }
  const M = sumG - (G.length > 0 ? G[0] : 0);
  return sumG + B * (2 * sumG + maxG + 3 * M) + DEMEAN_SCRATCH_FIXED;
}

/** Scratch doubles for fixefCg (assembly/fixef-cg.ts) with G0 groups in the eliminated fixed effect, M in
 *  the others and nNull null-space labels, so that blocks of `columns` columns (at most
 *  DEMEAN_COLUMN_BLOCK) are solved together. */
export function cgScratchLength(G0: number, M: number, nNull: number, columns = DEMEAN_COLUMN_BLOCK): number {
  const B = Math.max(1, Math.min(columns, DEMEAN_COLUMN_BLOCK));
  return G0 + M + B * (G0 + 6 * M) + nNull * (1 + B);
}

/** The wild bootstrap kernels' weight distributions (argument `kind` of wildBootstrapT and wildFillWeights;
 *  mirrors WILD_* in assembly/resample.ts): Rademacher, Webb's six points, Mammen's two points, standard
 *  normal, and the enumeration of all 2^G sign vectors (replicate r's signs are r's bits). */
export const WILD_WEIGHT_CODES = { rademacher: 0, webb: 1, mammen: 2, normal: 3, enumerate: 4 } as const;

export interface Backend extends Kernels {
  readonly name: BackendName;
  /** Whether the SIMD build of the kernels is running (wasm only). */
  readonly simd: boolean;
  arena(): Arena;
  /** Kernel threads on this backend's memory (threaded-engine.ts); absent: one thread. */
  readonly threads?: ThreadRunner;
}
