// A dense simplex method for the small linear programs of the ARP test, solved hundreds of thousands of
// times per sensitivity analysis (HonestDiD's least-favourable critical value alone solves 1,000 per
// restriction set and value of M):
//
//     max c'x  subject to  A x = b,  x >= 0          (A: a few rows, a few dozen columns)
//
// returning x, the optimum and the multipliers y = c_B' B^-1, which solve the dual min b'y s.t. A'y >= c.
//
// WHY NOT HiGHS. HiGHS (the `highs` package) solves the sensitivity's other programs (identified sets, the
// FLCI's quadratic programs: see highs-solver.ts), but one call costs about 0.35 ms through its
// WebAssembly interface (measured: a persistent model, bounds changed and re-solved), so 100,000 of these
// two-to-eight-row programs would take half a minute. This tableau does one in a microsecond or two.
//
// Method: the two-phase full-tableau simplex (phase 1 minimises the sum of artificial variables, one per
// row). Entering column by the largest reduced cost (Dantzig), switching to Bland's smallest-index rule
// after many pivots so that degenerate programs cannot cycle. The artificial columns are kept, so that at
// the end they hold B^-1 and give the multipliers.
//
// Reuse. Phase 1 never looks at the objective c, so its end state (the tableau at a feasible vertex) is a
// function of A and b alone. The test solves many programs with one feasible set and different
// objectives (the 1,000 draws of the least-favourable critical value, the grid of theta, the bisection
// of the conditional test), so StandardFormLp runs phase 1 once and starts every phase 2 from a copy of
// that state. Each answer is then the one a cold solve gives, bit for bit, whatever was solved before:
// the same vertex in degenerate programs, the same rounding.

export type LpStatus = "optimal" | "infeasible" | "unbounded" | "limit";

export interface LpResult {
  readonly status: LpStatus;
  readonly objective: number;
  /** The primal solution (length: columns). */
  readonly x: Float64Array;
  /** The multipliers y = c_B' B^-1 (length: rows): the dual solution. */
  readonly y: Float64Array;
}

/** Pivots below this (relative to the row's largest entry) are treated as zero: the tableau's entries are
 *  sums of a few products of the data, so anything smaller is rounding. */
const PIVOT_TOL = 1e-11;
/** A reduced cost must exceed this (relative to the largest cost) to improve the objective. */
const COST_TOL = 1e-11;
/** Phase 1 must reach zero to this tolerance (relative to the right-hand side) for feasibility. */
const FEAS_TOL = 1e-9;
/** After this many pivots of one phase, Bland's rule takes over (it cannot cycle). */
const BLAND_AFTER = 50;
const MAX_PIVOTS = 5000;

/** max c'x s.t. A x = b, x >= 0; A row-major, rows x cols. */
export function solveStandardLp(A: Float64Array, b: Float64Array, c: Float64Array, rows: number, cols: number): LpResult {
  return new StandardFormLp(A, b, rows, cols).solve(c);
}

/** The programs max c'x s.t. A x = b, x >= 0 for one A and b and any number of objectives c. A and b are
 *  copied into the phase-1 tableau: changing them afterwards changes nothing here. */
export class StandardFormLp {
  readonly rows: number;
  readonly cols: number;
  /** The tableau's row length: original columns, artificials, right-hand side. */
  private readonly width: number;
  /** The right-hand side's signs (rows with b < 0 are negated so that the artificials start feasible). */
  private readonly sign: Float64Array;
  /** Phase 1's end state; null when the program is infeasible. */
  private readonly feasibleTableau: Float64Array | null;
  private readonly feasibleBasis: Int32Array;
  /** Phase 2's working copies, reused by every solve. */
  private readonly T: Float64Array;
  private readonly basis: Int32Array;
  private readonly xScratch: Float64Array;

  constructor(A: Float64Array, b: Float64Array, rows: number, cols: number) {
    this.rows = rows;
    this.cols = cols;
    const width = cols + rows + 1;
    this.width = width;
    const T = new Float64Array((rows + 1) * width); // last row: reduced costs (objective row)
    const sign = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      sign[i] = b[i] < 0 ? -1 : 1;
      for (let j = 0; j < cols; j++) T[i * width + j] = sign[i] * A[i * cols + j];
      T[i * width + cols + i] = 1;
      T[i * width + width - 1] = sign[i] * b[i];
    }
    const basis = new Int32Array(rows);
    for (let i = 0; i < rows; i++) basis[i] = cols + i;
    let bScale = 0;
    for (let i = 0; i < rows; i++) bScale = Math.max(bScale, Math.abs(b[i]));

