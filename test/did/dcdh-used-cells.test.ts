// dCDH's used-cell bit planes (estimators/did/dcdh-used-cells.ts): each horizon's bit in its own plane, and the
// cells some of the first runs used, across the boundary between two planes.
import { describe, expect, it } from "vitest";
import { UsedCells } from "../../bindings/estimators/did/dcdh-used-cells.js";

describe("UsedCells", () => {
  it("gives run r bit r % 8 of plane floor(r / 8)", () => {
    const u = new UsedCells(4, 11);
    expect([0, 7, 8, 10].map((r) => UsedCells.bit(r))).toEqual([1, 128, 1, 4]);
    expect(u.plane(3)).toBe(u.plane(7));
    expect(u.plane(8)).not.toBe(u.plane(7));
    expect(u.plane(8)).toBe(u.plane(10));
  });

  it("counts only the first runs' cells, whatever later runs mark", () => {
    // 11 runs over 6 cells: run 0 marks cell 0, run 7 cell 1, run 8 cell 2, runs 9 and 10 cells 3 and 4
    const u = new UsedCells(6, 11);
    const mark = (run: number, cell: number) => (u.plane(run)[cell] |= UsedCells.bit(run));
    mark(0, 0);
    mark(7, 1);
    mark(8, 2);
    mark(9, 3);
    mark(10, 4);
    expect(Array.from(u.byAnyOf(1))).toEqual([1, 0, 0, 0, 0, 0]);
    expect(Array.from(u.byAnyOf(8))).toEqual([1, 1, 0, 0, 0, 0]);
    expect(Array.from(u.byAnyOf(9))).toEqual([1, 1, 1, 0, 0, 0]);
    expect(Array.from(u.byAnyOf(10))).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(u.byAnyOf(11))).toEqual([1, 1, 1, 1, 1, 0]);
  });
});
