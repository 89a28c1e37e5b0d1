// Periods as indices into their sorted distinct values (bindings/estimators/did/sorted-periods.ts): the
// index is the one a Map of the sorted values would give, whatever the guess.
import { describe, expect, it } from "vitest";
import { indexInSorted, sortedDistinct } from "../../bindings/estimators/did/sorted-periods.js";

describe("sorted periods", () => {
  const time = Float64Array.from([2003, 2001, 2002, 2003, 1999.5, 2001, -0, 0, 2010]);

  it("lists the distinct values in increasing order, over every value or the rows given", () => {
    expect(sortedDistinct(time, null)).toEqual([0, 1999.5, 2001, 2002, 2003, 2010]);
    expect(sortedDistinct(time, Int32Array.from([0, 2, 3, 8]))).toEqual([2002, 2003, 2010]);
  });

  it("finds each value's index from any guess, as a Map of the sorted values does", () => {
    const sorted = sortedDistinct(time, null);
    const byMap = new Map(sorted.map((p, k) => [p, k]));
    for (const p of time) {
      for (let guess = 0; guess < sorted.length; guess++) expect(indexInSorted(sorted, p, guess)).toBe(byMap.get(p));
    }
  });

  it("walks a unit's periods in order from the previous row's index", () => {
    const sorted = [2000, 2001, 2002, 2003];
    let p = 0;
    const got = [2000, 2001, 2002, 2003, 2000, 2002].map((t) => (p = indexInSorted(sorted, t, p)));
    expect(got).toEqual([0, 1, 2, 3, 0, 2]);
  });
});
