// TypeScript twin of assembly/stacked-scores.ts, operation for operation (same names, same order): stacked
// DID's clustered scores of both models in one pass over the stack's runs.

function eventResidual(
  N: number, Kc: number, x_NC: Float64Array, k: number, slot: number, t: number, theta1_K: Float64Array, pu: number, psiPeriod_P: Float64Array,
): number {
  let r = x_NC[Kc * N + k] - (slot >= 0 ? theta1_K[Kc + slot] : 0) + pu + psiPeriod_P[t];
  for (let j = 0; j < Kc; j++) r -= theta1_K[j] * x_NC[j * N + k];
  return r;
}

function staticResidual(
  N: number, Kc: number, x_NC: Float64Array, k: number, post: number, t: number, theta2_K: Float64Array, thetaPost: number, qu: number, postPeriod_P: Float64Array,
): number {
  let r = x_NC[Kc * N + k] - thetaPost * (post - qu - postPeriod_P[t]);
  for (let j = 0; j < Kc; j++) r -= theta2_K[j] * x_NC[j * N + k];
  return r;
}

export function stackedScores(
  N: number, Kc: number, L: number, G: number, firstPost: number, x_NC: Float64Array, w_N: Float64Array | null, code_N: Int32Array, cluster_N: Int32Array,
  unit_N: Int32Array, period_N: Int32Array, unitCoef_UL: Float64Array | null, periodCoef_PL: Float64Array, theta1_K: Float64Array, theta2_K: Float64Array,
  psiUnit_U: Float64Array, psiPeriod_P: Float64Array, postUnit_U: Float64Array, postPeriod_P: Float64Array, kept_M: Int32Array, nx1: number, nd1: number,
  nx2: number, postKept: number, g0: number, g1: number, S1_GK: Float64Array, S2_GK: Float64Array, scratch: Float64Array,
): void {
  const thetaPost = theta2_K[Kc];
  const d1 = kept_M.subarray(nx1, nx1 + nd1);
  const x2 = kept_M.subarray(nx1 + nd1, nx1 + nd1 + nx2);
  const dummySums = scratch.subarray(nx1, nx1 + nd1);
  const control2Sums = scratch.subarray(nx1 + nd1, nx1 + nd1 + nx2);
  for (let k0 = 0; k0 < N; ) {
    const g = cluster_N[k0];
    const u = unit_N[k0];
    let k1 = k0 + 1;
    while (k1 < N && cluster_N[k1] === g && unit_N[k1] === u) k1++;
    if (g >= g0 && g < g1) {
      runScores(
        N, Kc, L, G, firstPost, x_NC, w_N, code_N, period_N, unitCoef_UL, periodCoef_PL, theta1_K, theta2_K, thetaPost, psiUnit_U, psiPeriod_P, postUnit_U,
        postPeriod_P, kept_M, d1, x2, nx1, nd1, nx2, postKept, S1_GK, S2_GK, scratch, dummySums, control2Sums, k0, k1, g, u,
      );
    }
    k0 = k1;
  }
}

/** One run's (rows k0 .. k1 - 1, cluster g, unit level u) scores, added to S1 and S2: a function of its own,
 *  called per run, so that V8 compiles it whole (engine/row-block.ts). */
function runScores(
  N: number, Kc: number, L: number, G: number, firstPost: number, x_NC: Float64Array, w_N: Float64Array | null, code_N: Int32Array, period_N: Int32Array,
  unitCoef_UL: Float64Array | null, periodCoef_PL: Float64Array, theta1_K: Float64Array, theta2_K: Float64Array, thetaPost: number, psiUnit_U: Float64Array,
  psiPeriod_P: Float64Array, postUnit_U: Float64Array, postPeriod_P: Float64Array, kept_M: Int32Array, d1: Int32Array, x2: Int32Array, nx1: number,
  nd1: number, nx2: number, postKept: number, S1_GK: Float64Array, S2_GK: Float64Array, scratch: Float64Array, dummySums: Float64Array,
  control2Sums: Float64Array, k0: number, k1: number, g: number, u: number,
): void {
  const pu = psiUnit_U[u];
  const qu = postUnit_U[u];
  let sum1 = 0;
  let sum2 = 0;
  for (let k = k0; k < k1; k++) {
    const slot = code_N[k];
    const t = period_N[k];
    const wi = w_N ? w_N[k] : 1;
    sum1 += wi * eventResidual(N, Kc, x_NC, k, slot, t, theta1_K, pu, psiPeriod_P);
    sum2 += wi * staticResidual(N, Kc, x_NC, k, slot >= firstPost ? 1 : 0, t, theta2_K, thetaPost, qu, postPeriod_P);
  }
  for (let q = 0; q < nx1; q++) scratch[q] = 0;
  for (let q = 0; q < nd1; q++) dummySums[q] = unitCoef_UL ? -sum1 * unitCoef_UL[u * L + d1[q]] : 0;
  for (let q = 0; q < nx2; q++) control2Sums[q] = 0;
  let postSum = unitCoef_UL ? -sum2 * postUnit_U[u] : 0;
  for (let k = k0; k < k1; k++) {
    const slot = code_N[k];
    const t = period_N[k];
    const wi = w_N ? w_N[k] : 1;
    const post = slot >= firstPost ? 1 : 0;
    const a1 = wi * eventResidual(N, Kc, x_NC, k, slot, t, theta1_K, pu, psiPeriod_P);
    const a2 = wi * staticResidual(N, Kc, x_NC, k, post, t, theta2_K, thetaPost, qu, postPeriod_P);
    for (let q = 0; q < nx1; q++) scratch[q] += a1 * x_NC[kept_M[q] * N + k];
    const row = t * L;
    for (let q = 0; q < nd1; q++) {
      const f = d1[q];
      dummySums[q] += a1 * ((slot === f ? 1 : 0) - periodCoef_PL[row + f]);
    }
    for (let q = 0; q < nx2; q++) control2Sums[q] += a2 * x_NC[x2[q] * N + k];
    postSum += a2 * (post - postPeriod_P[t]);
  }
  for (let q = 0; q < nx1; q++) S1_GK[q * G + g] += scratch[q];
  for (let q = 0; q < nd1; q++) S1_GK[(nx1 + q) * G + g] += dummySums[q];
  for (let q = 0; q < nx2; q++) S2_GK[q * G + g] += control2Sums[q];
  if (postKept !== 0) S2_GK[nx2 * G + g] += postSum;
}
