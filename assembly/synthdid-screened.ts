// synthdid's Frank-Wolfe (sc.weight.fw) for unit weights over too many control units for a Gram matrix:
// the screened steps of bindings/estimators/did/synthdid-screened.ts, which explains the method (epochs
// that evaluate every unit's half gradient once and keep the K smallest as candidates; steps that evaluate
// candidates in key order until a bound proves the argmin). The reference twin is
// bindings/engine/reference/synthdid-screened.ts (the same operations in the same order).
//
// Problem: minimise zeta2 |x|^2 + |A x - b|^2 / m over the unit simplex, x = alpha xt. The epoch pass is
// the hot loop (about 100-200 epochs over 15,000 units for one cohort of the 1M-row panel); it reads A
// transposed (row k at k n), so four units' values advance together in two f64x2 lanes, each unit's dot
// product still summed over k in increasing order from 0: the SIMD and scalar builds give the same bits.
//
// CONVENTION: A_mn column-major (unit j's column at j * m); x_n holds the start on entry and the
// solution on return; K candidates per epoch (at most n). work_W is scratch of
// m n + 2 n + 3 m + K (m + 4) + 1 doubles, laid out as below; cand_K scratch. Returns the steps taken
// (maxIter: the stopping rule was not met).

/** Below this alpha the scaled weights are multiplied out (xt grows as 1 / alpha). */
const ALPHA_FLOOR: f64 = 1e-100;

/** Relative slack on the bound comparisons, so rounding in the exact values never excludes the argmin. */
const BOUND_SLACK: f64 = 1e-12;

@inline function at(p: usize, j: i32): f64 {
  return load<f64>(p + (<usize>j << 3));
}

@inline function put(p: usize, j: i32, v: f64): void {
  store<f64>(p + (<usize>j << 3), v);
}

@inline function unitAt(p: usize, q: i32): i32 {
  return load<i32>(p + (<usize>q << 2));
}

@inline function putUnit(p: usize, q: i32, j: i32): void {
  store<i32>(p + (<usize>q << 2), j);
}

/** key_j = A_j'r + ea xt_j for every unit (the dot product from 0 over k in increasing order; At row k at
 *  k n), and returns |xt|^2 summed in unit order. */
function keysPass(m: i32, n: i32, At: usize, r: usize, xt: usize, ea: f64, key: usize): f64 {
  const stride = <usize>n << 3;
  let xtSq: f64 = 0;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const ev = f64x2.splat(ea);
    for (; j + 3 < n; j += 4) {
      const o = <usize>j << 3;
      let sa = f64x2.splat(0);
      let sb = f64x2.splat(0);
      let row = At + o;
      for (let k = 0; k < m; k++) {
        const rk = f64x2.splat(at(r, k));
        sa = f64x2.add(sa, f64x2.mul(v128.load(row), rk));
        sb = f64x2.add(sb, f64x2.mul(v128.load(row + 16), rk));
        row += stride;
      }
      const xa = v128.load(xt + o);
      const xb = v128.load(xt + o + 16);
      v128.store(key + o, f64x2.add(sa, f64x2.mul(ev, xa)));
      v128.store(key + o + 16, f64x2.add(sb, f64x2.mul(ev, xb)));
      const x0 = f64x2.extract_lane(xa, 0);
      const x1 = f64x2.extract_lane(xa, 1);
      const x2 = f64x2.extract_lane(xb, 0);
      const x3 = f64x2.extract_lane(xb, 1);
      xtSq += x0 * x0;
      xtSq += x1 * x1;
      xtSq += x2 * x2;
      xtSq += x3 * x3;
    }
  }
  for (; j < n; j++) {
    let s: f64 = 0;
    let row = At + (<usize>j << 3);
    for (let k = 0; k < m; k++) {
      s += load<f64>(row) * at(r, k);
      row += stride;
    }
    const x = at(xt, j);
    put(key, j, s + ea * x);
    xtSq += x * x;
  }
  return xtSq;
}

/** Max-heap of `size` values: moves heap[at] down to its place. */
function siftValue(heap: usize, size: i32, from: i32): void {
  let p = from;
  const v = at(heap, p);
  for (;;) {
    let c = 2 * p + 1;
    if (c >= size) break;
    if (c + 1 < size && at(heap, c + 1) > at(heap, c)) c++;
    if (!(at(heap, c) > v)) break;
    put(heap, p, at(heap, c));
    p = c;
  }
  put(heap, p, v);
}

