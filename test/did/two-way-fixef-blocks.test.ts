// TwoWayFixef's passes over rows (two-way-fixef.ts) run over blocks of ROW_BLOCK rows: on rows spanning
// several blocks, the group sums D'W [v_1 .. v_m] over the estimation rows and v - (c_unit + c_time) are the
// very numbers of one plain loop written out here (the same additions in the same order).
import { describe, expect, it } from "vitest";
import { ROW_BLOCK } from "../../bindings/engine/row-block.js";
import { TwoWayFixef, type TwoWayEncoding } from "../../bindings/estimators/did/two-way-fixef.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

/** Only the base class's passes are tested: solve is not called. */
class PassesOnly extends TwoWayFixef {
  solve(): Float64Array {
    throw new Error("not used");
  }
}

const n = 2 * ROW_BLOCK + 999;
const U = 700;
const P = 9;

function setup(weighted: boolean) {
  const g = new Xoshiro128(5);
  const enc: TwoWayEncoding = {
    unitId: Int32Array.from({ length: n }, () => Math.floor(g.uniform() * U)),
    timeId: Int32Array.from({ length: n }, () => Math.floor(g.uniform() * P)),
    units: U,
    periods: P,
  };
  const est = Int32Array.from(Array.from({ length: n }, (_, i) => i).filter(() => g.uniform() < 0.7));
  const w = weighted ? Float64Array.from({ length: n }, () => 0.5 + g.uniform()) : null;
  const cols = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => g.normal()));
  return { enc, est, w, cols, solver: new PassesOnly(enc, est, w) };
}

describe("TwoWayFixef passes over several row blocks", () => {
  for (const weighted of [false, true]) {
    it(`group sums over the estimation rows (${weighted ? "weighted" : "unweighted"}): one loop's numbers`, () => {
      const { enc, est, w, cols, solver } = setup(weighted);
      const m = cols.length;
      const want = new Float64Array((U + P) * m);
      for (const i of est) {
        const wi = w ? w[i] : 1;
        for (let j = 0; j < m; j++) {
          want[enc.unitId[i] * m + j] += wi * cols[j][i];
          want[(U + enc.timeId[i]) * m + j] += wi * cols[j][i];
        }
      }
      expect(Array.from(solver.groupSumsMany(cols))).toEqual(Array.from(want));
    });
  }

  it("v minus its fixed-effect fit on every row, into a new array or in place", () => {
    const { enc, cols, solver } = setup(false);
    const g = new Xoshiro128(9);
    const c = Float64Array.from({ length: U + P }, () => g.normal());
    const v = cols[0];
    const want = Float64Array.from(v, (x, i) => x - (c[enc.unitId[i]] + c[U + enc.timeId[i]]));
    expect(Array.from(solver.minusFitted(v, c))).toEqual(Array.from(want));
    const inPlace = v.slice();
    solver.minusFitted(inPlace, c, inPlace);
    expect(Array.from(inPlace)).toEqual(Array.from(want));
  });
});