    // Phase 1: max -sum(artificials). The objective row holds the reduced costs d_j = c_j - c_B' B^-1 a_j
    // (improving when positive) and, in its last entry, minus the objective's value; every artificial is
    // basic with cost -1, so the original columns' reduced costs are the column sums.
    const obj = rows * width;
    for (let j = 0; j < width; j++) T[obj + j] = j >= cols && j < cols + rows ? -1 : 0;
    for (let i = 0; i < rows; i++) for (let j = 0; j < width; j++) T[obj + j] -= -1 * T[i * width + j];
    iterate(T, basis, rows, width, cols + rows, true); // bounded: the sum of artificials cannot go below 0
    const artificialSum = T[obj + width - 1];
    const feasible = !(artificialSum > FEAS_TOL * Math.max(1, bScale));

    if (feasible) {
      // Drive artificial variables out of the basis where a structural column can replace them.
      for (let i = 0; i < rows; i++) {
        if (basis[i] < cols) continue;
        let best = -1;
        let bestAbs = 0;
        let rowMax = 0;
        for (let j = 0; j < cols; j++) rowMax = Math.max(rowMax, Math.abs(T[i * width + j]));
        for (let j = 0; j < cols; j++) {
          const v = Math.abs(T[i * width + j]);
          if (v > bestAbs && v > PIVOT_TOL * rowMax && v > 1e-14) {
            best = j;
            bestAbs = v;
          }
        }
        if (best >= 0) pivot(T, basis, rows, width, i, best, true);
        // else: a redundant row; its artificial stays basic at zero and never moves (its row is zero).
      }
    }
    this.sign = sign;
    this.feasibleTableau = feasible ? T : null;
    this.feasibleBasis = basis;
    this.T = new Float64Array(T.length);
    this.basis = new Int32Array(rows);
    this.xScratch = new Float64Array(cols);
  }

  /** The optimum, the maximiser x and the multipliers y (fresh arrays). */
  solve(c: Float64Array): LpResult {
    const { rows, cols, width, T, basis } = this;
    if (!this.phase2Start(c, true)) return { status: "infeasible", objective: NaN, x: new Float64Array(cols), y: new Float64Array(rows) };
    const status = iterate(T, basis, rows, width, cols, true);
    const x = new Float64Array(cols);
    for (let i = 0; i < rows; i++) if (basis[i] < cols) x[basis[i]] = T[i * width + width - 1];
    // y_i = sum_k c_B(k) Binv[k][i]; B^-1's column i is artificial column cols + i of the tableau (in the
    // sign-flipped rows, hence the sign).
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let k = 0; k < rows; k++) if (basis[k] < cols) s += c[basis[k]] * T[k * width + cols + i];
      y[i] = s * this.sign[i];
    }
    return { status, objective: objectiveAt(c, x, cols), x, y };
  }

  /** solve(c) without the multipliers y: the same status, optimum and x, at the cost of fewer columns
   *  (no B^-1). */
  maximiser(c: Float64Array): { readonly status: LpStatus; readonly objective: number; readonly x: Float64Array } {
    const { rows, cols, width, T, basis } = this;
    const x = new Float64Array(cols);
    if (!this.phase2Start(c, false)) return { status: "infeasible", objective: NaN, x };
    const status = iterate(T, basis, rows, width, cols, false);
    for (let i = 0; i < rows; i++) if (basis[i] < cols) x[basis[i]] = T[i * width + width - 1];
    return { status, objective: objectiveAt(c, x, cols), x };
  }

  /** The status of the last call of `objective`. */
  lastStatus: LpStatus = "optimal";

  /** solve(c).objective, with solve(c).status left in lastStatus, without allocating and without B^-1
   *  (only the multipliers need it). */
  objective(c: Float64Array): number {
    const { rows, cols, width, T, basis, xScratch } = this;
    if (!this.phase2Start(c, false)) {
      this.lastStatus = "infeasible";
      return NaN;
    }
    this.lastStatus = iterate(T, basis, rows, width, cols, false);
    xScratch.fill(0);
    for (let i = 0; i < rows; i++) if (basis[i] < cols) xScratch[basis[i]] = T[i * width + width - 1];
    return objectiveAt(c, xScratch, cols);
  }

  /** Copies phase 1's end state and puts c's reduced costs in the objective row; false when infeasible.
   *  Without `withInverse` the artificial columns are left stale (phase 2 never lets them enter). */
  private phase2Start(c: Float64Array, withInverse: boolean): boolean {
    const { rows, cols, width, T, basis } = this;
    const start = this.feasibleTableau;
    if (!start) return false;
    if (withInverse) T.set(start);
    else {
      for (let i = 0; i < rows; i++) {
        const o = i * width;
        for (let j = 0; j < cols; j++) T[o + j] = start[o + j];
        T[o + width - 1] = start[o + width - 1];
      }
    }
    basis.set(this.feasibleBasis);
    // The objective row: c on the original columns, then row_obj -= c_B(i) * row_i to make the basic
    // columns' reduced costs zero (an artificial still basic costs 0).
    const obj = rows * width;
    for (let j = 0; j < width; j++) T[obj + j] = j < cols ? c[j] : 0;
    for (let i = 0; i < rows; i++) {
      const cb = basis[i] < cols ? c[basis[i]] : 0;
      if (cb === 0) continue;
      const o = i * width;
      for (let j = 0; j < cols; j++) T[obj + j] -= cb * T[o + j];
      if (withInverse) for (let j = cols; j < width - 1; j++) T[obj + j] -= cb * T[o + j];
      T[obj + width - 1] -= cb * T[o + width - 1];
    }
    return true;
  }
}

