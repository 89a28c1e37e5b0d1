// Refits one model on many subsets (or resamples) of its estimation sample, returning one coefficient each
// time: the inner loop of group-difference tests and cluster bootstraps. Buffers for the largest subset
// are allocated once; each refit re-encodes the fixed effects over the chosen rows (dense ids), demeans
// outcome and regressors with the kernel, forms the crossproduct and solves.
import { demeanScratchLength, type Arena, type Backend, type F64Buffer, type I32Buffer } from "../engine/backend.js";
import type { Engine } from "../engine/engine.js";
import { DidwasmError } from "../errors.js";
import { COLLINEAR_TOL, COLLINEAR_WITH_FIXEF_TOL } from "../estimators/ols-core.js";
import type { Groups } from "../model/groups.js";

export interface SubsetModel {
  readonly y: Float64Array;
  /** Regressors over the full sample, in design order. */
  readonly X: readonly Float64Array[];
  /** Index of the coefficient of interest among X. */
  readonly target: number;
  readonly fixef: readonly Groups[];
  readonly weights: Float64Array | null;
  readonly tol: number;
  readonly maxIter: number;
}

export class SubsetFitter {
  private readonly backend: Backend;
  private readonly arena: Arena;
  private readonly data: F64Buffer;
  private readonly fe: I32Buffer;
  private readonly G: I32Buffer;
  private readonly scratch: F64Buffer;
  private readonly iter: I32Buffer;
  private readonly w: F64Buffer | null;
  private readonly A: F64Buffer;
  private readonly XtX: F64Buffer;
  private readonly L: F64Buffer;
  private readonly keep: I32Buffer;
  private readonly rhs: F64Buffer;
  private readonly sol: F64Buffer;
  private readonly remap: Int32Array[];
  private readonly C: number;

  constructor(engine: Engine, private readonly m: SubsetModel, maxRows: number) {
    this.backend = engine.backend;
    this.arena = this.backend.arena();
    const K = m.X.length;
    this.C = K + 1;
    this.data = this.arena.f64(this.C * maxRows);
    const Q = m.fixef.length;
    this.fe = this.arena.i32(Math.max(1, Q * maxRows));
    this.G = this.arena.i32(Math.max(1, Q));
    const sumG = m.fixef.reduce((s, f) => s + f.G, 0);
    this.scratch = this.arena.f64(demeanScratchLength(sumG));
    this.iter = this.arena.i32(this.C);
    this.w = m.weights ? this.arena.f64(maxRows) : null;
    this.A = this.arena.f64(this.C * this.C);
    this.XtX = this.arena.f64(K * K);
    this.L = this.arena.f64(K * K);
    this.keep = this.arena.i32(K);
    this.rhs = this.arena.f64(K);
    this.sol = this.arena.f64(K);
    this.remap = m.fixef.map((f) => new Int32Array(f.G));
  }

  /** The target coefficient on rows `idx` of the sample (repeats allowed); `copyOf`, when given, gives
   *  each row's copy number so that fixed effects listed in `distinctCopies` treat copies as new groups.
   *  NaN when the target is collinear or the fit is impossible on these rows. */
  coefficient(idx: Int32Array, copyOf: Int32Array | null = null, distinctCopies: readonly boolean[] = []): number {
    const { m, backend: b } = this;
    const n = idx.length;
    const K = m.X.length;
    const C = this.C;
    const Q = m.fixef.length;
    const d = this.data.view;
    for (let i = 0; i < n; i++) d[i] = m.y[idx[i]];
    m.X.forEach((x, j) => {
      const off = (j + 1) * n;
      for (let i = 0; i < n; i++) d[off + i] = x[idx[i]];
    });
    if (this.w) {
      const wv = this.w.view;
      for (let i = 0; i < n; i++) wv[i] = m.weights![idx[i]];
    }
    const centredSS = m.X.map((x) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[idx[i]];
      const mean = s / n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (x[idx[i]] - mean) ** 2;
      return ss;
    });
    if (Q > 0) {
      const fe = this.fe.view;
      const Gs: number[] = [];
      m.fixef.forEach((f, q) => {
        const map = this.remap[q];
        map.fill(-1);
        let G = 0;
        if (copyOf && distinctCopies[q]) {
          const seen = new Map<number, number>();
          const fIds = f.ids; // once: ids may be read through a getter (model/groups.ts)
          for (let i = 0; i < n; i++) {
            const key = fIds[idx[i]] * (n + 1) + copyOf[i];
            let id = seen.get(key);
            if (id === undefined) {
              id = G++;
              seen.set(key, id);
            }
            fe[q * n + i] = id;
          }
        } else {
          const fIds = f.ids; // once: ids may be read through a getter (model/groups.ts)
          for (let i = 0; i < n; i++) {
            const g = fIds[idx[i]];
            if (map[g] < 0) map[g] = G++;
            fe[q * n + i] = map[g];
          }
        }
        Gs.push(G);
      });
      const params = K + Gs.reduce((s, g) => s + g, 0) - (Q - 1);
      if (n <= params) return NaN;
      this.G.view.set(Gs);
      b.demean(n, C, Q, this.data, this.data, this.fe, this.G, this.w, m.tol, m.maxIter, this.scratch, this.iter);
    }
    b.crossprod(n, C, this.data, this.w, this.A);
    const A = this.A.view;
    const xtx = this.XtX.view;
    for (let j = 0; j < K; j++) for (let k = 0; k < K; k++) xtx[j * K + k] = A[(j + 1) * C + (k + 1)];
    const keep = this.keep.view;
    for (let j = 0; j < K; j++) keep[j] = Q > 0 && !(A[(j + 1) * C + (j + 1)] > COLLINEAR_WITH_FIXEF_TOL * centredSS[j]) ? 0 : 1;
    b.cholesky(K, this.XtX, this.L, this.keep, COLLINEAR_TOL);
    if (!this.keep.view[m.target]) return NaN;
    for (let j = 0; j < K; j++) this.rhs.view[j] = A[(j + 1) * C];
    b.cholSolve(K, this.L, this.keep, this.rhs, this.sol);
    return this.sol.view[m.target];
  }

  release(): void {
    this.arena.release();
  }
}

/** Placebo and bdiff draws when the caller names no number (didplacebo's and bdiff's default). */
export const DEFAULT_DRAWS = 500;

/** The most replicates a run accepts: beyond this, Monte Carlo error is far below anything reported. */
export const MAX_REPLICATES = 1_000_000;

/** A seed the project's PRNG takes (xoshiro128** seeded from 32 bits). */
export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new DidwasmError("BAD_OPTION", `seed must be an integer in [0, 2^32), got ${seed}`);
}

export function checkReps(reps: number): void {
  if (!Number.isInteger(reps) || reps < 1) throw new DidwasmError("BAD_OPTION", `reps must be a positive whole number, got ${reps}`);
  if (reps > MAX_REPLICATES) throw new DidwasmError("BAD_OPTION", `reps = ${reps} is more than ${MAX_REPLICATES.toLocaleString("en-US")} draws: that many adds no precision worth the time`);
}
