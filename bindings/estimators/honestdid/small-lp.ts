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
// two-to-eight-row programs would take half a minute. This tableau does one in a few microseconds.
//
// Method: the two-phase full-tableau simplex (phase 1 minimises the sum of artificial variables, one per
// row). Entering column by the largest reduced cost (Dantzig), switching to Bland's smallest-index rule
// after many pivots so that degenerate programs cannot cycle. The artificial columns are kept, so that at
// the end they hold B^-1 and give the multipliers.

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
  const width = cols + rows + 1; // original columns, artificials, right-hand side
  const T = new Float64Array((rows + 1) * width); // last row: reduced costs (objective row)
  const sign = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    sign[i] = b[i] < 0 ? -1 : 1;
    for (let j = 0; j < cols; j++) T[i * width + j] = sign[i] * A[i * cols + j];
    T[i * width + cols + i] = 1;
    T[i * width + width - 1] = sign[i] * b[i];
  }
  const basis = Int32Array.from({ length: rows }, (_, i) => cols + i);
  let bScale = 0;
  for (let i = 0; i < rows; i++) bScale = Math.max(bScale, Math.abs(b[i]));

  // Phase 1: max -sum(artificials). Reduced costs of the original columns are the column sums.
  const obj = rows * width;
  const setObjective = (cost: (j: number) => number) => {
    for (let j = 0; j < width; j++) T[obj + j] = j < cols + rows ? cost(j) : 0;
    // Make the reduced costs of basic columns zero: row_obj -= cost_B * row_i.
    for (let i = 0; i < rows; i++) {
      const cb = basis[i] < cols + rows ? cost(basis[i]) : 0;
      if (cb === 0) continue;
      for (let j = 0; j < width; j++) T[obj + j] -= cb * T[i * width + j];
    }
  };
  // The objective row holds the reduced costs d_j = c_j - c_B' B^-1 a_j (improving when positive) and, in
  // its last entry, minus the objective's value.
  setObjective((j) => (j >= cols ? -1 : 0));
  iterate(T, basis, rows, width, cols + rows); // bounded: the sum of artificials cannot go below 0
  const artificialSum = T[obj + width - 1];
  if (artificialSum > FEAS_TOL * Math.max(1, bScale)) return { status: "infeasible", objective: NaN, x: new Float64Array(cols), y: new Float64Array(rows) };

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
    if (best >= 0) pivot(T, basis, rows, width, i, best);
    // else: a redundant row; its artificial stays basic at zero and never moves (its row is zero).
  }

  // Phase 2: the real objective, artificials barred from entering.
  setObjective((j) => (j < cols ? c[j] : 0));
  const status = iterate(T, basis, rows, width, cols);
  const x = new Float64Array(cols);
  for (let i = 0; i < rows; i++) if (basis[i] < cols) x[basis[i]] = T[i * width + width - 1];
  // y_i = sum_k c_B(k) Binv[k][i]; B^-1's column i is artificial column cols + i of the tableau (in the
  // sign-flipped rows, hence the sign).
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let k = 0; k < rows; k++) if (basis[k] < cols) s += c[basis[k]] * T[k * width + cols + i];
    y[i] = s * sign[i];
  }
  let objective = 0;
  for (let j = 0; j < cols; j++) objective += c[j] * x[j];
  return { status, objective, x, y };
}

/** Simplex iterations on the tableau (objective row last, d_j = reduced costs, improving when > 0);
 *  columns at or beyond `enterLimit` never enter. */
function iterate(T: Float64Array, basis: Int32Array, rows: number, width: number, enterLimit: number): LpStatus {
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
    pivot(T, basis, rows, width, leave, enter);
  }
  return "limit";
}

function pivot(T: Float64Array, basis: Int32Array, rows: number, width: number, r: number, e: number): void {
  const p = T[r * width + e];
  for (let j = 0; j < width; j++) T[r * width + j] /= p;
  for (let i = 0; i <= rows; i++) {
    if (i === r) continue;
    const f = T[i * width + e];
    if (f === 0) continue;
    for (let j = 0; j < width; j++) T[i * width + j] -= f * T[r * width + j];
  }
  basis[r] = e;
}
