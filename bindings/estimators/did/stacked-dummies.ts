// The event-time dummies of a stacked regression (treated x 1(event = e)) projected on its fixed effects
// without writing them as columns. Each dummy D_e is 1 on a set of rows; its fixed-effect fit is
// c_unit + c_period, where c solves the normal equations D'WD c = r of one sub-experiment (its effects are
// its own: stacked-demean.ts) for r, the weight of D_e's rows per level. All L dummies of a sub-experiment
// share one solve (L right-hand sides). With D~ = D - c_unit - c_period (W-orthogonal to the effects) and
// any absorbed column z~:
//   D_e~'W z~ = D_e'W z~                            (a sum over D_e's rows),
//   D_e~'W D_f~ = D_e'W D_f~ = 1(e = f) W_e - sum_g r_ge c_gf   (W_e: the weight of D_e's rows),
// so one pass over the rows where a dummy is 1 and one solve per sub-experiment give every crossproduct the
// two regressions need (stacked-regression.ts), and c gives D~ on any row when the scores need it.
import type { Arena, Backend, F64Buffer } from "../../engine/backend.js";
import type { FixefEncoding } from "../../model/sample.js";
import type { TwoWayCells } from "../../model/two-way-cells.js";
import { twoWayFixef, type TwoWayFixef } from "./fixef-solver.js";
import { localIds, type BlockGroups } from "./stacked-sample.js";
import { CellSolve } from "./two-way-direct.js";

export interface DummyRequest {
  readonly backend: Backend;
  /** Per sample row: the slot of its dummy (0 .. slots - 1), -1 where every dummy is 0. */
  readonly code: Int32Array;
  readonly slots: number;
  /** Sample-row bounds of the sub-experiments and their two fixed effects (stacked-sample.ts). */
  readonly blocks: Int32Array;
  readonly blockFixef: ReadonlyArray<readonly BlockGroups[]>;
  /** The two fixed effects over the whole stack (sub_exp^unit, sub_exp^period: their ids are numbered
   *  across sub-experiments). */
  readonly fixef: readonly FixefEncoding[];
  /** A sub-experiment's cells when they are already built (the absorber's, for weighted blocks), else null. */
  readonly keptCells: (b: number) => TwoWayCells | null;
  readonly tol: number;
  readonly maxIter: number;
}

/**
 * Each sub-experiment's solver of its normal equations D'WD c = r, for the dummies' right-hand sides and
 * later for their combinations' (combinedFits): the absorber's cells for a weighted block, else a two-way
 * solver made here on first use (directly through its cells when they apply, else by sweeps) and kept, in
 * the solvers' own arena, until release(). Counts the sub-experiments whose sweeps stopped at their limit.
 */
export class BlockSolvers {
  private readonly arena: Arena;
  private readonly direct: CellSolve;
  private readonly made = new Map<number, TwoWayFixef>();
  private readonly stopped = new Set<number>();

  constructor(private readonly req: DummyRequest, private readonly w: F64Buffer | null) {
    this.arena = req.backend.arena();
    this.direct = new CellSolve(req.backend, this.arena);
  }

  /** Sub-experiments whose sweeps stopped at their limit. */
  get notConverged(): number {
    return this.stopped.size;
  }

  /** Solves block b for m right-hand sides (group-major: units then periods) into out. With unitsWithRhsOnly
   *  a direct solve gives only the units whose right-hand sides are not all 0 (CellSolve). */
  solve(b: number, r: Float64Array, m: number, out: Float64Array, unitsWithRhsOnly = false): void {
    const [su, st] = this.req.blockFixef[b];
    const cells = this.req.keptCells(b) ?? this.solver(b).cells;
    if (cells) {
      this.direct.solve(cells, su.G, st.G, r, m, out, unitsWithRhsOnly);
      return;
    }
    const solver = this.solver(b);
    const before = solver.notConverged;
    solver.solveMany(r, m, out);
    if (solver.notConverged > before) this.stopped.add(b);
  }

