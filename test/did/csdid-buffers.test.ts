// Callaway-Sant'Anna's influence-function arithmetic: a cell's influence function kept on its own rows gives
// the dense array's sums bit for bit, and the blocked cross products equal plain dot products bit for bit.
import { describe, expect, it } from "vitest";
import { addDivided, addScaled, crossProducts, sparseParam, sumOfSquares, type Param } from "../../bindings/estimators/did/cs-influence.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const rng = new Xoshiro128(5, 0);
const u = () => (rng.u32() + 0.5) / 4294967296;

describe("sparse influence functions", () => {
  const n = 1000;
  const rows = Array.from({ length: n }, (_, i) => i).filter(() => u() < 0.5);
  const values = Float64Array.from(rows, () => 2 * u() - 1);
  const sparse = sparseParam({ g: 3 }, 0.25, n, { rows, values });
  const denseInf = new Float64Array(n);
  rows.forEach((r, j) => (denseInf[r] = values[j]));
  const dense: Param = { att: 0.25, inf: denseInf };

  it("builds the dense array on demand, once", () => {
    expect(Array.from(sparse.inf)).toEqual(Array.from(denseInf));
    expect(sparse.inf).toBe(sparse.inf);
    expect(sparse.g).toBe(3);
    expect(sparse.att).toBe(0.25);
  });
  it("sums like the dense array, bit for bit", () => {
    const start = Float64Array.from({ length: n }, () => u());
    const a = Float64Array.from(start);
    const b = Float64Array.from(start);
    addScaled(a, 0.37, sparse);
    addScaled(b, 0.37, dense);
    addDivided(a, sparse, 7);
    addDivided(b, dense, 7);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a.some((v, i) => v !== start[i])).toBe(true);
    expect(sumOfSquares(sparse)).toBe(sumOfSquares(dense));
    expect(sumOfSquares(dense)).toBeGreaterThan(0);
  });
});

describe("cross products", () => {
  it("every pair equals the plain dot product over the rows in order, across several row blocks", () => {
    const n = 2500;
    const arrays = Array.from({ length: 5 }, () => Float64Array.from({ length: n }, () => 2 * u() - 1));
    const gram = crossProducts(arrays, n);
    for (let a = 0; a < 5; a++) {
      for (let b = 0; b < 5; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += arrays[a][i] * arrays[b][i];
        expect(gram[a * 5 + b]).toBe(s);
      }
    }
    expect(gram[0]).toBeGreaterThan(0);
  });
});
