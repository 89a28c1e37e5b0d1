// Frank-Wolfe for synthetic DID's unit weights when there are too many control units for an n x n Gram
// matrix (tens of thousands): the same iterates as synthdid's sc.weight.fw, with each step's argmin of the
// half gradient found without touching every unit.
//
// Problem: minimise zeta^2 |x|^2 + |A x - b|^2 / m over the unit simplex, A m x n column-major, m small (the
// pre-periods), n large. Half gradient g_j = A_j'(z - b) + eta x_j with z = A x and eta = m zeta^2; one step
// picks i = argmin g (first on ties) and moves x <- (1 - s) x + s e_i with the exact line search.
//
// Why it is cheaper: with many units and a strong ridge (zeta_omega grows with the treated cells) the
// solver runs all 10,000 iterations and picks a different unit nearly every time, so forming g (or a
// Gram column) costs m n per step: 10,000 x 15,000 x 13 multiply-adds for one cohort of the 1M-row panel.
// Here a step costs O(m) plus a few hundred candidates:
//   - x is kept as alpha * xt: the step scales every weight by (1 - s) through alpha and changes xt_i only;
//     |x|^2 = alpha^2 |xt|^2 and g'x = z'(z - b) + eta |x|^2 need no pass over the units either;
//   - an "epoch" evaluates g exactly for every unit once (key_j, at z_e and alpha_e), keeps the K units
//     with the smallest keys as candidates (sorted by key), and C, the K-th smallest key;
//   - later in the epoch, for any unit g_j = key_j + A_j'(z - z_e) - eta (alpha_e - alpha) xt_j(e) + (its
//     own increase if it was picked), so g_j >= key_j - D with D = max_j |A_j| |z - z_e| + eta (alpha_e -
//     alpha) max xt(e) over the non-candidates (Cauchy-Schwarz; picked units only gain weight). The
//     candidates are evaluated exactly in key order until key - D exceeds the best value found (skipping
//     those whose own bound, with |A_j| and xt_j(e), already does); when that best is below C - D no other
//     unit can reach it and the argmin is exact; otherwise a new epoch starts.
// On the 1M-row panel's cohorts (15,000 controls, 10,000 iterations) a step evaluates about 250 candidates
// and an epoch lasts about 60-100 steps.
// Exact g values are computed as synthdid does (A_j'(Ax - b) + eta x_j), so ties and the stopping rule
// (objective decrease at most minDecrease^2, at most maxIter steps) follow the package's iterates.
// The steps run in the fwScreenedSolve kernel (assembly/synthdid-screened.ts: the epoch pass in SIMD), or
// without an engine in its reference twin (engine/reference/synthdid-screened.ts); both give the same bits.

import type { Backend, F64Buffer, I32Buffer } from "../../engine/backend.js";
import type { Arena } from "../../engine/buffers.js";
import { defaultEngine } from "../../engine/engine.js";

/** Candidates kept per epoch: larger lists mean fewer epochs (each m n work) but longer scans per step. */
const CANDIDATES = 512;

/** Doubles of scratch the fwScreenedSolve kernel needs (its work_W) for m rows, n units and K candidates. */
export function screenedWorkLength(m: number, n: number, K: number): number {
  return m * n + 2 * n + 3 * m + K * (m + 4) + 1;
}

export interface ScreenedSolution {
  readonly x: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Frank-Wolfe from x0 as synthdid's sc.weight.fw (see the header), for A column-major m x n, in
 *  TypeScript (the reference backend: the kernel's twin), for callers without an engine workspace. */
export function screenedFrankWolfe(A: Float64Array, m: number, n: number, b: Float64Array, zeta2: number, x0: Float64Array, minDecrease: number, maxIter: number): ScreenedSolution {
  const solver = new ScreenedSolver(defaultEngine("reference").backend);
  try {
    return solver.solve(A, m, n, b, zeta2, x0, minDecrease, maxIter);
  } finally {
    solver.release();
  }
}

interface Buffers {
  readonly arena: Arena;
  readonly m: number;
  readonly n: number;
  readonly A: F64Buffer;
  readonly b: F64Buffer;
  readonly x: F64Buffer;
  readonly work: F64Buffer;
  readonly cand: I32Buffer;
}

/** The screened steps on an engine, its buffers kept from one problem to the next (grown for the largest
 *  asked): a cohort's two rounds, the cohorts of a staggered design and bootstrap replicates solve
 *  problems of about the same size. */
export class ScreenedSolver {
  private buffers: Buffers | null = null;

  constructor(readonly backend: Backend) {}

  private room(m: number, n: number): Buffers {
    const have = this.buffers;
    if (have && have.m >= m && have.n >= n) return have;
    have?.arena.release();
    const M = Math.max(m, have?.m ?? 0);
    const N = Math.max(n, have?.n ?? 0);
    const K = Math.min(CANDIDATES, N);
    const arena = this.backend.arena();
    const next: Buffers = {
      arena, m: M, n: N, A: arena.f64(M * N, false), b: arena.f64(M, false), x: arena.f64(N, false),
      work: arena.f64(screenedWorkLength(M, N, K), false), cand: arena.i32(K, false),
    };
    this.buffers = next;
    return next;
  }

  /** Frank-Wolfe from x0 (see the header); the same bits as screenedFrankWolfe. */
  solve(A: Float64Array, m: number, n: number, b: Float64Array, zeta2: number, x0: Float64Array, minDecrease: number, maxIter: number): ScreenedSolution {
    const B = this.room(m, n);
    // views taken after room(): allocating can grow the engine's memory and void older views
    B.A.view.set(A.subarray(0, m * n));
    B.b.view.set(b.subarray(0, m));
    B.x.view.set(x0.subarray(0, n));
    const t = this.backend.fwScreenedSolve(m, n, B.A, B.b, zeta2, minDecrease, maxIter, Math.min(CANDIDATES, n), B.x, B.work, B.cand);
    return { x: B.x.view.slice(0, n), iterations: t, converged: t < maxIter };
  }

  release(): void {
    this.buffers?.arena.release();
    this.buffers = null;
  }
}
