// Stacked DID's clustered scores for both of its models (bindings/estimators/did/stacked-regression.ts says
// what they are): S_g = sum_{i in g} w_i e_i z~_i over each model's kept columns, in one pass over the stack.
// bindings/engine/reference/stacked-scores.ts mirrors it operation for operation (the same bits).
//
// WHY HERE. Ten event-time dummies on a million-row stack are ten million products whose period fits are
// read through each row's period: about 6 ns each in V8, a fifth of stacked DID's whole time.
//
// BUFFERS (names carry their length; C = Kc + 1)
//   x_NC        : f64 [C][N] the absorbed controls, then the absorbed outcome, column-major.
//   w_N         : f64 [N] weights, or 0 (address) when unweighted.
//   code_N      : i32 [N] each row's event-time slot (0 .. L - 1), -1 for none.
//   cluster_N, unit_N, period_N : i32 [N] cluster, sub-experiment x unit level and sub-experiment x period
//                 level of each row. Rows come in runs of one cluster and one unit level.
//   unitCoef_UL : f64 [U][L] the dummies' unit-level fits, or 0 when the unit levels are nested in the
//                 clusters (their part of a score sums to 0 there); periodCoef_PL : f64 [P][L] the periods'.
//   theta1_K    : f64 [Kc + L] the event model's coefficients; theta2_K : f64 [Kc + 1] the static model's.
//   psiUnit_U, psiPeriod_P : the fixed-effect fits of the event model's fitted dummies; postUnit_U,
//                 postPeriod_P : post's.
//   kept_M      : i32 [nx1 + nd1 + nx2] the kept controls of the event model, its kept dummies' slots, the
//                 kept controls of the static model.
//   g0, g1      : the clusters this call adds up (g0 <= g < g1): kernel threads each take a range, every
//                 cluster's runs in the same order as in one call, so any split gives the same bits.
//   S1_GK, S2_GK: f64 [K][G] each model's scores (its kept columns, controls first), column-major; added to
//                 (only the rows of clusters g0 .. g1 - 1).
//   scratch     : f64 [nx1 + nd1 + nx2] the current run's sums.
//
// ORDER. Each score of a run starts at 0 (a dummy's and post's at minus the run's sum of w e times the unit
// level's fit) and adds the run's rows in row order; the run's total is then added to S. A row's w e is
// computed twice (for the run's sum of w e, then for the scores), the same way both times.

@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

/** The event model's residual at row k, before weighting. */
@inline function eventResidual(
  N: i32, Kc: i32, x_NC: usize, k: i32, slot: i32, t: i32, theta1_K: usize, pu: f64, psiPeriod_P: usize,
): f64 {
  let r = f64At(x_NC, Kc * N + k) - (slot >= 0 ? f64At(theta1_K, Kc + slot) : 0) + pu + f64At(psiPeriod_P, t);
  for (let j = 0; j < Kc; j++) r -= f64At(theta1_K, j) * f64At(x_NC, j * N + k);
  return r;
}

/** The static model's residual at row k, before weighting. */
@inline function staticResidual(
  N: i32, Kc: i32, x_NC: usize, k: i32, post: f64, t: i32, theta2_K: usize, thetaPost: f64, qu: f64, postPeriod_P: usize,
): f64 {
  let r = f64At(x_NC, Kc * N + k) - thetaPost * (post - qu - f64At(postPeriod_P, t));
  for (let j = 0; j < Kc; j++) r -= f64At(theta2_K, j) * f64At(x_NC, j * N + k);
  return r;
}

