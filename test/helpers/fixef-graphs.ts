// Seeded fixed-effect graphs for the solver tests: random, disconnected, worker-firm panels with few
// movers, and long chains of firms. Each comes with columns whose exact residual is known by construction:
// x = D a + e, where e sums to zero (weighted) within every cell of rows that share all their groups, so e
// is orthogonal to every dummy and is exactly what absorbing the fixed effects must return.
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";
import type { Groups } from "../../bindings/model/groups.js";

export interface FixefGraph {
  readonly n: number;
  readonly fixef: Groups[];
  /** Row weights, or null. */
  readonly w: Float64Array | null;
  /** Columns (x) and their exact residuals (e). */
  readonly x: Float64Array[];
  readonly e: Float64Array[];
}

/** Dense ids in order of first appearance. */
export function densify(raw: ArrayLike<number>): Groups {
  const m = new Map<number, number>();
  const ids = Int32Array.from(raw, (v) => {
    let id = m.get(v);
    if (id === undefined) m.set(v, (id = m.size));
    return id;
  });
  return { ids, G: m.size };
}

/** A graph from "cells" (tuples of raw group ids), each cell written as `rows` rows (at least 2), with
 *  C columns x = sum of random coefficients (of size `effect`) + a within-cell zero-sum (weighted) noise. */
export function graphFromCells(g: Xoshiro128, cells: number[][], rows: number, C: number, weighted: boolean, effect = 1): FixefGraph {
  const Q = cells[0].length;
  const n = cells.length * rows;
  const raw = Array.from({ length: Q }, () => new Int32Array(n));
  const w = weighted ? new Float64Array(n) : null;
  cells.forEach((cell, k) => {
    for (let r = 0; r < rows; r++) {
      for (let q = 0; q < Q; q++) raw[q][k * rows + r] = cell[q];
      if (w) w[k * rows + r] = 0.5 + 2 * g.uniform();
    }
  });
  const fixef = raw.map(densify);
  const x: Float64Array[] = [];
  const e: Float64Array[] = [];
  for (let c = 0; c < C; c++) {
    const coef = fixef.map((f) => Float64Array.from({ length: f.G }, () => effect * g.normal()));
    const ec = new Float64Array(n);
    for (let k = 0; k < cells.length; k++) {
      // zero weighted sum within the cell: the last row balances the others
      let s = 0;
      for (let r = 0; r < rows - 1; r++) {
        const i = k * rows + r;
        ec[i] = g.normal();
        s += (w ? w[i] : 1) * ec[i];
      }
      const last = k * rows + rows - 1;
      ec[last] = -s / (w ? w[last] : 1);
    }
    const xc = Float64Array.from(ec);
    for (let i = 0; i < n; i++) for (let q = 0; q < Q; q++) xc[i] += coef[q][fixef[q].ids[i]];
    x.push(xc);
    e.push(ec);
  }
  return { n, fixef, w, x, e };
}

/** Workers observed T periods each in F firms; each worker-period moves to a random firm with probability
 *  `move` (otherwise stays). Cells: (worker, firm) or (worker, firm, period). */
export function workerFirmCells(g: Xoshiro128, workers: number, T: number, F: number, move: number, withPeriod: boolean): number[][] {
  const cells: number[][] = [];
  for (let u = 0; u < workers; u++) {
    let f = g.below(F);
    for (let t = 0; t < T; t++) {
      if (t > 0 && g.uniform() < move) f = g.below(F);
      cells.push(withPeriod ? [u, f, t] : [u, f]);
    }
  }
  return cells;
}

/** A long chain of F firms: `stayers` workers per firm, and `movers` workers per link (f, f + 1) who spend
 *  the first half of their T periods in f and the rest in f + 1. Firm f is linked only to f - 1 and f + 1. */
export function firmChainCells(F: number, stayers: number, movers: number, T: number, withPeriod: boolean): number[][] {
  const cells: number[][] = [];
  let u = 0;
  for (let f = 0; f < F; f++) {
    for (let s = 0; s < stayers; s++, u++) for (let t = 0; t < T; t++) cells.push(withPeriod ? [u, f, t] : [u, f]);
    if (f + 1 === F) break;
    for (let m = 0; m < movers; m++, u++) {
      for (let t = 0; t < T; t++) {
        const firm = t < T / 2 ? f : f + 1;
        cells.push(withPeriod ? [u, firm, t] : [u, firm]);
      }
    }
  }
  return cells;
}

/** Random cells of Q fixed effects with G[q] groups each. */
export function randomCells(g: Xoshiro128, count: number, G: number[]): number[][] {
  return Array.from({ length: count }, () => G.map((Gq) => g.below(Gq)));
}

/** Largest |difference| between absorbed columns (`out`, n x C column-major, rows permuted by `order` when
 *  given) and their exact residuals, in units of each column's scale sd(x) (population). */
export function errorInScale(out: ArrayLike<number>, G: FixefGraph, exact: readonly Float64Array[], order: Int32Array | null = null): number {
  let worst = 0;
  exact.forEach((e, j) => {
    const x = G.x[j];
    const mean = x.reduce((s, v) => s + v, 0) / G.n;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / G.n);
    for (let k = 0; k < G.n; k++) worst = Math.max(worst, Math.abs(out[j * G.n + k] - e[order ? order[k] : k]) / sd);
  });
  return worst;
}
