// Reference twin of assembly/synthdid-screened.ts (the method: bindings/estimators/did/synthdid-screened.ts):
// synthdid's Frank-Wolfe over many units with screened steps, the same operations in the same order, so
// both backends return the same bits. The epoch pass here reads A by columns where the kernel reads it
// transposed: each unit's dot product is the same sum, from 0 over k in increasing order.

/** Below this alpha the scaled weights are multiplied out (xt grows as 1 / alpha). */
const ALPHA_FLOOR = 1e-100;

/** Relative slack on the bound comparisons, so rounding in the exact values never excludes the argmin. */
const BOUND_SLACK = 1e-12;

/** key_j = A_j'r + ea xt_j for every unit, and |xt|^2 summed in unit order. */
function keysPass(m: number, n: number, A: Float64Array, r: Float64Array, xt: Float64Array, ea: number, key: Float64Array): number {
  let xtSq = 0;
  for (let j = 0; j < n; j++) {
    const o = j * m;
    let s = 0;
    for (let k = 0; k < m; k++) s += A[o + k] * r[k];
    const x = xt[j];
    key[j] = s + ea * x;
    xtSq += x * x;
  }
  return xtSq;
}

/** Max-heap of `size` values: moves heap[from] down to its place. */
function siftValue(heap: Float64Array, size: number, from: number): void {
  let p = from;
  const v = heap[p];
  for (;;) {
    let c = 2 * p + 1;
    if (c >= size) break;
    if (c + 1 < size && heap[c + 1] > heap[c]) c++;
    if (!(heap[c] > v)) break;
    heap[p] = heap[c];
    p = c;
  }
  heap[p] = v;
}

/** The (size)-th smallest of key[0..n) (size <= n), with a max-heap of the `size` smallest so far. */
function kthValue(n: number, key: Float64Array, heap: Float64Array, size: number): number {
  heap.set(key.subarray(0, size));
  for (let p = (size >> 1) - 1; p >= 0; p--) siftValue(heap, size, p);
  let top = heap[0];
  for (let j = size; j < n; j++) {
    const v = key[j];
    if (v < top) {
      heap[0] = v;
      siftValue(heap, size, 0);
      top = heap[0];
    }
  }
  return top;
}

/** Unit a before unit b: smaller key, then smaller index. */
function before(key: Float64Array, a: number, b: number): boolean {
  return key[a] < key[b] || (key[a] === key[b] && a < b);
}

function siftUnit(cand: Int32Array, key: Float64Array, size: number, from: number): void {
  let p = from;
  const u = cand[p];
  for (;;) {
    let c = 2 * p + 1;
    if (c >= size) break;
    if (c + 1 < size && before(key, cand[c], cand[c + 1])) c++;
    if (!before(key, u, cand[c])) break;
    cand[p] = cand[c];
    p = c;
  }
  cand[p] = u;
}

/** Sorts cand[0..count) by key, then index. */
function sortUnits(cand: Int32Array, key: Float64Array, count: number): void {
  for (let p = (count >> 1) - 1; p >= 0; p--) siftUnit(cand, key, count, p);
  for (let end = count - 1; end > 0; end--) {
    const top = cand[0];
    cand[0] = cand[end];
    cand[end] = top;
    siftUnit(cand, key, end, 0);
  }
}