  private solver(b: number): TwoWayFixef {
    let s = this.made.get(b);
    if (!s) {
      const { blocks, blockFixef } = this.req;
      const [su, st] = blockFixef[b];
      const lo = blocks[b];
      const m = blocks[b + 1] - lo;
      const est = new Int32Array(m);
      for (let i = 0; i < m; i++) est[i] = i;
      const enc = { unitId: localIds(su), timeId: localIds(st), units: su.G, periods: st.G };
      const weights = this.w ? this.w.view.slice(lo, lo + m) : null;
      s = twoWayFixef(this.req.backend, this.arena, enc, est, weights, this.req.tol, this.req.maxIter);
      this.made.set(b, s);
    }
    return s;
  }

  release(): void {
    this.made.clear();
    this.arena.release();
  }
}

export interface DummyProjections {
  /** c per sub-experiment x unit level (slots values each; null when not kept: see dummyProjections), then
   *  per sub-experiment x period level. */
  readonly unitCoef: Float64Array | null;
  readonly periodCoef: Float64Array;
  /** W_e per slot. */
  readonly weight: Float64Array;
  /** D_e'W x~_j (slots x K, row-major) over the absorbed columns [x_1 .. x_K] of `data`, and D_e'W y~ for the
   *  column after them. */
  readonly DX: Float64Array;
  readonly Dy: Float64Array;
  /** D_e'W D_f~ (slots x slots, row-major): equal to its transpose but for rounding. */
  readonly DD: Float64Array;
}

/**
 * The projections of the dummies, given the absorbed columns (`data`, n rows per column: K regressors then
 * the outcome) and the weights the fit uses. Sub-experiments are taken in order and their rows in order,
 * so every sum has one order whatever the threads.
 */
export function dummyProjections(
  req: DummyRequest, solvers: BlockSolvers, data: F64Buffer, n: number, K: number, w: F64Buffer | null, keepUnits = true,
): DummyProjections {
  const { slots: L, blocks, blockFixef } = req;
  // Without keepUnits the units' c are solved only where a dummy has weight (all the crossproducts read) and
  // not kept: an array of levels x slots (12 MB on a million-row stack) for what combinedFits gives per level.
  const unitCoef = keepUnits ? new Float64Array(req.fixef[0].G * L) : null;
  const periodCoef = new Float64Array(req.fixef[1].G * L);
  const weight = new Float64Array(L);
  const DX = new Float64Array(L * K);
  const Dy = new Float64Array(L);
  const DD = new Float64Array(L * L);
  let widest = 0;
  for (const [su, st] of blockFixef) widest = Math.max(widest, su.G + st.G);
  const sums = new Float64Array(widest * L);
  const coef = new Float64Array(widest * L);
  for (let b = 0; b + 1 < blocks.length; b++) {
    const lo = blocks[b];
    const m = blocks[b + 1] - lo;
    if (m === 0) continue;
    const [su, st] = blockFixef[b];
    const groups = su.G + st.G;
    const r = sums.subarray(0, groups * L);
    const c = coef.subarray(0, groups * L);
    r.fill(0);
    // Views taken now: the solves below may grow the memory.
    blockSums(req.code, L, su, st, lo, m, w?.view ?? null, data.view, n, K, r, weight, DX, Dy);
    solvers.solve(b, r, L, c, !keepUnits);
    unitCoef?.set(c.subarray(0, su.G * L), su.first * L);
    periodCoef.set(c.subarray(su.G * L, groups * L), st.first * L);
    subtractFitted(r, c, groups, L, DD);
  }
  for (let e = 0; e < L; e++) DD[e * L + e] += weight[e];
  return { unitCoef, periodCoef, weight, DX, Dy, DD };
}

