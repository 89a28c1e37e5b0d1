// The cells the conjugate-gradient solver works through (assembly/fixef-schur.ts): the rows grouped by the
// eliminated fixed effect (the one with the most groups, put first), each carrying the coefficient indices
// of the other fixed effects and a weight. With two fixed effects, rows that share both groups are merged
// into one cell (the twoWayCells kernel), so that each iteration costs the number of distinct pairs (a
// worker's few firms), not the rows. With three or more, each row is a cell.
import type { Arena, Backend, F64Buffer, I32Buffer } from "../engine/backend.js";
import type { Groups } from "../model/groups.js";

export interface FixefCells {
  /** The fixed effects in the solver's order: the eliminated one first. */
  readonly fixef: readonly Groups[];
  /** Their ids, [Q][n], in that order. */
  readonly fe: I32Buffer;
  readonly G: I32Buffer;
  readonly cellStart: I32Buffer;
  readonly cellIds: I32Buffer;
  readonly cellWeight: F64Buffer;
  readonly cells: number;
  /** Each coefficient of fixed effects 1..Q-1 labelled by (q, connected component of the graph of fixed
   *  effect 0's and q's groups): the solver's null-space vectors (assembly/fixef-cg.ts, NULL SPACE). */
  readonly nullId: I32Buffer;
  readonly nNull: number;
}

/** Labels for nullId: for each q >= 1, the components of the bipartite graph of fixed effect 0's groups
 *  and q's (union-find over the cells), numbered in order of q's first group in each. */
function nullLabels(fixef: readonly Groups[], cellStart: Int32Array, cellIds: Int32Array, cells: number): { nullId: Int32Array; nNull: number } {
  const Q = fixef.length;
  const R = Q - 1;
  const G0 = fixef[0].G;
  const M = fixef.reduce((s, f) => s + f.G, 0) - G0;
  const nullId = new Int32Array(M);
  const label = nullId;
  let nNull = 0;
  let off = 0;
  for (let q = 1; q < Q; q++) {
    const Gq = fixef[q].G;
    // nodes: q's groups 0..Gq-1, then fixed effect 0's groups
    const parent = new Int32Array(Gq + G0);
    for (let v = 0; v < parent.length; v++) parent[v] = v;
    const find = (v: number): number => {
      while (parent[v] !== v) v = parent[v] = parent[parent[v]];
      return v;
    };
    for (let g = 0; g < G0; g++) {
      for (let k = cellStart[g]; k < cellStart[g + 1] && k < cells; k++) {
        const a = find(cellIds[k * R + q - 1] - off);
        const b = find(Gq + g);
        if (a !== b) parent[a] = b;
      }
    }
    const rootLabel = new Map<number, number>();
    for (let h = 0; h < Gq; h++) {
      const root = find(h);
      let l = rootLabel.get(root);
      if (l === undefined) rootLabel.set(root, (l = nNull++));
      label[off + h] = l;
    }
    off += Gq;
  }
  return { nullId, nNull };
}

/** The fixed effects with the one of most groups first (the first such, so the order is deterministic). */
export function eliminatedFirst(fixef: readonly Groups[]): Groups[] {
  let first = 0;
  for (let q = 1; q < fixef.length; q++) if (fixef[q].G > fixef[first].G) first = q;
  return [fixef[first], ...fixef.filter((_, q) => q !== first)];
}

/** Rows in an order that groups each group of `ids` together (stable), or null when they already are in
 *  increasing order (panels sorted by unit). */
function groupOrder(ids: Int32Array, G: number): Int32Array | null {
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i] >= ids[i - 1];
  if (sorted) return null;
  const start = new Int32Array(G + 1);
  for (let i = 0; i < ids.length; i++) start[ids[i] + 1]++;
  for (let g = 0; g < G; g++) start[g + 1] += start[g];
  const order = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) order[start[ids[i]]++] = i;
  return order;
}

