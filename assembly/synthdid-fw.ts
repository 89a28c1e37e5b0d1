// synthdid's Frank-Wolfe solver (sc.weight.fw) for a weight problem with its Gram matrix: synthetic DID's
// unit weights, re-solved in every placebo and bootstrap replicate (up to 10,000 steps, each a pass over
// every control unit). Called from bindings/estimators/did/synthdid-gram-fw.ts, which explains the method;
// the reference twin is bindings/engine/reference/synthdid-fw.ts (the same operations in the same order).
//
// Problem: minimise zeta2 |x|^2 + |A x - b|^2 / m over the unit simplex. A step moves x to
// (1 - s) x + s e_i, i = argmin of the half gradient g = G x - A'b + eta x (eta = m zeta2; first on ties),
// s the exact line search clamped to [0, 1]; the solver stops when the objective falls by at most
// minDecrease^2, or after maxIter steps.
//
// The weights are kept scaled, x = alpha xt and G x = alpha H, so a step changes alpha, xt_i and
// H += d G_i (d = s / alpha_new) and rewrites no other weight; what the line search needs of all units
// comes from scalars kept in O(1) per step: |xt|^2, P = xt'H = xt'G xt (+= 2 d H_i + d^2 G_ii) and
// Q = xt'A'b (+= d (A'b)_i), g'x = alpha^2 (P + eta |xt|^2) - alpha Q. The pass over the units (stepPass)
// has no sums, only a minimum and its first unit (a strict `<`, so NaN never wins), so the SIMD and scalar
// builds give the same bits.
//
// CONVENTION: A_mn column-major (unit j's column at j * m), G_nn row-major n x n (symmetric), Atb_n = A'b;
// x_n holds the start on entry and the solution on return; H_n and Ax_m are scratch. Returns the number of
// steps taken (maxIter: the stopping rule was not met).

/** Below this alpha the scaled weights are multiplied out (xt grows as 1 / alpha). */
const ALPHA_FLOOR: f64 = 1e-100;

@inline function at(p: usize, j: i32): f64 {
  return load<f64>(p + (<usize>j << 3));
}

@inline function put(p: usize, j: i32, v: f64): void {
  store<f64>(p + (<usize>j << 3), v);
}

/** H += d G_i (G_i at Gi), then the first argmin of (alpha H_j + ea xt_j) - Atb_j (0 if none is below
 *  +Infinity). */
function stepPass(n: i32, xt: usize, H: usize, Gi: usize, Atb: usize, d: f64, alpha: f64, ea: f64): i32 {
  let gi: f64 = Infinity;
  let best = 0;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const dv = f64x2.splat(d);
    const av = f64x2.splat(alpha);
    const ev = f64x2.splat(ea);
    // Blocks of 4 units. A block with a value below the smallest so far is rare after the first few, so
    // the loop carries no dependency through the minimum: only then is the block's minimum taken and the
    // block remembered. The last block remembered holds the first unit with the smallest value.
    let giv = f64x2.splat(Infinity);
    let keepA = giv;
    let keepB = giv;
    let block = -1;
    for (; j + 3 < n; j += 4) {
      const o = <usize>j << 3;
      const ha = f64x2.add(v128.load(H + o), f64x2.mul(dv, v128.load(Gi + o)));
      const hb = f64x2.add(v128.load(H + o + 16), f64x2.mul(dv, v128.load(Gi + o + 16)));
      v128.store(H + o, ha);
      v128.store(H + o + 16, hb);
      const ga = f64x2.sub(f64x2.add(f64x2.mul(av, ha), f64x2.mul(ev, v128.load(xt + o))), v128.load(Atb + o));
      const gb = f64x2.sub(f64x2.add(f64x2.mul(av, hb), f64x2.mul(ev, v128.load(xt + o + 16))), v128.load(Atb + o + 16));
      if (v128.any_true(v128.or(f64x2.lt(ga, giv), f64x2.lt(gb, giv)))) {
        const a0 = f64x2.extract_lane(ga, 0);
        const a1 = f64x2.extract_lane(ga, 1);
        const b0 = f64x2.extract_lane(gb, 0);
        const b1 = f64x2.extract_lane(gb, 1);
        if (a0 < gi) gi = a0;
        if (a1 < gi) gi = a1;
        if (b0 < gi) gi = b0;
        if (b1 < gi) gi = b1;
        giv = f64x2.splat(gi);
        keepA = ga;
        keepB = gb;
        block = j;
      }
    }
    if (block >= 0) {
      if (f64x2.extract_lane(keepA, 0) == gi) best = block;
      else if (f64x2.extract_lane(keepA, 1) == gi) best = block + 1;
      else if (f64x2.extract_lane(keepB, 0) == gi) best = block + 2;
      else best = block + 3;
    }
  }
  for (; j < n; j++) {
    const h = at(H, j) + d * at(Gi, j);
    put(H, j, h);
    const g = alpha * h + ea * at(xt, j) - at(Atb, j);
    if (g < gi) {
      gi = g;
      best = j;
    }
  }
  return best;
}

