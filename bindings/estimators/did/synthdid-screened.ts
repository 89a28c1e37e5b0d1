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

/** Candidates kept per epoch: larger lists mean fewer epochs (each m n work) but longer scans per step. */
const CANDIDATES = 512;

/** Relative slack on the bound comparisons, so rounding in the exact values never excludes the argmin. */
const BOUND_SLACK = 1e-12;

/** The weights when x has shrunk this far are rescaled (xt *= alpha), keeping xt finite. */
const ALPHA_FLOOR = 1e-100;

/** k-th smallest (0-based) of `a`, reordering it (Hoare quickselect). */
function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

export interface ScreenedSolution {
  readonly x: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Frank-Wolfe from x0 as synthdid's sc.weight.fw (see the header), for A column-major m x n. */
export function screenedFrankWolfe(A: Float64Array, m: number, n: number, b: Float64Array, zeta2: number, x0: Float64Array, minDecrease: number, maxIter: number): ScreenedSolution {
  const eta = m * zeta2;
  const xt = Float64Array.from(x0);
  let alpha = 1;
  const z = new Float64Array(m);
  const norm = new Float64Array(n);
  let normMax = 0;
  for (let j = 0; j < n; j++) {
    const o = j * m;
    const xj = xt[j];
    let ss = 0;
    for (let k = 0; k < m; k++) {
      const a = A[o + k];
      z[k] += a * xj;
      ss += a * a;
    }
    norm[j] = Math.sqrt(ss);
    if (norm[j] > normMax) normMax = norm[j];
  }
  let xtSq = 0;
  const r = new Float64Array(m);
  const zEpoch = new Float64Array(m);
  const key = new Float64Array(n);
  const scratch = new Float64Array(n);
  const K = Math.min(CANDIDATES, n);
  // per candidate, in key order: unit, key, |A_j|, xt_j at the epoch's start, and its column (contiguous, so
  // the exact values read one block of memory instead of scattered columns of A)
  const candidates = new Int32Array(K);
  const candidateKey = new Float64Array(K);
  const candidateNorm = new Float64Array(K);
  const candidateXt = new Float64Array(K);
  const candidateA = new Float64Array(K * m);
  let count = 0;
  // epoch state: C (+Infinity when every unit is a candidate), eta * alpha at its start, the largest xt
  // among the candidates and among the others
  let C = -Infinity;
  let etaAlphaEpoch = 0;
  let xtInMax = 0;
  let xtOutMax = 0;
  const order: number[] = [];

  const gradientAt = (j: number): number => {
    const o = j * m;
    let s = 0;
    for (let k = 0; k < m; k++) s += A[o + k] * r[k];
    return s + eta * alpha * xt[j];
  };

  /** A new epoch at the current z and alpha (r = z - b already set). */
  const newEpoch = () => {
    zEpoch.set(z);
    etaAlphaEpoch = eta * alpha;
    xtSq = 0;
    for (let j = 0; j < n; j++) {
      key[j] = gradientAt(j);
      xtSq += xt[j] * xt[j];
    }
    if (K >= n) C = Infinity;
    else {
      scratch.set(key);
      C = kthSmallest(scratch, K);
    }
    order.length = 0;
    xtInMax = 0;
    xtOutMax = 0;
    for (let j = 0; j < n; j++) {
      if (key[j] < C) {
        order.push(j);
        if (xt[j] > xtInMax) xtInMax = xt[j];
      } else if (xt[j] > xtOutMax) xtOutMax = xt[j];
    }
    order.sort((u, v) => key[u] - key[v] || u - v);
    count = order.length;
    for (let q = 0; q < count; q++) {
      const j = order[q];
      candidates[q] = j;
      candidateKey[q] = key[j];
      candidateNorm[q] = norm[j];
      candidateXt[q] = xt[j];
      for (let k = 0; k < m; k++) candidateA[q * m + k] = A[j * m + k];
    }
  };

  /** The argmin of g (first on ties), or -1 when the epoch's bound cannot vouch for it. */
  let best = 0;
  const search = (): number => {
    let drift = 0;
    for (let k = 0; k < m; k++) drift += (z[k] - zEpoch[k]) * (z[k] - zEpoch[k]);
    const dz = Math.sqrt(drift);
    const moved = normMax * dz;
    const shrink = etaAlphaEpoch - eta * alpha;
    const Din = moved + shrink * xtInMax;
    const ea = eta * alpha;
    let i = -1;
    let gi = Infinity;
    for (let q = 0; q < count; q++) {
      const limit = gi + BOUND_SLACK * Math.abs(gi);
      if (candidateKey[q] - Din > limit) break;
      // this unit's own bound first (its norm and weight instead of the largest): 2 multiply-adds, not m
      if (candidateKey[q] - candidateNorm[q] * dz - shrink * candidateXt[q] > limit) continue;
      const j = candidates[q];
      const o = q * m;
      let s = 0;
      for (let k = 0; k < m; k++) s += candidateA[o + k] * r[k];
      const g = s + ea * xt[j];
      if (g < gi || (g === gi && j < i)) {
        gi = g;
        i = j;
      }
    }
    best = gi;
    if (C === Infinity) return i;
    const D = moved + shrink * xtOutMax;
    return gi < C - D - BOUND_SLACK * (Math.abs(gi) + Math.abs(C) + D) ? i : -1;
  };

  /** Every unit's exact value (a fresh epoch that still cannot separate its candidates: ties at C). */
  const fullScan = (): number => {
    let i = 0;
    let gi = Infinity;
    for (let j = 0; j < n; j++) {
      const g = gradientAt(j);
      if (g < gi) {
        gi = g;
        i = j;
      }
    }
    best = gi;
    return i;
  };

  /** Back to alpha = 1 (after a step onto a vertex, or when alpha nears underflow); the epoch is void. */
  const rescale = () => {
    for (let j = 0; j < n; j++) xt[j] *= alpha;
    alpha = 1;
    C = -Infinity;
    count = 0;
  };

  const threshold = minDecrease * minDecrease;
  let prev = NaN;
  let cur = NaN;
  let t = 0;
  while (t < maxIter && (t < 2 || prev - cur > threshold)) {
    t++;
    for (let k = 0; k < m; k++) r[k] = z[k] - b[k];
    let i = search();
    if (i < 0) {
      newEpoch();
      i = search();
      if (i < 0) i = fullScan();
    }
    const gi = best;
    let zr = 0;
    for (let k = 0; k < m; k++) zr += z[k] * r[k];
    const xx = alpha * alpha * xtSq;
    const gx = zr + eta * xx;
    const xi = alpha * xt[i];
    // at the vertex e_i the direction is 0 and x stays
    if (!(xi === 1 && xx === 1)) {
      const ai = i * m;
      let errNorm = 0;
      for (let k = 0; k < m; k++) {
        const d = A[ai + k] - z[k];
        errNorm += d * d;
      }
      const dxNorm = xx - xi * xi + (1 - xi) * (1 - xi);
      const s = Math.min(1, Math.max(0, (gx - gi) / (errNorm + eta * dxNorm)));
      if (s > 0) {
        for (let k = 0; k < m; k++) z[k] += s * (A[ai + k] - z[k]);
        const shrunk = (1 - s) * alpha;
        if (shrunk === 0) {
          xt.fill(0);
          alpha = 1;
          xt[i] = 1;
          xtSq = 1;
          C = -Infinity;
          count = 0;
        } else {
          const old = xt[i];
          const now = old + s / shrunk;
          xt[i] = now;
          xtSq += now * now - old * old;
          alpha = shrunk;
          if (alpha < ALPHA_FLOOR) {
            rescale();
            xtSq = 0;
            for (let j = 0; j < n; j++) xtSq += xt[j] * xt[j];
          }
        }
      }
    }
    let err = 0;
    for (let k = 0; k < m; k++) err += (z[k] - b[k]) * (z[k] - b[k]);
    prev = cur;
    cur = zeta2 * alpha * alpha * xtSq + err / m;
  }
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[j] = alpha * xt[j];
  return { x, iterations: t, converged: t < maxIter };
}