/** Frank-Wolfe from xt (overwritten with the solution); returns the steps taken. */
export function fwScreenedSolve(m: number, n: number, A: Float64Array, b: Float64Array, zeta2: number, minDecrease: number, maxIter: number, K: number,
  xt: Float64Array, work: Float64Array, cand: Int32Array): number {
  const eta = m * zeta2;
  // the kernel's layout of work_W (m n + 2 n + 3 m + K (m + 4) + 1 doubles)
  let at = 0;
  const part = (len: number) => work.subarray(at, (at += len));
  const At = part(m * n);
  const norm = part(n);
  const key = part(n);
  const z = part(m);
  const r = part(m);
  const zEpoch = part(m);
  const candKey = part(K);
  const candNorm = part(K);
  const candXt = part(K);
  const candA = part(K * m);
  const heap = part(K + 1);

  z.fill(0);
  zEpoch.fill(0);
  let normMax = 0;
  for (let j = 0; j < n; j++) {
    const o = j * m;
    const xj = xt[j];
    let ss = 0;
    for (let k = 0; k < m; k++) {
      const a = A[o + k];
      z[k] = z[k] + a * xj;
      ss += a * a;
      At[k * n + j] = a;
    }
    const nj = Math.sqrt(ss);
    norm[j] = nj;
    if (nj > normMax) normMax = nj;
  }

  let alpha = 1;
  let xtSq = 0;
  let count = 0;
  let C = -Infinity;
  let etaAlphaEpoch = 0;
  let xtInMax = 0;
  let xtOutMax = 0;

  const threshold = minDecrease * minDecrease;
  let prev = NaN;
  let cur = NaN;
  let t = 0;
  while (t < maxIter && (t < 2 || prev - cur > threshold)) {
    t++;
    for (let k = 0; k < m; k++) r[k] = z[k] - b[k];
    let i = -1;
    let gi = Infinity;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt === 1) {
        zEpoch.set(z);
        etaAlphaEpoch = eta * alpha;
        xtSq = keysPass(m, n, A, r, xt, eta * alpha, key);
        C = K >= n ? Infinity : kthValue(n, key, heap, K + 1);
        count = 0;
        xtInMax = 0;
        xtOutMax = 0;
        for (let j = 0; j < n; j++) {
          const x = xt[j];
          if (key[j] < C) {
            cand[count++] = j;
            if (x > xtInMax) xtInMax = x;
          } else if (x > xtOutMax) xtOutMax = x;
        }
        sortUnits(cand, key, count);
        for (let q = 0; q < count; q++) {
          const j = cand[q];
          candKey[q] = key[j];
          candNorm[q] = norm[j];
          candXt[q] = xt[j];
          candA.set(A.subarray(j * m, j * m + m), q * m);
        }
      }
      let drift = 0;
      for (let k = 0; k < m; k++) {
        const d = z[k] - zEpoch[k];
        drift += d * d;
      }
      const dz = Math.sqrt(drift);
      const moved = normMax * dz;
      const shrink = etaAlphaEpoch - eta * alpha;
      const Din = moved + shrink * xtInMax;
      const ea = eta * alpha;
      i = -1;
      gi = Infinity;
      for (let q = 0; q < count; q++) {
        const limit = gi + BOUND_SLACK * Math.abs(gi);
        const kq = candKey[q];
        if (kq - Din > limit) break;
        if (kq - candNorm[q] * dz - shrink * candXt[q] > limit) continue;
        const j = cand[q];
        const o = q * m;
        let s = 0;
        for (let k = 0; k < m; k++) s += candA[o + k] * r[k];
        const g = s + ea * xt[j];
        if (g < gi || (g === gi && j < i)) {
          gi = g;
          i = j;
        }
      }
      if (C !== Infinity) {
        const D = moved + shrink * xtOutMax;
        if (!(gi < C - D - BOUND_SLACK * (Math.abs(gi) + Math.abs(C) + D))) i = -1;
      }
      if (i >= 0) break;
    }
    if (i < 0) {
      i = 0;
      gi = Infinity;
      for (let j = 0; j < n; j++) {
        const g = key[j];
        if (g < gi) {
          gi = g;
          i = j;
        }
      }
    }
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
        for (let k = 0; k < m; k++) z[k] = z[k] + s * (A[ai + k] - z[k]);
        const shrunk = (1 - s) * alpha;
        if (shrunk === 0) {
          xt.fill(0, 0, n);
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
            for (let j = 0; j < n; j++) xt[j] = xt[j] * alpha;
            alpha = 1;
            C = -Infinity;
            count = 0;
            xtSq = 0;
            for (let j = 0; j < n; j++) xtSq += xt[j] * xt[j];
          }
        }
      }
    }
    let err = 0;
    for (let k = 0; k < m; k++) {
      const e = z[k] - b[k];
      err += e * e;
    }
    prev = cur;
    cur = zeta2 * alpha * alpha * xtSq + err / m;
  }
  for (let j = 0; j < n; j++) xt[j] = alpha * xt[j];
  return t;
}