export function fixefCells(backend: Backend, arena: Arena, n: number, fixefIn: readonly Groups[], w: F64Buffer | null): FixefCells {
  const fixef = eliminatedFirst(fixefIn);
  const Q = fixef.length;
  const fe = arena.i32(Q * n, false);
  fixef.forEach((f, q) => fe.view.set(f.ids, q * n));
  const G = arena.i32From(fixef.map((f) => f.G));
  const G0 = fixef[0].G;
  const cellStart = arena.i32(G0 + 1, false);
  if (Q === 2) {
    const order = groupOrder(fixef[0].ids, G0);
    const P = fixef[1].G;
    const cellIds = arena.i32(Math.max(1, n), false);
    const cellWeight = arena.f64(Math.max(1, n), false);
    const unit = arena.i32From(fixef[0].ids);
    const period = arena.i32From(fixef[1].ids);
    const cells = backend.twoWayCells(
      n, unit, period, order ? arena.i32From(order) : null, G0, P, w, cellStart, cellIds, cellWeight, arena.f64(G0, false), arena.f64(P, false),
      arena.i32(P, false),
    );
    const labels = nullLabels(fixef, cellStart.view, cellIds.view, cells);
    const nullId = arena.i32From(labels.nullId.length ? labels.nullId : [0]);
    return { fixef, fe, G, cellStart, cellIds, cellWeight, cells, nullId, nNull: labels.nNull };
  }
  // Three or more: each row is a cell, in the order of the eliminated fixed effect's groups. The layout
  // depends on the groups only; the weights change at every IRLS iteration, the layout never.
  const layout = rowCellLayout(fixef, n);
  const order = layout.order;
  cellStart.view.set(layout.start);
  const cellIds = arena.i32From(layout.ids.length ? layout.ids : [0]);
  const cellWeight = arena.f64(Math.max(1, n), false);
  const cw = cellWeight.view;
  const wv = w ? w.view : null;
  if (wv === null) cw.fill(1);
  else if (order === null) cw.set(wv.subarray(0, n));
  else for (let k = 0; k < n; k++) cw[k] = wv[order[k]];
  const nullId = arena.i32From(layout.nullId.length ? layout.nullId : [0]);
  return { fixef, fe, G, cellStart, cellIds, cellWeight, cells: n, nullId, nNull: layout.nNull };
}

interface RowCellLayout {
  /** Rows in cell order (null: already in it). */
  readonly order: Int32Array | null;
  readonly start: Int32Array;
  readonly ids: Int32Array;
  readonly nullId: Int32Array;
  readonly nNull: number;
}

/** Row-cell layouts by the eliminated fixed effect's encoding, for the same list of fixed effects: a GLM's
 *  every iteration (and stepwise models on one sample) solve on the same groups with new weights. */
const layoutCache = new WeakMap<Int32Array, { key: readonly Int32Array[]; layout: RowCellLayout }>();

function rowCellLayout(fixef: readonly Groups[], n: number): RowCellLayout {
  const key = fixef.map((f) => f.ids);
  const known = layoutCache.get(key[0]);
  if (known && known.key.length === key.length && known.key.every((k, q) => k === key[q])) return known.layout;
  const Q = fixef.length;
  const R = Q - 1;
  const G0 = fixef[0].G;
  const order = groupOrder(fixef[0].ids, G0);
  const ids = new Int32Array(n * R);
  const start = new Int32Array(G0 + 1);
  const off = new Int32Array(Q);
  for (let q = 2; q < Q; q++) off[q] = off[q - 1] + fixef[q - 1].G;
  const ids0 = fixef[0].ids;
  for (let i = 0; i < n; i++) start[ids0[i] + 1]++;
  for (let g = 0; g < G0; g++) start[g + 1] += start[g];
  const idsOf = fixef.map((f) => f.ids); // once each: ids may be read through a getter (model/groups.ts)
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    for (let q = 1; q < Q; q++) ids[k * R + q - 1] = off[q] + idsOf[q][i];
  }
  const labels = nullLabels(fixef, start, ids, n);
  const layout = { order, start, ids, ...labels };
  layoutCache.set(key[0], { key, layout });
  return layout;
}
