// Reference twin of assembly/block-outer.ts: the same additions in the same order.

export function blockOuterUpper(G: number, S: Float64Array, off_G1: Int32Array, start_G: Int32Array, D: number, r0: number, r1: number, R_DD: Float64Array): void {
  for (let g = 0; g < G; g++) {
    const off = off_G1[g];
    const len = off_G1[g + 1] - off;
    const start = start_G[g];
    const a1 = Math.min(len, r1 - start);
    for (let a = Math.max(0, r0 - start); a < a1; a++) {
      const wa = S[off + a];
      if (wa === 0) continue;
      const row = (start + a) * D + start;
      for (let b = a; b < len; b++) R_DD[row + b] += wa * S[off + b];
    }
  }
}