/** c'x summed in column order (the order fixes the rounding, which the callers compare across solves). */
function objectiveAt(c: Float64Array, x: Float64Array, cols: number): number {
  let objective = 0;
  for (let j = 0; j < cols; j++) objective += c[j] * x[j];
  return objective;
}

/** Simplex iterations on the tableau (objective row last, d_j = reduced costs, improving when > 0);
 *  columns at or beyond `enterLimit` never enter. `withInverse`: keep the artificial columns (B^-1) up to
 *  date. */
function iterate(T: Float64Array, basis: Int32Array, rows: number, width: number, enterLimit: number, withInverse: boolean): LpStatus {
  const obj = rows * width;
  let costScale = 0;
  for (let j = 0; j < enterLimit; j++) costScale = Math.max(costScale, Math.abs(T[obj + j]));
  const tol = COST_TOL * Math.max(1, costScale);
  for (let n = 0; n < MAX_PIVOTS; n++) {
    const bland = n >= BLAND_AFTER;
    let enter = -1;
    let best = tol;
    for (let j = 0; j < enterLimit; j++) {
      const d = T[obj + j];
      if (d > best) {
        enter = j;
        if (bland) break;
        best = d;
      }
    }
    if (enter < 0) return "optimal";
    let leave = -1;
    let ratio = Infinity;
    for (let i = 0; i < rows; i++) {
      const a = T[i * width + enter];
      if (a <= PIVOT_TOL) continue;
      const r = T[i * width + width - 1] / a;
      if (r < ratio - 1e-15 || (r <= ratio + 1e-15 && leave >= 0 && basis[i] < basis[leave])) {
        ratio = r;
        leave = i;
      }
    }
    if (leave < 0) return "unbounded";
    pivot(T, basis, rows, width, leave, enter, withInverse);
  }
  return "limit";
}

/** Gauss-Jordan pivot on (r, e). Each entry's update reads only its own column and the pivot column, so
 *  leaving the artificial columns out (`withInverse` false) leaves every other entry as it would be. */
function pivot(T: Float64Array, basis: Int32Array, rows: number, width: number, r: number, e: number, withInverse: boolean): void {
  const end = withInverse ? width - 1 : width - rows - 1; // columns [0, end) and the right-hand side
  const rhs = width - 1;
  const pr = r * width;
  const p = T[pr + e];
  for (let j = 0; j < end; j++) T[pr + j] /= p;
  T[pr + rhs] /= p;
  for (let i = 0; i <= rows; i++) {
    if (i === r) continue;
    const o = i * width;
    const f = T[o + e];
    if (f === 0) continue;
    for (let j = 0; j < end; j++) T[o + j] -= f * T[pr + j];
    T[o + rhs] -= f * T[pr + rhs];
  }
  basis[r] = e;
}
