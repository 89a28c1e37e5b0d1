// The unit-period cells of a two-way panel, for the direct two-way solve (bindings/model/two-way-cells.ts
// explains the method; assembly/demean-twoway.ts uses the cells). One pass over the rows, taken in the
// order `order_N` gives (positions into unit_N / period_N / w_N; 0 means 0..N-1), which the host
// guarantees groups each unit's rows together. Several rows of one unit and period add up to one cell.
//
//   unit_N, period_N : i32 dense ids (0..U-1, 0..P-1) by position.   w_N : f64 weights, or 0.
//   cellStart_U1 : i32 [U+1] out.   cellPeriod_N, cellWeight_N : i32/f64 [N] out (first `cells` used).
//   unitWeight_U, periodWeight_P : f64 out.   cellOf_P : i32 [P] scratch.
// Returns the number of cells.

@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }

export function twoWayCells(
  N: i32, unit_N: usize, period_N: usize, order_N: usize, U: i32, P: i32, w_N: usize,
  cellStart_U1: usize, cellPeriod_N: usize, cellWeight_N: usize, unitWeight_U: usize, periodWeight_P: usize, cellOf_P: usize,
): i32 {
  memory.fill(cellWeight_N, 0, <usize>N << 3);
  memory.fill(unitWeight_U, 0, <usize>U << 3);
  memory.fill(periodWeight_P, 0, <usize>P << 3);
  for (let t = 0; t < P; t++) store<i32>(cellOf_P + (<usize>t << 2), -1);
  let cells = 0;
  let cur = -1;
  let first = 0;
  for (let k = 0; k <= N; k++) {
    const i = k < N ? (order_N != 0 ? i32At(order_N, k) : k) : 0;
    const u = k < N ? i32At(unit_N, i) : U;
    if (u != cur) {
      if (cur >= 0) {
        // close unit `cur`: its weight, its periods' weights, and reset its cells' markers
        let wu: f64 = 0;
        for (let c = first; c < cells; c++) {
          const t = i32At(cellPeriod_N, c);
          const wc = f64At(cellWeight_N, c);
          wu += wc;
          const pw = periodWeight_P + (<usize>t << 3);
          store<f64>(pw, load<f64>(pw) + wc);
          store<i32>(cellOf_P + (<usize>t << 2), -1);
        }
        store<f64>(unitWeight_U + (<usize>cur << 3), wu);
      }
      for (let v = cur + 1; v <= u; v++) store<i32>(cellStart_U1 + (<usize>v << 2), cells);
      if (k == N) break;
      cur = u;
      first = cells;
    }
    const t = i32At(period_N, i);
    let c = i32At(cellOf_P, t);
    if (c < 0) {
      c = cells++;
      store<i32>(cellOf_P + (<usize>t << 2), c);
      store<i32>(cellPeriod_N + (<usize>c << 2), t);
    }
    const pc = cellWeight_N + (<usize>c << 3);
    store<f64>(pc, load<f64>(pc) + (w_N != 0 ? f64At(w_N, i) : 1.0));
  }
  return cells;
}
