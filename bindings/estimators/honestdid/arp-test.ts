// The conditional test of moment inequalities with nuisance parameters, E[y - X delta] <= 0 for some
// delta (Andrews, Roth and Pakes 2023), with its least-favourable hybrid, as HonestDiD's
// .lp_conditional_test_fn computes it:
//
//   1. eta = the linear program of eta-lp.ts; an unbounded program does not reject (HonestDiD's rule).
//   2. Hybrid: eta above the least-favourable critical value rejects at once (first stage, size kappa);
//      the second stage then has size (alpha - kappa) / (1 - kappa).
//   3. The statistic eta / sigma_B is compared with the 1 - size quantile of a normal truncated to
//      [v_lo, v_up] / sigma_B, the values of eta consistent with the selected vertex. When the optimal
//      vertex is unique and its binding moments have full rank ("primal"), v_lo and v_up are closed-form
//      (ARP's Lemma: the rows of the non-binding moments give the bounds); otherwise ("dual") they are
//      found by bisection on the dual program's value along y + c b (Algorithm 1 of ARP's appendix),
//      with HonestDiD's tolerances and its Newton-like shortcut before bisecting.
// The critical value is max(0, that quantile); the test rejects when the statistic exceeds it.
import { dot, inverse, mat, mulVec, quad, rank, type Mat } from "./dense.js";
import { etaVertex, lpMaxOverVertices, type EtaVertex } from "./eta-lp.js";
import { truncatedNormalQuantile } from "./normal-tails.js";

/** A multiplier above this marks a binding moment (HonestDiD's tol_lambda). */
const BINDING_TOL = 1e-6;
/** HonestDiD's bisection tolerances and limits (.vlo_vup_dual_fn). */
const BISECT_TOL = 1e-6;
const EQUALITY_TOL = 1e-6;
const MAX_ITERS = 10000;
const SWITCH_ITERS = 10;
/** .roundeps: values below eps^(3/4) count as zero in the shortcut. */
const ROUND_EPS = 2 ** -39; // (2^-52)^(3/4)

/** The moments' fixed parts: nuisance directions X (m x k), their covariance, standard deviations and
 *  the dual program's matrix. */
export interface MomentProblem {
  readonly X: Mat;
  readonly sigma: Mat;
  readonly sd: Float64Array;
  readonly W: Mat;
}

/** The least-favourable hybrid (lfCv: its first-stage critical value), or the plain conditional test. */
export type Hybrid = { readonly kind: "lf"; readonly kappa: number; readonly lfCv: number } | { readonly kind: "none" };

export interface TestOutcome {
  readonly reject: boolean;
  /** The program had no optimum (HonestDiD then does not reject and warns). */
  readonly lpFailed: boolean;
}

export function conditionalTest(y: Float64Array, p: MomentProblem, alpha: number, hybrid: Hybrid, solved?: EtaVertex): TestOutcome {
  const lp = solved ?? etaVertex(y, p.W);
  if (lp.status !== "optimal") return { reject: false, lpFailed: true };
  if (hybrid.kind === "lf" && lp.eta > hybrid.lfCv) return { reject: true, lpFailed: false };
  const size = hybrid.kind === "lf" ? (alpha - hybrid.kappa) / (1 - hybrid.kappa) : alpha;
  const k = p.X.cols;
  const binding: number[] = [];
  lp.lambda.forEach((l, i) => l > BINDING_TOL && binding.push(i));
  const degenerate = binding.length !== k + 1;
  const XB = mat(binding.length, k);
  binding.forEach((r, i) => XB.data.set(p.X.data.subarray(r * k, (r + 1) * k), i * k));
  const dim = Math.min(binding.length, k);
  const fullRank = dim > 0 && rank(XB) === dim;
  const primal = !degenerate && fullRank ? primalBounds(y, p, binding) : null;
  let sigmaB: number;
  let vlo: number;
  let vup: number;
  if (primal) {
    ({ sigmaB, vlo, vup } = primal);
  } else {
    const g = lp.lambda;
    const s2 = quad(p.sigma, g);
    if (Math.abs(s2) < 2.220446049250313e-16) return { reject: lp.eta > 0, lpFailed: false };
    sigmaB = Math.sqrt(s2);
    ({ vlo, vup } = dualBounds(y, p, lp.eta, g, s2));
  }
  const stat = lp.eta / sigmaB;
  const zlo = vlo / sigmaB;
  const zup = (hybrid.kind === "lf" ? Math.min(vup, hybrid.lfCv) : vup) / sigmaB;
  if (!(zlo <= stat && stat <= zup)) return { reject: false, lpFailed: false };
  const critical = Math.max(0, truncatedNormalQuantile(1 - size, zlo, zup));
  return { reject: stat > critical, lpFailed: false };
}

