import { describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { compileSubset } from "../../bindings/model/subset.js";
import { DidwasmError } from "../../bindings/errors.js";

const frame = parseCsv("east,year,region,x\n1,2008,north,1\n1,2009,south,\n0,2008,north,3\n1,2010,south,4\n");
const rows = (expr: string) => Array.from(compileSubset(expr, frame).evaluate());

describe("compileSubset", () => {
  it("combines comparisons with & and |", () => {
    expect(rows("east == 1 & year != 2008")).toEqual([0, 1, 0, 1]);
    expect(rows("year < 2009 | region == 'south'")).toEqual([1, 1, 1, 1]);
    expect(rows("!(east == 1)")).toEqual([0, 0, 1, 0]);
  });
  it("does arithmetic and %in%", () => {
    expect(rows("year - 2000 >= 9")).toEqual([0, 1, 0, 1]);
    expect(rows("year %in% c(2008, 2010)")).toEqual([1, 0, 1, 1]);
    expect(rows('region %in% c("north")')).toEqual([1, 0, 1, 0]);
  });
  it("treats comparisons with missing values as false", () => {
    expect(rows("x > 0")).toEqual([1, 0, 1, 1]);
  });
  it("reports syntax errors with a position and unknown columns with a suggestion", () => {
    const err = (e: string) => {
      try {
        compileSubset(e, frame);
      } catch (x) {
        return x as DidwasmError;
      }
      throw new Error("expected error");
    };
    expect(err("east == ").code).toBe("SUBSET_SYNTAX");
    expect(err("east == 1 )").message).toContain("position 11");
    const u = err("eats == 1");
    expect(u.code).toBe("UNKNOWN_COLUMN");
    expect(u.message).toContain('did you mean "east"');
  });
});
