// A confidence set for theta = l'tau by test inversion over a grid of theta values, as HonestDiD's
// .ARP_computeCI and .APR_computeCI_NoNuis: theta is in the set when the conditional test does not reject
// that the bias delta = beta - (0, tau) satisfies A delta <= d for some tau with l'tau = theta. For a
// union of restriction sets (Delta^RM) a theta is in the set when any of them accepts it. The reported
// set is [lowest, highest] accepted grid point, as HonestDiD reports it.
//
// Change of variables (the nuisance case, more than one post-period): with Gamma an invertible matrix
// whose first row is l', tau = Gamma^-1 (theta, nu), so the moments A beta - d - A_post Gamma^-1 (theta,
// nu) are affine in theta and in the nuisance nu. Gamma's other rows are unit vectors e_i, i != the last
// index where l is nonzero (the rows HonestDiD's reduced-row-echelon construction picks).
//
// Speed, without changing any answer: only the lowest and highest accepted points matter, so the grid is
// scanned inward from both ends and stops at the first acceptance. With the least-favourable hybrid every
// theta whose statistic eta(theta) exceeds the first-stage critical value is rejected at once, and
// eta(theta) = min over nu of the largest standardised moment is convex in theta (a partial minimum of a
// jointly convex function), so the first stage passes exactly on an interval of grid points, found by
// ternary and binary search instead of testing every point.
import { inverse, mat, mulVec, principal, sandwichOf, type Mat } from "./dense.js";
import { conditionalTest, type Hybrid, type MomentProblem } from "./arp-test.js";
import { noNuisanceTest, scaledProblem, type NoNuisanceProblem } from "./arp-no-nuisance.js";
import { dualMatrix, etaValue, etaVertex } from "./eta-lp.js";
import { leastFavourableCv, leastFavourableCvNoNuisance } from "./least-favourable.js";
import { keepRows, type Restriction } from "./restrictions.js";

export interface EventStudy {
  readonly betahat: Float64Array;
  readonly sigma: Mat;
  readonly numPre: number;
  readonly numPost: number;
  /** Weights of the target l'tau over the post-periods. */
  readonly l: Float64Array;
}

export interface InversionOptions {
  readonly alpha: number;
  /** "lf": the conditional-least-favourable hybrid (first stage of size kappa); "arp": the plain test. */
  readonly hybrid: "lf" | "arp";
  readonly kappa: number;
  readonly grid: Float64Array;
}

export interface GridSet {
  /** Lowest and highest accepted grid points (null: none accepted). */
  readonly lb: number | null;
  readonly ub: number | null;
  /** An accepted point at an end of the grid: the set may extend beyond it. */
  readonly open: boolean;
  /** Tests whose linear program had no optimum (not rejected, as HonestDiD does). */
  readonly lpFailures: number;
}

/** R's seq(lo, hi, length.out = n). */
export function thetaGrid(lo: number, hi: number, n: number): Float64Array {
  const g = new Float64Array(n);
  if (n === 1) {
    g[0] = lo;
    return g;
  }
  const by = (hi - lo) / (n - 1);
  for (let i = 0; i < n; i++) g[i] = lo + i * by;
  g[n - 1] = hi;
  return g;
}

/** Tests one restriction set at grid index i. */
interface Tester {
  /** Grid indices where the first stage passes (null: nowhere). */
  readonly passes: readonly [number, number] | null;
  accepts(i: number): boolean;
  lpFailures: number;
}

/** Cache of least-favourable critical values by the moments they depend on (identical restriction sets,
 *  as every polyhedron of Delta^RM(0), share one). */
export type CvCache = Map<string, number>;

const keyOf = (...parts: Array<Mat | Float64Array>) => parts.map((p) => Array.from("data" in p ? p.data : p).join(",")).join("|");

