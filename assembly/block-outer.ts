// The extended TWFE meat's hot loop (bindings/estimators/did/etwfe-meat.ts): R += s_g s_g' over clusters g,
// where each cluster's score vector s_g is nonzero only on one run of consecutive positions of R (its cells'
// entries), stored as that run alone. Only the upper triangle of each cluster's block is added.
//
// CONVENTION
//   S      : f64 packed runs; cluster g's run is S[off_G1[g] .. off_G1[g + 1]), for positions start_G[g] + a.
//   R_DD   : f64 [D][D] row-major accumulator (not zeroed: successive calls keep adding).
// Rows r0 .. r1 - 1 of R only: threads that split R's rows add to disjoint elements, and each element
// still gets its clusters' products in cluster order, so the sums are the same for any split.

@inline function at(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }

/** For g < G, a <= b in cluster g's run with start_G[g] + a in [r0, r1) and s_a != 0:
 *  R[start + a][start + b] += s_a s_b, clusters in order, then a, then b increasing. */
export function blockOuterUpper(G: i32, S: usize, off_G1: usize, start_G: usize, D: i32, r0: i32, r1: i32, R_DD: usize): void {
  for (let g = 0; g < G; g++) {
    const off = load<i32>(off_G1 + (<usize>g << 2));
    const len = load<i32>(off_G1 + (<usize>(g + 1) << 2)) - off;
    const start = load<i32>(start_G + (<usize>g << 2));
    const s = S + (<usize>off << 3);
    const a0 = max<i32>(0, r0 - start);
    const a1 = min<i32>(len, r1 - start);
    for (let a = a0; a < a1; a++) {
      const wa = at(s, a);
      if (wa == 0) continue;
      const row = R_DD + ((<usize>(start + a) * <usize>D + <usize>start) << 3);
      let b = a;
      if (ASC_FEATURE_SIMD) {
        const va = f64x2.splat(wa);
        for (; b + 1 < len; b += 2) {
          const p = row + (<usize>b << 3);
          v128.store(p, f64x2.add(v128.load(p), f64x2.mul(va, v128.load(s + (<usize>b << 3)))));
        }
      }
      for (; b < len; b++) {
        const p = row + (<usize>b << 3);
        store<f64>(p, load<f64>(p) + wa * at(s, b));
      }
    }
  }
}
