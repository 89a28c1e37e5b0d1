// The distinct periods of a time column, increasing, as every DID estimator reads them (cohorts.ts: a table
// over the range when the range is short for the column, the sorted distinct values otherwise); missing
// periods skipped; bad values refused by row.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { distinctPeriods } from "../../bindings/estimators/did/cohorts.js";
import { Xoshiro128 } from "../../bindings/random/xoshiro.js";

const sortedUnique = (v: readonly number[]) => [...new Set(v.filter((x) => !Number.isNaN(x)))].sort((a, b) => a - b);
const periodsOf = (t: number[]) => distinctPeriods(fromColumns({ t, y: t.map(() => 1) }), "t");

describe("distinctPeriods", () => {
  const g = new Xoshiro128(9);
  const draw = (values: readonly number[], n: number) => Array.from({ length: n }, () => values[Math.floor(g.uniform() * values.length)]);

  it("years in any order, with missing periods among them", () => {
    const t = draw([2001, 1998, 2010, 2003, NaN, 2004], 500);
    expect(periodsOf(t)).toEqual(sortedUnique(t));
  });

  it("periods far from the first one: negative, zero beside years, dates as yyyymmdd", () => {
    for (const values of [[-5000, 3, 0, 7000], [2005, 0, 2010], [20200101, 20191231, 20210615, 20200102]]) {
      const t = draw(values, 300);
      expect(periodsOf(t)).toEqual(sortedUnique(t));
    }
  });

  it("wide ranges among few rows (the sorted distinct values) and narrow ones (the table)", () => {
    expect(periodsOf([100, 100 + 2047, 100 - 2048])).toEqual([100 - 2048, 100, 100 + 2047]);
    expect(periodsOf([100, 100 + 2048, 100 - 2049, 101, 101])).toEqual([100 - 2049, 100, 101, 100 + 2048]);
    expect(periodsOf([5, 3, 4, 3, 5, 4])).toEqual([3, 4, 5]);
  });

  it("refuses a fractional period, naming its row, and a column with one period", () => {
    expect(() => periodsOf([2001, 2002, 2002.5])).toThrow(/whole numbers.*row 3|row 3.*whole numbers|2002\.5/);
    expect(() => periodsOf([2001, 2001, NaN])).toThrow(/fewer than two periods/);
  });
});