export function stackedScores(
  N: i32, Kc: i32, L: i32, G: i32, firstPost: i32, x_NC: usize, w_N: usize, code_N: usize, cluster_N: usize, unit_N: usize, period_N: usize,
  unitCoef_UL: usize, periodCoef_PL: usize, theta1_K: usize, theta2_K: usize, psiUnit_U: usize, psiPeriod_P: usize, postUnit_U: usize,
  postPeriod_P: usize, kept_M: usize, nx1: i32, nd1: i32, nx2: i32, postKept: i32, g0: i32, g1: i32, S1_GK: usize, S2_GK: usize, scratch: usize,
): void {
  const thetaPost = f64At(theta2_K, Kc);
  const d1 = kept_M + (<usize>nx1 << 2);
  const x2 = d1 + (<usize>nd1 << 2);
  const dummySums = scratch + (<usize>nx1 << 3);
  const control2Sums = dummySums + (<usize>nd1 << 3);
  for (let k0 = 0; k0 < N; ) {
    const g = i32At(cluster_N, k0);
    const u = i32At(unit_N, k0);
    let k1 = k0 + 1;
    while (k1 < N && i32At(cluster_N, k1) == g && i32At(unit_N, k1) == u) k1++;
    if (g < g0 || g >= g1) {
      k0 = k1;
      continue;
    }
    const pu = f64At(psiUnit_U, u);
    const qu = f64At(postUnit_U, u);
    // The run's sums of w e, for the unit levels' part of the dummies' and post's scores.
    let sum1 = 0.0;
    let sum2 = 0.0;
    for (let k = k0; k < k1; k++) {
      const slot = i32At(code_N, k);
      const t = i32At(period_N, k);
      const wi = w_N != 0 ? f64At(w_N, k) : 1.0;
      sum1 += wi * eventResidual(N, Kc, x_NC, k, slot, t, theta1_K, pu, psiPeriod_P);
      sum2 += wi * staticResidual(N, Kc, x_NC, k, slot >= firstPost ? 1.0 : 0.0, t, theta2_K, thetaPost, qu, postPeriod_P);
    }
    for (let q = 0; q < nx1; q++) put(scratch, q, 0);
    for (let q = 0; q < nd1; q++) put(dummySums, q, unitCoef_UL != 0 ? -sum1 * f64At(unitCoef_UL, u * L + i32At(d1, q)) : 0.0);
    for (let q = 0; q < nx2; q++) put(control2Sums, q, 0);
    let postSum = unitCoef_UL != 0 ? -sum2 * f64At(postUnit_U, u) : 0.0;
    for (let k = k0; k < k1; k++) {
      const slot = i32At(code_N, k);
      const t = i32At(period_N, k);
      const wi = w_N != 0 ? f64At(w_N, k) : 1.0;
      const post = slot >= firstPost ? 1.0 : 0.0;
      const a1 = wi * eventResidual(N, Kc, x_NC, k, slot, t, theta1_K, pu, psiPeriod_P);
      const a2 = wi * staticResidual(N, Kc, x_NC, k, post, t, theta2_K, thetaPost, qu, postPeriod_P);
      for (let q = 0; q < nx1; q++) put(scratch, q, f64At(scratch, q) + a1 * f64At(x_NC, i32At(kept_M, q) * N + k));
      const row = t * L;
      for (let q = 0; q < nd1; q++) {
        const f = i32At(d1, q);
        put(dummySums, q, f64At(dummySums, q) + a1 * ((slot == f ? 1.0 : 0.0) - f64At(periodCoef_PL, row + f)));
      }
      for (let q = 0; q < nx2; q++) put(control2Sums, q, f64At(control2Sums, q) + a2 * f64At(x_NC, i32At(x2, q) * N + k));
      postSum += a2 * (post - f64At(postPeriod_P, t));
    }
    for (let q = 0; q < nx1; q++) put(S1_GK, q * G + g, f64At(S1_GK, q * G + g) + f64At(scratch, q));
    for (let q = 0; q < nd1; q++) put(S1_GK, (nx1 + q) * G + g, f64At(S1_GK, (nx1 + q) * G + g) + f64At(dummySums, q));
    for (let q = 0; q < nx2; q++) put(S2_GK, q * G + g, f64At(S2_GK, q * G + g) + f64At(control2Sums, q));
    if (postKept != 0) put(S2_GK, nx2 * G + g, f64At(S2_GK, nx2 * G + g) + postSum);
    k0 = k1;
  }
}
