// [Y X]' W [Y X] of demeaned columns, where some regressors are one-hot indicator blocks (design.indicators:
// event-time dummies, cohort cells, i() dummies). Products with an indicator need only its nonzero rows:
// X~'W X~ = X~'W X for a W-orthogonal projection, so a block of P indicators costs O(n C), not O(n C P).
import type { Arena, Backend, F64Buffer } from "../engine/backend.js";
import type { IndicatorBlock } from "../model/design.js";
import { crossprodOnThreads } from "./threaded-sums.js";

/** Column ranges [from, to) of [Y X] that are not in an indicator block (L outcome columns come first). */
function denseRuns(C: number, L: number, blocks: readonly IndicatorBlock[]): Array<[number, number]> | null {
  const inBlock = new Uint8Array(C);
  for (const b of blocks) {
    for (let j = L + b.start; j < L + b.start + b.count; j++) {
      if (j >= C || inBlock[j]) return null; // overlapping or out of range: not a declaration to rely on
      inBlock[j] = 1;
    }
  }
  const runs: Array<[number, number]> = [];
  for (let c = 0; c < C; ) {
    if (inBlock[c]) {
      c++;
      continue;
    }
    let end = c;
    while (end < C && !inBlock[end]) end++;
    runs.push([c, end]);
    c = end;
  }
  return runs;
}

/** The C x C crossproduct (row-major) of the n x C column-major `data`. Dense columns go through one
 *  crossprod per run of adjacent dense columns and one crossprodAB per pair of runs (a single crossprod
 *  when the blocks trail the dense columns, as in event studies), indicator blocks through their codes.
 *  Without indicator blocks, on every kernel thread (threaded-sums.ts: the same bits for any count). */
export function crossproductOf(
  backend: Backend, arena: Arena, data: F64Buffer, w: F64Buffer | null, n: number, C: number, L: number, blocks: readonly IndicatorBlock[],
): Float64Array {
  const runs = blocks.length > 0 ? denseRuns(C, L, blocks) : null;
  if (!runs) {
    const A = arena.f64(C * C);
    crossprodOnThreads(backend, arena, n, C, data, w, A);
    return A.view.slice();
  }
  const out = new Float64Array(C * C);
  runs.forEach(([a0, a1], r) => {
    const na = a1 - a0;
    const partA = arena.f64Part(data, a0 * n, na * n);
    const own = arena.f64(na * na);
    backend.crossprod(n, na, partA, w, own);
    for (let a = 0; a < na; a++) for (let b = 0; b < na; b++) out[(a0 + a) * C + a0 + b] = own.view[a * na + b];
    for (const [b0, b1] of runs.slice(r + 1)) {
      const nb = b1 - b0;
      const cross = arena.f64(na * nb);
      backend.crossprodAB(n, na, partA, nb, arena.f64Part(data, b0 * n, nb * n), w, cross);
      for (let a = 0; a < na; a++) {
        for (let b = 0; b < nb; b++) {
          out[(a0 + a) * C + b0 + b] = cross.view[a * nb + b];
          out[(b0 + b) * C + a0 + a] = cross.view[a * nb + b];
        }
      }
    }
  });
  for (const blk of blocks) {
    const P = blk.count;
    const code = arena.i32From(blk.code);
    const cp = arena.f64(C * P);
    backend.crossprodIndicators(n, C, data, w, code, P, cp);
    const v = cp.view;
    const first = L + blk.start;
    // Column k of the block against every column a: demeaned a times raw indicator k. Each pair is
    // filled once, from the side whose raw column is the indicator with the smaller index.
    for (let k = 0; k < P; k++) {
      const j = first + k;
      for (let a = 0; a < C; a++) {
        if (a >= first && a < j) continue; // earlier columns of this block: filled from their own side
        out[a * C + j] = v[a * P + k];
        out[j * C + a] = v[a * P + k];
      }
    }
  }
  return out;
}
