// Mirror of assembly/resample.ts, operation for operation (read that file for the algebra and the exact
// weight draws). Rademacher, Webb, Mammen and enumeration weights are bit-identical to the wasm kernel;
// normal weights use libm's log / cos (engine-independent), which may differ from AssemblyScript's in the last ulp.
import { Xoshiro128 } from "../../random/xoshiro.js";
import { cos, log } from "../../stats/libm.js";
import { WILD_WEIGHT_CODES } from "../backend.js";
import { dotTwoLane } from "./dot.js";

const { rademacher: WILD_RADEMACHER, webb: WILD_WEBB, mammen: WILD_MAMMEN, enumerate: WILD_ENUMERATE } = WILD_WEIGHT_CODES;

const SQRT_HALF = 0.7071067811865476; // sqrt(1/2)
const SQRT_THREE_HALVES = 1.224744871391589; // sqrt(3/2)
const MAMMEN_LOW = -0.6180339887498949; // -(sqrt5 - 1)/2
const MAMMEN_HIGH = 1.618033988749895; // (sqrt5 + 1)/2
const MAMMEN_P_LOW = 0.7236067977499789; // (sqrt5 + 1)/(2 sqrt5)
const TWO_PI = 6.283185307179586;

const WEBB = [-SQRT_THREE_HALVES, -1, -SQRT_HALF, SQRT_HALF, 1, SQRT_THREE_HALVES];

/** Writes the G weights of replicate `rep` into v_G at offset `off`. */
export function wildWeights(kind: number, seed: number, rep: number, G: number, v_G: Float64Array, off = 0): void {
  if (kind === WILD_ENUMERATE) {
    for (let g = 0; g < G; g++) v_G[off + g] = ((rep >>> g) & 1) !== 0 ? 1 : -1;
    return;
  }
  const r = new Xoshiro128(seed >>> 0, rep >>> 0);
  if (kind === WILD_RADEMACHER) {
    for (let g = 0; g < G; g++) v_G[off + g] = (r.u32() & 1) !== 0 ? 1 : -1;
  } else if (kind === WILD_WEBB) {
    for (let g = 0; g < G; g++) v_G[off + g] = WEBB[r.below(6)];
  } else if (kind === WILD_MAMMEN) {
    for (let g = 0; g < G; g++) v_G[off + g] = r.uniform() < MAMMEN_P_LOW ? MAMMEN_LOW : MAMMEN_HIGH;
  } else {
    for (let g = 0; g < G; g++) {
      const u = 1 - r.uniform();
      const w = r.uniform();
      v_G[off + g] = Math.sqrt(-2 * log(u)) * cos(TWO_PI * w);
    }
  }
}

export function wildBootstrapT(
  G: number, K: number, T0_GK: Float64Array, T1_GK: Float64Array | null, c_GK: Float64Array, cIdx: number, factor: number,
  kind: number, seed: number, firstRep: number, B: number, scratch: Float64Array, t_B: Float64Array, mom_B5: Float64Array | null,
): void {
  const q0 = G;
  const q1 = G + K;
  for (let b = 0; b < B; b++) {
    wildWeights(kind, seed, (firstRep + b) >>> 0, G, scratch, 0);
    scratch.fill(0, q0, q0 + 2 * K);
    for (let g = 0; g < G; g++) {
      const v = scratch[g];
      const row = g * K;
      for (let k = 0; k < K; k++) scratch[q0 + k] = scratch[q0 + k] + v * T0_GK[row + k];
      if (T1_GK !== null) for (let k = 0; k < K; k++) scratch[q1 + k] = scratch[q1 + k] + v * T1_GK[row + k];
    }
    const N0 = scratch[q0 + cIdx];
    const N1 = T1_GK !== null ? scratch[q1 + cIdx] : 0;
    let saa = 0;
    let sab = 0;
    let sbb = 0;
    for (let g = 0; g < G; g++) {
      const v = scratch[g];
      const row = g * K;
      const a = v * T0_GK[row + cIdx] - dotTwoLane(c_GK, row, scratch, q0, K);
      saa += a * a;
      if (T1_GK !== null) {
        const bb = v * T1_GK[row + cIdx] - dotTwoLane(c_GK, row, scratch, q1, K);
        sab += a * bb;
        sbb += bb * bb;
      }
    }
    t_B[b] = N0 / Math.sqrt(factor * saa);
    if (mom_B5 !== null) {
      const m = b * 5;
      mom_B5[m] = N0;
      mom_B5[m + 1] = N1;
      mom_B5[m + 2] = saa;
      mom_B5[m + 3] = sab;
      mom_B5[m + 4] = sbb;
    }
  }
}

export function wildFillWeights(kind: number, seed: number, firstRep: number, B: number, G: number, v_BG: Float64Array): void {
  for (let b = 0; b < B; b++) wildWeights(kind, seed, (firstRep + b) >>> 0, G, v_BG, b * G);
}