/** sum over q < m of (u_q - v_q)^2 in four lanes (lane q mod 4, increasing q), combined as
 *  (l0 + l2) + (l1 + l3): two f64x2 accumulators compute exactly this, and so does the reference. Four
 *  lanes, because the sum is a chain of dependent additions run twice per step. */
function sqDist(u: usize, v: usize, m: i32): f64 {
  let a0: f64 = 0;
  let a1: f64 = 0;
  let b0: f64 = 0;
  let b1: f64 = 0;
  let q = 0;
  if (ASC_FEATURE_SIMD) {
    let accA = f64x2.splat(0);
    let accB = f64x2.splat(0);
    for (; q + 3 < m; q += 4) {
      const o = <usize>q << 3;
      const da = f64x2.sub(v128.load(u + o), v128.load(v + o));
      const db = f64x2.sub(v128.load(u + o + 16), v128.load(v + o + 16));
      accA = f64x2.add(accA, f64x2.mul(da, da));
      accB = f64x2.add(accB, f64x2.mul(db, db));
    }
    a0 = f64x2.extract_lane(accA, 0);
    a1 = f64x2.extract_lane(accA, 1);
    b0 = f64x2.extract_lane(accB, 0);
    b1 = f64x2.extract_lane(accB, 1);
  } else {
    for (; q + 3 < m; q += 4) {
      const d0 = at(u, q) - at(v, q);
      const d1 = at(u, q + 1) - at(v, q + 1);
      const d2 = at(u, q + 2) - at(v, q + 2);
      const d3 = at(u, q + 3) - at(v, q + 3);
      a0 += d0 * d0;
      a1 += d1 * d1;
      b0 += d2 * d2;
      b1 += d3 * d3;
    }
  }
  if (q < m) {
    const d = at(u, q) - at(v, q);
    a0 += d * d;
    q++;
  }
  if (q < m) {
    const d = at(u, q) - at(v, q);
    a1 += d * d;
    q++;
  }
  if (q < m) {
    const d = at(u, q) - at(v, q);
    b0 += d * d;
  }
  return a0 + b0 + (a1 + b1);
}

/** Ax += s (A_i - Ax), element by element. */
function moveToward(Ax: usize, ai: usize, s: f64, m: i32): void {
  let q = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f64x2.splat(s);
    for (; q + 1 < m; q += 2) {
      const o = <usize>q << 3;
      const z = v128.load(Ax + o);
      v128.store(Ax + o, f64x2.add(z, f64x2.mul(sv, f64x2.sub(v128.load(ai + o), z))));
    }
  }
  for (; q < m; q++) put(Ax, q, at(Ax, q) + s * (at(ai, q) - at(Ax, q)));
}