/** Gamma with first row l and unit rows elsewhere, and its inverse. */
function gammaInverse(l: Float64Array): Mat {
  const q = l.length;
  let last = -1;
  for (let i = 0; i < q; i++) if (l[i] !== 0) last = i;
  const G = mat(q, q);
  G.data.set(l, 0);
  let row = 1;
  for (let i = 0; i < q; i++) {
    if (i === last) continue;
    G.data[row * q + i] = 1;
    row++;
  }
  return inverse(G)!;
}

function nuisanceTester(es: EventStudy, r: Restriction, o: InversionOptions, cache: CvCache): Tester {
  const { numPre, numPost } = es;
  const n = r.A.cols;
  const ginv = gammaInverse(es.l);
  // A_post Gamma^-1: first column multiplies theta, the others are the nuisance directions.
  const post = mat(r.A.rows, numPost);
  for (let i = 0; i < r.A.rows; i++) for (let j = 0; j < numPost; j++) post.data[i * numPost + j] = r.A.data[i * n + numPre + j];
  const AG = mat(post.rows, numPost);
  for (let i = 0; i < post.rows; i++) {
    for (let j = 0; j < numPost; j++) {
      let s = 0;
      for (let a = 0; a < numPost; a++) s += post.data[i * numPost + a] * ginv.data[a * numPost + j];
      AG.data[i * numPost + j] = s;
    }
  }
  const rows = r.testRows;
  const Y = mulVec(r.A, es.betahat).map((v, i) => v - r.d[i]);
  const sigmaY = sandwichOf(r.A, es.sigma);
  const m = rows.length;
  const X = mat(m, numPost - 1);
  const a = new Float64Array(m);
  const y0 = new Float64Array(m);
  rows.forEach((src, i) => {
    a[i] = AG.data[src * numPost];
    y0[i] = Y[src];
    for (let j = 1; j < numPost; j++) X.data[i * (numPost - 1) + j - 1] = AG.data[src * numPost + j];
  });
  const sigma = principal(sigmaY, rows);
  const sd = Float64Array.from({ length: m }, (_, i) => Math.sqrt(sigma.data[i * m + i]));
  const problem: MomentProblem = { X, sigma, sd, W: dualMatrix(X, sd) };
  let hybrid: Hybrid = { kind: "none" };
  if (o.hybrid === "lf") {
    const key = keyOf(X, sigma);
    let cv = cache.get(key);
    if (cv === undefined) {
      cv = leastFavourableCv(X, sigma, o.kappa);
      cache.set(key, cv);
    }
    hybrid = { kind: "lf", kappa: o.kappa, lfCv: cv };
  }
  const grid = o.grid;
  const y = new Float64Array(m);
  const momentsAt = (i: number) => {
    for (let j = 0; j < m; j++) y[j] = y0[j] - a[j] * grid[i];
    return y;
  };
  // The first stage needs eta alone, the test its multipliers too: the cheaper program for the first. A
  // program without optimum counts as -Infinity: it passes (the test then does not reject: HonestDiD's rule).
  const firstStage = new Map<number, number>();
  const etaAt = (i: number) => {
    let s = firstStage.get(i);
    if (s === undefined) {
      const eta = etaValue(momentsAt(i), problem.W);
      s = Number.isNaN(eta) ? -Infinity : eta;
      firstStage.set(i, s);
    }
    return s;
  };
  const tester: Tester = {
    passes: hybrid.kind === "lf" ? firstStageInterval(grid.length, etaAt, hybrid.lfCv) : [0, grid.length - 1],
    lpFailures: 0,
    accepts(i) {
      const moments = Float64Array.from(momentsAt(i));
      const out = conditionalTest(moments, problem, o.alpha, hybrid, etaVertex(moments, problem.W));
      if (out.lpFailed) tester.lpFailures++;
      return !out.reject;
    },
  };
  return tester;
}

