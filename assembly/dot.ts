// The one summation order every dense kernel uses, so that the SIMD build, the scalar build and the
// TypeScript reference return bit-identical sums.
//
// CANONICAL TWO-LANE ORDER: products at even offsets accumulate in lane 0, odd offsets in lane 1 (both in
// increasing order); a final odd element is added to lane 0; the result is lane0 + lane1. An f64x2
// accumulator computes exactly this, and so does the scalar loop below.

/** sum_i a[i] * b[i] over n doubles, canonical two-lane order. */
@inline
export function dotTwoLane(a: usize, b: usize, n: i32): f64 {
  let s0: f64 = 0;
  let s1: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f64x2.splat(0);
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      acc = f64x2.add(acc, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    }
    s0 = f64x2.extract_lane(acc, 0);
    s1 = f64x2.extract_lane(acc, 1);
  } else {
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      s0 += load<f64>(a + o) * load<f64>(b + o);
      s1 += load<f64>(a + o + 8) * load<f64>(b + o + 8);
    }
  }
  if (i < n) {
    const o = <usize>i << 3;
    s0 += load<f64>(a + o) * load<f64>(b + o);
  }
  return s0 + s1;
}

/** sum_i (w[i] * a[i]) * b[i] over n doubles, canonical two-lane order. */
@inline
export function dotWeightedTwoLane(a: usize, b: usize, w: usize, n: i32): f64 {
  let s0: f64 = 0;
  let s1: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f64x2.splat(0);
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      acc = f64x2.add(acc, f64x2.mul(f64x2.mul(v128.load(w + o), v128.load(a + o)), v128.load(b + o)));
    }
    s0 = f64x2.extract_lane(acc, 0);
    s1 = f64x2.extract_lane(acc, 1);
  } else {
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      s0 += (load<f64>(w + o) * load<f64>(a + o)) * load<f64>(b + o);
      s1 += (load<f64>(w + o + 8) * load<f64>(a + o + 8)) * load<f64>(b + o + 8);
    }
  }
  if (i < n) {
    const o = <usize>i << 3;
    s0 += (load<f64>(w + o) * load<f64>(a + o)) * load<f64>(b + o);
  }
  return s0 + s1;
}

/** Element r of two columns colBytes apart (columns c and c+1 of a column-major block) as one vector, so
 *  that each lane carries its own column's sum in row order (SIMD build only). */
@inline
export function pairAt(x: usize, r: i32, colBytes: usize): v128 {
  const p = x + (<usize>r << 3);
  return v128.load64_lane(p + colBytes, v128.load64_zero(p), 1);
}
