// Reference twin of assembly/synthdid-fw.ts (see there for the method): synthdid's Frank-Wolfe with the
// Gram matrix and scaled weights, the same operations in the same order, so both backends return the same
// bits. The wasm kernel's pass finds the argmin in two sweeps (the minimum, then its first unit); the one
// sweep here with a strict `<` picks the same unit.

/** Below this alpha the scaled weights are multiplied out (xt grows as 1 / alpha). */
const ALPHA_FLOOR = 1e-100;

/** H += d G[row .. row + n), then the first argmin of (alpha H_j + ea xt_j) - Atb_j (0 if none is below
 *  +Infinity). */
function stepPass(n: number, xt: Float64Array, H: Float64Array, G: Float64Array, row: number, Atb: Float64Array, d: number, alpha: number, ea: number): number {
  let best = 0;
  let gi = Infinity;
  for (let j = 0; j < n; j++) {
    const h = H[j] + d * G[row + j];
    H[j] = h;
    const g = alpha * h + ea * xt[j] - Atb[j];
    if (g < gi) {
      gi = g;
      best = j;
    }
  }
  return best;
}

/** sum over q < m of (u_q - v_q)^2 in the kernel's four lanes (lane q mod 4, increasing q), combined as
 *  (l0 + l2) + (l1 + l3). */
function sqDist(u: Float64Array, v: Float64Array, uAt: number, m: number): number {
  let a0 = 0;
  let a1 = 0;
  let b0 = 0;
  let b1 = 0;
  let q = 0;
  for (; q + 3 < m; q += 4) {
    const d0 = u[uAt + q] - v[q];
    const d1 = u[uAt + q + 1] - v[q + 1];
    const d2 = u[uAt + q + 2] - v[q + 2];
    const d3 = u[uAt + q + 3] - v[q + 3];
    a0 += d0 * d0;
    a1 += d1 * d1;
    b0 += d2 * d2;
    b1 += d3 * d3;
  }
  if (q < m) {
    const d = u[uAt + q] - v[q];
    a0 += d * d;
    q++;
  }
  if (q < m) {
    const d = u[uAt + q] - v[q];
    a1 += d * d;
    q++;
  }
  if (q < m) {
    const d = u[uAt + q] - v[q];
    b0 += d * d;
  }
  return a0 + b0 + (a1 + b1);
}

/** Frank-Wolfe from x (overwritten with the solution); returns the steps taken. */
export function fwGramSolve(m: number, n: number, A: Float64Array, b: Float64Array, G: Float64Array, Atb: Float64Array, zeta2: number, minDecrease: number,
  maxIter: number, xt: Float64Array, H: Float64Array, Ax: Float64Array): number {
  const eta = m * zeta2;
  H.fill(0, 0, n);
  Ax.fill(0, 0, m);
  // A x0 and H = G x0 (by rows of G: it is symmetric), the nonzero weights in unit order
  for (let j = 0; j < n; j++) {
    const xj = xt[j];
    if (xj === 0) continue;
    for (let q = 0; q < m; q++) Ax[q] = Ax[q] + A[j * m + q] * xj;
    const row = j * n;
    for (let r = 0; r < n; r++) H[r] = H[r] + G[row + r] * xj;
  }
  let alpha = 1;
  let xtSq = 0;
  let P = 0;
  let Q = 0;
  for (let j = 0; j < n; j++) {
    const v = xt[j];
    xtSq += v * v;
    P += v * H[j];
    Q += v * Atb[j];
  }
  let i = stepPass(n, xt, H, G, 0, Atb, 0, alpha, eta * alpha);
  const threshold = minDecrease * minDecrease;
  let prev = NaN;
  let cur = NaN;
  let t = 0;
  while (t < maxIter && (t < 2 || prev - cur > threshold)) {
    t++;
    const xi = alpha * xt[i];
    const xx = alpha * alpha * xtSq;
    // at the vertex e_i the direction is 0 and x stays
    if (!(xi === 1 && xx === 1)) {
      const gi = alpha * H[i] + eta * alpha * xt[i] - Atb[i];
      const gx = alpha * alpha * (P + eta * xtSq) - alpha * Q;
      const ai = i * m;
      const errNorm = sqDist(A, Ax, ai, m);
      const dxNorm = xx - xi * xi + (1 - xi) * (1 - xi);
      const s = Math.min(1, Math.max(0, (gx - gi) / (errNorm + eta * dxNorm)));
      if (s > 0) {
        for (let q = 0; q < m; q++) Ax[q] = Ax[q] + s * (A[ai + q] - Ax[q]);
        const shrunk = (1 - s) * alpha;
        const row = i * n;
        if (shrunk === 0) {
          // onto the vertex e_i: the scaled weights start afresh there
          xt.fill(0, 0, n);
          xt[i] = 1;
          H.fill(0, 0, n);
          alpha = 1;
          xtSq = 1;
          P = G[row + i];
          Q = Atb[i];
          i = stepPass(n, xt, H, G, row, Atb, 1, alpha, eta * alpha);
        } else {
          const d = s / shrunk;
          const old = xt[i];
          P += 2 * d * H[i] + d * d * G[row + i];
          Q += d * Atb[i];
          xtSq += (old + d) * (old + d) - old * old;
          xt[i] = old + d;
          alpha = shrunk;
          i = stepPass(n, xt, H, G, row, Atb, d, alpha, eta * alpha);
          if (alpha < ALPHA_FLOOR) {
            for (let j = 0; j < n; j++) {
              xt[j] = xt[j] * alpha;
              H[j] = H[j] * alpha;
            }
            P *= alpha * alpha;
            Q *= alpha;
            xtSq *= alpha * alpha;
            alpha = 1;
          }
        }
      }
    }
    const err = sqDist(Ax, b, 0, m);
    prev = cur;
    cur = zeta2 * alpha * alpha * xtSq + err / m;
  }
  for (let j = 0; j < n; j++) xt[j] = alpha * xt[j];
  return t;
}