function noNuisanceTester(es: EventStudy, r0: Restriction, o: InversionOptions, cache: CvCache): Tester {
  const r = keepRows(r0, r0.testRows);
  const p: NoNuisanceProblem = scaledProblem(r.A, r.d, es.sigma);
  let lf: { kappa: number; lfCv: number } | null = null;
  if (o.hybrid === "lf") {
    const sigmaY = sandwichOf(r.A, es.sigma);
    const key = keyOf(sigmaY);
    let cv = cache.get(key);
    if (cv === undefined) {
      cv = leastFavourableCvNoNuisance(sigmaY, o.kappa);
      cache.set(key, cv);
    }
    lf = { kappa: o.kappa, lfCv: cv };
  }
  const grid = o.grid;
  const at = es.numPre;
  const yOf = (i: number) => {
    const y = Float64Array.from(es.betahat);
    y[at] -= grid[i];
    return y;
  };
  const maxMoment = (i: number) => {
    const mm = mulVec(p.A, yOf(i));
    let best = -Infinity;
    mm.forEach((v, j) => (best = Math.max(best, v - p.d[j])));
    return best;
  };
  return {
    passes: lf ? firstStageInterval(grid.length, maxMoment, lf.lfCv) : [0, grid.length - 1],
    lpFailures: 0,
    accepts: (i) => !noNuisanceTest(yOf(i), p, o.alpha, lf),
  };
}

/** The grid indices where a convex statistic (`value`, per grid index) is at most `cv` (an interval,
 *  possibly empty). */
function firstStageInterval(n: number, value: (i: number) => number, cv: number): [number, number] | null {
  // Ternary search for the minimum of a convex sequence.
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 2) {
    const m1 = lo + Math.floor((hi - lo) / 3);
    const m2 = hi - Math.floor((hi - lo) / 3);
    const f1 = value(m1);
    const f2 = value(m2);
    if (f1 < f2) hi = m2 - 1;
    else if (f1 > f2) lo = m1 + 1;
    else {
      lo = m1;
      hi = m2;
    }
  }
  let best = lo;
  for (let i = lo + 1; i <= hi; i++) if (value(i) < value(best)) best = i;
  if (!(value(best) <= cv)) return null;
  // The statistic decreases up to `best` and increases after it.
  let a = 0;
  let b = best;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (value(mid) <= cv) b = mid;
    else a = mid + 1;
  }
  const left = a;
  a = best;
  b = n - 1;
  while (a < b) {
    const mid = (a + b + 1) >> 1;
    if (value(mid) <= cv) a = mid;
    else b = mid - 1;
  }
  return [left, a];
}

/** The confidence set over the grid for the union of the restriction sets. */
export function invertTests(es: EventStudy, sets: readonly Restriction[], o: InversionOptions, cache: CvCache = new Map()): GridSet {
  const testers = sets.map((r) => (es.numPost > 1 ? nuisanceTester(es, r, o, cache) : noNuisanceTester(es, r, o, cache)));
  const n = o.grid.length;
  const live = testers.filter((t) => t.passes !== null);
  const acceptedAt = (i: number) => live.some((t) => t.passes![0] <= i && i <= t.passes![1] && t.accepts(i));
  let lbIndex = -1;
  const start = Math.min(n, ...live.map((t) => t.passes![0]));
  for (let i = start; i < n && lbIndex < 0; i++) if (acceptedAt(i)) lbIndex = i;
  let ubIndex = -1;
  if (lbIndex >= 0) {
    const end = Math.max(-1, ...live.map((t) => t.passes![1]));
    for (let i = end; i >= lbIndex && ubIndex < 0; i--) if (acceptedAt(i)) ubIndex = i;
  }
  const lpFailures = testers.reduce((s, t) => s + t.lpFailures, 0);
  if (lbIndex < 0) return { lb: null, ub: null, open: false, lpFailures };
  return { lb: o.grid[lbIndex], ub: o.grid[ubIndex], open: lbIndex === 0 || ubIndex === n - 1, lpFailures };
}