export function fwGramSolve(m: i32, n: i32, A_mn: usize, b_m: usize, G_nn: usize, Atb_n: usize, zeta2: f64, minDecrease: f64, maxIter: i32, x_n: usize,
  H_n: usize, Ax_m: usize): i32 {
  const eta = <f64>m * zeta2;
  const xt = x_n;
  memory.fill(H_n, 0, <usize>n << 3);
  memory.fill(Ax_m, 0, <usize>m << 3);
  // A x0 and H = G x0 (by rows of G: it is symmetric), the nonzero weights in unit order
  for (let j = 0; j < n; j++) {
    const xj = at(xt, j);
    if (xj == 0) continue;
    const aj = A_mn + (<usize>j * <usize>m << 3);
    for (let q = 0; q < m; q++) put(Ax_m, q, at(Ax_m, q) + at(aj, q) * xj);
    const Gj = G_nn + (<usize>j * <usize>n << 3);
    for (let r = 0; r < n; r++) put(H_n, r, at(H_n, r) + at(Gj, r) * xj);
  }
  let alpha: f64 = 1;
  let xtSq: f64 = 0;
  let P: f64 = 0;
  let Q: f64 = 0;
  for (let j = 0; j < n; j++) {
    const v = at(xt, j);
    xtSq += v * v;
    P += v * at(H_n, j);
    Q += v * at(Atb_n, j);
  }
  let i = stepPass(n, xt, H_n, G_nn, Atb_n, 0, alpha, eta * alpha);
  const threshold = minDecrease * minDecrease;
  let prev: f64 = NaN;
  let cur: f64 = NaN;
  let t = 0;
  while (t < maxIter && (t < 2 || prev - cur > threshold)) {
    t++;
    const xi = alpha * at(xt, i);
    const xx = alpha * alpha * xtSq;
    // at the vertex e_i the direction is 0 and x stays
    if (!(xi == 1 && xx == 1)) {
      const gi = alpha * at(H_n, i) + eta * alpha * at(xt, i) - at(Atb_n, i);
      const gx = alpha * alpha * (P + eta * xtSq) - alpha * Q;
      const ai = A_mn + (<usize>i * <usize>m << 3);
      const errNorm = sqDist(ai, Ax_m, m);
      const dxNorm = xx - xi * xi + (1 - xi) * (1 - xi);
      const s = Math.min(1, Math.max(0, (gx - gi) / (errNorm + eta * dxNorm)));
      if (s > 0) {
        moveToward(Ax_m, ai, s, m);
        const shrunk = (1 - s) * alpha;
        const Gi = G_nn + (<usize>i * <usize>n << 3);
        if (shrunk == 0) {
          // onto the vertex e_i: the scaled weights start afresh there
          memory.fill(xt, 0, <usize>n << 3);
          put(xt, i, 1);
          memory.fill(H_n, 0, <usize>n << 3);
          alpha = 1;
          xtSq = 1;
          P = at(Gi, i);
          Q = at(Atb_n, i);
          i = stepPass(n, xt, H_n, Gi, Atb_n, 1, alpha, eta * alpha);
        } else {
          const d = s / shrunk;
          const old = at(xt, i);
          P += 2 * d * at(H_n, i) + d * d * at(Gi, i);
          Q += d * at(Atb_n, i);
          xtSq += (old + d) * (old + d) - old * old;
          put(xt, i, old + d);
          alpha = shrunk;
          i = stepPass(n, xt, H_n, Gi, Atb_n, d, alpha, eta * alpha);
          if (alpha < ALPHA_FLOOR) {
            for (let j = 0; j < n; j++) {
              put(xt, j, at(xt, j) * alpha);
              put(H_n, j, at(H_n, j) * alpha);
            }
            P *= alpha * alpha;
            Q *= alpha;
            xtSq *= alpha * alpha;
            alpha = 1;
          }
        }
      }
    }
    const err = sqDist(Ax_m, b_m, m);
    prev = cur;
    cur = zeta2 * alpha * alpha * xtSq + err / <f64>m;
  }
  for (let j = 0; j < n; j++) put(xt, j, alpha * at(xt, j));
  return t;
}
