// synthdid's Frank-Wolfe (sc.weight.fw) for a weight problem with its Gram matrix, run on the engine: the
// fwGramSolve kernel (assembly/synthdid-fw.ts, reference twin in engine/reference/synthdid-fw.ts) takes
// the same steps as frankWolfe in synthdid-solver.ts (exact line search, first argmin on ties, the stopping
// rule on the objective's decrease), but keeps the weights scaled (x = alpha xt, G x = alpha H) so that a
// step rewrites one weight (and adds a Gram row to H) instead of every weight and every G x, and keeps
// |x|^2, x'Gx and x'A'b as scalars instead of summing them over the units at every step: one pass per step
// that also finds the next unit. Iterates agree with frankWolfe's up to rounding
// (test/did/synthdid-gram-fw.test.ts, test/kernels/synthdid-fw.test.ts).
//
// The workspace holds the engine buffers from one weight problem to the next: placebo and bootstrap
// replicates solve hundreds of problems of about the same size. A bootstrap replicate's Gram submatrix is
// built straight into the buffer the kernel reads (gram()); the placebo's whole-controls Gram matrices stay
// in engine memory for the whole run (residentGram(), synthdid-whole-controls.ts). Problems without a Gram
// matrix (too many units) run the screened steps' kernel (solveScreened(), synthdid-screened.ts).
import type { Backend, F64Buffer } from "../../engine/backend.js";
import type { Arena } from "../../engine/buffers.js";
import { ScreenedSolver, type ScreenedSolution } from "./synthdid-screened.js";

/** A weight problem as synthdid-solver.ts states it (minimise zeta2 |x|^2 + |A x - b|^2 / m over the
 *  simplex; A column-major m x n, gram = A'A row-major, Atb = A'b). */
export interface GramProblem {
  readonly m: number;
  readonly n: number;
  readonly A: Float64Array;
  readonly b: Float64Array;
  /** A'A, or null for the screened steps (large n: synthdid-screened.ts). */
  readonly gram: Float64Array | null;
  readonly Atb: Float64Array;
  /** The ridge penalty zeta^2 (per unit of |x|^2). */
  readonly zeta2: number;
}

export interface GramSolution {
  readonly x: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

interface Buffers {
  readonly arena: Arena;
  readonly m: number;
  readonly n: number;
  readonly G: F64Buffer;
  readonly A: F64Buffer;
  readonly b: F64Buffer;
  readonly Atb: F64Buffer;
  readonly x: F64Buffer;
  readonly H: F64Buffer;
  readonly Ax: F64Buffer;
}

/** Engine buffers for weight problems of up to m rows and n units, allocated for the largest asked. Views
 *  are taken afresh at every use: an allocation elsewhere on the engine can grow its memory and void
 *  older views. */
export class GramWorkspace {
  private buffers: Buffers | null = null;
  /** Gram matrices kept for the workspace's life, by key (the placebo's whole-controls matrices). */
  private readonly resident = new Map<number, { readonly arena: Arena; readonly G: F64Buffer }>();

  private screened: ScreenedSolver | null = null;

  constructor(readonly backend: Backend) {}

  /** Room for problems of up to m rows and n units: reserve before taking views (gram(), residentGram())
   *  that a later solve() reads, since growing the buffers can grow the engine's memory. */
  reserve(m: number, n: number): void {
    this.room(m, n);
  }

  private room(m: number, n: number): Buffers {
    const have = this.buffers;
    if (have && have.m >= m && have.n >= n) return have;
    const M = Math.max(m, have?.m ?? 0);
    const N = Math.max(n, have?.n ?? 0);
    const arena = this.backend.arena();
    const next: Buffers = {
      arena, m: M, n: N, G: arena.f64(N * N, false), A: arena.f64(M * N, false), b: arena.f64(M, false), Atb: arena.f64(N, false),
      x: arena.f64(N, false), H: arena.f64(N, false), Ax: arena.f64(M, false),
    };
    // a Gram matrix already built (gram() before solve()) moves along: n x n at the start, whatever the room
    if (have) {
      next.G.view.set(have.G.view);
      have.arena.release();
    }
    this.buffers = next;
    return next;
  }

  /** The buffer of an n x n Gram matrix, to fill before solving a problem with n units (solve() then does
   *  not copy it). */
  gram(n: number): Float64Array {
    return this.room(1, n).G.view.subarray(0, n * n);
  }

  /** An n x n Gram matrix kept under `key` until release(), filled by `fill` the first time. */
  residentGram(key: number, n: number, fill: (G: Float64Array) => void): Float64Array {
    let r = this.resident.get(key);
    if (!r) {
      const arena = this.backend.arena();
      r = { arena, G: arena.f64(n * n, false) };
      this.resident.set(key, r);
      fill(r.G.view);
    }
    return r.G.view.subarray(0, n * n);
  }

  /** Frank-Wolfe from x0 (see the header). p.gram is used in place when it is one of this workspace's
   *  buffers, else copied in. */
  solve(p: GramProblem, x0: Float64Array, minDecrease: number, maxIter: number): GramSolution {
    const { m, n } = p;
    const given = p.gram!;
    if (given.length < n * n) throw new Error("GramWorkspace.solve: the Gram matrix is too short (a view voided by memory growth?)");
    const isView = (b: F64Buffer | undefined) => b !== undefined && b.view.buffer === given.buffer && b.view.byteOffset === given.byteOffset;
    let G: F64Buffer | undefined = [...this.resident.values()].find((r) => isView(r.G))?.G;
    const inScratch = !G && isView(this.buffers?.G);
    const B = this.room(m, n);
    if (!G) {
      G = B.G;
      if (!inScratch) G.view.set(given.subarray(0, n * n));
    }
    B.A.view.set(p.A.subarray(0, m * n));
    B.b.view.set(p.b.subarray(0, m));
    B.Atb.view.set(p.Atb.subarray(0, n));
    B.x.view.set(x0.subarray(0, n));
    const t = this.backend.fwGramSolve(m, n, B.A, B.b, G, B.Atb, p.zeta2, minDecrease, maxIter, B.x, B.H, B.Ax);
    return { x: B.x.view.slice(0, n), iterations: t, converged: t < maxIter };
  }

  /** Frank-Wolfe from x0 for a problem without its Gram matrix (the screened steps, on the engine). */
  solveScreened(p: GramProblem, x0: Float64Array, minDecrease: number, maxIter: number): ScreenedSolution {
    this.screened ??= new ScreenedSolver(this.backend);
    return this.screened.solve(p.A, p.m, p.n, p.b, p.zeta2, x0, minDecrease, maxIter);
  }

  release(): void {
    this.screened?.release();
    this.screened = null;
    this.buffers?.arena.release();
    this.buffers = null;
    for (const r of this.resident.values()) r.arena.release();
    this.resident.clear();
  }
}
