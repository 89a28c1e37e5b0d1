// Duplicated (unit, period) rows: a panel stored unit by unit is cleared in one pass; any other order, or a
// repeat inside that order, goes through the cell table, which names the first repeated pair.
import { describe, expect, it } from "vitest";
import { fromColumns } from "../../bindings/data/columns.js";
import { duplicateRowsNote } from "../../bindings/estimators/did/duplicates.js";

const every = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe("duplicateRowsNote", () => {
  it("no note for a panel in unit-period order, nor for the same rows shuffled", () => {
    const unit = [1, 1, 1, 2, 2, 2, 3, 3, 3];
    const year = [2000, 2001, 2002, 2000, 2001, 2002, 2000, 2001, 2002];
    expect(duplicateRowsNote(fromColumns({ unit, year }), "unit", "year", every(9))).toBeNull();
    const order = [4, 0, 8, 2, 6, 1, 5, 3, 7];
    const shuffled = fromColumns({ unit: order.map((r) => unit[r]), year: order.map((r) => year[r]) });
    expect(duplicateRowsNote(shuffled, "unit", "year", every(9))).toBeNull();
  });

  it("a repeat next to its pair in unit-period order, or a unit coming back later, is named", () => {
    const adjacent = fromColumns({ unit: [1, 1, 1, 2, 2], year: [2000, 2001, 2001, 2000, 2001] });
    expect(duplicateRowsNote(adjacent, "unit", "year", every(5))?.message).toMatch(/^1 row\(s\) repeat .* first row 2\b.* and row 3\b/);
    const back = fromColumns({ unit: [1, 1, 2, 2, 1], year: [2000, 2001, 2000, 2001, 2000] });
    expect(duplicateRowsNote(back, "unit", "year", every(5))?.message).toMatch(/first row 1\b.* and row 5\b/);
    // the same data without its repeated row: clean
    expect(duplicateRowsNote(back, "unit", "year", Int32Array.from([0, 1, 2, 3]))).toBeNull();
  });
});