/** Fixed-effect fits of combinations of the dummies, sum_e alpha_e D_e for each alpha of `alphas` (slots
 *  values each): per sub-experiment x unit level and per sub-experiment x period level, by a second solve per
 *  sub-experiment of the combinations' group sums (the same system, so by linearity sum_e alpha_e c_ge). */
export function combinedFits(
  req: DummyRequest, solvers: BlockSolvers, w: F64Buffer | null, alphas: readonly Float64Array[],
): { unit: Float64Array[]; period: Float64Array[] } {
  const { blocks, blockFixef } = req;
  const A = alphas.length;
  const unit = alphas.map(() => new Float64Array(req.fixef[0].G));
  const period = alphas.map(() => new Float64Array(req.fixef[1].G));
  for (let b = 0; b + 1 < blocks.length; b++) {
    const lo = blocks[b];
    const m = blocks[b + 1] - lo;
    if (m === 0) continue;
    const [su, st] = blockFixef[b];
    const r = new Float64Array((su.G + st.G) * A);
    combinationSums(req.code, alphas, su, st, lo, m, w?.view ?? null, r);
    const c = new Float64Array(r.length);
    solvers.solve(b, r, A, c);
    for (let a = 0; a < A; a++) {
      for (let g = 0; g < su.G; g++) unit[a][su.first + g] = c[g * A + a];
      for (let g = 0; g < st.G; g++) period[a][st.first + g] = c[(su.G + g) * A + a];
    }
  }
  return { unit, period };
}

/** The combinations' group sums over one sub-experiment's rows (units then periods, A per level). */
function combinationSums(code: Int32Array, alphas: readonly Float64Array[], su: BlockGroups, st: BlockGroups, lo: number, m: number, w: Float64Array | null, r: Float64Array): void {
  const A = alphas.length;
  const U = su.G;
  const unitIds = su.ids;
  const periodIds = st.ids;
  for (let i = 0; i < m; i++) {
    const k = lo + i;
    const e = code[k];
    if (e < 0) continue;
    const wi = w ? w[k] : 1;
    const u = (unitIds[i] - su.first) * A;
    const t = (U + periodIds[i] - st.first) * A;
    for (let a = 0; a < A; a++) {
      const v = wi * alphas[a][e];
      r[u + a] += v;
      r[t + a] += v;
    }
  }
}

/** One sub-experiment's right-hand sides (r: weight of each dummy's rows per level, units then periods,
 *  slots per level), and its rows' shares of W_e, D'W x~ and D'W y~. A function of its own so that its loop
 *  is compiled on its own (see stacked-sample.ts). */
function blockSums(
  code: Int32Array, L: number, su: BlockGroups, st: BlockGroups, lo: number, m: number, w: Float64Array | null, x: Float64Array, n: number, K: number,
  r: Float64Array, weight: Float64Array, DX: Float64Array, Dy: Float64Array,
): void {
  const U = su.G;
  const unitIds = su.ids;
  const periodIds = st.ids;
  const u0 = su.first;
  const p0 = U - st.first;
  const yOffset = K * n;
  for (let i = 0; i < m; i++) {
    const k = lo + i;
    const e = code[k];
    if (e < 0) continue;
    const wi = w ? w[k] : 1;
    r[(unitIds[i] - u0) * L + e] += wi;
    r[(periodIds[i] + p0) * L + e] += wi;
    weight[e] += wi;
    Dy[e] += wi * x[yOffset + k];
    for (let j = 0; j < K; j++) DX[e * K + j] += wi * x[j * n + k];
  }
}

/** DD[e][f] -= sum_g r_ge c_gf: D_e'W (c_unit + c_period) of dummy f's fit. */
function subtractFitted(r: Float64Array, c: Float64Array, groups: number, L: number, DD: Float64Array): void {
  for (let g = 0; g < groups; g++) {
    for (let e = 0; e < L; e++) {
      const s = r[g * L + e];
      if (s === 0) continue;
      for (let f = 0; f < L; f++) DD[e * L + f] -= s * c[g * L + f];
    }
  }
}
