// Two-way demeaning solved directly through the smaller fixed effect's block, for panels whose second
// fixed effect (the periods) has few groups. The host builds, once per sample, the unit-period cells (each
// unit's weight in each period it is observed in) and the Cholesky factor L of the period block's Schur
// complement S = diag(w_t) - sum_u p_u p_u' / w_u with the last period pinned at 0 (see
// bindings/model/two-way-cells.ts for why that is exact and when it applies). Each column then costs two
// passes over the rows and two over the cells, whatever the panel's connectivity, instead of iterated sweeps:
//   1. group sums  r_u = sum_{i in u} w_i x_i,  r_t likewise;
//   2. eliminate the units: r_t -= sum_u p_ut r_u / w_u;
//   3. solve L L' c_t = r_t for the first P-1 periods, c_{P-1} = 0;
//   4. c_u = (r_u - sum_t p_ut c_t) / w_u;
//   5. out_i = x_i - (c_unit(i) + c_period(i)).
// Columns go in blocks of up to COLUMN_BLOCK sharing each pass (a row's ids are read once; sums are laid
// out [group][column]). bindings/engine/reference/demean-twoway.ts mirrors it operation for operation.
//
// BUFFERS (names carry their length; see assembly/demean.ts)
//   in_NC, out_NC : f64 [C][N] column-major; out may alias in.
//   unit_N, period_N : i32 [N] dense ids 0..U-1 and 0..P-1.
//   w_N           : f64 [N] weights, or 0 when unweighted.
//   cellStart_U1  : i32 [U+1] unit u's cells are cellStart[u] .. cellStart[u+1]-1.
//   cellPeriod_M, cellWeight_M : i32/f64 [M] the cells' period and weight.
//   unitWeight_U  : f64 [U] each unit's total weight.
//   L_QQ          : f64 [(P-1)^2] row-major lower-triangular factor.
//   scratch       : f64 [(U + P) * min(C, COLUMN_BLOCK)].

import { COLUMN_BLOCK } from "./demean";
import { pairAt } from "./dot";
import { runEnd, storedInRuns } from "./runs";
import { TL_TWOWAY_UNIT_MEANS, threadLocal } from "./thread-local";

/** r_u / w_u of the current unit, one per column of a block (COLUMN_BLOCK doubles of this instance's area). */
@inline function unitMeansArea(): usize { return threadLocal(TL_TWOWAY_UNIT_MEANS); }

@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
@inline function at(base: usize, i: i32): usize { return base + (<usize>i << 3); }