/** The (size)-th smallest of key[0..n) (size <= n), with a max-heap of the `size` smallest so far. */
function kthValue(n: i32, key: usize, heap: usize, size: i32): f64 {
  memory.copy(heap, key, <usize>size << 3);
  for (let p = (size >> 1) - 1; p >= 0; p--) siftValue(heap, size, p);
  let top = at(heap, 0);
  for (let j = size; j < n; j++) {
    const v = at(key, j);
    if (v < top) {
      put(heap, 0, v);
      siftValue(heap, size, 0);
      top = at(heap, 0);
    }
  }
  return top;
}

/** Unit a before unit b: smaller key, then smaller index. */
@inline function before(key: usize, a: i32, b: i32): bool {
  const ka = at(key, a);
  const kb = at(key, b);
  return ka < kb || (ka == kb && a < b);
}

/** Max-heap (by `before`) of units: moves cand[from] down to its place. */
function siftUnit(cand: usize, key: usize, size: i32, from: i32): void {
  let p = from;
  const u = unitAt(cand, p);
  for (;;) {
    let c = 2 * p + 1;
    if (c >= size) break;
    if (c + 1 < size && before(key, unitAt(cand, c), unitAt(cand, c + 1))) c++;
    if (!before(key, u, unitAt(cand, c))) break;
    putUnit(cand, p, unitAt(cand, c));
    p = c;
  }
  putUnit(cand, p, u);
}

/** Sorts cand[0..count) by key, then index (heapsort: the order is total, so any sort gives this one). */
function sortUnits(cand: usize, key: usize, count: i32): void {
  for (let p = (count >> 1) - 1; p >= 0; p--) siftUnit(cand, key, count, p);
  for (let end = count - 1; end > 0; end--) {
    const top = unitAt(cand, 0);
    putUnit(cand, 0, unitAt(cand, end));
    putUnit(cand, end, top);
    siftUnit(cand, key, end, 0);
  }
}

