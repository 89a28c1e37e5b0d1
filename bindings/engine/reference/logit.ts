// Mirror of assembly/logit.ts, operation for operation. Not bit-identical to the wasm kernel: libm's exp and
// log1p (engine-independent, bindings/stats/libm.ts) and AssemblyScript's can differ in the last ulp (see the
// header there), so the parity test compares logit results to 1e-10 relative.
import { exp, log1p } from "../../stats/libm.js";
import { crossprod } from "./linalg.js";
import { dotTwoLane } from "./dot.js";

export function logitIrls(
  N: number, K: number, X_NK: Float64Array, y_N: Float64Array, pw_N: Float64Array | null, beta_K: Float64Array, eta_N: Float64Array,
  w_N: Float64Array, r_N: Float64Array, xtwx_KK: Float64Array, score_K: Float64Array,
): number {
  eta_N.fill(0, 0, N);
  for (let k = 0; k < K; k++) {
    const b = beta_K[k];
    const off = k * N;
    for (let i = 0; i < N; i++) eta_N[i] = eta_N[i] + X_NK[off + i] * b;
  }
  let dev = 0;
  for (let i = 0; i < N; i++) {
    const eta = eta_N[i];
    const e = exp(-Math.abs(eta));
    const onePlus = 1 + e;
    const mu = eta >= 0 ? 1 / onePlus : e / onePlus;
    const pw = pw_N === null ? 1 : pw_N[i];
    const y = y_N[i];
    w_N[i] = pw * (e / (onePlus * onePlus));
    r_N[i] = pw * (y - mu);
    const softplus = (eta > 0 ? eta : 0) + log1p(e);
    dev += pw * (y * eta - softplus);
  }
  crossprod(N, K, X_NK, w_N, xtwx_KK);
  for (let k = 0; k < K; k++) score_K[k] = dotTwoLane(X_NK, k * N, r_N, 0, N);
  return -2 * dev;
}
