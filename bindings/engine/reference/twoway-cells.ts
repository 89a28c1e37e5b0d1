// Mirror of assembly/twoway-cells.ts.
export function twoWayCells(
  N: number, unit_N: Int32Array, period_N: Int32Array, order_N: Int32Array | null, U: number, P: number, w_N: Float64Array | null,
  cellStart_U1: Int32Array, cellPeriod_N: Int32Array, cellWeight_N: Float64Array, unitWeight_U: Float64Array, periodWeight_P: Float64Array,
  cellOf_P: Int32Array,
): number {
  cellWeight_N.fill(0, 0, N);
  unitWeight_U.fill(0, 0, U);
  periodWeight_P.fill(0, 0, P);
  cellOf_P.fill(-1, 0, P);
  let cells = 0;
  let cur = -1;
  let first = 0;
  for (let k = 0; k <= N; k++) {
    const i = k < N ? (order_N ? order_N[k] : k) : 0;
    const u = k < N ? unit_N[i] : U;
    if (u !== cur) {
      if (cur >= 0) {
        let wu = 0;
        for (let c = first; c < cells; c++) {
          const t = cellPeriod_N[c];
          const wc = cellWeight_N[c];
          wu += wc;
          periodWeight_P[t] += wc;
          cellOf_P[t] = -1;
        }
        unitWeight_U[cur] = wu;
      }
      for (let v = cur + 1; v <= u; v++) cellStart_U1[v] = cells;
      if (k === N) break;
      cur = u;
      first = cells;
    }
    const t = period_N[i];
    let c = cellOf_P[t];
    if (c < 0) {
      c = cells++;
      cellOf_P[t] = c;
      cellPeriod_N[c] = t;
    }
    cellWeight_N[c] += w_N ? w_N[i] : 1.0;
  }
  return cells;
}