/** v_lo, v_up and sigma_B when the binding moments B (k + 1 of them) identify the vertex: with
 *  M_B = [sd_B, X_B], eta = v_B'y where v_B puts M_B^-1's first row on B; each non-binding moment's row
 *  of Gamma_B = [sd_Bc, X_Bc] M_B^-1 S_B - S_Bc bounds eta from one side. */
function primalBounds(y: Float64Array, p: MomentProblem, binding: readonly number[]): { sigmaB: number; vlo: number; vup: number } | null {
  const m = p.X.rows;
  const k = p.X.cols;
  const MB = mat(k + 1, k + 1);
  binding.forEach((r, i) => {
    MB.data[i * (k + 1)] = p.sd[r];
    for (let j = 0; j < k; j++) MB.data[i * (k + 1) + j + 1] = p.X.data[r * k + j];
  });
  const inv = inverse(MB);
  if (!inv) return null;
  const vB = new Float64Array(m);
  binding.forEach((r, j) => (vB[r] = inv.data[j]));
  const s2 = quad(p.sigma, vB);
  const sigmaB = Math.sqrt(s2);
  const sigmaV = mulVec(p.sigma, vB);
  const vy = dot(vB, y);
  const isBinding = new Uint8Array(m);
  for (const r of binding) isBinding[r] = 1;
  let vlo = -Infinity;
  let vup = Infinity;
  const row = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    if (isBinding[r]) continue;
    // Gamma_B's row for moment r: [sd_r, X_r] M_B^-1 placed on B, minus 1 at r.
    row.fill(0);
    for (let j = 0; j <= k; j++) {
      let s = p.sd[r] * inv.data[j];
      for (let a = 0; a < k; a++) s += p.X.data[r * k + a] * inv.data[(a + 1) * (k + 1) + j];
      row[binding[j]] = s;
    }
    row[r] -= 1;
    const rho = dot(row, sigmaV) / s2;
    const bound = -dot(row, y) / rho + vy;
    if (rho > 0) vlo = Math.max(vlo, bound);
    else if (rho < 0) vup = Math.min(vup, bound);
  }
  return { sigmaB, vlo, vup };
}

/** v_lo and v_up by HonestDiD's bisection on the dual: c is attainable when max over the dual's vertices
 *  of (s + b c)'lambda equals c, where s = y - b g'y and b = Sigma g / g'Sigma g. */
function dualBounds(y: Float64Array, p: MomentProblem, eta: number, g: Float64Array, s2: number): { vlo: number; vup: number } {
  const m = y.length;
  const b = mulVec(p.sigma, g).map((v) => v / s2);
  const gy = dot(g, y);
  const s = y.map((v, i) => v - b[i] * gy);
  const f = new Float64Array(m);
  const check = (c: number) => {
    for (let i = 0; i < m; i++) f[i] = s[i] + b[i] * c;
    const r = lpMaxOverVertices(f, p.W);
    return { honest: r.ok && Math.abs(c - r.value) <= EQUALITY_TOL, lambda: r.lambda, ok: r.ok };
  };
  const sdB = Math.sqrt(s2);
  const lowStart = Math.min(-100, eta - 20 * sdB);
  const highStart = Math.max(100, eta + 20 * sdB);
  if (!check(eta).honest) return { vlo: eta, vup: Infinity };
  const shortcut = (lambda: Float64Array) => {
    const num = dot(lambda, s);
    return (Math.abs(num) < ROUND_EPS ? 0 : num) / (1 - dot(lambda, b));
  };
  const search = (start: number, up: boolean): number => {
    let lp = check(start);
    if (lp.honest) return up ? Infinity : -Infinity;
    let dif = 0;
    let iters = 1;
    let mid = lp.ok ? shortcut(lp.lambda) : start;
    while (Number.isFinite(mid) && !(lp = check(mid)).honest && iters < MAX_ITERS) {
      iters++;
      if (iters >= SWITCH_ITERS) {
        dif = BISECT_TOL + 1;
        break;
      }
      if (!lp.ok) {
        dif = BISECT_TOL + 1;
        break;
      }
      mid = shortcut(lp.lambda);
    }
    if (!Number.isFinite(mid)) {
      mid = start;
      dif = BISECT_TOL + 1;
    }
    // The attainable end stays at eta's side; the unattainable one moves in.
    let inside = eta;
    let outside = mid;
    while (dif > BISECT_TOL && iters < MAX_ITERS) {
      iters++;
      mid = (inside + outside) / 2;
      if (check(mid).honest) inside = mid;
      else outside = mid;
      dif = Math.abs(outside - inside);
    }
    return mid;
  };
  return { vlo: search(lowStart, false), vup: search(highStart, true) };
}
