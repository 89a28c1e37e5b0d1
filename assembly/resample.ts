// Wild cluster bootstrap replicates from cluster-level sums ("Fast and wild", Roodman, MacKinnon, Nielsen
// and Webb 2019). The host (bindings/resampling/wild-fast.ts) reduces the data to three G x K arrays once;
// a replicate then costs O(G K) whatever the number of rows.
//
// WHY IT WORKS. With the fixed effects partialled out, X (n x K) the regressors, A = (X'WX)^-1,
// a = A e_C (C the tested coefficient), u the bootstrap residuals (restricted or not) and v_g the weight
// of cluster g, the replicate y* = X beta + v (.) u gives
//   b*_C - beta_C = sum_g v_g a'S_g,                 S_g = X_g' W_g u_g
//   e* = v (.) u - X q,                              q = A sum_h v_h S_h = sum_h v_h T_h,  T_h = A S_h
//   score_g = a'X_g' W_g e*_g = v_g T_g[C] - c_g'q,  c_g = X_g' W_g X_g a
// and t* = (b*_C - beta_C) / sqrt(factor sum_g score_g^2), factor the CRV1 small-sample constant.
// For test inversion under the restricted bootstrap the residuals are linear in the null value r:
// u(r) = u(r0) - (r - r0) m, so T(r) = T0 - (r - r0) T1 and, per replicate, with d = r - r0:
//   numerator(d) = N0 - d N1,   sum_g score_g(d)^2 = SAA - 2 d SAB + d^2 SBB
// where score_g(d) = A_g - d B_g, A_g from T0 and B_g from T1. Those five moments are written per
// replicate so the host can evaluate t*(r) for any r without another pass.
//
// CONVENTION
//   T0_GK : f64 [G][K] row-major, T_g = A S_g at the null r0.
//   T1_GK : f64 [G][K] row-major, the derivative part (restricted bootstrap), or 0 (unrestricted).
//   c_GK  : f64 [G][K] row-major, c_g = X_g' W_g X_g a.
//   scratch : f64 [G + 2K]: v_G (this replicate's weights), q0_K, q1_K.
//   t_B   : f64 [B] the t statistics at r0.      mom_B5 : f64 [B][5] (N0, N1, SAA, SAB, SBB) or 0.
//
// WEIGHTS (replicate r = firstRep + b draws from PRNG stream (seed, r), clusters in id order):
//   0 Rademacher  v = +1 if (u32 & 1) == 1 else -1                        (one output per cluster)
//   1 Webb        v = WEBB[below(6)], WEBB = -sqrt(3/2), -1, -sqrt(1/2), sqrt(1/2), 1, sqrt(3/2)
//   2 Mammen      v = -(sqrt5 - 1)/2 if uniform() < (sqrt5 + 1)/(2 sqrt5) else (sqrt5 + 1)/2
//   3 normal      Box-Muller: u = 1 - uniform(), w = uniform(), v = sqrt(-2 log u) cos(2 pi w).
//                 AssemblyScript's log and cos are not bindings/stats/libm.ts's (the reference backend's)
//                 and may differ in the last ulp, so normal weights are reproducible per backend only (DESIGN.md); 0-2 are bit-identical.
//   4 enumeration v_g = +1 if bit g of r is set else -1 (all 2^G Rademacher sign vectors, no PRNG).
import { dotTwoLane } from "./dot";
import { rngBelow, rngSeed, rngU32, rngUniform } from "./rng";

export const WILD_RADEMACHER: i32 = 0;
export const WILD_WEBB: i32 = 1;
export const WILD_MAMMEN: i32 = 2;
export const WILD_NORMAL: i32 = 3;
export const WILD_ENUMERATE: i32 = 4;

// Literals equal to the expressions (checked in test/kernels/resample.test.ts), so no constant folding of
// sqrt can differ between compilers.
const SQRT_HALF: f64 = 0.7071067811865476; // sqrt(1/2)
const SQRT_THREE_HALVES: f64 = 1.224744871391589; // sqrt(3/2)
const MAMMEN_LOW: f64 = -0.6180339887498949; // -(sqrt5 - 1)/2
const MAMMEN_HIGH: f64 = 1.618033988749895; // (sqrt5 + 1)/2
const MAMMEN_P_LOW: f64 = 0.7236067977499789; // (sqrt5 + 1)/(2 sqrt5)
const TWO_PI: f64 = 6.283185307179586;