export function demeanTwoWay(
  N: i32, C: i32, in_NC: usize, out_NC: usize, unit_N: usize, period_N: usize, U: i32, P: i32, w_N: usize,
  cellStart_U1: usize, cellPeriod_M: usize, cellWeight_M: usize, unitWeight_U: usize, L_QQ: usize, scratch: usize,
): void {
  const Q = P - 1;
  const unitRuns = storedInRuns(unit_N, N);
  for (let c0 = 0; c0 < C; c0 += COLUMN_BLOCK) {
    const B = min(COLUMN_BLOCK, C - c0);
    const su = scratch;
    const sp = scratch + (<usize>U * <usize>B << 3);
    memory.fill(scratch, 0, <usize>(U + P) * <usize>B << 3);
    const x0 = in_NC + (<usize>c0 * <usize>N << 3);
    const y0 = out_NC + (<usize>c0 * <usize>N << 3);
    const stride = <usize>N << 3;

    // 1. group sums (each sum adds its rows in row order, as a plain row loop would; see assembly/runs.ts)
    if (unitRuns) {
      sumsByUnitRuns(N, B, x0, stride, unit_N, period_N, w_N, su, sp);
    } else {
      for (let i = 0; i < N; i++) {
        const wi: f64 = w_N != 0 ? f64At(w_N, i) : 1.0;
        const pu = at(su, i32At(unit_N, i) * B);
        const pt = at(sp, i32At(period_N, i) * B);
        let xi = x0 + (<usize>i << 3);
        for (let c = 0; c < B; c++) {
          const v = wi * load<f64>(xi);
          const ou = pu + (<usize>c << 3);
          const ot = pt + (<usize>c << 3);
          store<f64>(ou, load<f64>(ou) + v);
          store<f64>(ot, load<f64>(ot) + v);
          xi += stride;
        }
      }
    }
    // 2. eliminate the units from the period sums (r_u / w_u formed once per unit, not once per cell)
    for (let u = 0; u < U; u++) {
      const wu = f64At(unitWeight_U, u);
      const ru = at(su, u * B);
      const unitMeans = unitMeansArea();
      for (let c = 0; c < B; c++) store<f64>(unitMeans + (<usize>c << 3), load<f64>(ru + (<usize>c << 3)) / wu);
      const end = i32At(cellStart_U1, u + 1);
      for (let k = i32At(cellStart_U1, u); k < end; k++) {
        const p = f64At(cellWeight_M, k);
        const rt = at(sp, i32At(cellPeriod_M, k) * B);
        for (let c = 0; c < B; c++) {
          const o = rt + (<usize>c << 3);
          store<f64>(o, load<f64>(o) - p * load<f64>(unitMeans + (<usize>c << 3)));
        }
      }
    }
    // 3. the period block, one column at a time (entries strided by B)
    for (let c = 0; c < B; c++) {
      const col = sp + (<usize>c << 3);
      const sB = <usize>B << 3;
      for (let t = 0; t < Q; t++) {
        let s = load<f64>(col + <usize>t * sB);
        const row = <usize>t * <usize>Q;
        for (let k = 0; k < t; k++) s -= f64At(L_QQ, <i32>(row + <usize>k)) * load<f64>(col + <usize>k * sB);
        store<f64>(col + <usize>t * sB, s / f64At(L_QQ, <i32>(row + <usize>t)));
      }
      for (let t = Q - 1; t >= 0; t--) {
        let s = load<f64>(col + <usize>t * sB);
        for (let k = t + 1; k < Q; k++) s -= f64At(L_QQ, k * Q + t) * load<f64>(col + <usize>k * sB);
        store<f64>(col + <usize>t * sB, s / f64At(L_QQ, t * Q + t));
      }
      store<f64>(col + <usize>Q * sB, 0.0);
    }
    // 4. unit coefficients
    for (let u = 0; u < U; u++) {
      const ru = at(su, u * B);
      const end = i32At(cellStart_U1, u + 1);
      for (let k = i32At(cellStart_U1, u); k < end; k++) {
        const p = f64At(cellWeight_M, k);
        const ct = at(sp, i32At(cellPeriod_M, k) * B);
        for (let c = 0; c < B; c++) {
          const o = ru + (<usize>c << 3);
          store<f64>(o, load<f64>(o) - p * load<f64>(ct + (<usize>c << 3)));
        }
      }
      const wu = f64At(unitWeight_U, u);
      for (let c = 0; c < B; c++) {
        const o = ru + (<usize>c << 3);
        store<f64>(o, load<f64>(o) / wu);
      }
    }
    // 5. residuals
    for (let i = 0; i < N; i++) {
      const pu = at(su, i32At(unit_N, i) * B);
      const pt = at(sp, i32At(period_N, i) * B);
      const xi = x0 + (<usize>i << 3);
      const yi = y0 + (<usize>i << 3);
      let c = 0;
      if (ASC_FEATURE_SIMD) {
        for (; c + 1 < B; c += 2) {
          const o = <usize>c << 3;
          const r = f64x2.sub(pairAt(xi + <usize>c * stride, 0, stride), f64x2.add(v128.load(pu + o), v128.load(pt + o)));
          v128.store64_lane(yi + <usize>c * stride, r, 0);
          v128.store64_lane(yi + <usize>(c + 1) * stride, r, 1);
        }
      }
      for (; c < B; c++) {
        const o = <usize>c << 3;
        const xc = xi + <usize>c * stride;
        store<f64>(yi + <usize>c * stride, load<f64>(xc) - (load<f64>(pu + o) + load<f64>(pt + o)));
      }
    }
  }
}

/** su[u][c] and sp[t][c] += w_i x_c[i] in one pass: over each run of rows of one unit, the unit's running
 *  sums stay in registers while each row's value is also added to its period's sums (periods change from
 *  row to row: no chain to break there). Every sum still adds its rows in row order. */
function sumsByUnitRuns(N: i32, B: i32, x0: usize, stride: usize, unit_N: usize, period_N: usize, w_N: usize, su: usize, sp: usize): void {
  for (let i = 0; i < N; ) {
    const j = runEnd(unit_N, i, N);
    const pu = at(su, i32At(unit_N, i) * B);
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 1 < B; c += 2) {
        const xc = x0 + <usize>c * stride;
        const o = <usize>c << 3;
        let s = v128.load(pu + o);
        for (let r = i; r < j; r++) {
          let v = pairAt(xc, r, stride); // 1.0 * x is x exactly: unweighted rows skip the product
          if (w_N != 0) v = f64x2.mul(f64x2.splat(f64At(w_N, r)), v);
          s = f64x2.add(s, v);
          const pt = at(sp, i32At(period_N, r) * B) + o;
          v128.store(pt, f64x2.add(v128.load(pt), v));
        }
        v128.store(pu + o, s);
      }
    }
    for (; c < B; c++) {
      const xc = x0 + <usize>c * stride;
      const o = <usize>c << 3;
      let s = load<f64>(pu + o);
      for (let r = i; r < j; r++) {
        const v = (w_N != 0 ? f64At(w_N, r) : 1.0) * f64At(xc, r);
        s += v;
        const pt = at(sp, i32At(period_N, r) * B) + o;
        store<f64>(pt, load<f64>(pt) + v);
      }
      store<f64>(pu + o, s);
    }
    i = j;
  }
}