export function fwScreenedSolve(m: i32, n: i32, A_mn: usize, b_m: usize, zeta2: f64, minDecrease: f64, maxIter: i32, K: i32, x_n: usize, work_W: usize,
  cand_K: usize): i32 {
  const eta = <f64>m * zeta2;
  const xt = x_n;
  // the layout of work_W
  const At = work_W;
  const norm = At + (<usize>m * <usize>n << 3);
  const key = norm + (<usize>n << 3);
  const z = key + (<usize>n << 3);
  const r = z + (<usize>m << 3);
  const zEpoch = r + (<usize>m << 3);
  const candKey = zEpoch + (<usize>m << 3);
  const candNorm = candKey + (<usize>K << 3);
  const candXt = candNorm + (<usize>K << 3);
  const candA = candXt + (<usize>K << 3);
  const heap = candA + (<usize>K * <usize>m << 3);

  // z = A x0 (unit by unit), the columns' norms, and A transposed
  memory.fill(z, 0, <usize>m << 3);
  memory.fill(zEpoch, 0, <usize>m << 3);
  let normMax: f64 = 0;
  for (let j = 0; j < n; j++) {
    const aj = A_mn + (<usize>j * <usize>m << 3);
    const xj = at(xt, j);
    let ss: f64 = 0;
    for (let k = 0; k < m; k++) {
      const a = at(aj, k);
      put(z, k, at(z, k) + a * xj);
      ss += a * a;
      put(At, k * n + j, a);
    }
    const nj = Math.sqrt(ss);
    put(norm, j, nj);
    if (nj > normMax) normMax = nj;
  }

  let alpha: f64 = 1;
  let xtSq: f64 = 0;
  let count = 0;
  // the epoch's state: C (+Infinity when every unit is a candidate; -Infinity: no epoch), eta alpha at its
  // start, the largest xt among the candidates and among the others
  let C: f64 = -Infinity;
  let etaAlphaEpoch: f64 = 0;
  let xtInMax: f64 = 0;
  let xtOutMax: f64 = 0;

  const threshold = minDecrease * minDecrease;
  let prev: f64 = NaN;
  let cur: f64 = NaN;
  let t = 0;
  while (t < maxIter && (t < 2 || prev - cur > threshold)) {
    t++;
    for (let k = 0; k < m; k++) put(r, k, at(z, k) - at(b_m, k));
    let i = -1;
    let gi: f64 = Infinity;
    // at most two searches: in the current epoch, then (if its bound cannot vouch for the argmin) in a new one
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt == 1) {
        // a new epoch at the current z and alpha
        memory.copy(zEpoch, z, <usize>m << 3);
        etaAlphaEpoch = eta * alpha;
        xtSq = keysPass(m, n, At, r, xt, eta * alpha, key);
        C = K >= n ? Infinity : kthValue(n, key, heap, K + 1);
        count = 0;
        xtInMax = 0;
        xtOutMax = 0;
        for (let j = 0; j < n; j++) {
          const x = at(xt, j);
          if (at(key, j) < C) {
            putUnit(cand_K, count++, j);
            if (x > xtInMax) xtInMax = x;
          } else if (x > xtOutMax) xtOutMax = x;
        }
        sortUnits(cand_K, key, count);
        for (let q = 0; q < count; q++) {
          const j = unitAt(cand_K, q);
          put(candKey, q, at(key, j));
          put(candNorm, q, at(norm, j));
          put(candXt, q, at(xt, j));
          memory.copy(candA + (<usize>q * <usize>m << 3), A_mn + (<usize>j * <usize>m << 3), <usize>m << 3);
        }
      }
      // the search: candidates in key order, each skipped when its own bound already exceeds the best
      let drift: f64 = 0;
      for (let k = 0; k < m; k++) {
        const d = at(z, k) - at(zEpoch, k);
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
        const kq = at(candKey, q);
        if (kq - Din > limit) break;
        if (kq - at(candNorm, q) * dz - shrink * at(candXt, q) > limit) continue;
        const j = unitAt(cand_K, q);
        const cq = candA + (<usize>q * <usize>m << 3);
        let s: f64 = 0;
        for (let k = 0; k < m; k++) s += at(cq, k) * at(r, k);
        const g = s + ea * at(xt, j);
        if (g < gi || (g == gi && j < i)) {
          gi = g;
          i = j;
        }
      }
      if (C != Infinity) {
        const D = moved + shrink * xtOutMax;
        if (!(gi < C - D - BOUND_SLACK * (Math.abs(gi) + Math.abs(C) + D))) i = -1;
      }
      if (i >= 0) break;
    }
    if (i < 0) {
      // a fresh epoch that still cannot separate its candidates (ties at C): every unit's exact value,
      // which the epoch pass has just computed at this z and alpha
      i = 0;
      gi = Infinity;
      for (let j = 0; j < n; j++) {
        const g = at(key, j);
        if (g < gi) {
          gi = g;
          i = j;
        }
      }
    }
    let zr: f64 = 0;
    for (let k = 0; k < m; k++) zr += at(z, k) * at(r, k);
    const xx = alpha * alpha * xtSq;
    const gx = zr + eta * xx;
    const xi = alpha * at(xt, i);
    // at the vertex e_i the direction is 0 and x stays
    if (!(xi == 1 && xx == 1)) {
      const ai = A_mn + (<usize>i * <usize>m << 3);
      let errNorm: f64 = 0;
      for (let k = 0; k < m; k++) {
        const d = at(ai, k) - at(z, k);
        errNorm += d * d;
      }
      const dxNorm = xx - xi * xi + (1 - xi) * (1 - xi);
      const s = Math.min(1, Math.max(0, (gx - gi) / (errNorm + eta * dxNorm)));
      if (s > 0) {
        for (let k = 0; k < m; k++) put(z, k, at(z, k) + s * (at(ai, k) - at(z, k)));
        const shrunk = (1 - s) * alpha;
        if (shrunk == 0) {
          memory.fill(xt, 0, <usize>n << 3);
          alpha = 1;
          put(xt, i, 1);
          xtSq = 1;
          C = -Infinity;
          count = 0;
        } else {
          const old = at(xt, i);
          const now = old + s / shrunk;
          put(xt, i, now);
          xtSq += now * now - old * old;
          alpha = shrunk;
          if (alpha < ALPHA_FLOOR) {
            // back to alpha = 1; the epoch is void
            for (let j = 0; j < n; j++) put(xt, j, at(xt, j) * alpha);
            alpha = 1;
            C = -Infinity;
            count = 0;
            xtSq = 0;
            for (let j = 0; j < n; j++) xtSq += at(xt, j) * at(xt, j);
          }
        }
      }
    }
    let err: f64 = 0;
    for (let k = 0; k < m; k++) {
      const e = at(z, k) - at(b_m, k);
      err += e * e;
    }
    prev = cur;
    cur = zeta2 * alpha * alpha * xtSq + err / <f64>m;
  }
  for (let j = 0; j < n; j++) put(xt, j, alpha * at(xt, j));
  return t;
}