@inline function at(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function put(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }

function webb(i: u32): f64 {
  if (i == 0) return -SQRT_THREE_HALVES;
  if (i == 1) return -1.0;
  if (i == 2) return -SQRT_HALF;
  if (i == 3) return SQRT_HALF;
  if (i == 4) return 1.0;
  return SQRT_THREE_HALVES;
}

/** Writes the G weights of replicate `rep` into v_G. */
export function wildWeights(kind: i32, seed: u32, rep: u32, G: i32, v_G: usize): void {
  if (kind == WILD_ENUMERATE) {
    for (let g = 0; g < G; g++) put(v_G, g, ((rep >>> <u32>g) & 1) != 0 ? 1.0 : -1.0);
    return;
  }
  rngSeed(seed, rep);
  if (kind == WILD_RADEMACHER) {
    for (let g = 0; g < G; g++) put(v_G, g, (rngU32() & 1) != 0 ? 1.0 : -1.0);
  } else if (kind == WILD_WEBB) {
    for (let g = 0; g < G; g++) put(v_G, g, webb(rngBelow(6.0)));
  } else if (kind == WILD_MAMMEN) {
    for (let g = 0; g < G; g++) put(v_G, g, rngUniform() < MAMMEN_P_LOW ? MAMMEN_LOW : MAMMEN_HIGH);
  } else {
    for (let g = 0; g < G; g++) {
      const u = 1.0 - rngUniform();
      const w = rngUniform();
      put(v_G, g, Math.sqrt(-2.0 * Math.log(u)) * Math.cos(TWO_PI * w));
    }
  }
}

/** q_K += v * row_K, element by element (the SIMD build computes the same products and sums). */
@inline function axpy(q: usize, v: f64, row: usize, K: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const vv = f64x2.splat(v);
    for (; k + 1 < K; k += 2) {
      const o = <usize>k << 3;
      v128.store(q + o, f64x2.add(v128.load(q + o), f64x2.mul(vv, v128.load(row + o))));
    }
  }
  for (; k < K; k++) put(q, k, at(q, k) + v * at(row, k));
}

/** B replicates of the wild cluster bootstrap t statistic (see the header). */
export function wildBootstrapT(G: i32, K: i32, T0_GK: usize, T1_GK: usize, c_GK: usize, cIdx: i32, factor: f64,
                               kind: i32, seed: u32, firstRep: u32, B: i32, scratch: usize, t_B: usize, mom_B5: usize): void {
  const v_G = scratch;
  const q0 = scratch + (<usize>G << 3);
  const q1 = q0 + (<usize>K << 3);
  const rowBytes = <usize>K << 3;
  const hasT1 = T1_GK != 0;
  for (let b = 0; b < B; b++) {
    wildWeights(kind, seed, firstRep + <u32>b, G, v_G);
    memory.fill(q0, 0, rowBytes << 1);
    for (let g = 0; g < G; g++) {
      const v = at(v_G, g);
      axpy(q0, v, T0_GK + <usize>g * rowBytes, K);
      if (hasT1) axpy(q1, v, T1_GK + <usize>g * rowBytes, K);
    }
    const N0 = at(q0, cIdx);
    const N1 = hasT1 ? at(q1, cIdx) : 0.0;
    let saa: f64 = 0;
    let sab: f64 = 0;
    let sbb: f64 = 0;
    for (let g = 0; g < G; g++) {
      const v = at(v_G, g);
      const cg = c_GK + <usize>g * rowBytes;
      const a = v * at(T0_GK + <usize>g * rowBytes, cIdx) - dotTwoLane(cg, q0, K);
      saa += a * a;
      if (hasT1) {
        const bb = v * at(T1_GK + <usize>g * rowBytes, cIdx) - dotTwoLane(cg, q1, K);
        sab += a * bb;
        sbb += bb * bb;
      }
    }
    put(t_B, b, N0 / Math.sqrt(factor * saa));
    if (mom_B5 != 0) {
      const m = mom_B5 + (<usize>b * 5 << 3);
      put(m, 0, N0);
      put(m, 1, N1);
      put(m, 2, saa);
      put(m, 3, sab);
      put(m, 4, sbb);
    }
  }
}

/** Fills v_BG with the weights of replicates firstRep .. firstRep + B - 1 (row-major): lets tests check
 *  the draws themselves across backends. */
export function wildFillWeights(kind: i32, seed: u32, firstRep: u32, B: i32, G: i32, v_BG: usize): void {
  for (let b = 0; b < B; b++) wildWeights(kind, seed, firstRep + <u32>b, G, v_BG + (<usize>b * <usize>G << 3));
}
