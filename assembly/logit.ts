// One Newton (IRLS) evaluation for logistic regression: everything the host needs at the current
// coefficients to take the next step and to decide convergence, in one pass over the rows plus one
// weighted crossproduct.
//
// WHY THIS IS IRLS. For the logit link the Newton step from b is  b + (X'WX)^-1 X'(pw (y - mu))  with
// W = diag(pw mu (1 - mu)), which is exactly glm's iteratively reweighted least-squares update (the
// canonical link makes observed and expected information equal). The host solves the K x K system
// (backend cholesky / cholSolve), updates b and calls this kernel again.
//
// CONVENTION
//   X_NK    : f64 [K][N] column-major regressors (column k starts at k*N).
//   y_N     : f64 [N] outcome, 0 or 1.
//   pw_N    : f64 [N] prior (case) weights, or 0 for none.
//   beta_K  : f64 [K] current coefficients.
//   eta_N   : f64 [N] out: linear predictor X b, summed column by column in k order.
//   w_N     : f64 [N] out: working weights pw mu (1 - mu).
//   r_N     : f64 [N] out: score residuals pw (y - mu).
//   xtwx_KK : f64 [K][K] out: X' W X (the information), row-major, both triangles (crossprod's order).
//   score_K : f64 [K] out: X' r (the score), each a canonical two-lane dot product.
//   returns the deviance  -2 sum pw (y eta - log(1 + exp(eta))), summed in row order.
//
// NUMERICS. With e = exp(-|eta|) (never overflows): mu = 1/(1+e) for eta >= 0 and e/(1+e) otherwise,
// mu (1 - mu) = e / (1+e)^2 in both cases (no cancellation in 1 - mu), and log(1 + exp(eta)) =
// max(eta, 0) + log1p(e).
//
// PARITY. exp() and log1p() of AssemblyScript's standard library (a musl port) and of the TypeScript
// mirror's bindings/stats/libm.ts (engine-independent too) can differ in the last ulp for some arguments, so this kernel and its TypeScript mirror
// (bindings/engine/reference/logit.ts) are NOT bit-identical, unlike the OLS kernels: they agree to about
// 1e-15 relative per row and the converged coefficients to better than 1e-10 relative (the parity test's
// tolerance). Everything else (sums, crossproducts) follows the same order in both.
import { crossprod } from "./linalg";
import { dotTwoLane } from "./dot";

@inline function at(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }

export function logitIrls(N: i32, K: i32, X_NK: usize, y_N: usize, pw_N: usize, beta_K: usize, eta_N: usize, w_N: usize,
                          r_N: usize, xtwx_KK: usize, score_K: usize): f64 {
  memory.fill(eta_N, 0, <usize>N << 3);
  for (let k = 0; k < K; k++) {
    const b = at(beta_K, k);
    const xk = X_NK + (<usize>k * <usize>N << 3);
    for (let i = 0; i < N; i++) put(eta_N, i, at(eta_N, i) + at(xk, i) * b);
  }
  let dev: f64 = 0;
  for (let i = 0; i < N; i++) {
    const eta = at(eta_N, i);
    const e = Math.exp(-Math.abs(eta));
    const onePlus = 1.0 + e;
    const mu = eta >= 0 ? 1.0 / onePlus : e / onePlus;
    const pw = pw_N == 0 ? 1.0 : at(pw_N, i);
    const y = at(y_N, i);
    put(w_N, i, pw * (e / (onePlus * onePlus)));
    put(r_N, i, pw * (y - mu));
    const softplus = (eta > 0 ? eta : 0.0) + Math.log1p(e);
    dev += pw * (y * eta - softplus);
  }
  crossprod(N, K, X_NK, w_N, xtwx_KK);
  for (let k = 0; k < K; k++) put(score_K, k, dotTwoLane(X_NK + (<usize>k * <usize>N << 3), r_N, N));
  return -2.0 * dev;
}
